package io.piholecheckpoint.core.offsite;

import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The durable queue of off-site copies (persistence implements it); each write is one transaction. */
public interface CopyRepository {

  /** Queues each copy unless one of the same backup and destination is queued already. */
  void enqueue(Collection<Copy> copies);

  /** Copies not verified whose time has come, of these destinations, oldest first. */
  List<Copy> findDue(Collection<String> destinations, Instant now, int limit);

  Optional<Copy> findById(long id);

  /** Every copy of one backup, by destination name. */
  List<Copy> findByBackup(long backupId);

  /** Every copy of these backups, in one query: by backup id, each backup's by destination name; a backup without copies is absent. */
  Map<Long, List<Copy>> findByBackups(Collection<Long> backupIds);

  /** The verified copies of an instance at a destination, newest backup first. */
  List<Copy> findVerified(String destination, long instanceId);

  /** The uploaded bytes arrived; kept so that a restart between upload and check still verifies them. */
  void markCopied(long id, long sentBytes, String sentSha256, Instant at);

  void markVerified(long id, Instant at);

  /** One failed attempt: attempts + 1, its error, the next try; {@code failedSince} is kept from the first failure in a row. */
  void markFailed(long id, String error, Instant at, Instant nextAttemptAt);

  void delete(long id);

  /** Per destination: how many wait, the oldest waiting's queue time, the last verification, the failure that lasts longest. */
  Map<String, QueueStats> stats();

  record QueueStats(long pending, Instant oldestPendingSince, Instant lastVerifiedAt, Instant failingSince, String lastError) {
    public static final QueueStats EMPTY = new QueueStats(0, null, null, null, null);
  }
}
