package io.piholecheckpoint.core.archive.scratch;

import io.piholecheckpoint.core.archive.ArchiveStorageException;
import io.piholecheckpoint.core.files.OwnedPaths;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The one folder for every temporary copy of an archive: downloads and uploads being checked,
 * decrypted copies, the unpacked gravity.db SQLite reads. It sits inside the backup directory —
 * the disk sized for archives, and the same file system, so a finished download is renamed into
 * place atomically — is readable by its owner only (archives hold password hashes), and is
 * emptied at every start, whatever a crash left in it.
 */
public final class ScratchDirectory {
  /** Hidden, and unlike the names of archives, so no listing of archives ever sees it. */
  public static final String NAME = ".scratch";
  /** The folder of list indexes inside the scratch folder. */
  public static final String LIST_INDEXES = "lists";
  /** The folder of computed differences of two archives' lists inside the scratch folder. */
  public static final String DIFFS = "diffs";
  /** The suffix of every file {@link #createHeld} makes. */
  public static final String PART = ".part";

  private final Path path;

  private ScratchDirectory(Path path) {
    this.path = path;
  }

  /** The scratch folder of a backup directory. */
  public static ScratchDirectory of(Path backupDirectory) {
    return new ScratchDirectory(backupDirectory.toAbsolutePath().normalize().resolve(NAME));
  }

  /**
   * The scratch folder for reading an archive: its own folder when it is a temporary copy already,
   * else the scratch folder of the backup directory it is stored in.
   */
  public static ScratchDirectory beside(Path archive) {
    Path folder = archive.toAbsolutePath().normalize().getParent();
    return folder.getFileName() != null && folder.getFileName().toString().equals(NAME) ? new ScratchDirectory(folder) : of(folder);
  }

  public Path path() {
    return path;
  }

  /**
   * Where the list index of the archive with this SHA-256 (of its plain ZIP) is kept: in a folder of
   * its own, which the emptying at start leaves alone, so indexes survive restarts.
   */
  public Path listIndex(String sha256) {
    return path.resolve(LIST_INDEXES).resolve(sha256 + ".db");
  }

  /**
   * Where the difference of the lists of two archives (by the SHA-256 of each plain ZIP, older first)
   * is kept: beside the list indexes, surviving restarts the same way.
   */
  public Path diff(String olderSha256, String newerSha256) {
    return path.resolve(DIFFS).resolve(olderSha256 + "-" + newerSha256 + ".db");
  }

  /**
   * Deletes what was computed from the archive with this SHA-256: its list index and every kept
   * difference it is a side of. They hold the archive's lists unencrypted, so they go with it.
   */
  public void forget(String sha256) throws IOException {
    Files.deleteIfExists(listIndex(sha256));
    Path diffs = path.resolve(DIFFS);
    if (Files.isDirectory(diffs)) {
      try (DirectoryStream<Path> pairs = Files.newDirectoryStream(diffs, "*.db")) {
        for (Path pair : pairs) {
          if (pair.getFileName().toString().contains(sha256)) {
            Files.deleteIfExists(pair);
          }
        }
      }
    }
  }

  /** Whether any list index or kept difference is on disk: when none is, there is nothing to {@link #forget}. */
  public boolean holdsComputed() throws IOException {
    for (Path folder : List.of(path.resolve(LIST_INDEXES), path.resolve(DIFFS))) {
      if (Files.isDirectory(folder)) {
        try (DirectoryStream<Path> files = Files.newDirectoryStream(folder, "*.db")) {
          if (files.iterator().hasNext()) {
            return true;
          }
        }
      }
    }
    return false;
  }

  /**
   * A new, empty file (mode 0600) named {@code <prefix><random><suffix>} in the folder, which is made (mode 0700) when
   * missing, held as {@link #createHeld} holds its files: a standby's copy of a gravity.db or a list index being built is
   * in use beside the process whose takeover {@link #clean}s the folder. The caller {@link #release}s it.
   */
  public Path createFile(String prefix, String suffix) {
    return held(prefix, suffix);
  }

  /**
   * A new, empty file (mode 0600) named {@code <prefix><random>.part} in the folder that this process holds until
   * {@link #release}: while it lives, no clean-up of any node sharing the folder removes it; once it is killed, any
   * node's {@link #removeAbandoned} does.
   */
  public Path createHeld(String prefix) {
    return held(prefix, PART);
  }

  private Path held(String prefix, String suffix) {
    try {
      Path folder = create();
      for (int attempt = 0; attempt < 10; attempt++) {
        Path file = folder.resolve(prefix + Long.toUnsignedString(ThreadLocalRandom.current().nextLong()) + suffix);
        try {
          if (!ScratchClaims.claim(file)) {
            continue; // another node's clean-up took the fresh lock file for a killed run's
          }
        } catch (FileAlreadyExistsException e) {
          continue;
        }
        try {
          Files.createFile(file, OwnedPaths.ownerOnlyFile(file));
        } catch (IOException | RuntimeException e) {
          ScratchClaims.release(file);
          throw e;
        }
        return file;
      }
      throw new IOException("no unused name after 10 tries");
    } catch (OwnedPaths.Unusable e) {
      throw new ArchiveStorageException(e.getMessage(), e);
    } catch (IOException e) {
      throw new ArchiveStorageException("cannot create a temporary file in " + path + ": " + e.getMessage()
          + " — check that the backup directory (BACKUP_DIR) exists and is writable by the user running Checkpoint", e);
    }
  }

  /** Deletes a file of {@link #createHeld} or {@link #createFile} if it is still there (not moved into place), and lets it go. Nothing for any other file. */
  public static void release(Path file) throws IOException {
    ScratchClaims.release(file);
  }

  /**
   * Deletes everything left in the folder but the files a live process holds (see {@link #createHeld}): at a start
   * with no other node running, whatever a crash left. Returns how many files it removed, lock files not counted.
   */
  public int clean() {
    return sweep(true);
  }

  /**
   * Deletes the held kind of files (see {@link #createHeld}) that no live process holds any more: a killed run's, or an
   * older version's. Safe beside running nodes sharing the folder, unlike {@link #clean}. Returns how many it removed.
   */
  public int removeAbandoned() {
    return sweep(false);
  }

  private int sweep(boolean everything) {
    int removed = 0;
    try (DirectoryStream<Path> leftovers = Files.newDirectoryStream(create())) {
      for (Path leftover : leftovers) {
        // a link is removed as a link (deleteIfExists never follows one), its target left alone
        boolean file = Files.isRegularFile(leftover, LinkOption.NOFOLLOW_LINKS) || Files.isSymbolicLink(leftover);
        if (!file) {
          continue;
        }
        Path journalOf = sqliteSidecarOf(leftover);
        if (!journalOf.equals(leftover) && Files.exists(ScratchClaims.lockOf(journalOf), LinkOption.NOFOLLOW_LINKS)) {
          continue; // SQLite's journal of a held file: goes with it, by its release or a later clean-up
        }
        boolean lock = ScratchClaims.isLockFile(leftover);
        if (lock || Files.exists(ScratchClaims.lockOf(leftover), LinkOption.NOFOLLOW_LINKS) || isHeldKind(leftover)) {
          if (ScratchClaims.removeIfAbandoned(leftover)) {
            removed++;
          }
        } else if (everything && Files.deleteIfExists(leftover)) {
          removed++;
        }
      }
    } catch (OwnedPaths.Unusable e) {
      throw new ArchiveStorageException(e.getMessage(), e);
    } catch (IOException e) {
      throw new ArchiveStorageException("could not empty the temporary folder " + path + ": " + e.getMessage()
          + " — check the permissions of BACKUP_DIR", e);
    }
    return removed;
  }

  /** The file a SQLite journal ({@code X-journal}, {@code -wal}, {@code -shm}) is of, or the file itself. */
  private static Path sqliteSidecarOf(Path file) {
    String name = file.getFileName().toString();
    for (String side : new String[] {"-journal", "-wal", "-shm"}) {
      if (name.endsWith(side)) {
        return file.resolveSibling(name.substring(0, name.length() - side.length()));
      }
    }
    return file;
  }

  /** The files {@link #createHeld} makes: partial downloads, uploads and decrypted copies, all named {@code *.part}. */
  private static boolean isHeldKind(Path file) {
    return file.getFileName().toString().endsWith(PART);
  }

  /** The folder, made when missing, its mode set again whatever umask made it; refused when it is a link or a file. */
  private Path create() throws IOException {
    return OwnedPaths.folder(path);
  }
}
