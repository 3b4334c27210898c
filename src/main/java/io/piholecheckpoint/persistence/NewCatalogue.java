package io.piholecheckpoint.persistence;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A new install's SQLite catalogue, made whole under a temporary name ({@code checkpoint.db.new}) and renamed into place once
 * migrated and on disk. A first start killed while SQLite had made the file but not yet its first table left an empty
 * {@code checkpoint.db}, which every later start must refuse as a lost catalogue (it cannot be told from one); under this
 * name the next start finds no catalogue, removes the unfinished one and starts over.
 */
public final class NewCatalogue {
  private static final Logger log = LoggerFactory.getLogger(NewCatalogue.class);
  private static final List<String> SIDE_FILES = List.of("", "-wal", "-shm", "-journal");

  private NewCatalogue() {
  }

  /**
   * Makes {@code file} when there is none (nor a {@code -wal} of it, which SQLite reads as the file's content): opened through
   * {@code open} under the temporary name, {@code migrate}d, checkpointed and closed, fsynced, renamed, the folder fsynced.
   * Returns whether it made one.
   */
  public static boolean makeIfMissing(Path file, Function<Path, Database> open, Consumer<Database> migrate) {
    if (Files.exists(file, LinkOption.NOFOLLOW_LINKS) || Files.exists(side(file, "-wal"), LinkOption.NOFOLLOW_LINKS)) {
      return false;
    }
    Path temp = side(file, ".new");
    try {
      if (removeLeftovers(temp)) {
        log.info("Removed {}: a new catalogue that a start stopped in the middle of making; making it again", temp);
      }
      // made empty with mode 0600 for SQLite to fill: it would make it with the umask's mode (0644 in a servlet container), and
      // makes its -wal and -shm with the file's own
      Files.createFile(temp, io.piholecheckpoint.core.files.OwnedPaths.ownerOnlyFile(temp));
      try (Database database = open.apply(temp)) {
        migrate.accept(database);
        checkpoint(database);
      }
      if (Files.exists(side(temp, "-wal")) && Files.size(side(temp, "-wal")) > 0) {
        throw new IllegalStateException("the new catalogue " + temp + " kept pages in its -wal after it was closed; it was not put in place"
            + " — start again (it is made anew)");
      }
      try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.WRITE)) {
        channel.force(true);
      }
      Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE);
      try (FileChannel folder = FileChannel.open(file.toAbsolutePath().getParent(), StandardOpenOption.READ)) {
        folder.force(true);
      }
      removeLeftovers(temp);
      return true;
    } catch (IOException e) {
      throw new UncheckedIOException("could not make the new catalogue " + file + " (through " + temp + "): " + e.getMessage()
          + " — check that DATA_DIR is writable and has free space", e);
    }
  }

  /** Its pages moved from the -wal into the file itself: the file alone is then the whole catalogue, and is what is renamed. */
  private static void checkpoint(Database database) {
    try (Connection connection = database.dataSource().getConnection(); Statement statement = connection.createStatement()) {
      statement.execute("PRAGMA wal_checkpoint(TRUNCATE)");
    } catch (SQLException e) {
      throw new IllegalStateException("could not write the new catalogue " + database.describe() + " out of its -wal: " + e.getMessage(), e);
    }
  }

  private static boolean removeLeftovers(Path temp) throws IOException {
    boolean any = false;
    for (String suffix : SIDE_FILES) {
      any |= Files.deleteIfExists(side(temp, suffix));
    }
    return any;
  }

  private static Path side(Path file, String suffix) {
    return file.resolveSibling(file.getFileName() + suffix);
  }
}
