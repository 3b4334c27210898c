package io.piholecheckpoint.core.backup.trust;

import io.piholecheckpoint.core.backup.catalog.Backup;
import io.piholecheckpoint.core.backup.catalog.BackupCatalog;
import io.piholecheckpoint.core.backup.catalog.BackupConflictException;
import io.piholecheckpoint.core.backup.catalog.BackupRepository;
import io.piholecheckpoint.core.backup.events.Events;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A person's word on a suspicious backup (README, "What makes a backup trustworthy"): accepted as the Pi-hole's real content,
 * or that accept taken back. No run of the instance is involved, so no turn is taken.
 */
public final class Acceptance {
  private static final Logger log = LoggerFactory.getLogger(Acceptance.class);
  private final BackupCatalog catalog;
  private final BackupRepository backups;
  private final Events events;

  public Acceptance(BackupCatalog catalog, BackupRepository backups, Events events) {
    this.catalog = catalog;
    this.backups = backups;
    this.events = events;
  }

  /**
   * A person says a suspicious backup is the Pi-hole's real content (a deliberate clean-up): from now on it is a good
   * backup, the baseline of later ones, counted by retention and a sync source. Only a sound file may become that.
   */
  public Backup accept(long backupId) {
    Backup backup = catalog.find(backupId);
    if (!backup.successful()) {
      throw new BackupConflictException("backup " + backupId + " failed and has no archive to accept");
    }
    if (!backup.suspicious()) {
      throw new BackupConflictException("backup " + backupId + " is not flagged suspicious" + (backup.accepted() ? "; it was accepted already" : "")
          + "; only a suspicious backup can be accepted");
    }
    if (backup.fileMissing() || backup.verifyError() != null) {
      throw new BackupConflictException("backup " + backupId + "'s file is " + (backup.fileMissing() ? "missing" : "damaged (" + backup.verifyError() + ")")
          + "; a backup that cannot be restored cannot be accepted as the baseline — take a new backup and accept that one");
    }
    if (!catalog.holdsLists(backupId)) { // never the last good backup (README): Sync would empty every replica's lists from it
      throw new BackupConflictException("backup " + backupId + " holds no gravity.db (no groups, adlists, domains or clients), so it cannot be accepted:"
          + " Sync would empty every replica's lists from it. It stays flagged; back the Pi-hole up again and, if its changes were meant, accept that one");
    }
    if (!backups.accept(backupId)) {
      throw new BackupConflictException("backup " + backupId + " changed meanwhile (deleted, or accepted by another request); reload and try again");
    }
    log.info("Backup {} accepted: no longer suspicious, it is the baseline of later backups of its Pi-hole", backupId);
    return markedAtItsCopies(backupId);
  }

  /** An accept taken back: suspicious again, as flagged; later backups keep their flags (README, "What makes a backup trustworthy"). */
  public Backup unaccept(long backupId) {
    if (!catalog.find(backupId).accepted() || !backups.unaccept(backupId)) {
      throw new BackupConflictException("backup " + backupId + " was not accepted (or is being deleted): only an accepted backup can be made suspicious again");
    }
    log.info("Backup {}'s accept taken back: flagged suspicious again, it is no longer the baseline of later backups of its Pi-hole", backupId);
    return markedAtItsCopies(backupId);
  }

  /** The manifests beside its off-site copies say whether it is accepted, as they say a pin: written again now. */
  private Backup markedAtItsCopies(long backupId) {
    Backup now = catalog.find(backupId);
    events.backupPinned(now);
    return now;
  }
}
