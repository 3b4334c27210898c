package io.piholecheckpoint.core.sync.holds;

import io.piholecheckpoint.core.archive.ArchiveDamagedException;
import io.piholecheckpoint.core.archive.ArchiveStore;
import io.piholecheckpoint.core.archive.BackupNotFoundException;
import io.piholecheckpoint.core.backup.catalog.Backup;
import io.piholecheckpoint.core.backup.catalog.BackupCatalog;
import io.piholecheckpoint.core.instance.PiholeInstance;
import java.io.IOException;
import java.util.Optional;

/**
 * The primary's archive found damaged or gone only as a sync opens it (after its last check), at the group's first open or at a
 * replica's own: held as one found so by that check is, rather than failed as unexpected or not possible.
 */
public final class UnreadablePrimary {
  private final BackupCatalog catalog;

  public UnreadablePrimary(BackupCatalog catalog) {
    this.catalog = catalog;
  }

  /**
   * The hold for {@code e}, met opening backup {@code backupId}'s archive; empty for any other failure. A gone one is recorded on
   * its backup as a Verify records it (its page, /health's counts), and the next run holds it by that record rather than finding
   * it gone again.
   */
  public Optional<Hold> of(PiholeInstance primary, long backupId, RuntimeException e) {
    if (e instanceof ArchiveDamagedException) {
      // what the backup's check now records, as the next run and its page say it; the exception's own words if it records none
      String what = Optional.ofNullable(catalog.find(backupId).verifyError()).orElse(e.getMessage());
      return Optional.of(Hold.unreadable(primary, backupId, " is damaged on this disk (" + what + ")"));
    }
    if (!(e instanceof BackupNotFoundException)) {
      return Optional.empty();
    }
    try {
      return Optional.of(catalog.findAsOnDisk(backupId)).filter(Backup::fileMissing)
          .map(b -> Hold.unreadable(primary, backupId, " is missing from this disk"));
    } catch (BackupNotFoundException deleted) {
      return Optional.empty(); // the backup itself is gone (deleted meanwhile): the run says so per replica
    }
  }

  /** Backup {@code backupId}'s archive, opened; {@link Held} when it is found damaged or gone so. */
  public ArchiveStore.PlainArchive open(PiholeInstance primary, long backupId) throws IOException {
    try {
      return catalog.archiveOf(backupId);
    } catch (ArchiveDamagedException | BackupNotFoundException e) {
      throw of(primary, backupId, e).<RuntimeException>map(hold -> new Held(hold, e)).orElse(e);
    }
  }

  /** A replica's run met the primary's archive damaged or gone: its record carries the hold, as one held before the run does. */
  public static final class Held extends RuntimeException {
    private final Hold hold;

    public Held(Hold hold, RuntimeException cause) {
      super(hold.why(), cause);
      this.hold = hold;
    }

    public Hold hold() {
      return hold;
    }
  }
}
