package io.piholecheckpoint.core.recovery;

import io.piholecheckpoint.core.archive.Archive;
import io.piholecheckpoint.core.archive.ArchiveCipher;
import io.piholecheckpoint.core.archive.ArchiveFiles;
import io.piholecheckpoint.core.archive.ArchiveInspector;
import io.piholecheckpoint.core.archive.ArchiveStorageException;
import io.piholecheckpoint.core.archive.ArchiveStore;
import io.piholecheckpoint.core.archive.ScratchDirectory;
import io.piholecheckpoint.core.archive.WrongPassphraseException;
import io.piholecheckpoint.core.backup.catalog.Backup;
import io.piholecheckpoint.core.backup.catalog.BackupRepository;
import io.piholecheckpoint.core.offsite.copy.Copy;
import io.piholecheckpoint.core.offsite.copy.CopyDamagedException;
import io.piholecheckpoint.core.offsite.copy.CopyRepository;
import io.piholecheckpoint.core.offsite.copy.DamagedCopies;
import io.piholecheckpoint.core.offsite.remote.Destination;
import io.piholecheckpoint.core.offsite.remote.DestinationException;
import io.piholecheckpoint.core.offsite.remote.OffsiteTarget;
import io.piholecheckpoint.core.offsite.remote.OffsiteTargets;
import io.piholecheckpoint.core.offsite.remote.RemoteObject;
import io.piholecheckpoint.core.units.LogText;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The backup directory, with archives that are not on this disk fetched back from a destination
 * that holds a verified copy when they are opened: an adopted backup's ("remote only"), or a
 * file that went missing. The bytes are checked against the copy (size and SHA-256 uploaded),
 * decrypted when the copy was encrypted on the way, the archive checked against the backup's
 * record, and only then renamed into place (fsynced first): a bad copy leaves nothing behind and
 * says which destination held it. A copy that is not what was sent is marked damaged, and from
 * then on every reader of that backup gets {@link DamagedCopies}'s answer (it failed verification)
 * rather than "missing". Every other call goes to the backup directory as it is.
 */
public final class FetchingArchiveStore implements ArchiveStore {
  private static final Logger log = LoggerFactory.getLogger(FetchingArchiveStore.class);
  private static final int BUFFER_BYTES = 64 * 1024;

  private final ArchiveStore local;
  private final CopyRepository copies;
  private final BackupRepository backups;
  private final OffsiteTargets targets;
  private final ArchiveCipher cipher;
  private final Clock clock;
  private final DamagedCopies damage;

  public FetchingArchiveStore(ArchiveStore local, CopyRepository copies, BackupRepository backups, List<OffsiteTarget> targets, ArchiveCipher cipher,
                              Clock clock) {
    this(local, copies, backups, OffsiteTargets.of(targets), cipher, clock);
  }

  /** @param targets read at each fetch: the destinations in use then */
  public FetchingArchiveStore(ArchiveStore local, CopyRepository copies, BackupRepository backups, OffsiteTargets targets, ArchiveCipher cipher,
                              Clock clock) {
    this.clock = clock;
    this.local = local;
    this.copies = copies;
    this.backups = backups;
    this.targets = targets;
    this.cipher = cipher;
    this.damage = new DamagedCopies(copies, clock);
  }

  @Override
  public PlainArchive open(String fileName) throws IOException {
    fetchIfMissing(fileName);
    return local.open(fileName);
  }

  @Override
  public void fetchIfMissing(String fileName) {
    if (local.find(fileName).isEmpty()) {
      fetch(fileName);
    }
  }

  /** One fetch at a time: two pages opening the same adopted backup download it once. */
  private synchronized void fetch(String fileName) {
    if (local.find(fileName).isPresent()) {
      return;
    }
    List<Copy> all = copies.findByFileName(fileName);
    Optional<Backup> backup = owner(all);
    if (backup.isEmpty()) {
      return; // no copy of it anywhere (or it is being deleted): the backup directory says it is missing
    }
    DamagedCopies.refusal(backup.get().id(), fileName, all).ifPresent(refusal -> {
      backups.setFileMissing(backup.get().id(), true); // no intact copy anywhere: missing, not remote only
      throw refusal; // found damaged before: said as then, not as missing
    });
    List<String> failures = new ArrayList<>();
    List<String> damaged = new ArrayList<>();
    int undecryptable = 0;
    for (Copy copy : usable(all)) {
      Destination destination = targets.find(copy.destination()).map(OffsiteTarget::destination).orElse(null);
      if (destination == null) {
        continue; // deleted or changed in Settings a moment ago
      }
      try {
        fetch(copy, destination, backup.get().archive());
        backups.setFileMissing(backup.get().id(), false); // on this disk again: no longer remote only
        log.info("Fetched {} back from the off-site copy at {} ({} bytes, verified)", LogText.of(fileName), LogText.of(copy.destination()),
            copy.sentBytes());
        return;
      } catch (CopyDamaged e) {
        damaged.add(copy.destination() + ": " + damage.record(copy, e.found, "fetched", false));
      } catch (DestinationException e) {
        if (e.problem() == DestinationException.Problem.MISSING) {
          damaged.add(copy.destination() + ": " + damage.record(copy, "vanished from " + destination.describe(), "fetched", false));
        } else {
          failures.add(unusable(copy, e));
        }
      } catch (WrongPassphraseException e) {
        failures.add(unusable(copy, e));
        undecryptable++;
      } catch (IOException | RuntimeException e) {
        failures.add(unusable(copy, e));
      }
    }
    if (undecryptable > 0 && undecryptable == failures.size() && damaged.isEmpty()) {
      // no copy is at fault, nor a destination that is down: every try fails alike until the passphrase is set
      throw new WrongPassphraseException("the archive " + fileName + " is not on this disk and the passphrase set does not open its off-site"
          + " copies (" + String.join("; ", failures) + ")");
    }
    if (failures.isEmpty() && !damaged.isEmpty()) {
      backups.setFileMissing(backup.get().id(), true); // no intact copy anywhere: missing, not remote only
      throw DamagedCopies.foundNow(backup.get().id(), fileName, damaged);
    }
    if (!failures.isEmpty() || !damaged.isEmpty()) {
      failures.addAll(damaged);
      throw new ArchiveStorageException("the archive " + fileName + " is not on this disk and no off-site copy of it could be used ("
          + String.join("; ", failures) + ")");
    }
  }

  /** The backup the copies are of, unless it failed or is being deleted (a backup being deleted is not brought back). */
  private Optional<Backup> owner(List<Copy> copiesOfFile) {
    return copiesOfFile.isEmpty() ? Optional.empty() : backups.findById(copiesOfFile.get(0).backupId())
        .filter(b -> b.successful() && !b.deleting());
  }

  /** The verified copies at destinations in use that say what was sent: those an archive can be fetched from or checked against. */
  private List<Copy> usable(List<Copy> copiesOfFile) {
    return copiesOfFile.stream().filter(c -> c.state() == Copy.State.VERIFIED && c.sentBytes() != null && c.sentSha256() != null
        && targets.find(c.destination()).isPresent()).toList();
  }

  private String unusable(Copy copy, Exception e) {
    log.warn("The off-site copy of {} at {} could not be used: {}", LogText.of(copy.fileName()), LogText.of(copy.destination()),
        LogText.of(String.valueOf(e.getMessage())));
    return copy.destination() + ": " + e.getMessage();
  }

  private void fetch(Copy copy, Destination destination, Archive record) throws IOException {
    ScratchDirectory scratch = ScratchDirectory.of(local.directory());
    Path fetched = scratch.createFile("fetch-", ".part");
    Path plain = null;
    try {
      MessageDigest sent = ArchiveFiles.sha256();
      long size;
      try (InputStream in = destination.open(copy.remoteKey()); FileChannel out = FileChannel.open(fetched, StandardOpenOption.WRITE)) {
        size = copy(in, out, sent, copy.sentBytes() + 1);
        out.force(true);
      }
      String sha256 = HexFormat.of().formatHex(sent.digest());
      Optional<String> found = DamagedCopies.difference(copy, new RemoteObject(copy.remoteKey(), size, sha256, null), destination.describe());
      if (found.isPresent()) {
        throw new CopyDamaged(found.get());
      }
      boolean encryptedThere = copy.remoteKey().endsWith(ArchiveCipher.SUFFIX);
      boolean encryptedHere = copy.fileName().endsWith(ArchiveCipher.SUFFIX);
      Path keep = fetched;
      if (encryptedThere && !encryptedHere) {
        plain = scratch.createFile("fetch-", ".zip");
        try (InputStream in = Files.newInputStream(fetched); FileChannel out = FileChannel.open(plain, StandardOpenOption.WRITE)) {
          requireRecorded(decrypt(in, Channels.newOutputStream(out)), record, destination);
          out.force(true);
        }
        keep = plain;
      } else if (encryptedThere) {
        try (InputStream in = Files.newInputStream(fetched)) {
          requireRecorded(decrypt(in, OutputStream.nullOutputStream()), record, destination);
        }
      } else {
        requireRecorded(new Digest(size, sha256), record, destination);
      }
      local.keepFetched(keep, copy.fileName());
    } finally {
      Files.deleteIfExists(fetched);
      if (plain != null) {
        Files.deleteIfExists(plain);
      }
    }
  }

  private record Digest(long bytes, String sha256) {
  }

  private Digest decrypt(InputStream encrypted, OutputStream plain) throws IOException {
    MessageDigest sha256 = ArchiveFiles.sha256();
    CountingStream counted = new CountingStream(new DigestOutputStream(plain, sha256));
    cipher.decrypt(encrypted, counted);
    counted.flush();
    return new Digest(counted.bytes, HexFormat.of().formatHex(sha256.digest()));
  }

  private static void requireRecorded(Digest got, Archive record, Destination destination) {
    if (got.bytes() != record.sizeBytes() || !got.sha256().equalsIgnoreCase(record.sha256())) {
      throw new ArchiveStorageException("the archive in the copy at " + destination.describe() + " is not the one its backup recorded ("
          + got.bytes() + " bytes, SHA-256 " + got.sha256() + "; recorded " + record.sizeBytes() + " bytes, SHA-256 " + record.sha256() + ")");
    }
  }

  /** Copies at most {@code limit} bytes: a destination that sends more than was uploaded does not fill the disk. */
  private static long copy(InputStream in, FileChannel out, MessageDigest sha256, long limit) throws IOException {
    byte[] buffer = new byte[BUFFER_BYTES];
    long size = 0;
    for (int n; size < limit && (n = in.read(buffer, 0, (int) Math.min(buffer.length, limit - size))) != -1; ) {
      sha256.update(buffer, 0, n);
      ByteBuffer bytes = ByteBuffer.wrap(buffer, 0, n);
      while (bytes.hasRemaining()) {
        out.write(bytes);
      }
      size += n;
    }
    return size;
  }

  private static final class CountingStream extends java.io.FilterOutputStream {
    private long bytes;

    CountingStream(OutputStream out) {
      super(out);
    }

    @Override
    public void write(int b) throws IOException {
      out.write(b);
      bytes++;
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      out.write(b, off, len);
      bytes += len;
    }
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
   * An archive on this disk is re-read there. One that is not is checked at every destination holding
   * a verified copy (size and SHA-256 read back, as the daily re-check does): each copy said to be
   * verified is looked at, not only the first that answers, so none stays verified that is not what was
   * sent. A copy found damaged is marked so; while another copy is sound, the archive is fetched back
   * from that one and the damaged copy sent again from it, as a damaged copy of an archive on this
   * disk is. Sound when one copy is what was sent; else the answer is {@link DamagedCopies}'s.
   *
   * @throws ArchiveStorageException when no copy could be checked now (a destination down): that says nothing of the archive
   */
  @Override
  public Optional<String> verify(Archive archive) {
    if (local.find(archive.fileName()).isPresent()) {
      return local.verify(archive);
    }
    List<Copy> all = copies.findByFileName(archive.fileName());
    Optional<Backup> backup = owner(all);
    if (backup.isEmpty()) {
      return local.verify(archive);
    }
    List<Copy> sound = new ArrayList<>();
    Map<Copy, String> found = new LinkedHashMap<>();
    List<String> failures = new ArrayList<>();
    for (Copy copy : usable(all)) {
      Destination destination = targets.find(copy.destination()).map(OffsiteTarget::destination).orElse(null);
      if (destination == null) {
        continue; // deleted or changed in Settings a moment ago
      }
      try {
        Optional<String> difference = DamagedCopies.difference(copy, destination.check(copy.remoteKey()).orElse(null), destination.describe());
        if (difference.isEmpty()) {
          copies.markChecked(copy.id(), clock.instant());
          sound.add(copy);
        } else {
          found.put(copy, difference.get());
        }
      } catch (IOException e) {
        failures.add(unusable(copy, e));
      }
    }
    boolean sendAgain = !found.isEmpty() && !sound.isEmpty() && fetchBack(sound, backup.get());
    List<String> damaged = new ArrayList<>();
    found.forEach((copy, difference) -> damaged.add(copy.destination() + ": " + damage.record(copy, difference, "verified", sendAgain)));
    if (!sound.isEmpty()) {
      // fetched back just now: decrypted and checked against the record on the way in, not downloaded twice
      return local.find(archive.fileName()).isPresent() ? Optional.empty() : opens(sound.get(0), archive);
    }
    if (!failures.isEmpty()) {
      throw new ArchiveStorageException("the archive " + archive.fileName() + " is not on this disk and its off-site copies could not be checked now ("
          + String.join("; ", failures) + "); try again once the destination answers");
    }
    Optional<CopyDamagedException> refusal = damaged.isEmpty() ? DamagedCopies.refusal(backup.get().id(), archive.fileName(), all)
        : Optional.of(DamagedCopies.foundNow(backup.get().id(), archive.fileName(), damaged));
    return refusal.map(Throwable::getMessage).or(() -> local.verify(archive));
  }

  /**
   * Whether the passphrase set here opens this sound copy, when it is encrypted, and it holds the archive recorded: decrypted
   * as a stream and only counted, so no plain archive is written anywhere. Its checksum says nothing of that, and a fresh
   * install with the wrong passphrase adopts every copy all the same.
   *
   * @return why it cannot be read; empty when it can
   */
  private Optional<String> opens(Copy copy, Archive archive) {
    Destination destination = targets.find(copy.destination()).map(OffsiteTarget::destination).orElse(null);
    if (destination == null || !copy.remoteKey().endsWith(ArchiveCipher.SUFFIX)) {
      return Optional.empty();
    }
    try (InputStream in = destination.open(copy.remoteKey())) {
      requireRecorded(decrypt(in, OutputStream.nullOutputStream()), archive, destination);
      return Optional.empty();
    } catch (ArchiveStorageException e) {
      return Optional.of("the off-site copy at " + copy.destination() + " cannot be read: " + e.getMessage());
    } catch (IOException e) {
      throw new ArchiveStorageException("the archive " + archive.fileName() + " is not on this disk and its off-site copy could not be read now ("
          + unusable(copy, e) + "); try again once the destination answers");
    }
  }

  /**
   * Fetches the archive back from the first of these copies (just read back as sent) that gives it, so that
   * the copies found damaged can be sent again from this disk by the queue, as any other.
   *
   * @return whether the archive is on this disk now
   */
  private synchronized boolean fetchBack(List<Copy> sound, Backup backup) {
    for (Copy copy : sound) {
      if (local.find(copy.fileName()).isPresent()) {
        return true;
      }
      Destination destination = targets.find(copy.destination()).map(OffsiteTarget::destination).orElse(null);
      if (destination == null) {
        continue;
      }
      try {
        fetch(copy, destination, backup.archive());
        backups.setFileMissing(backup.id(), false); // on this disk again: no longer remote only
        log.info("Fetched {} back from the off-site copy at {} ({} bytes, verified), to send its damaged copies again from it",
            LogText.of(copy.fileName()), LogText.of(copy.destination()), copy.sentBytes());
        return true;
      } catch (IOException | RuntimeException e) {
        unusable(copy, e);
      }
    }
    return false;
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

  /** The bytes at the destination are not those sent. */
  private static final class CopyDamaged extends IOException {
    private static final long serialVersionUID = 1L;
    private final String found;

    CopyDamaged(String found) {
      super(found);
      this.found = found;
    }
  }
}
