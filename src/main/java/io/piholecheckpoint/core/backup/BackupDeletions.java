package io.piholecheckpoint.core.backup;

import io.piholecheckpoint.core.archive.ArchiveFiles;
import io.piholecheckpoint.core.archive.ArchiveStorageException;
import io.piholecheckpoint.core.archive.ArchiveStore;
import io.piholecheckpoint.core.backup.catalog.Backup;
import io.piholecheckpoint.core.backup.catalog.BackupCatalog;
import io.piholecheckpoint.core.backup.catalog.BackupConflictException;
import io.piholecheckpoint.core.backup.catalog.BackupRepository;
import io.piholecheckpoint.core.backup.catalog.DeletionClaim;
import io.piholecheckpoint.core.backup.events.Events;
import java.io.IOException;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What may happen to a stored backup by request: deleted (its file first, claimed in the database so that a pin or a
 * restore reading it wins) or pinned against retention. No run of the instance is involved, so no turn is taken.
 */
public final class BackupDeletions {
  private static final Logger log = LoggerFactory.getLogger(BackupDeletions.class);
  private final BackupCatalog catalog;
  private final BackupRepository backups;
  private final ArchiveStore archives;
  private final Events events;

  public BackupDeletions(BackupCatalog catalog, BackupRepository backups, ArchiveStore archives, Events events) {
    this.catalog = catalog;
    this.backups = backups;
    this.archives = archives;
    this.events = events;
  }

  /**
   * Deletes a backup, its file first. A pinned backup must be unpinned before: the deletion is claimed
   * in the database on condition that the row is not pinned, so a pin set meanwhile wins.
   */
  public void delete(long backupId) {
    delete(backupId, false, "on request");
  }

  /**
   * Deletes, pinned as it is, the safety backup of a restore that applied nothing (left to retention, one per refused attempt pushed
   * ordinary backups out: outsider 39); {@code why} goes in the log. One that cannot be deleted throws as {@link #delete} does, and stays.
   */
  public void discardSafetyBackup(long backupId, String why) {
    delete(backupId, true, why);
  }

  private void delete(long backupId, boolean evenPinned, String why) {
    Backup backup = catalog.find(backupId);
    DeletionClaim claim = backups.claimUnlessRestoring(List.of(backupId), evenPinned);
    claim.reader().ifPresent(reader -> {
      throw new BackupConflictException(reader.refusal());
    });
    if (claim.claimed().isEmpty()) {
      Backup now = catalog.find(backupId);
      throw new BackupConflictException(now.pinned() ? "backup " + backupId + " is pinned; unpin it before deleting it"
          : "backup " + backupId + " is being deleted already");
    }
    if (backup.successful()) {
      try {
        deleteFile(backup);
      } catch (ArchiveStorageException e) {
        backups.releaseDeletion(backupId);
        throw e;
      }
    }
    backups.delete(backupId);
    log.info("Deleted backup {} ({}) {}", backupId, backup.successful() ? backup.fileName() : "failed record", why);
    events.backupDeleted(backup); // its off-site copies go too: a backup deleted by hand must not come back by an adoption
  }

  /** An instance's backups, claimed first: one that a restore (to another instance) reads keeps the instance and all of them. */
  void deleteFiles(List<Backup> successful) {
    DeletionClaim claim = backups.claimUnlessRestoring(successful.stream().map(Backup::id).toList(), true);
    claim.reader().ifPresent(reader -> {
      throw new BackupConflictException(reader.refusal() + " (or delete the instance keeping its backups)");
    });
    try {
      successful.forEach(this::deleteFile);
    } catch (ArchiveStorageException e) {
      claim.claimed().forEach(backups::releaseDeletion);
      throw e;
    }
  }

  private void deleteFile(Backup backup) {
    try {
      archives.delete(backup.fileName());
    } catch (IOException e) {
      throw new ArchiveStorageException("could not delete " + backup.fileName() + ": " + ArchiveFiles.reason(e) + "; nothing was deleted", e);
    }
  }

  /** Pinned backups are never deleted by retention. */
  public Backup pin(long backupId, boolean pinned) {
    Backup backup = catalog.find(backupId);
    if (!backup.successful()) {
      throw new BackupConflictException("backup " + backupId + " failed and has no archive to keep");
    }
    if (!backups.setPinned(backupId, pinned)) {
      if (!catalog.find(backupId).deleting()) { // gone meanwhile: 404
        throw new BackupConflictException("an off-site copy of backup " + backupId + " is being deleted by its destination's retention; "
            + "the backup can be pinned once that is done (the backup itself stays)");
      }
      throw new BackupConflictException("backup " + backupId + " is being deleted (by retention or a delete request) and can no longer be "
          + (pinned ? "pinned" : "unpinned"));
    }
    log.info("Backup {} {}", backupId, pinned ? "pinned: retention will never delete it" : "unpinned");
    Backup now = catalog.find(backupId);
    events.backupPinned(now);
    return now;
  }
}
