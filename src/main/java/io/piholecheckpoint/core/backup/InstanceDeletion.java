package io.piholecheckpoint.core.backup;

import io.piholecheckpoint.core.backup.catalog.BackupConflictException;
import io.piholecheckpoint.core.backup.catalog.BackupRepository;
import io.piholecheckpoint.core.instance.PiholeInstance;
import io.piholecheckpoint.core.registry.InstanceService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** An instance deleted, with its backups or keeping them, while nothing of it runs. */
public final class InstanceDeletion {
  private static final Logger log = LoggerFactory.getLogger(InstanceDeletion.class);

  private final InstanceService instances;
  private final InstanceLocks locks;
  private final BackupDeletions deletions;
  private final BackupRepository backups;

  public InstanceDeletion(InstanceService instances, InstanceLocks locks, BackupDeletions deletions, BackupRepository backups) {
    this.instances = instances;
    this.locks = locks;
    this.deletions = deletions;
    this.backups = backups;
  }

  /**
   * Deletes an instance; with its backups (files first), or keeping them visible, marked removed.
   * Holds the instance's turn meanwhile: a backup or restore that runs would otherwise write
   * records of an instance that is gone, so the deletion is refused until it has finished.
   *
   * @throws BackupConflictException while a backup or restore of the instance runs
   */
  public void deleteInstance(long instanceId, boolean withBackups) {
    PiholeInstance instance = instances.find(instanceId);
    instances.requireDeletable(instanceId);
    try (InstanceLocks.Held turn = locks.forDeletion(instance)) {
      if (withBackups) {
        deletions.deleteFiles(backups.findSuccessful(instanceId));
      }
      instances.delete(instanceId, withBackups);
    }
    log.info("Deleted instance '{}' ({})", instance.name(), withBackups ? "with its backups" : "its backups stay");
  }
}
