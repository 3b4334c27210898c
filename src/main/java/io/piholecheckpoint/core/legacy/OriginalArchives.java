package io.piholecheckpoint.core.legacy;

import io.piholecheckpoint.core.archive.Archive;
import io.piholecheckpoint.core.archive.ArchiveFiles;
import io.piholecheckpoint.core.archive.ArchiveStorageException;
import io.piholecheckpoint.core.archive.ArchiveStore;
import io.piholecheckpoint.core.archive.ContentSummary;
import io.piholecheckpoint.core.archive.InvalidArchiveException;
import io.piholecheckpoint.core.archive.StoredArchives;
import io.piholecheckpoint.core.backup.catalog.Backup;
import io.piholecheckpoint.core.backup.catalog.Suspicion;
import io.piholecheckpoint.core.gateway.PiholeVersions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One record of the original as a backup of ours. A success whose archive is in the backup
 * directory, with the SHA-256 the original recorded, is inspected and joins the history like any
 * archive; one whose file is missing, changed or unsound is kept and marked so (missing, or with
 * what its check found), never dropped; a failure keeps its message.
 */
final class OriginalArchives {
  private static final Logger log = LoggerFactory.getLogger(OriginalArchives.class);
  private static final ContentSummary UNREAD = new ContentSummary(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0);
  static final String FAILURE_CODE = "imported_failure";

  private final ArchiveStore archives;
  private final ImportLedger ledger;
  /** File names of the batch not yet written, which the ledger cannot see yet. */
  private final Set<String> pendingNames;

  OriginalArchives(ArchiveStore archives, ImportLedger ledger, Set<String> pendingNames) {
    this.archives = archives;
    this.ledger = ledger;
    this.pendingNames = pendingNames;
  }

  /**
   * What {@code record} becomes: a backup, or a skip with its reason (each logged). A record that
   * throws is skipped alone, never the rest: a file name this system's locale cannot hold, say.
   *
   * @param flush writes the pending batch: called before a suspicion names the owner's last good backup, which then has its id
   */
  ImportLedger.Entry entryOf(OriginalRecord record, OriginalImportService.Owner owner, Runnable flush) {
    boolean[] writing = {false};
    try {
      return backupOf(record, owner, () -> {
        writing[0] = true;
        flush.run();
        writing[0] = false;
      });
    } catch (RuntimeException e) {
      if (writing[0]) {
        throw e; // our database failed, not the record: the import stops and the next start goes on
      }
      return skip(record, e);
    }
  }

  private static ImportLedger.Entry skip(OriginalRecord record, RuntimeException e) {
    if (e instanceof InvalidPathException) {
      log.warn("Pi-hole Checkpoint 1.x: backup record {} names a file this system cannot name ({}); skipped — start with LANG=C.UTF-8"
          + " to import it", record.id(), e.getMessage());
      return ImportLedger.Entry.skipped(record.id(), SkipReason.FILE_NAME_UNREPRESENTABLE);
    }
    log.warn("Pi-hole Checkpoint 1.x: backup record {} could not be imported ({}); skipped", record.id(), e.toString());
    return ImportLedger.Entry.skipped(record.id(), SkipReason.UNREADABLE);
  }

  private ImportLedger.Entry backupOf(OriginalRecord record, OriginalImportService.Owner owner, Runnable flush) {
    Optional<Instant> at = OriginalRecords.createdAt(record.createdAt());
    Optional<OriginalRecords.Status> status = OriginalRecords.status(record.status());
    if (at.isEmpty() || status.isEmpty()) {
      log.warn("Pi-hole Checkpoint 1.x: backup record {} has {}; skipped", record.id(), at.isEmpty()
          ? "no readable created_at (" + OriginalRecords.quote(record.createdAt()) + ")"
          : "status " + OriginalRecords.quote(record.status()) + ", neither success nor failed");
      return ImportLedger.Entry.skipped(record.id(), at.isEmpty() ? SkipReason.NO_TIME : SkipReason.NO_STATUS);
    }
    Backup.Trigger trigger = OriginalRecords.manual(record.manual()) ? Backup.Trigger.MANUAL : Backup.Trigger.SCHEDULED;
    if (status.get() == OriginalRecords.Status.FAILED) {
      return ImportLedger.Entry.imported(record.id(),
          Backup.failed(owner.id, trigger, FAILURE_CODE, OriginalRecords.failureMessage(record.errorMessage()), at.get(), at.get()));
    }
    Optional<String> name = OriginalRecords.archiveName(record);
    if (name.isEmpty()) {
      log.warn("Pi-hole Checkpoint 1.x: backup record {} names no archive Pi-hole Checkpoint 1.x writes (filename {}, file_path {}); skipped",
          record.id(), OriginalRecords.quote(record.fileName()), OriginalRecords.quote(record.filePath()));
      return ImportLedger.Entry.skipped(record.id(), SkipReason.NO_ARCHIVE_NAME);
    }
    // a name this JVM's locale cannot put in a path throws here: skipped as such, not recorded as "missing"
    archives.directory().resolve(name.get());
    if (pendingNames.contains(name.get()) || ledger.fileNameTaken(name.get())) {
      log.warn("Pi-hole Checkpoint 1.x: backup record {} names {}, the archive of a backup already imported; skipped", record.id(), name.get());
      return ImportLedger.Entry.skipped(record.id(), SkipReason.ARCHIVE_TAKEN);
    }
    return ImportLedger.Entry.imported(record.id(), success(record, owner, name.get(), trigger, at.get(), flush));
  }

  private Backup success(OriginalRecord record, OriginalImportService.Owner owner, String name, Backup.Trigger trigger, Instant at,
                         Runnable flush) {
    Optional<String> recorded = OriginalRecords.checksum(record.checksum());
    if (archives.find(name).isEmpty()) {
      String problem = (notAFile(name)
          ? "its archive %s in %s is a symbolic link or no regular file, which is never followed; it cannot be downloaded or restored"
          : "its archive %s was not in %s when the history of Pi-hole Checkpoint 1.x was imported; it cannot be downloaded or restored")
          .formatted(name, archives.directory());
      log.warn("Pi-hole Checkpoint 1.x: backup record {}: {}", record.id(), problem);
      return unsound(owner, trigger, name, 0, recorded.orElse(null), record, at, true, problem);
    }
    try {
      StoredArchives.Examined examined = StoredArchives.examine(archives, name);
      Archive archive = examined.archive();
      if (recorded.isPresent() && !recorded.get().equals(archive.sha256())) {
        return changed(record, owner, trigger, archive.sizeBytes(), name, recorded.get(), archive.sha256(), at);
      }
      if (recorded.isEmpty()) {
        return unverifiable(record, owner, trigger, archive, at);
      }
      Optional<String> suspicion = suspicion(owner, examined, flush);
      Backup backup = Backup.succeeded(owner.id, trigger, archive, suspicion.isPresent(), at, at);
      suspicion.ifPresentOrElse(
          why -> log.warn("Pi-hole Checkpoint 1.x: the archive {} {}; it is imported but flagged suspicious", name, why),
          () -> owner.lastGood = backup);
      return backup;
    } catch (InvalidArchiveException e) {
      String actual = sha256(name);
      if (recorded.isPresent() && actual != null && !recorded.get().equals(actual)) {
        return changed(record, owner, trigger, size(name), name, recorded.get(), actual, at);
      }
      String problem = "its archive %s is not a sound Teleporter archive (%s); restore from another backup".formatted(name, e.getMessage());
      log.warn("Pi-hole Checkpoint 1.x: backup record {}: {}", record.id(), problem);
      return unsound(owner, trigger, name, size(name), recorded.orElse(actual), record, at, false, problem);
    } catch (IOException | ArchiveStorageException e) {
      String problem = "its archive %s could not be read (%s)".formatted(name, e.getMessage());
      log.warn("Pi-hole Checkpoint 1.x: backup record {}: {}", record.id(), problem);
      return unsound(owner, trigger, name, size(name), recorded.orElse(null), record, at, false, problem);
    }
  }

  /**
   * A sound archive whose record holds no SHA-256 to check it by ("12345", empty): kept, inspected,
   * but never called verified, and not what later archives are compared with.
   */
  private static Backup unverifiable(OriginalRecord record, OriginalImportService.Owner owner, Backup.Trigger trigger, Archive archive, Instant at) {
    String problem = ("checksum unreadable: Pi-hole Checkpoint 1.x recorded %s, no SHA-256, for its archive %s, so whether the file changed since"
        + " cannot be told").formatted(OriginalRecords.quote(record.checksum()), archive.fileName());
    log.warn("Pi-hole Checkpoint 1.x: backup record {}: {}", record.id(), problem);
    return new Backup(0, owner.id, Backup.Status.SUCCESS, trigger, archive, null, null, at, at, null, false, false, false, problem);
  }

  /** Compared with the owner's newest good archive; when that is not written yet, the batch is, so the reason names its id. */
  private static Optional<String> suspicion(OriginalImportService.Owner owner, StoredArchives.Examined examined, Runnable flush) {
    Optional<String> suspicion = Suspicion.of(owner.lastGood == null ? List.of() : List.of(owner.lastGood), examined.inspection());
    if (suspicion.isPresent() && owner.lastGood != null && owner.lastGood.id() == 0) {
      flush.run();
      return Suspicion.of(List.of(owner.lastGood), examined.inspection());
    }
    return suspicion;
  }

  private Backup changed(OriginalRecord record, OriginalImportService.Owner owner, Backup.Trigger trigger, long size, String name, String recorded,
                         String actual, Instant at) {
    String problem = ("its archive %s changed after Pi-hole Checkpoint 1.x wrote it (SHA-256 %s, recorded %s); it is kept as found,"
        + " restore from another backup").formatted(name, actual, recorded);
    log.warn("Pi-hole Checkpoint 1.x: backup record {}: {}", record.id(), problem);
    return unsound(owner, trigger, name, size, recorded, record, at, false, problem);
  }

  /**
   * A success of the original we cannot vouch for: kept with the SHA-256 it recorded (so every
   * later check finds the same), marked missing or with its problem. It has no content to compare,
   * so its content hash is its own and matches no other backup's.
   */
  private static Backup unsound(OriginalImportService.Owner owner, Backup.Trigger trigger, String name, long size, String sha256,
                                OriginalRecord record, Instant at, boolean missing, String problem) {
    Archive archive = new Archive(name, size, sha256 == null ? "unknown" : sha256, "unread-original-" + record.id(), PiholeVersions.UNKNOWN,
        UNREAD, null);
    return new Backup(0, owner.id, Backup.Status.SUCCESS, trigger, archive, null, null, at, at, null, false, false, missing, problem);
  }

  /** Whether something other than a regular file has the name: the store does not take it, and the log says why. */
  private boolean notAFile(String name) {
    try {
      return Files.exists(archives.directory().resolve(name), LinkOption.NOFOLLOW_LINKS);
    } catch (InvalidPathException e) {
      return false;
    }
  }

  private String sha256(String name) {
    try {
      Optional<Path> file = archives.find(name);
      return file.isEmpty() ? null : ArchiveFiles.sha256Of(file.get());
    } catch (IOException e) {
      return null;
    }
  }

  private long size(String name) {
    try {
      Optional<Path> file = archives.find(name);
      return file.isEmpty() ? 0 : Files.size(file.get());
    } catch (IOException e) {
      return 0;
    }
  }
}
