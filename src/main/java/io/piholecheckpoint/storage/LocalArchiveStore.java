package io.piholecheckpoint.storage;

import io.piholecheckpoint.core.files.OwnedPaths;
import io.piholecheckpoint.core.archive.Archive;
import io.piholecheckpoint.core.archive.ArchiveCipher;
import io.piholecheckpoint.core.archive.ArchiveFiles;
import io.piholecheckpoint.core.archive.ArchiveInspector;
import io.piholecheckpoint.core.archive.ArchiveStorageException;
import io.piholecheckpoint.core.archive.ArchiveStore;
import io.piholecheckpoint.core.archive.BackupNotFoundException;
import io.piholecheckpoint.core.archive.InvalidArchiveException;
import io.piholecheckpoint.core.archive.WrongPassphraseException;
import io.piholecheckpoint.core.archive.scratch.ScratchDirectory;
import io.piholecheckpoint.core.gateway.PiholeVersions;
import io.piholecheckpoint.core.units.ByteSize;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.channels.ClosedByInterruptException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

/**
 * The backup directory. An archive becomes visible under its final name only once it is
 * complete, inspected and on disk: it is written to a temporary file, hashed while streaming,
 * inspected, fsynced, and atomically renamed. Anything else leaves no file behind.
 */
public class LocalArchiveStore implements ArchiveStore {
  private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(LocalArchiveStore.class);
  /** Room kept free beyond the archive itself, so a backup never fills the disk to the last byte. */
  static final long RESERVE_BYTES = 16L * 1024 * 1024;

  private final Path directory;
  private final DurableWriter writer;
  private final ArchiveInspector inspector;
  private final FreeSpace freeSpace;
  private final ArchiveCipher cipher;
  private final WriteCheck check;
  private final long maxBytes;
  /** A bound on what a broken or hostile server can write to the disk: real archives are a few MB. */
  static final long MAX_ARCHIVE_BYTES = 256L * 1024 * 1024;

  public LocalArchiveStore(Path directory, ArchiveInspector inspector, FreeSpace freeSpace) {
    this(directory, inspector, freeSpace, ArchiveCipher.NONE);
  }

  public LocalArchiveStore(Path directory, ArchiveInspector inspector, FreeSpace freeSpace, ArchiveCipher cipher) {
    this(directory, inspector, freeSpace, cipher, WriteCheck.NONE);
  }

  /** @param check asked before anything is written into the folder: a download, the archive put in place, one fetched back */
  public LocalArchiveStore(Path directory, ArchiveInspector inspector, FreeSpace freeSpace, ArchiveCipher cipher, WriteCheck check) {
    this(directory, inspector, freeSpace, cipher, check, MAX_ARCHIVE_BYTES);
  }

  /** @param maxBytes {@link #MAX_ARCHIVE_BYTES}, but in a test of the bound itself, which need not write and hash 256 MiB to reach it */
  LocalArchiveStore(Path directory, ArchiveInspector inspector, FreeSpace freeSpace, ArchiveCipher cipher, WriteCheck check, long maxBytes) {
    this.maxBytes = maxBytes;
    this.directory = directory.toAbsolutePath().normalize();
    this.writer = new DurableWriter(this.directory);
    this.inspector = inspector;
    this.freeSpace = freeSpace;
    this.cipher = cipher;
    this.check = check;
  }

  /**
   * A stored archive as a plain Teleporter ZIP: the file itself, or for an encrypted one a
   * decrypted copy (mode 0600, in the {@link ScratchDirectory}) that closing deletes.
   */
  private final class StoredPlain implements PlainArchive {
    private final Path path;
    private final String name;
    private final boolean copy;

    private StoredPlain(Path path, String name, boolean copy) {
      this.path = path;
      this.name = name;
      this.copy = copy;
    }

    @Override
    public Path path() {
      return path;
    }

    /** The file name a download offers: that of the ZIP, without {@code .gpg}. */
    @Override
    public String name() {
      return name;
    }

    @Override
    public void close() throws IOException {
      if (copy) {
        writer.discard(path);
      }
    }
  }

  /**
   * Opens a stored archive for reading as a ZIP.
   *
   * @throws BackupNotFoundException when the file is not there
   * @throws ArchiveStorageException when it cannot be decrypted
   */
  @Override
  public PlainArchive open(String fileName) throws IOException {
    Path file = find(fileName).orElseThrow(() -> new BackupNotFoundException("the file " + fileName + " is missing from " + directory));
    if (!fileName.endsWith(ArchiveCipher.SUFFIX)) {
      return new StoredPlain(file, fileName, false);
    }
    Path temp = writer.createTemp();
    try (InputStream in = Files.newInputStream(file, LinkOption.NOFOLLOW_LINKS); var out = Files.newOutputStream(temp)) {
      cipher.decrypt(in, out);
    } catch (IOException e) {
      writer.discard(temp);
      throw ArchiveStorageException.ifOutOfSpace("the decrypted scratch copy of " + fileName, e).orElseThrow(() -> e);
    } catch (RuntimeException e) {
      writer.discard(temp);
      throw e;
    }
    return new StoredPlain(temp, fileName.substring(0, fileName.length() - ArchiveCipher.SUFFIX.length()), true);
  }

  @Override
  public Path directory() {
    return directory;
  }

  @Override
  public ArchiveInspector inspector() {
    return inspector;
  }

  /**
   * Streams {@code in} into a temporary file and inspects it. Keep it with
   * {@link Incoming#keep}; closing the result without keeping it deletes it.
   *
   * @param expectedBytes a guess at the archive's size (the previous one's), for the free-space check
   * @throws IOException when reading {@code in} fails (the Pi-hole's side)
   * @throws ArchiveStorageException when the backup directory cannot take it (our side)
   * @throws InvalidArchiveException when the bytes are not a sound Teleporter archive
   */
  @Override
  public Incoming receive(String slug, Instant at, InputStream in, long expectedBytes) throws IOException {
    ArchiveFiles.requireFolder(slug); // before anything is received: its name is built from it
    check.beforeWrite();
    cipher.requireWritable();
    requireFreeSpace(expectedBytes);
    Path temp = writer.createTemp();
    SourceStream source = new SourceStream(in);
    try {
      MessageDigest sha256 = ArchiveFiles.sha256();
      long size = writer.copy(source, temp, sha256, maxBytes);
      requireRoomToInspect(temp);
      ArchiveInspector.Inspection inspection = inspector.inspect(temp);
      String name = ArchiveFiles.newName(slug, at);
      return new Received(temp, name, size, HexFormat.of().formatHex(sha256.digest()), inspection);
    } catch (IOException e) {
      deleteQuietly(temp);
      if (source.threw(e) || e instanceof ClosedByInterruptException) {
        throw e;
      }
      throw localFailure(e);
    } catch (UncheckedIOException e) {
      deleteQuietly(temp);
      throw localFailure(e.getCause());
    } catch (RuntimeException e) {
      deleteQuietly(temp);
      throw e;
    }
  }

  /**
   * Only a failure of the stream being received is the sender's; every other IOException here
   * (creating, writing, syncing the file, unpacking its database for inspection) is this disk's.
   * A cut-off by the download's timeout (ClosedByInterruptException) stays the sender's too.
   */
  private ArchiveStorageException localFailure(IOException e) {
    return new ArchiveStorageException("could not store and check the archive in %s: %s — check free space and permissions of BACKUP_DIR"
        .formatted(directory, ArchiveFiles.reason(e)), e);
  }

  /** Remembers the failures of the stream it wraps, to tell them from the disk's. */
  private static final class SourceStream extends java.io.FilterInputStream {
    private IOException failure;

    SourceStream(InputStream in) {
      super(in);
    }

    boolean threw(IOException e) {
      return failure != null && failure == e;
    }

    @Override
    public int read() throws IOException {
      try {
        return super.read();
      } catch (IOException e) {
        failure = e;
        throw e;
      }
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      try {
        return super.read(b, off, len);
      } catch (IOException e) {
        failure = e;
        throw e;
      }
    }
  }

  /** A received archive, not yet under its final name. */
  private final class Received implements Incoming {
    private final Path temp;
    private final String name;
    private final long size;
    private final String sha256;
    private final ArchiveInspector.Inspection inspection;
    private boolean kept;

    private Received(Path temp, String name, long size, String sha256, ArchiveInspector.Inspection inspection) {
      this.temp = temp;
      this.name = name;
      this.size = size;
      this.sha256 = sha256;
      this.inspection = inspection;
    }

    @Override
    public ArchiveInspector.Inspection inspection() {
      return inspection;
    }

    /** The received archive, plain, until it is kept or closed. */
    @Override
    public Path path() {
      return temp;
    }

    /** Moves it to its final name, durably; encrypted first when a passphrase is set. */
    @Override
    public Archive keep(PiholeVersions versions) {
      check.beforeWrite(); // again: a share can go away during a long download
      String stored = name;
      if (cipher.encryptsNewArchives()) {
        stored = name + ArchiveCipher.SUFFIX;
        Path encrypted = writer.createTemp();
        try {
          writer.write(encrypted, out -> {
            try (InputStream in = Files.newInputStream(temp)) {
              cipher.encrypt(in, out);
            }
          });
          writer.moveIntoPlace(encrypted, directory.resolve(stored));
        } finally {
          deleteQuietly(encrypted);
          deleteQuietly(temp);
        }
      } else {
        writer.moveIntoPlace(temp, directory.resolve(stored));
      }
      kept = true;
      return new Archive(stored, size, sha256, inspection.contentHash(), versions, inspection.summary(), null);
    }

    @Override
    public void close() throws IOException {
      if (!kept) {
        writer.discard(temp);
      }
    }
  }

  /**
   * Re-reads a stored archive (decrypted, if it is encrypted): its SHA-256, and when that is the one recorded, the
   * inspector's {@link ArchiveInspector#check}: the content hash was computed from these very bytes when they were stored.
   */
  @Override
  public Optional<String> verify(Archive archive) {
    if (find(archive.fileName()).isEmpty()) {
      return Optional.of("the file " + archive.fileName() + " is missing from " + directory);
    }
    try (PlainArchive plain = open(archive.fileName())) {
      String actual = ArchiveFiles.sha256Of(plain.path());
      if (!actual.equals(archive.sha256())) {
        return Optional.of("the file's SHA-256 is " + actual + ", not the " + archive.sha256() + " recorded when it was stored: it has changed on disk");
      }
      inspector.check(plain.path());
      return Optional.empty();
    } catch (WrongPassphraseException e) {
      throw e; // says nothing of the file: recorded as damaged, it stayed so after a start with the right passphrase
    } catch (InvalidArchiveException | ArchiveStorageException e) {
      return Optional.of(e.getMessage());
    } catch (IOException e) {
      return Optional.of("the file cannot be read: " + ArchiveFiles.reason(e));
    }
  }

  /**
   * The file of a stored archive, if the name is one of ours and a regular file has it. A symbolic
   * link is never followed (one planted in the backup directory would otherwise let a download, a
   * check or an import read any file this process can, its own keys included), nor is a directory,
   * device or pipe taken; a name this system's file names cannot hold (a non-UTF-8 locale) finds nothing.
   */
  @Override
  public Optional<Path> find(String fileName) {
    if (!ArchiveFiles.isOurs(fileName)) {
      return Optional.empty();
    }
    try {
      Path file = directory.resolve(fileName);
      return isArchiveFile(file) ? Optional.of(file) : Optional.empty();
    } catch (InvalidPathException e) {
      return Optional.empty();
    }
  }

  /** A regular file itself, not a link to one: what every lookup of a stored archive insists on. */
  private static boolean isArchiveFile(Path file) {
    return Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS);
  }

  @Override
  public void keepFetched(Path scratchFile, String fileName) {
    if (!ArchiveFiles.isOurs(fileName)) {
      throw new ArchiveStorageException("not the name of an archive of ours: " + fileName);
    }
    check.beforeWrite();
    writer.moveIntoPlace(scratchFile, directory.resolve(fileName));
  }

  /** The files that carry our naming; anything else in the directory is not ours to touch. */
  @Override
  public List<String> fileNames() throws IOException {
    List<String> names = new ArrayList<>();
    if (Files.isDirectory(directory)) {
      try (DirectoryStream<Path> files = Files.newDirectoryStream(directory, "*.{zip,gpg}")) {
        for (Path file : files) {
          String name = file.getFileName().toString();
          if (ArchiveFiles.isOurs(name) && isArchiveFile(file)) {
            names.add(name);
          }
        }
      }
    }
    return names;
  }

  /** Deletes an archive and what was computed from it (see {@link ScratchDirectory#forget}). */
  @Override
  public void delete(String fileName) throws IOException {
    if (ArchiveFiles.isOurs(fileName)) {
      if (isArchiveFile(directory.resolve(fileName))) {
        forgetListIndex(fileName);
      }
      Files.deleteIfExists(directory.resolve(fileName));
    }
  }

  /**
   * The index and the kept diffs hold the archive's lists unencrypted, so they go with the archive. They are named by the
   * plain archive's SHA-256, which takes reading (and for an encrypted one, decrypting) the file once;
   * when that fails the index stays until it is evicted as the least recently used.
   */
  private void forgetListIndex(String fileName) {
    try {
      if (!writer.scratch().holdsComputed()) {
        return; // no index or diff of any archive: no need to read (or decrypt) this one for its name
      }
    } catch (IOException e) {
      // unknown: look for it
    }
    try (PlainArchive plain = open(fileName)) {
      writer.scratch().forget(ArchiveFiles.sha256Of(plain.path()));
    } catch (IOException | RuntimeException e) {
      log.warn("The list index and diffs of {} could not be found to delete ({}); they are removed once 4 others were read", fileName, e.getMessage());
    }
  }

  /**
   * Empties the scratch folder (downloads, decrypted copies and unpacked databases a killed run left
   * behind), and removes the temporary files older versions wrote into the directory itself. Returns how many.
   */
  @Override
  public int removeIncomplete() {
    int removed = writer.scratch().clean();
    try (DirectoryStream<Path> leftovers = Files.newDirectoryStream(directory, ".incoming-*.part")) {
      for (Path leftover : leftovers) {
        Files.deleteIfExists(leftover);
        removed++;
      }
    } catch (IOException e) {
      throw new ArchiveStorageException("could not remove incomplete downloads in " + directory + ": " + ArchiveFiles.reason(e), e);
    }
    return removed;
  }

  /** The partial files in the scratch folder whose process is gone, whichever node it ran on. */
  @Override
  public int removeAbandoned() {
    return writer.scratch().removeAbandoned();
  }

  /** Usable bytes in the backup directory, or -1 when it cannot be told. */
  @Override
  public long usableBytes() {
    try {
      // looked at first: createDirectories on a directory that is there throws (and fills) an exception inside, once per backup
      if (!Files.isDirectory(directory)) {
        Files.createDirectories(directory, OwnedPaths.ownerOnlyFolder(directory));
      }
      return freeSpace.usableBytes(directory);
    } catch (IOException e) {
      return -1;
    }
  }

  /** Free space of the backup directory's disk in percent, or -1 when it cannot be told. */
  @Override
  public double freePercent() {
    try {
      java.nio.file.FileStore store = Files.getFileStore(directory);
      long total = store.getTotalSpace();
      return total <= 0 ? -1 : 100.0 * freeSpace.usableBytes(directory) / total;
    } catch (IOException e) {
      return -1;
    }
  }

  /** Room a backup of about {@code expectedBytes} needs: twice its size, plus a reserve. */
  @Override
  public long requiredFreeBytes(long expectedBytes) {
    return RESERVE_BYTES + Math.max(0, expectedBytes) * 2;
  }

  private void requireFreeSpace(long expectedBytes) {
    long usable = usableBytes();
    long needed = requiredFreeBytes(expectedBytes);
    if (usable >= 0 && usable < needed) {
      // the figure said with what it is made of: a 22 kB archive "needing 16.8 MB" read as a mistake (outsider 51)
      String why = expectedBytes > 0 ? "twice the last backup's %s, for the download and its check, plus %s kept free"
          .formatted(ByteSize.format(expectedBytes), ByteSize.format(RESERVE_BYTES)) : ByteSize.format(RESERVE_BYTES) + " kept free";
      throw ArchiveStorageException.noRoom(("the backup directory %s has only %s free, %s are needed (%s, so that a backup never fills the"
          + " disk) — free space there or point BACKUP_DIR at a larger disk").formatted(directory, ByteSize.format(usable), ByteSize.format(needed), why));
    }
  }

  /**
   * Inspection unpacks the archive's gravity database into the scratch folder, next to the
   * archive: a 7 MB archive can hold a database ten times that. The room needed is what the
   * ZIP declares unpacked (a lie there still ends as a full-disk storage_error, not worse).
   */
  private void requireRoomToInspect(Path archive) {
    long unpacked = 0;
    try (java.util.zip.ZipFile zip = new java.util.zip.ZipFile(archive.toFile())) {
      for (var entries = zip.entries(); entries.hasMoreElements(); ) {
        unpacked = Math.min(Long.MAX_VALUE / 4, unpacked + Math.max(0, entries.nextElement().getSize()));
      }
    } catch (IOException e) {
      return; // not a readable ZIP: the inspection says what is wrong with it
    }
    long usable = usableBytes();
    long needed = unpacked + RESERVE_BYTES;
    if (usable >= 0 && usable < needed) {
      throw ArchiveStorageException.noRoom(("the backup directory %s has only %s free; checking this archive unpacks %s, so %s are needed "
          + "— free space there or point BACKUP_DIR at a larger disk").formatted(directory, ByteSize.format(usable), ByteSize.format(unpacked),
          ByteSize.format(needed)));
    }
  }

  private void deleteQuietly(Path file) {
    try {
      writer.discard(file);
    } catch (IOException e) {
      // a leftover temp file is removed at the next start
    }
  }
}
