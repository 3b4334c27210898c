package io.piholecheckpoint.persistence;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

/**
 * A read-only look at an SQLite file that is there, before any connection of the catalogue's opens it: those set
 * journal_mode=WAL, which rewrites the header of a file that is not yet in WAL mode (another program's, such as a Pi-hole's
 * gravity.db), and so would change the very file they then refuse. A read-only connection writes nothing into it.
 */
final class ForeignFile {
  private static final int SQLITE_OPEN_READONLY = 0x1;
  private static final int SQLITE_OPEN_URI = 0x40;

  private ForeignFile() {
  }

  /**
   * Refuses a file that holds tables but not our changelog, naming them, and a damaged one, saying what to do. An SQLite file
   * without our changelog is a new catalogue only while it holds no table: the first migration makes the changelog alone.
   * One held locked past {@code busyWait}, or that a read-only connection cannot read for another reason, is left to the work that
   * follows, which waits it out or says what it finds.
   */
  static void requireNone(Path file, java.time.Duration busyWait) {
    if (!Files.isRegularFile(file) || size(file) == 0) {
      return; // missing or empty: a new catalogue, or refused as a lost one where the start checks the file
    }
    Properties readOnly = new Properties();
    readOnly.setProperty("open_mode", Integer.toString(SQLITE_OPEN_READONLY | SQLITE_OPEN_URI));
    readOnly.setProperty("busy_timeout", Long.toString(busyWait.toMillis()));
    // immutable: not even a -shm and -wal made beside a WAL file; only while no -wal or -journal says another process writes it
    boolean written = Files.exists(beside(file, "-wal")) || Files.exists(beside(file, "-journal"));
    List<String> tables = new ArrayList<>();
    try (Connection connection = new org.sqlite.JDBC().connect("jdbc:sqlite:" + file.toUri() + (written ? "" : "?immutable=1"), readOnly);
         Statement statement = connection.createStatement();
         ResultSet found = statement.executeQuery("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\'"
             + " ORDER BY name")) {
      while (found.next()) {
        tables.add(found.getString(1));
      }
    } catch (SQLException e) {
      String damaged = Migrations.damaged(e);
      if (damaged.isEmpty()) {
        return; // busy, or what a read-only connection alone cannot do: the work that follows says what it finds, as before
      }
      throw new IllegalStateException("could not read " + file + " as an SQLite database: " + e.getMessage() + damaged, e);
    }
    if (!tables.isEmpty() && !tables.contains("changelog")) {
      throw new SchemaCheck.SchemaException(("%s is an SQLite database that is not a Pi-hole Checkpoint catalogue: it holds %d table(s) of"
          + " something else (%s) and no changelog of ours. Nothing was written to it. Point DATA_DIR at the folder of the right"
          + " checkpoint.db, put back checkpoint.db from a copy, or move this file away (mv %s %s.away) to start a new catalogue: the"
          + " archives in BACKUP_DIR are then adopted").formatted(file, tables.size(),
          String.join(", ", tables.subList(0, Math.min(5, tables.size()))) + (tables.size() > 5 ? ", …" : ""), file, file));
    }
  }

  private static Path beside(Path file, String suffix) {
    return file.resolveSibling(file.getFileName() + suffix);
  }

  private static long size(Path file) {
    try {
      return Files.size(file);
    } catch (java.io.IOException e) {
      return 0; // SQLite says what it cannot read, naming the file
    }
  }
}
