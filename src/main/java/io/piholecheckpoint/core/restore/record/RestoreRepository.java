package io.piholecheckpoint.core.restore.record;

import java.util.List;
import java.util.Optional;

public interface RestoreRepository {

  /**
   * Stores a new restore and returns it with its id.
   *
   * @throws io.piholecheckpoint.core.backup.catalog.BackupConflictException when its backup is claimed for deletion, in the
   *     same transaction as the insert (BackupRepository#claimUnlessRestoring is the other half)
   */
  Restore insert(Restore restore);

  void update(Restore restore);

  /** The backups that queued or running restores restore, on any node: retention keeps them until those end. */
  java.util.Set<Long> unfinishedSources();

  /** Marks restores a crash left running as failed; returns how many. */
  int markInterrupted(java.time.Instant now);

  Optional<Restore> findById(long id);

  /** The restores to an instance, newest first. */
  List<Restore> findByTarget(long targetId, int limit);

  /**
   * When a restore last changed the instance's Pi-hole (or may have: sent but not verified), if one of its last few did. From then
   * on the Pi-hole holds what was restored, not what its backups taken before hold.
   */
  default Optional<java.time.Instant> lastChanged(long targetId) {
    return findByTarget(targetId, 10).stream().filter(Restore::changedPihole).map(Restore::finishedAt).filter(java.util.Objects::nonNull)
        .findFirst();
  }
}
