package io.piholecheckpoint.offsite.file;

import io.piholecheckpoint.core.files.OwnedPaths;
import io.piholecheckpoint.core.offsite.remote.Destination;
import io.piholecheckpoint.core.offsite.remote.DestinationConfig;
import io.piholecheckpoint.core.offsite.remote.DestinationException;
import io.piholecheckpoint.core.offsite.remote.DestinationException.Problem;
import io.piholecheckpoint.core.offsite.remote.ObjectKeys;
import io.piholecheckpoint.core.offsite.remote.RemoteObject;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * {@code file:///mnt/nas/checkpoint}: a second disk or a mounted share. Written as our own backup
 * directory is (a temporary name beside the target, fsynced, renamed, the directory fsynced), and
 * checked by reading the file again.
 */
public final class FileDestination implements Destination {
  /** Marks files being written; never listed, never counted as an object. */
  static final String PART = ".part-";
  private static final int BUFFER_BYTES = 64 * 1024;
  private final Path root;
  /** DATA_DIR and BACKUP_DIR, links followed: no copy is written, read or deleted in or around them. */
  private final List<Path> ownFolders;

  public FileDestination(DestinationConfig config) {
    this(config, List.of());
  }

  /**
   * @param ownFolders Pi-hole Checkpoint's own folders: checked at every call, not only when the destination is added or the
   *     app starts, as a link on the way to the folder may be repointed into one of them meanwhile
   */
  public FileDestination(DestinationConfig config, List<Path> ownFolders) {
    if (!"file".equals(config.url().getScheme()) || config.url().getPath() == null || !config.url().getPath().startsWith("/")
        || config.url().getAuthority() != null) {
      throw new IllegalArgumentException(notAbsolute(config.variable("URL")));
    }
    config.requireNoQuery();
    this.root = Path.of(config.url().getPath());
    this.ownFolders = ownFolders.stream().map(FileDestination::real).toList();
  }

  /** What is wrong with a file URL that is not an absolute path (such as file:x, which has none). */
  public static String notAbsolute(String variable) {
    return variable + " must be a local directory's absolute path such as file:///mnt/nas/checkpoint (three slashes; a relative path such as"
        + " file:backups is not one)";
  }

  @Override
  public void put(String key, InputStream in, long length) throws IOException {
    Path target = resolve(key);
    requireRoot(); // never made here: a share that is not mounted would fill the local disk instead
    requireElsewhere();
    try {
      Files.createDirectories(target.getParent(), OwnedPaths.ownerOnlyFolder(target)); // the root is the user's: only what is made below it
    } catch (IOException e) {
      throw translate("creating the folder for " + key, e);
    }
    removeLeftoverParts(target);
    Path part = target.resolveSibling(target.getFileName() + PART + UUID.randomUUID());
    try {
      long written = 0;
      // 0600 whatever the umask, as the archive it copies: the rename keeps it
      try (FileChannel out = FileChannel.open(part, Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE), OwnedPaths.ownerOnlyFile(part))) {
        byte[] buffer = new byte[BUFFER_BYTES];
        for (int n; (n = in.read(buffer)) != -1; ) {
          ByteBuffer bytes = ByteBuffer.wrap(buffer, 0, n);
          while (bytes.hasRemaining()) {
            out.write(bytes);
          }
          written += n;
        }
        out.force(true);
      }
      if (written != length) {
        throw new DestinationException(Problem.FAILED, "the copy of " + key + " ended after " + written + " of " + length + " bytes; it will be sent again");
      }
      Files.move(part, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      syncDirectory(target.getParent());
    } catch (IOException e) {
      Files.deleteIfExists(part);
      throw e instanceof DestinationException d ? d : translate("writing " + key, e);
    }
  }

  @Override
  public Optional<RemoteObject> check(String key) throws IOException {
    Path file = resolve(key);
    requireElsewhere(); // a copy found beside the archives is no off-site copy: never verified
    MessageDigest sha256 = sha256();
    long size = 0;
    try (InputStream in = Files.newInputStream(file)) {
      byte[] buffer = new byte[BUFFER_BYTES];
      for (int n; (n = in.read(buffer)) != -1; ) {
        sha256.update(buffer, 0, n);
        size += n;
      }
    } catch (NoSuchFileException e) {
      requireRoot();
      return Optional.empty();
    } catch (IOException e) {
      throw translate("reading " + key + " back", e);
    }
    return Optional.of(new RemoteObject(key, size, HexFormat.of().formatHex(sha256.digest()), Files.getLastModifiedTime(file).toInstant()));
  }

  @Override
  public InputStream open(String key) throws IOException {
    requireElsewhere();
    try {
      return Files.newInputStream(resolve(key));
    } catch (NoSuchFileException e) {
      requireRoot();
      throw new DestinationException(Problem.MISSING, key + " is not in " + root + " (deleted there?)");
    } catch (IOException e) {
      throw translate("reading " + key, e);
    }
  }

  @Override
  public List<RemoteObject> list(String prefix) throws IOException {
    requireRoot();
    requireElsewhere();
    List<RemoteObject> found = new ArrayList<>();
    try {
      Files.walkFileTree(root, new SimpleFileVisitor<>() {
        @Override
        public FileVisitResult visitFile(Path file, BasicFileAttributes attributes) throws IOException {
          String key = root.relativize(file).toString().replace(file.getFileSystem().getSeparator(), "/");
          if (key.startsWith(prefix) && !file.getFileName().toString().contains(PART)) {
            try {
              // a link counts as what it points to, as a copy put there by hand may be one
              BasicFileAttributes a = attributes.isSymbolicLink() ? Files.readAttributes(file, BasicFileAttributes.class) : attributes;
              if (a.isRegularFile()) {
                found.add(new RemoteObject(key, a.size(), null, a.lastModifiedTime().toInstant()));
              }
            } catch (NoSuchFileException gone) {
              // a dangling link, or deleted since: not there
            }
          }
          return FileVisitResult.CONTINUE;
        }

        // a copy deleted or a .part renamed while the walk passes (retention, a deletion by hand, another node): not there,
        // which is what a listing a moment later would say; anything else fails the listing
        @Override
        public FileVisitResult visitFileFailed(Path file, IOException e) throws IOException {
          if (e instanceof NoSuchFileException) {
            return FileVisitResult.CONTINUE;
          }
          throw e;
        }

        @Override
        public FileVisitResult postVisitDirectory(Path folder, IOException e) throws IOException {
          if (e != null && !(e instanceof NoSuchFileException)) {
            throw e;
          }
          return FileVisitResult.CONTINUE;
        }
      });
    } catch (IOException e) {
      throw translate("listing " + root, e);
    }
    return found;
  }

  @Override
  public void delete(String key) throws IOException {
    Path file = resolve(key);
    requireElsewhere(); // the retention of this destination would delete archives of BACKUP_DIR
    try {
      if (Files.deleteIfExists(file)) {
        syncDirectory(file.getParent());
      }
      removeLeftoverParts(file); // a killed upload's part of the key goes with it: never listed, its bytes would stay for good
    } catch (IOException e) {
      throw translate("deleting " + key, e);
    }
  }

  @Override
  public String describe() {
    return "file://" + root;
  }

  @Override
  public void close() {
    // nothing held open between calls
  }

  /**
   * What a writer of this key left when its process was killed mid-copy: one process writes a key
   * at a time (the one that runs the schedules), so any part of it is a dead one's.
   */
  private static void removeLeftoverParts(Path target) throws IOException {
    String prefix = target.getFileName() + PART;
    try (java.nio.file.DirectoryStream<Path> parts = Files.newDirectoryStream(target.getParent(), p -> p.getFileName().toString().startsWith(prefix))) {
      for (Path part : parts) {
        Files.deleteIfExists(part);
      }
    } catch (java.nio.file.NoSuchFileException e) {
      // nothing was ever written there
    }
  }

  private Path resolve(String key) {
    return root.resolve(ObjectKeys.requireSafe(key));
  }

  /** A missing root is a share that is not mounted, not an empty destination. */
  private void requireRoot() throws DestinationException {
    if (!Files.isDirectory(root)) {
      throw new DestinationException(Problem.UNREACHABLE, root + " is not a directory: is the disk or share mounted? Create it or fix the URL");
    }
  }

  /**
   * The folder, links followed (one {@code toRealPath}), is not in or around DATA_DIR or BACKUP_DIR. Checked when the
   * destination was added and at the start only, a link repointed since then put the copies beside the archives, on the
   * same disk, and counted them verified.
   */
  private void requireElsewhere() throws DestinationException {
    if (ownFolders.isEmpty()) {
      return;
    }
    Path real = real(root);
    for (Path own : ownFolders) {
      if (real.startsWith(own) || own.startsWith(real)) {
        throw new DestinationException(Problem.REFUSED, root + " leads (links followed) to " + real + ", in or around " + own
            + ", Pi-hole Checkpoint's own folder: a copy there is on the same disk and is no off-site copy, so nothing is written, read or"
            + " deleted there. Point the link or the URL at another disk or a mounted share");
      }
    }
  }

  /** The path with its links followed; as written when it is not there (a missing root is an unmounted share: requireRoot says so). */
  private static Path real(Path path) {
    try {
      return path.toRealPath();
    } catch (IOException e) {
      return path.toAbsolutePath().normalize();
    }
  }

  private static void syncDirectory(Path directory) throws IOException {
    try (FileChannel channel = FileChannel.open(directory, StandardOpenOption.READ)) {
      channel.force(true);
    }
  }

  private DestinationException translate(String what, IOException e) {
    if (e instanceof DestinationException d) {
      return d;
    }
    if (e instanceof AccessDeniedException) {
      String verb = what.startsWith("reading") ? "read" : what.startsWith("listing") ? "list" : what.startsWith("deleting") ? "delete" : "write";
      return new DestinationException(Problem.REFUSED, what + " in " + root + " was refused: the app's user may not " + verb + " there; fix the owner"
          + " or mode", e);
    }
    String reason = e instanceof FileSystemException f && f.getReason() != null ? f.getReason() : String.valueOf(e.getMessage());
    if (reason.contains("No space left") || reason.contains("Disk quota exceeded")) {
      return new DestinationException(Problem.FULL, what + " in " + root + " failed: the disk is full; free space or lower the destination's retention", e);
    }
    if (!Files.isDirectory(root)) {
      return new DestinationException(Problem.UNREACHABLE, root + " is not a directory: is the disk or share mounted? Create it or fix the URL", e);
    }
    return new DestinationException(Problem.FAILED, what + " in " + root + " failed: " + reason, e);
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
