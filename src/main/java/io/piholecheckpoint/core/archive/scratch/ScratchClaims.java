package io.piholecheckpoint.core.archive.scratch;

import io.piholecheckpoint.core.files.OwnedPaths;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Which scratch files a live process is writing. A held file {@code X} has a sibling {@code X.lock} on which its process
 * holds an OS lock (fcntl, through {@link FileChannel#tryLock}) for as long as it uses {@code X}; the kernel drops the
 * lock when the process dies, even of SIGKILL. So any node sharing the folder can tell a killed run's file from one being
 * written without asking the database which nodes are alive (a standby's stale check-in, a clock off by minutes).
 *
 * <p>The lock is on a sibling, not on the file: POSIX drops every lock a process holds on a file as soon as it closes any
 * descriptor of it, and the file itself is opened and closed by the writer, the inspector and SQLite. For the same
 * reason this process never opens its own lock files to test them: it knows them from the table below, which is per
 * process as the locks are — hence static.
 */
final class ScratchClaims {
  static final String LOCK = ".lock";
  /** The claims of this process, by the held file's absolute path. */
  private static final Map<Path, Claim> HELD = new ConcurrentHashMap<>();

  private static final Claim PENDING = new Claim(null, null, null);

  /** @param fileKey null where the file system tells none */
  record Claim(Path lockFile, FileChannel channel, Object fileKey) {
    /**
     * Whether this is the claim of the lock file whose identity is {@code lockFileKey}: the same identity, and its own lock
     * file still there with it. A claim leaked by an earlier app of this JVM whose folder was deleted would otherwise match
     * a new lock file that the file system gave the freed inode.
     */
    boolean isOf(Object lockFileKey) throws IOException {
      return lockFileKey.equals(fileKey) && lockFileKey.equals(ScratchClaims.fileKey(lockFile).orElse(null));
    }
  }

  private ScratchClaims() {
  }

  /**
   * Claims {@code file}, which is not made yet: its lock file is made and locked first, so that no moment exists when
   * the file is there and unclaimed.
   *
   * @return false when another process's clean-up took the fresh lock file first (it saw a lock file with no file, which
   *     a killed run leaves too): the caller picks another name
   */
  static boolean claim(Path file) throws IOException {
    Path held = file.toAbsolutePath().normalize();
    Path lockFile = lockOf(held);
    // listed before the lock file exists: a clean-up in this process must never open it (closing that would drop the lock)
    HELD.put(held, PENDING);
    FileChannel channel = null;
    try {
      channel = FileChannel.open(lockFile, java.util.Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE), OwnedPaths.ownerOnlyFile(lockFile));
      if (channel.tryLock() == null || !Files.exists(lockFile, LinkOption.NOFOLLOW_LINKS)) {
        HELD.remove(held);
        channel.close();
        return false;
      }
      HELD.put(held, new Claim(lockFile, channel, fileKey(lockFile).orElse(null)));
      return true;
    } catch (IOException | RuntimeException e) {
      HELD.remove(held);
      if (channel != null) {
        channel.close();
        Files.deleteIfExists(lockFile);
      }
      throw e;
    }
  }

  /** Deletes {@code file} if it is still there (a finished one was moved away), then its claim; nothing when it was never claimed. */
  static void release(Path file) throws IOException {
    Files.deleteIfExists(file);
    Claim claim = HELD.remove(file.toAbsolutePath().normalize());
    if (claim != null && claim.channel() != null) {
      try (FileChannel channel = claim.channel()) {
        Files.deleteIfExists(claim.lockFile()); // while still locked: no clean-up elsewhere acts on it meanwhile
      }
    }
  }

  /**
   * Deletes {@code file} (a held kind of file, or a lock file) with its lock file when no live process holds its lock:
   * its run was killed, or was an older version's, which held nothing.
   *
   * @return whether the held file was removed (a lock file alone is not counted)
   */
  static boolean removeIfAbandoned(Path file) throws IOException {
    Path held = file.getFileName().toString().endsWith(LOCK) ? file.resolveSibling(file.getFileName().toString().replaceFirst("\\.lock$", "")) : file;
    Path lockFile = lockOf(held);
    if (heldHere(held, lockFile)) {
      return false;
    }
    FileChannel channel;
    try {
      channel = FileChannel.open(lockFile, StandardOpenOption.WRITE);
    } catch (NoSuchFileException e) {
      return Files.deleteIfExists(held); // no lock file: not held since it was made; a finished run's is gone already
    }
    try (channel) {
      FileLock lock = channel.tryLock();
      if (lock == null) {
        return false; // another process writes it
      }
      boolean removed = Files.deleteIfExists(held);
      Files.deleteIfExists(lockFile);
      return removed;
    } catch (OverlappingFileLockException e) {
      return false; // this process claimed it since heldHere looked
    }
  }

  /** Whether this process holds it: by path, or by the lock file's identity when the folder was reached by another path. */
  private static boolean heldHere(Path held, Path lockFile) throws IOException {
    if (HELD.containsKey(held.toAbsolutePath().normalize())) {
      return true;
    }
    Optional<Object> key = fileKey(lockFile);
    if (key.isEmpty()) {
      return false;
    }
    for (Claim claim : HELD.values()) {
      if (claim.isOf(key.get())) {
        return true;
      }
    }
    return false;
  }

  private static Optional<Object> fileKey(Path file) throws IOException {
    try {
      return Optional.ofNullable(Files.readAttributes(file, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS).fileKey());
    } catch (NoSuchFileException e) {
      return Optional.empty();
    }
  }

  static Path lockOf(Path file) {
    return file.resolveSibling(file.getFileName() + LOCK);
  }

  static boolean isLockFile(Path file) {
    return file.getFileName().toString().endsWith(LOCK);
  }
}
