package io.piholecheckpoint.testing;

import io.piholecheckpoint.persistence.Database;
import io.piholecheckpoint.persistence.Dialect;
import io.piholecheckpoint.persistence.Migrations;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;

/**
 * A database migrated by the real scripts, for repository tests: the scripts run once per test
 * JVM into a template, and each test gets a copy of it (a migration is a few dozen statements,
 * each a commit with a disk sync; a copy is one file). SQLite by default; PostgreSQL on the
 * test-owned {@link PostgresServer}, where the copy is a database made from a template database.
 */
public final class MigratedDatabase {
  private static Path template;
  private static String postgresTemplate;

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

  /** A fresh migrated database of {@code dialect}: for SQLite a file in {@code dir}; opened. */
  public static Database open(Dialect dialect, Path dir) {
    if (dialect == Dialect.SQLITE) {
      return openAt(dir.resolve("checkpoint.db"));
    }
    return Database.openPostgres(PostgresServer.shared().createDatabase(postgresTemplate()), PostgresServer.USER, PostgresServer.PASSWORD);
  }

  /** The same database opened again, as the next process finds it ({@code database} is closed by the caller). */
  public static Database reopen(Database database) {
    // the tests' URLs carry no password, so the description is the URL itself
    return database.dialect() == Dialect.SQLITE ? Database.open(database.file())
        : Database.openPostgres(database.describe(), PostgresServer.USER, PostgresServer.PASSWORD);
  }

  /** A connection of its own, outside the database's pool and data source: another process's. */
  public static Connection connectOutside(Database database) throws SQLException {
    return database.dialect() == Dialect.SQLITE ? DriverManager.getConnection("jdbc:sqlite:" + database.file())
        : DriverManager.getConnection(database.describe(), PostgresServer.USER, PostgresServer.PASSWORD);
  }

  private static synchronized String postgresTemplate() {
    if (postgresTemplate == null) {
      String url = PostgresServer.shared().createDatabase(null);
      try (Database database = Database.openPostgres(url, PostgresServer.USER, PostgresServer.PASSWORD)) {
        Migrations.migrate(database, new PrintStream(OutputStream.nullOutputStream()));
      }
      postgresTemplate = url.substring(url.lastIndexOf('/') + 1);
      PostgresServer.shared().execute("ALTER DATABASE " + postgresTemplate + " IS_TEMPLATE true"); // never dropped as an old one
    }
    return postgresTemplate;
  }

  private static synchronized Path template() throws IOException {
    if (template == null) {
      Path dir = Files.createTempDirectory("migrated-template");
      dir.toFile().deleteOnExit();
      Path file = dir.resolve("checkpoint.db");
      // closed before it is copied: the last connection to close folds the WAL into the file
      try (Database database = Database.open(file)) {
        Migrations.migrate(database, new PrintStream(OutputStream.nullOutputStream()));
      }
      file.toFile().deleteOnExit();
      template = file;
    }
    return template;
  }
}
