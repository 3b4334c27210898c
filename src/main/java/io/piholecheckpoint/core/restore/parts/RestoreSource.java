package io.piholecheckpoint.core.restore.parts;

import io.piholecheckpoint.core.archive.ArchiveStore;
import io.piholecheckpoint.core.archive.BackupNotFoundException;
import io.piholecheckpoint.core.backup.catalog.Backup;
import io.piholecheckpoint.core.backup.catalog.BackupCatalog;
import io.piholecheckpoint.core.backup.catalog.BackupConflictException;
import io.piholecheckpoint.core.contents.ArchiveReader;
import io.piholecheckpoint.core.contents.ArchiveSettings;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * The backup a restore (or its preview) reads, checked before anything is recorded or sent: refused when it failed, when its
 * archive is damaged with no sound copy, or when it lacks a part asked for. Nothing here contacts the Pi-hole.
 */
public class RestoreSource {
  private final BackupCatalog catalog;
  private final ArchiveStore archives;
  private final ArchiveReader reader;

  public RestoreSource(BackupCatalog catalog, ArchiveStore archives, ArchiveReader reader) {
    this.catalog = catalog;
    this.archives = archives;
    this.reader = reader;
  }

  /** The backup, refused when it failed or its archive is not sound here or in a copy: read only after this. */
  public Backup checked(long backupId) {
    Backup source = restorable(backupId);
    verified(source);
    return source;
  }

  /** The backup, refused when it failed: the check that needs no reading of its archive. */
  public Backup restorable(long backupId) {
    Backup source = catalog.find(backupId);
    if (!source.successful()) {
      throw new BackupConflictException("backup " + backupId + " failed and has nothing to restore");
    }
    return source;
  }

  /** The archive of {@code source} is here and sound (its inspection takes a turn for archive work), else refused with why. */
  public void verified(Backup source) {
    long backupId = source.id();
    archives.fetchIfMissing(source.archive().fileName()); // an adopted backup's archive is still only off-site
    // the check opens it as every reader does (replaced by a sound copy when it is damaged here): one read of the whole archive,
    // where an open before it read it once more (a decryption and a hash of 50 MB, twice per restore)
    archives.verify(source.archive()).ifPresent(problem -> {
      refuseAsReadersAre(source);
      throw new BackupConflictException("backup " + backupId + " cannot be restored: " + problem);
    });
  }

  /**
   * A backup whose check failed, opened as every reader opens it, so that one damaged here with no sound copy is refused with
   * why (archive_damaged) as a download or a contents page is, and one whose archive is gone (here and in every copy) as missing
   * (404, as its download), before anything is recorded or sent.
   */
  private void refuseAsReadersAre(Backup source) {
    if (archives.find(source.archive().fileName()).isEmpty()) {
      throw BackupNotFoundException.archiveMissing(source.id(), source.archive().fileName());
    }
    try {
      archives.open(source.archive().fileName()).close();
    } catch (IOException e) {
      throw new UncheckedIOException("could not read backup " + source.id(), e);
    }
  }

  /** @throws RestoreRefusedException when the archive lacks a file the parts are restored from (see {@link ArchiveParts}) */
  public void requireParts(Backup source, RestoreMode mode, RestoreParts parts) {
    ArchiveParts held;
    try (ArchiveStore.PlainArchive plain = archives.open(source.archive().fileName())) {
      held = ArchiveParts.of(plain.path());
    } catch (IOException e) {
      throw new UncheckedIOException("could not read backup " + source.id(), e);
    }
    held.require(source.id(), mode, parts);
  }

  /**
   * The checked backup's archive, opened once to be held through the restore: its settings, the import and the comparison
   * afterwards read this copy (each open of an encrypted 50 MB archive decrypts and hashes all of it again).
   */
  public ArchiveStore.PlainArchive open(Backup source) throws IOException {
    return catalog.archiveOf(source.id());
  }

  /** The settings and local DNS an opened archive holds. */
  public ArchiveSettings settings(ArchiveStore.PlainArchive archive) throws IOException {
    return reader.settings(archive.path());
  }

  /** The settings and local DNS the backup holds. */
  public ArchiveSettings settings(Backup backup) {
    try (ArchiveStore.PlainArchive plain = archives.open(backup.archive().fileName())) {
      return reader.settings(plain.path());
    } catch (IOException e) {
      throw new UncheckedIOException("could not read backup " + backup.id(), e);
    }
  }
}
