package io.piholecheckpoint.testing;

import io.piholecheckpoint.persistence.Database;
import io.piholecheckpoint.persistence.Migrations;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * An SQLite file migrated by the real scripts, for repository tests: the scripts run once per
 * test JVM into a template, and each test gets a copy of it (a migration is a few dozen
 * statements, each a commit with a disk sync; a copy is one file).
 */
public final class MigratedDatabase {
  private static Path template;

  private MigratedDatabase() {
  }

  /** A copy of the migrated template at {@code file}, opened. */
  public static Database openAt(Path file) {
    try {
      Files.copy(template(), file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return Database.open(file);
  }

  private static synchronized Path template() throws IOException {
    if (template == null) {
      Path dir = Files.createTempDirectory("migrated-template");
      dir.toFile().deleteOnExit();
      Path file = dir.resolve("checkpoint.db");
      // closed before it is copied: the last connection to close folds the WAL into the file
      try (Database database = Database.open(file)) {
        Migrations.migrate(database.dataSource(), new PrintStream(OutputStream.nullOutputStream()));
      }
      file.toFile().deleteOnExit();
      template = file;
    }
    return template;
  }
}
