package io.piholecheckpoint.persistence;

import io.piholecheckpoint.core.legacy.OriginalSchemaException;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * A private copy of the original's {@code db.sqlite3} with its {@code -journal} and {@code -wal}
 * (whichever are there), in a folder of its own that {@link #close} deletes. SQLite opens the copy
 * normally and finishes there what 1.x left unfinished; 1.x's files are only read, byte by byte.
 * A copy whose files changed while they were copied (1.x still running on them) is taken again,
 * and refused after a few tries: a torn copy would import a database that never existed.
 */
final class OriginalCopy implements AutoCloseable {
  /** The folders of copies start with this: one a killed run left behind is deleted by the next. */
  static final String PREFIX = ".original-import-";
  private static final List<String> SIDE_FILES = List.of("-journal", "-wal");
  private static final int TRIES = 3;

  private final Path folder;

  private OriginalCopy(Path folder) {
    this.folder = folder;
  }

  /** The copied database, under the original's name so that SQLite finds its journal and -wal beside it. */
  Path database() {
    return folder.resolve("db.sqlite3");
  }

  /** @throws OriginalSchemaException when it cannot be copied, or kept changing while it was */
  static OriginalCopy of(Path file, Path workDir) {
    removeLeftovers(workDir);
    OriginalCopy copy;
    try {
      copy = new OriginalCopy(Files.createTempDirectory(workDir, PREFIX));
    } catch (IOException e) {
      throw new OriginalSchemaException("no private copy of it could be made in " + workDir + " (" + e.getMessage() + "); check free space there", e);
    }
    try {
      for (int i = 0; i < TRIES; i++) {
        if (copy.take(file)) {
          return copy;
        }
      }
      throw new OriginalSchemaException(("it changed while it was copied, %d times: is Pi-hole Checkpoint 1.x still running on it? Stop it;"
          + " the next start tries again").formatted(TRIES), null);
    } catch (IOException e) {
      copy.close();
      throw new OriginalSchemaException("it could not be copied to be read (" + e.getMessage() + ")", e);
    } catch (RuntimeException e) {
      copy.close();
      throw e;
    }
  }

  /** Copies the database and its side files; false when any of them changed meanwhile. */
  private boolean take(Path file) throws IOException {
    List<Path> sources = new ArrayList<>(List.of(file));
    for (String side : SIDE_FILES) {
      sources.add(file.resolveSibling(file.getFileName() + side));
    }
    List<String> before = stamps(sources);
    for (String side : SIDE_FILES) {
      Files.deleteIfExists(folder.resolve(database().getFileName() + side));
    }
    for (Path source : sources) {
      if (Files.isRegularFile(source)) {
        Files.copy(source, folder.resolve(database().getFileName() + source.getFileName().toString().substring(file.getFileName().toString().length())),
            java.nio.file.StandardCopyOption.REPLACE_EXISTING);
      }
    }
    return before.equals(stamps(sources));
  }

  /** Size and modification time of each file, "absent" for one that is not there. */
  private static List<String> stamps(List<Path> files) throws IOException {
    List<String> stamps = new ArrayList<>();
    for (Path f : files) {
      if (Files.isRegularFile(f)) {
        BasicFileAttributes a = Files.readAttributes(f, BasicFileAttributes.class);
        stamps.add(a.size() + "@" + a.lastModifiedTime().toMillis() + "#" + a.fileKey());
      } else {
        stamps.add("absent");
      }
    }
    return stamps;
  }

  private static void removeLeftovers(Path workDir) {
    try (DirectoryStream<Path> leftovers = Files.newDirectoryStream(workDir, PREFIX + "*")) {
      for (Path leftover : leftovers) {
        if (Files.isDirectory(leftover, LinkOption.NOFOLLOW_LINKS)) {
          delete(leftover);
        }
      }
    } catch (IOException e) {
      // a leftover only takes room; the next start tries again
    }
  }

  private static void delete(Path folder) {
    try (Stream<Path> files = Files.walk(folder)) {
      for (Path f : files.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(f);
      }
    } catch (IOException e) {
      // removed by the next import's start
    }
  }

  @Override
  public void close() {
    delete(folder);
  }
}
