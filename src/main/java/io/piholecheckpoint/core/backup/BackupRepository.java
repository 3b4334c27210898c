package io.piholecheckpoint.core.backup;

import java.util.List;
import java.util.Optional;

public interface BackupRepository {

  /** Stores the record and returns it with its id. */
  Backup insert(Backup backup);

  Optional<Backup> findById(long id);

  /** Newest first, at most {@code limit}. */
  List<Backup> findByInstance(long instanceId, int limit);

  /** Successful backups of the instance, newest first. */
  List<Backup> findSuccessful(long instanceId);

  Optional<Backup> findLatest();

  Optional<Backup> findLatestSuccess(long instanceId);

  void delete(long id);
}
