package io.piholecheckpoint.app;

import io.piholecheckpoint.core.files.OwnedPaths;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Comparator;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where the servlet container buffers multipart uploads (copies of Teleporter archives, which
 * hold password hashes): a private folder of this process under {@code BACKUP_DIR/.uploads},
 * never BACKUP_DIR itself. Each process locks its own folder for as long as it runs. Only the
 * process that takes the schedules deletes, at its takeover, the folders nobody holds any more (left
 * by a crash or a kill mid-upload); a standby's start deletes nothing, and no one deletes a folder a
 * live process holds.
 *
 * <p>POSIX drops every lock a process holds on a file as soon as that process closes any descriptor of
 * it: so this JVM never opens the lock file of a folder it holds itself (its own, or another in-process
 * deployment's) to test it, and knows those from the table below, per process as the locks are.
 */
final class UploadFolder implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(UploadFolder.class);
  private static final String LOCK = ".owner";
  /** The lock files' identities (or, where the file system tells none, their paths) of the folders this JVM holds. */
  private static final Set<Object> HELD = ConcurrentHashMap.newKeySet();

  private final Path folder;
  private final FileChannel channel;
  private final FileLock lock;
  private final Object identity;

  private UploadFolder(Path folder, FileChannel channel, FileLock lock, Object identity) {
    this.folder = folder;
    this.channel = channel;
    this.lock = lock;
    this.identity = identity;
  }

  /**
   * Makes and holds a fresh folder of this process under {@code root}. Deletes nothing: this may be a standby beside a
   * running process, whose uploads in flight are not leftovers; the takeover's {@link #removeAbandoned} clears those.
   */
  static UploadFolder open(Path root) {
    try {
      OwnedPaths.folder(root); // refused when a link: what it points at is not this process's to empty
      for (int attempt = 0; attempt < 10; attempt++) {
        Path folder = OwnedPaths.folder(root.resolve(UUID.randomUUID().toString()));
        Path lockFile = folder.resolve(LOCK);
        FileChannel channel;
        try {
          channel = FileChannel.open(lockFile, java.util.Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE), OwnedPaths.ownerOnlyFile(lockFile));
        } catch (NoSuchFileException e) {
          continue; // another process's clean-up took the fresh folder, still without its lock file, for a dead one's
        }
        FileLock lock = channel.lock();
        Object identity = identity(lockFile);
        HELD.add(identity);
        if (Files.isRegularFile(lockFile, LinkOption.NOFOLLOW_LINKS)) {
          return new UploadFolder(folder, channel, lock, identity);
        }
        HELD.remove(identity); // deleted between its making and its lock: not this process's any more
        channel.close();
      }
      throw new IOException("no folder of its own after 10 tries");
    } catch (OwnedPaths.Unusable e) {
      throw new AppConfig.ConfigException(e.getMessage());
    } catch (IOException e) {
      throw new AppConfig.ConfigException("the upload folder " + root + " cannot be prepared: " + e.getMessage()
          + " — check that BACKUP_DIR is writable by the user running Checkpoint");
    }
  }

  /**
   * At a takeover: the folders of the process that stopped (it held the schedules, and its uploads ended with it) are deleted
   * then, not at some later start; those of live processes, this one's too, are held and left alone.
   */
  static void removeAbandoned(Path root) {
    if (!Files.isDirectory(root, LinkOption.NOFOLLOW_LINKS)) {
      return; // none yet, or a link: this process's start refused that already
    }
    try {
      int removed = removeLeftovers(root);
      if (removed > 0) {
        log.info("Deleted the upload buffers of {} process(es) that stopped mid-upload", removed);
      }
    } catch (IOException e) {
      log.warn("Could not delete the upload buffers left under {}: {}; the next start deletes them", root, e.getMessage());
    }
  }

  private static int removeLeftovers(Path root) throws IOException {
    int removed = 0;
    // a link among them is not a leftover of this app: left alone, its target never walked
    try (DirectoryStream<Path> folders = Files.newDirectoryStream(root, p -> Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS))) {
      for (Path folder : folders) {
        if (!held(folder)) {
          deleteTree(folder);
          removed++;
        }
      }
    }
    return removed;
  }

  /** Whether a live process holds the folder's lock (the OS drops the lock of a dead one). */
  private static boolean held(Path folder) throws IOException {
    Path lockFile = folder.resolve(LOCK);
    if (!Files.isRegularFile(lockFile, LinkOption.NOFOLLOW_LINKS)) {
      return false;
    }
    if (HELD.contains(identity(lockFile))) {
      return true; // this JVM's: opening it to test it, then closing that, would drop the lock
    }
    try (FileChannel channel = FileChannel.open(lockFile, StandardOpenOption.WRITE)) {
      FileLock probe = channel.tryLock();
      if (probe == null) {
        return true;
      }
      probe.release();
      return false;
    } catch (OverlappingFileLockException e) {
      return true; // held by another deployment in this JVM
    }
  }

  private static Object identity(Path lockFile) throws IOException {
    Object key = Files.readAttributes(lockFile, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS).fileKey();
    return key != null ? key : lockFile.toAbsolutePath().normalize();
  }

  private static void deleteTree(Path folder) throws IOException {
    try (Stream<Path> files = Files.walk(folder)) {
      for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }

  Path path() {
    return folder;
  }

  /** Deletes the folder with whatever an unfinished upload left in it. */
  @Override
  public void close() {
    try {
      lock.release();
      channel.close();
      HELD.remove(identity);
      deleteTree(folder);
    } catch (IOException e) {
      log.warn("Could not delete the upload folder {}: {}; the next start deletes it", folder, e.getMessage());
    }
  }
}
