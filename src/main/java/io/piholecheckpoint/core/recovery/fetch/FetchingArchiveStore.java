package io.piholecheckpoint.core.recovery.fetch;

import io.piholecheckpoint.core.archive.Archive;
import io.piholecheckpoint.core.archive.ArchiveCipher;
import io.piholecheckpoint.core.archive.ArchiveDamagedException;
import io.piholecheckpoint.core.archive.ArchiveInspector;
import io.piholecheckpoint.core.archive.ArchiveStorageException;
import io.piholecheckpoint.core.archive.ArchiveStore;
import io.piholecheckpoint.core.archive.FileDigests;
import io.piholecheckpoint.core.archive.InvalidArchiveException;
import io.piholecheckpoint.core.archive.WrongPassphraseException;
import io.piholecheckpoint.core.backup.catalog.Backup;
import io.piholecheckpoint.core.backup.catalog.BackupRepository;
import io.piholecheckpoint.core.offsite.copy.CopyDamagedException;
import io.piholecheckpoint.core.offsite.copy.CopyOutcomes;
import io.piholecheckpoint.core.offsite.copy.DamagedCopies;
import io.piholecheckpoint.core.offsite.queue.Copy;
import io.piholecheckpoint.core.offsite.queue.CopyRepository;
import io.piholecheckpoint.core.offsite.remote.OffsiteTarget;
import io.piholecheckpoint.core.offsite.remote.OffsiteTargets;
import io.piholecheckpoint.core.recovery.copies.CopyFetch;
import io.piholecheckpoint.core.recovery.copies.CopySources;
import io.piholecheckpoint.core.recovery.copies.CopyUnreachableException;
import io.piholecheckpoint.core.units.LogText;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The backup directory, with every archive of a backup checked against its record when it is
 * opened ({@link LocalDamage}), and fetched back from a destination that holds a verified copy
 * ({@link CopySources}) when it is not on this disk (an adopted backup's, "remote only", or a file
 * that went missing) or no longer the archive recorded (a changed byte, an encrypted file whose
 * integrity check fails). A copy that is not what was sent is marked damaged; while the archive is
 * not on this disk, every reader of that backup then gets {@link DamagedCopies}'s answer (it failed
 * verification) rather than "missing", and while it is here but damaged with no sound copy, an
 * {@link ArchiveDamagedException}, the backup's check failed with it. Every other call goes to the
 * backup directory as it is.
 */
public final class FetchingArchiveStore implements ArchiveStore {
  private static final Logger log = LoggerFactory.getLogger(FetchingArchiveStore.class);

  private final ArchiveStore local;
  private final BackupRepository backups;
  private final CopySources sources;
  /** Every read but a page's: the bytes hashed each time (the day of a restore is the day a damaged disk must show). */
  private final FileDigests fresh;
  /** A page's reads: a digest of the unchanged file reused for minutes, so a repeated view of a large backup hashes nothing. */
  private final FileDigests recent;

  public FetchingArchiveStore(ArchiveStore local, CopyRepository copies, BackupRepository backups, List<OffsiteTarget> targets, ArchiveCipher cipher,
                              Clock clock) {
    this(local, copies, backups, OffsiteTargets.of(targets), cipher, clock);
  }

  public FetchingArchiveStore(ArchiveStore local, CopyRepository copies, BackupRepository backups, OffsiteTargets targets, ArchiveCipher cipher,
                              Clock clock) {
    this(local, copies, backups, targets, cipher, clock, CopyOutcomes.NONE);
  }

  /**
   * @param targets read at each fetch: the destinations in use then
   * @param outcomes told of each copy a fetch or a verify finds damaged
   */
  public FetchingArchiveStore(ArchiveStore local, CopyRepository copies, BackupRepository backups, OffsiteTargets targets, ArchiveCipher cipher,
                              Clock clock, CopyOutcomes outcomes) {
    this.local = local;
    this.backups = backups;
    this.sources = new CopySources(copies, backups, targets, new CopyFetch(local, cipher), clock, outcomes);
    this.fresh = new FileDigests(clock, Duration.ZERO);
    this.recent = new FileDigests(clock, FileDigests.MAX_AGE);
  }

  /**
   * The archive as its backup recorded it: fetched back first when it is only off-site, replaced by a
   * sound copy when it is damaged here. A file no backup records yet (one being adopted) is opened as it is.
   *
   * @throws ArchiveDamagedException when it is damaged here and no copy can replace it
   */
  @Override
  public PlainArchive open(String fileName) throws IOException {
    return open(fileName, fresh);
  }

  @Override
  public PlainArchive openToShow(String fileName) throws IOException {
    return open(fileName, recent);
  }

  private PlainArchive open(String fileName, FileDigests digests) throws IOException {
    PlainArchive fetched = local.find(fileName).isEmpty() ? fetch(fileName, true) : null;
    if (fetched != null) {
      return fetched; // decrypted on its way in and found there to be the archive recorded: what openSound would find, without decrypting it again
    }
    Optional<Backup> backup = local.find(fileName).isEmpty() ? Optional.empty()
        : backups.findByFileName(fileName).filter(Backup::successful);
    return backup.isEmpty() ? local.open(fileName) : openSound(backup.get(), digests);
  }

  /**
   * The archive of a backup opened once, as a reader would, and closed: fetched back or replaced by a sound copy when it is
   * missing or damaged here, and the backup's check put right with it (after Check again found a copy what was sent again,
   * which otherwise showed only at the next open). What still fails is logged, and left as found.
   */
  public void putRight(long backupId) {
    Optional<Backup> backup = backups.findById(backupId).filter(Backup::successful);
    if (backup.isEmpty()) {
      return;
    }
    try (PlainArchive archive = open(backup.get().fileName())) {
      // opened: sound here now
    } catch (IOException | RuntimeException e) {
      log.warn("Backup {} ({}) could not be put right from its copy checked again: {}; it is tried again when the backup is opened",
          backupId, LogText.of(backup.get().fileName()), LogText.of(String.valueOf(e.getMessage())));
    }
  }

  private PlainArchive openSound(Backup backup, FileDigests digests) throws IOException {
    LocalDamage found = LocalDamage.open(local, backup.archive(), digests);
    if (found.sound() != null) {
      return found.sound();
    }
    mend(backup, found);
    return local.open(backup.fileName());
  }

  @Override
  public void fetchIfMissing(String fileName) {
    if (local.find(fileName).isEmpty()) {
      fetch(fileName, false);
    }
  }

  /**
   * One fetch at a time: two pages opening the same adopted backup download it once.
   *
   * @param open whether the caller opens the archive next
   * @return with {@code open}, the archive opened on its way in when the fetch gave one (see {@link CopyFetch#fetch}), for the caller
   *     to close; else null
   */
  private synchronized PlainArchive fetch(String fileName, boolean open) {
    if (local.find(fileName).isPresent()) {
      return null;
    }
    List<Copy> all = sources.of(fileName);
    Optional<Backup> backup = sources.owner(all);
    if (backup.isEmpty()) {
      return null; // no copy of it anywhere (or it is being deleted): the backup directory says it is missing
    }
    DamagedCopies.refusal(backup.get().id(), fileName, all).ifPresent(refusal -> {
      backups.setFileMissing(backup.get().id(), true); // no intact copy anywhere: missing, not remote only
      throw refusal; // found damaged before: said as then, not as missing
    });
    CopySources.Attempt attempt = sources.fetch(backup.get(), all, "its local archive is gone too", open);
    if (attempt.from() != null) {
      try {
        backups.setFileMissing(backup.get().id(), false); // on this disk again: no longer remote only
        // checked against the record on the way in: what an earlier check found wrong with the file (damaged, then gone) is past
        backups.setVerifyError(backup.get().id(), null);
      } catch (RuntimeException e) {
        throw attempt.closeOpened(e);
      }
      log.info("Fetched {} back from the off-site copy at {} ({} bytes, verified)", LogText.of(fileName), LogText.of(attempt.from().destination()),
          attempt.from().sentBytes());
      return attempt.opened();
    }
    if (attempt.onlyThePassphrase()) {
      // every try fails alike until the passphrase the archive was written with is set
      throw new WrongPassphraseException("the archive " + fileName + " is not on this disk and the passphrase set does not open its off-site"
          + " copies (" + String.join("; ", attempt.failures()) + ")");
    }
    if (attempt.failures().isEmpty() && !attempt.damaged().isEmpty()) {
      backups.setFileMissing(backup.get().id(), true); // no intact copy anywhere: missing, not remote only
      throw DamagedCopies.foundNow(backup.get().id(), fileName, attempt.damaged());
    }
    if (!attempt.failures().isEmpty()) {
      throw new ArchiveStorageException("the archive " + fileName + " is not on this disk and no off-site copy of it could be used ("
          + String.join("; ", attempt.said()) + ")");
    }
    if (attempt.damaged().isEmpty()) {
      throwIfOutOfReach(backup.get(), all);
    }
    return null;
  }

  /**
   * Not missing when its only copies are at destinations out of use now: it comes back with its destination, so the reader
   * is told which and how rather than "not found".
   */
  private void throwIfOutOfReach(Backup backup, List<Copy> all) {
    List<String> outOfReach = sources.outOfReach(all);
    if (!outOfReach.isEmpty()) {
      throw new CopyUnreachableException("the archive " + backup.fileName() + " of backup " + backup.id() + " is not on this disk, and its only"
          + " off-site copies are at destinations out of use now: " + String.join("; ", outOfReach) + ". It can be read again once one of"
          + " them is in use");
    }
  }

  /**
   * Replaces an archive found damaged here: read again from where the store keeps its original (a shared store), else
   * fetched from the first sound off-site copy; said in the log, and the backup's check cleared. When nothing can replace it,
   * the backup's check fails with what was found, and the reader is told why.
   *
   * @throws ArchiveDamagedException when no copy is sound (or there is none)
   * @throws ArchiveStorageException when a copy could not be read now (it may be sound: worth trying again), or the file could
   *     not be decrypted and nothing says it changed (another passphrase reads no copy either)
   */
  private synchronized void mend(Backup backup, LocalDamage found) throws IOException {
    String fileName = backup.fileName();
    if (LocalDamage.check(local, backup.archive(), fresh).isEmpty()) {
      return; // replaced by a reader that found it damaged a moment before this one
    }
    if (readAgain(backup)) {
      mended(backup, found, "the copy read again from the shared store");
      return;
    }
    CopySources.Attempt attempt = sources.fetch(backup, sources.of(fileName), "its local archive is damaged too");
    if (attempt.from() != null) {
      mended(backup, found, "the verified off-site copy at " + attempt.from().destination());
      return;
    }
    if (!found.changed()) {
      throw found.unreadable(); // nothing says it changed: another passphrase, which reads no copy either (their errors are in the log)
    }
    backups.setVerifyError(backup.id(), found.what()); // shown where the backup's check is: damaged
    if (!attempt.failures().isEmpty()) {
      throw new ArchiveStorageException("the archive of backup " + backup.id() + " (" + fileName + ") is damaged on this disk (" + found.what()
          + ") and its off-site copies could not be read now (" + String.join("; ", attempt.said()) + "); try again once the destination answers");
    }
    throw new ArchiveDamagedException("the archive of backup " + backup.id() + " (" + fileName + ") is damaged on this disk: " + found.what()
        + (attempt.damaged().isEmpty() ? ", and no sound off-site copy of it is kept" : "; its off-site copies failed verification too ("
        + String.join("; ", attempt.damaged()) + ")") + ". Restore or compare another backup of this Pi-hole; if you have this archive elsewhere"
        + " (an old disk, a copy of your own), put it back in BACKUP_DIR as " + fileName + " and verify the backup");
  }

  /** Whether the store read the archive again from its original elsewhere, and that is the one recorded. */
  private boolean readAgain(Backup backup) throws IOException {
    try {
      return local.readAgain(backup.fileName()) && LocalDamage.check(local, backup.archive(), fresh).isEmpty();
    } catch (ArchiveStorageException e) {
      log.warn("The archive {} could not be read again from the store: {}", LogText.of(backup.fileName()), LogText.of(String.valueOf(e.getMessage())));
      return false; // damaged there too, or out of reach: the off-site copies may still have it
    }
  }

  private void mended(Backup backup, LocalDamage found, String from) {
    backups.setVerifyError(backup.id(), null);
    log.warn("The archive of backup {} ({}) was damaged on this disk ({}); it was replaced by {}, checked against its record — check the disk of "
        + "BACKUP_DIR", backup.id(), LogText.of(backup.fileName()), LogText.of(found.what()), LogText.of(from));
  }

  @Override
  public Path directory() {
    return local.directory();
  }

  @Override
  public ArchiveInspector inspector() {
    return local.inspector();
  }

  @Override
  public Incoming receive(String slug, Instant at, InputStream in, long expectedBytes) throws IOException {
    return local.receive(slug, at, in, expectedBytes);
  }

  /**
   * An archive on this disk is re-read there, once replaced by a sound copy when it is damaged (as opening it does). One
   * that is not is checked at every destination holding a verified copy (size and SHA-256 read back, as the daily re-check
   * does): each copy said to be verified is looked at, not only the first that answers, so none stays verified that is not
   * what was sent. A copy found damaged is marked so; while another copy is sound, the archive is fetched back from that one
   * and the damaged copy sent again from it, as a damaged copy of an archive on this disk is. Sound when one copy is what
   * was sent; else the answer is {@link DamagedCopies}'s.
   *
   * @throws ArchiveStorageException when no copy could be checked now (a destination down, or {@link CopyUnreachableException}:
   *     its only copies are at destinations out of use): that says nothing of the archive
   */
  @Override
  public Optional<String> verify(Archive archive) {
    if (local.find(archive.fileName()).isPresent()) {
      return verifyHere(archive);
    }
    List<Copy> all = sources.of(archive.fileName());
    Optional<Backup> backup = sources.owner(all);
    if (backup.isEmpty()) {
      return local.verify(archive);
    }
    CopySources.Checked checked = sources.check(all);
    boolean sendAgain = !checked.found().isEmpty() && !checked.sound().isEmpty() && fetchBack(checked.sound(), backup.get());
    List<String> damaged = sources.recordDamaged(checked.found(), "verified", sendAgain);
    if (!checked.sound().isEmpty()) {
      // fetched back just now: decrypted and checked against the record on the way in, not downloaded twice
      return local.find(archive.fileName()).isPresent() ? Optional.empty() : sources.opens(checked.sound().get(0), archive);
    }
    if (!checked.failures().isEmpty()) {
      throw new ArchiveStorageException("the archive " + archive.fileName() + " is not on this disk and its off-site copies could not be checked now ("
          + String.join("; ", checked.failures()) + "); try again once the destination answers");
    }
    Optional<CopyDamagedException> refusal = damaged.isEmpty() ? DamagedCopies.refusal(backup.get().id(), archive.fileName(), all)
        : Optional.of(DamagedCopies.foundNow(backup.get().id(), archive.fileName(), damaged));
    if (refusal.isEmpty()) {
      throwIfOutOfReach(backup.get(), all); // not checked, as it cannot be read: said as every reader of it is told
    }
    return refusal.map(Throwable::getMessage).or(() -> local.verify(archive));
  }

  /**
   * The archive here, replaced first by a sound copy when it is not the one recorded; a copy that could not be read now
   * leaves the check to say what is wrong here.
   */
  private Optional<String> verifyHere(Archive archive) {
    Optional<Backup> backup = backups.findByFileName(archive.fileName()).filter(Backup::successful)
        .filter(b -> archive.sha256() != null && archive.sha256().equalsIgnoreCase(b.archive().sha256()));
    if (backup.isPresent()) {
      try (PlainArchive sound = openSound(backup.get(), fresh)) {
        // the bytes are the ones recorded now (checked as they were opened): what is left is whether they still read as an archive,
        // asked of this opened copy; the check of the file here would decrypt and hash all of it again (a 50 MB restore checks twice)
        return inspected(sound.path());
      } catch (ArchiveDamagedException e) {
        return Optional.of(e.getMessage());
      } catch (IOException | ArchiveStorageException e) {
        // not damaged for sure, or no copy answers now: the check of the file here says what it finds
      }
    }
    return local.verify(archive);
  }

  /** Empty when the archive reads as a sound one, else what is wrong with it: what the check of the file here says. */
  private Optional<String> inspected(Path plain) throws IOException {
    try {
      local.inspector().check(plain); // as recorded: its content hash is the one recorded with these bytes
      return Optional.empty();
    } catch (InvalidArchiveException e) {
      return Optional.of(e.getMessage());
    }
  }

  /**
   * Fetches the archive back from the first of these copies (just read back as sent) that gives it, so that
   * the copies found damaged can be sent again from this disk by the queue, as any other.
   *
   * @return whether the archive is on this disk now
   */
  private synchronized boolean fetchBack(List<Copy> sound, Backup backup) {
    if (local.find(backup.fileName()).isPresent()) {
      return true;
    }
    Copy from = sources.fetchFromAny(sound, backup);
    if (from == null) {
      return false;
    }
    backups.setFileMissing(backup.id(), false); // on this disk again: no longer remote only
    log.info("Fetched {} back from the off-site copy at {} ({} bytes, verified), to send its damaged copies again from it",
        LogText.of(from.fileName()), LogText.of(from.destination()), from.sentBytes());
    return true;
  }

  @Override
  public Optional<Path> find(String fileName) {
    return local.find(fileName);
  }

  @Override
  public void keepFetched(Path scratchFile, String fileName) {
    local.keepFetched(scratchFile, fileName);
  }

  @Override
  public boolean readAgain(String fileName) {
    return local.readAgain(fileName);
  }

  @Override
  public List<String> fileNames() throws IOException {
    return local.fileNames();
  }

  @Override
  public void delete(String fileName) throws IOException {
    local.delete(fileName);
  }

  @Override
  public int removeIncomplete() {
    return local.removeIncomplete();
  }

  @Override
  public int removeAbandoned() {
    return local.removeAbandoned();
  }

  @Override
  public long usableBytes() {
    return local.usableBytes();
  }

  @Override
  public double freePercent() {
    return local.freePercent();
  }

  @Override
  public long requiredFreeBytes(long expectedBytes) {
    return local.requiredFreeBytes(expectedBytes);
  }
}
