package io.piholecheckpoint.core.backup;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HexFormat;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The backup directory. An archive becomes visible under its final name only once it is
 * complete, verified and on disk: it is written to a temporary file, hashed while streaming,
 * checked, fsynced, and atomically renamed. Anything else leaves no file behind.
 */
public class ArchiveStore {
  private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);
  private static final Pattern FILE_NAME = Pattern.compile("[a-z0-9-]+_\\d{8}T\\d{6}Z_[a-z0-9]+\\.zip");
  private static final String RANDOM_ALPHABET = "abcdefghijklmnopqrstuvwxyz234567";
  private static final int BUFFER_BYTES = 64 * 1024;

  private final Path directory;
  private final SecureRandom random = new SecureRandom();

  public ArchiveStore(Path directory) {
    this.directory = directory.toAbsolutePath().normalize();
  }

  public Path directory() {
    return directory;
  }

  /**
   * Streams {@code in} into a new archive for the instance {@code slug}.
   *
   * @throws IOException when reading {@code in} fails (the Pi-hole's side)
   * @throws ArchiveStorageException when writing to the backup directory fails (our side)
   * @throws InvalidArchiveException when the bytes are not a Teleporter archive
   */
  public StoredArchive store(String slug, Instant at, InputStream in) throws IOException {
    Path temp = createTemp();
    try {
      MessageDigest sha256 = sha256();
      long size = copy(in, temp, sha256);
      TeleporterArchive.verify(temp, size);
      String name = slug + "_" + STAMP.format(at) + "_" + randomSuffix() + ".zip";
      moveIntoPlace(temp, directory.resolve(name));
      return new StoredArchive(name, size, HexFormat.of().formatHex(sha256.digest()));
    } finally {
      Files.deleteIfExists(temp);
    }
  }

  /** The file of a stored archive, if the name is one of ours and the file is there. */
  public Optional<Path> find(String fileName) {
    if (fileName == null || !FILE_NAME.matcher(fileName).matches()) {
      return Optional.empty();
    }
    Path file = directory.resolve(fileName);
    return Files.isRegularFile(file) ? Optional.of(file) : Optional.empty();
  }

  public void delete(String fileName) throws IOException {
    if (fileName != null && FILE_NAME.matcher(fileName).matches()) {
      Files.deleteIfExists(directory.resolve(fileName));
    }
  }

  /** Deletes temporary files left by a run that was killed mid-download. Returns how many. */
  public int removeIncomplete() {
    if (!Files.isDirectory(directory)) {
      return 0;
    }
    int removed = 0;
    try (DirectoryStream<Path> leftovers = Files.newDirectoryStream(directory, ".incoming-*.part")) {
      for (Path leftover : leftovers) {
        Files.deleteIfExists(leftover);
        removed++;
      }
    } catch (IOException e) {
      throw storageFailure("removing incomplete downloads", e);
    }
    return removed;
  }

  private Path createTemp() {
    try {
      Files.createDirectories(directory);
      // POSIX: created with mode 0600, which the final file keeps; archives hold password hashes
      return Files.createTempFile(directory, ".incoming-", ".part");
    } catch (IOException e) {
      throw new ArchiveStorageException("cannot create a file in the backup directory " + directory + ": " + e.getMessage()
          + " — check that it exists and is writable by the user running Checkpoint (BACKUP_DIR)", e);
    }
  }

  private long copy(InputStream in, Path temp, MessageDigest sha256) throws IOException {
    byte[] buffer = new byte[BUFFER_BYTES];
    long size = 0;
    try (FileChannel out = FileChannel.open(temp, StandardOpenOption.WRITE)) {
      for (int n; (n = in.read(buffer)) != -1; ) {
        sha256.update(buffer, 0, n);
        write(out, ByteBuffer.wrap(buffer, 0, n));
        size += n;
      }
      force(out);
    }
    return size;
  }

  private void write(FileChannel out, ByteBuffer bytes) {
    try {
      while (bytes.hasRemaining()) {
        out.write(bytes);
      }
    } catch (IOException e) {
      throw storageFailure("writing the archive", e);
    }
  }

  private void force(FileChannel out) {
    try {
      out.force(true);
    } catch (IOException e) {
      throw storageFailure("flushing the archive to disk", e);
    }
  }

  private void moveIntoPlace(Path temp, Path target) {
    try {
      Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
      try (FileChannel dir = FileChannel.open(directory, StandardOpenOption.READ)) {
        dir.force(true); // makes the rename itself durable
      }
    } catch (IOException e) {
      throw storageFailure("moving the archive into place", e);
    }
  }

  private ArchiveStorageException storageFailure(String doing, IOException e) {
    return new ArchiveStorageException("failed %s in %s: %s — check free space and permissions of BACKUP_DIR"
        .formatted(doing, directory, e.getMessage()), e);
  }

  private String randomSuffix() {
    StringBuilder s = new StringBuilder(6);
    for (int i = 0; i < 6; i++) {
      s.append(RANDOM_ALPHABET.charAt(random.nextInt(RANDOM_ALPHABET.length())));
    }
    return s.toString();
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java runtime has SHA-256", e);
    }
  }
}
