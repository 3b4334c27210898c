package io.piholecheckpoint.core.backup;

import io.piholecheckpoint.core.backup.catalog.Backup;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * What a restore or a sync needs of backups before it changes a Pi-hole: the instance's turn, so that no backup of it runs
 * meanwhile, and its safety backup, taken pinned so that retention keeps it through the change; let go to retention once the
 * change is done, or deleted again when the change applied nothing.
 */
public final class SafeChanges {
  private final InstanceLocks locks;
  private final BackupService runs;
  private final BackupDeletions deletions;

  public SafeChanges(InstanceLocks locks, BackupService runs, BackupDeletions deletions) {
    this.locks = locks;
    this.runs = runs;
    this.deletions = deletions;
  }

  /** {@link InstanceLocks#exclusively}. */
  public <T> T exclusively(long instanceId, String what, Supplier<T> work) {
    return locks.exclusively(instanceId, what, work);
  }

  /** {@link InstanceLocks#heldBy}. */
  public Optional<String> heldBy(long instanceId) {
    return locks.heldBy(instanceId);
  }

  /** {@link BackupService#runSafetyBackup}. */
  public Backup runSafetyBackup(long instanceId) {
    return runs.runSafetyBackup(instanceId);
  }

  /** {@link BackupService#stopping}: what fails now may fail for that alone. */
  public boolean stopping() {
    return runs.stopping();
  }

  /** Unpinned: from now on retention counts it as any backup. */
  public Backup release(long backupId) {
    return deletions.pin(backupId, false);
  }

  /** {@link BackupDeletions#discardSafetyBackup}: it held what the Pi-hole still holds. */
  public void discardSafetyBackup(long backupId, String why) {
    deletions.discardSafetyBackup(backupId, why);
  }
}
