package io.piholecheckpoint.core.files;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * The folders and files Checkpoint keeps for itself under BACKUP_DIR and DATA_DIR ({@code .scratch},
 * {@code .uploads}, {@code scheduler.lock}, {@code field-encryption.key}, …): it empties, chmods, truncates or replaces them, so each must be
 * what it makes there, never a symbolic link. A link is refused, not followed and not replaced: whatever
 * it points at (another disk, a folder of the user's) is not Checkpoint's to empty or to chmod, and
 * removing the link on its own would hide that somebody meant it. Every check reads the path itself
 * (NOFOLLOW_LINKS); the configured BACKUP_DIR and DATA_DIR may well be links, as the user chose them.
 */
public final class OwnedPaths {
  private OwnedPaths() {
  }

  /**
   * The folder, made (mode 0700) when missing and set to 0700 when there; its parent is made when missing.
   *
   * @throws Unusable when it is a symbolic link or not a folder
   */
  public static Path folder(Path folder) throws IOException {
    Files.createDirectories(folder.getParent(), ownerOnlyFolder(folder));
    BasicFileAttributes found = attributes(folder);
    if (found == null) {
      try {
        Files.createDirectory(folder, ownerOnlyFolder(folder));
      } catch (FileAlreadyExistsException e) {
        // made meanwhile by another process on the same BACKUP_DIR: checked below like any other
      }
      found = attributes(folder);
    }
    if (found == null || found.isSymbolicLink() || !found.isDirectory()) {
      throw refused(folder, found, "folder");
    }
    PosixFileAttributeView posix = Files.getFileAttributeView(folder, PosixFileAttributeView.class, LinkOption.NOFOLLOW_LINKS);
    if (posix != null) {
      // opened without following a link: one put in its place since the check above fails here, its target untouched
      posix.setPermissions(PosixFilePermissions.fromString("rwx------"));
    }
    return folder;
  }

  /**
   * Checks a folder that {@link #folder} makes at the start, before anything is made: missing, or a folder that is no link.
   *
   * @throws Unusable in the words {@link #folder} refuses it with
   */
  public static void folderIfThere(Path folder) throws IOException {
    BasicFileAttributes found = attributes(folder);
    if (found != null && (found.isSymbolicLink() || !found.isDirectory())) {
      throw refused(folder, found, "folder");
    }
  }

  /**
   * Checks a file Checkpoint writes or replaces (a lock file, the generated key, the cluster's mark) before it is read, opened
   * or made: missing or a regular file. A link that points nowhere counts: making the file would write through it or rename a
   * new file over it, and either hides what the link meant.
   *
   * @throws Unusable when it is a symbolic link, a folder or anything else
   */
  public static Path file(Path file) throws IOException {
    BasicFileAttributes found = attributes(file);
    if (found != null && (found.isSymbolicLink() || !found.isRegularFile())) {
      throw refused(file, found, "file");
    }
    return file;
  }

  /**
   * Mode 0600 for a file made at {@code where}: archives, their sidecars and copies hold password hashes, and a stock servlet
   * container runs with umask 022, which would leave them 0644. Set at creation (a umask only takes bits away), so no moment
   * passes with the file readable by others. None where the file system has no POSIX modes.
   */
  public static FileAttribute<?>[] ownerOnlyFile(Path where) {
    return ownerOnly(where, "rw-------");
  }

  /** Mode 0700 for a folder made at {@code where}, as {@link #ownerOnlyFile}. */
  public static FileAttribute<?>[] ownerOnlyFolder(Path where) {
    return ownerOnly(where, "rwx------");
  }

  private static FileAttribute<?>[] ownerOnly(Path where, String mode) {
    return where.getFileSystem().supportedFileAttributeViews().contains("posix")
        ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString(mode))}
        : new FileAttribute<?>[0];
  }

  private static BasicFileAttributes attributes(Path path) throws IOException {
    try {
      return Files.readAttributes(path, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
    } catch (NoSuchFileException e) {
      return null;
    }
  }

  private static Unusable refused(Path path, BasicFileAttributes found, String expected) {
    if (found == null) {
      return new Unusable(path + " vanished while it was made — start again");
    }
    if (found.isSymbolicLink()) {
      String target = linkTarget(path);
      return new Unusable(("%s is a symbolic link (to %s): Checkpoint keeps a %s of its own there, which it empties or overwrites,"
          + " and never follows a link in its place — remove the link (rm %s; what it points to is left as it is) and start again:"
          + " Checkpoint makes the %s itself").formatted(path, target, expected, path, expected));
    }
    String is = found.isDirectory() ? "a folder" : found.isRegularFile() ? "a file" : "something other than a file or folder";
    return new Unusable(("%s is %s, not a %s: Checkpoint keeps a %s of its own there — move it away (or delete it if nothing in it"
        + " is yours) and start again: Checkpoint makes the %s itself").formatted(path, is, expected, expected, expected));
  }

  /** Where the link {@code link} points, as it is written, for a message that refuses it. */
  public static String linkTarget(Path link) {
    try {
      return String.valueOf(Files.readSymbolicLink(link));
    } catch (IOException e) {
      return "somewhere unreadable";
    }
  }

  /** A path Checkpoint keeps for itself is something else: the message names it and what to do, so no stack trace goes with it. */
  public static final class Unusable extends IOException {
    private static final long serialVersionUID = 1L;

    Unusable(String message) {
      super(message);
      setStackTrace(new StackTraceElement[0]);
    }
  }
}
