package io.piholecheckpoint.core.backup;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

public interface BackupRepository {

  /** How many successful backups have no file, and how many failed their last check. */
  record FileProblems(int missing, int damaged) {
  }

  FileProblems countFileProblems();

  /** Stores the record and returns it with its id. */
  Backup insert(Backup backup);

  Optional<Backup> findById(long id);

  /** Newest first, at most {@code limit}. */
  List<Backup> findByInstance(long instanceId, int limit);

  /** Successful backups of the instance, newest first. */
  List<Backup> findSuccessful(long instanceId);

  /** Failed records of the instance, newest first. */
  List<Backup> findFailed(long instanceId);

  /** Every successful backup of every instance. */
  List<Backup> findAllSuccessful();

  Optional<Backup> findLatest();

  Optional<Backup> findLatestSuccess(long instanceId);

  void markStillCurrent(long id, Instant at);

  void setPinned(long id, boolean pinned);

  void setFileMissing(long id, boolean missing);

  /** Records what a re-check of the file found wrong; null clears it. */
  void setVerifyError(long id, String error);

  void delete(long id);
}
