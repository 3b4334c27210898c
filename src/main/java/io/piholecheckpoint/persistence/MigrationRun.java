package io.piholecheckpoint.persistence;

import io.piholecheckpoint.core.units.Causes;
import java.io.IOException;
import java.io.PrintStream;
import java.io.Reader;
import java.io.StringReader;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.apache.ibatis.jdbc.ScriptRunner;
import org.apache.ibatis.migration.Change;
import org.apache.ibatis.migration.operations.DatabaseOperation;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.sqlite.SQLiteErrorCode;
import org.sqlite.SQLiteException;

/**
 * Applies the pending migrations, each script with its changelog row in one transaction (SQLite's and PostgreSQL's DDL are
 * transactional). MyBatis Migrations' UpOperation commits a script, then writes its row on another connection: a process
 * killed between the two left the script's changes without their record, and every later start ran it again and failed
 * ("duplicate column name").
 *
 * <p>A database an older build left that way is recognised on SQLite: when a script fails, the file's schema is compared with
 * the one this build's scripts make, in memory. Equal to the schema after that migration, it was applied whole (its script
 * was one transaction then too) and only its row is written; anything else is refused with what to do.
 */
final class MigrationRun {
  private static final Logger log = LoggerFactory.getLogger(MigrationRun.class);

  private MigrationRun() {
  }

  static void up(Database database, PrintStream out) {
    ClasspathMigrationLoader scripts = new ClasspathMigrationLoader(database.dialect());
    List<Change> changes = sorted(scripts);
    try (Connection connection = database.dataSource().getConnection()) {
      BigDecimal last = lastApplied(connection);
      for (Change change : changes) {
        if (last == null || change.getId().compareTo(last) > 0) {
          out.println("Applying: " + change.getFilename());
          try {
            apply(connection, scripts, change);
          } catch (RuntimeException e) {
            recordIfAppliedWhole(database, connection, scripts, change, e); // logged there
          }
        }
      }
    } catch (SQLException e) {
      throw new IllegalStateException("could not migrate " + database.describe() + ": " + e.getMessage(), e);
    }
  }

  /** The script and, as its last statement, its changelog row: the script runner commits once, at the end of what it runs. */
  static void apply(Connection connection, ClasspathMigrationLoader scripts, Change change) {
    ScriptRunner runner = new ScriptRunner(connection);
    runner.setLogWriter(null);
    runner.setErrorLogWriter(null);
    runner.setStopOnError(true);
    runner.setEscapeProcessing(false);
    runner.setAutoCommit(false);
    runner.setSendFullScript(false); // sqlite-jdbc runs only the first statement of a string that holds several
    runner.setDelimiter(";");
    runner.setFullLineDelimiter(false);
    runner.runScript(new StringReader(text(scripts, change) + "\n" + changelogRow(change) + ";\n"));
  }

  private static String text(ClasspathMigrationLoader scripts, Change change) {
    try (Reader reader = scripts.getScriptReader(change, false)) {
      StringWriter text = new StringWriter();
      reader.transferTo(text);
      return text.toString();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the migration " + change.getFilename(), e);
    }
  }

  /** Values written into the statement: the script runner takes no parameters, and these are the build's own (id, file name). */
  private static String changelogRow(Change change) {
    return "INSERT INTO changelog (id, applied_at, description) VALUES (%s, '%s', '%s')".formatted(change.getId().toPlainString(),
        DatabaseOperation.generateAppliedTimeStampAsString(), change.getDescription().replace("'", "''"));
  }

  private static BigDecimal lastApplied(Connection connection) throws SQLException {
    try (ResultSet table = connection.getMetaData().getTables(null, connection.getSchema(), "changelog", null)) {
      if (!table.next()) {
        return null;
      }
    }
    try (Statement statement = connection.createStatement(); ResultSet max = statement.executeQuery("SELECT MAX(id) FROM changelog")) {
      return max.next() ? max.getBigDecimal(1) : null;
    }
  }

  /**
   * Writes the changelog row of {@code change} alone when its changes are in the database already (an older build was stopped
   * between its script and its row); throws {@code failure} when the database is as it was before the script, and refuses
   * anything else, saying what to do.
   */
  private static void recordIfAppliedWhole(Database database, Connection connection, ClasspathMigrationLoader scripts, Change change,
      RuntimeException failure) {
    if (database.dialect() == Dialect.POSTGRESQL) {
      if (Causes.find(failure, SQLException.class, sql -> sql.getSQLState() != null).map(SQLException::getSQLState).orElse("").startsWith("42")) { // an object the script creates is there already
        throw halfApplied(database, change, failure, "restore the database from a dump made before that start");
      }
      throw failure;
    }
    if (Causes.find(failure, SQLiteException.class).filter(sqlite -> sqlite.getResultCode() == SQLiteErrorCode.SQLITE_ERROR).isEmpty()) {
      throw failure; // busy, disk full, I/O: not about what the schema holds
    }
    List<String> actual;
    List<String> before;
    List<String> after;
    try {
      actual = schema(connection);
      try (Connection reference = DriverManager.getConnection("jdbc:sqlite::memory:")) {
        before = List.of();
        for (Change earlier : sorted(scripts)) {
          if (earlier.getId().compareTo(change.getId()) > 0) {
            break;
          }
          before = schema(reference);
          apply(reference, scripts, earlier);
        }
        after = schema(reference);
      }
    } catch (SQLException e) {
      failure.addSuppressed(e);
      throw failure;
    }
    if (actual.equals(after) && !after.equals(before)) {
      try (Statement statement = connection.createStatement()) {
        statement.executeUpdate(changelogRow(change));
        connection.commit();
      } catch (SQLException e) {
        throw new IllegalStateException("could not record migration " + change.getFilename() + " in " + database.describe() + ": "
            + e.getMessage(), e);
      }
      log.warn("Migration {} of {} had been applied without its record (a start before this build was stopped in the middle of it);"
          + " its schema is the one the migration makes, so it was recorded now", change.getFilename(), database.describe());
      return;
    }
    if (actual.equals(before)) {
      throw failure;
    }
    throw halfApplied(database, change, failure, "restore checkpoint.db from a copy made before that start, or move it (with its -wal"
        + " and -shm) away to start a new, empty catalogue: the archives in BACKUP_DIR are adopted, instances added in the web"
        + " interface must be added again (README, Running it: upgrades stopped midway)");
  }

  private static List<Change> sorted(ClasspathMigrationLoader scripts) {
    List<Change> changes = scripts.getMigrations();
    Collections.sort(changes);
    return changes;
  }

  private static SchemaCheck.SchemaException halfApplied(Database database, Change change, RuntimeException failure, String todo) {
    SchemaCheck.SchemaException refused = new SchemaCheck.SchemaException(("The database at %s holds part of migration %s but not its"
        + " record: a start of a build before this one was stopped in the middle of it (a kill, a power loss), and its changes cannot"
        + " be completed safely (%s). Nothing was changed: %s, then start again").formatted(database.describe(), change.getFilename(),
        String.valueOf(Causes.innermostMessage(failure)).strip(), todo));
    refused.initCause(failure);
    return refused;
  }

  /** The file's tables, indexes and triggers, each with the statement SQLite keeps for it. */
  private static List<String> schema(Connection connection) throws SQLException {
    List<String> schema = new ArrayList<>();
    try (Statement statement = connection.createStatement(); ResultSet rows = statement.executeQuery(
        "SELECT type, name, tbl_name, sql FROM sqlite_master WHERE name NOT LIKE 'sqlite\\_%' ESCAPE '\\' ORDER BY type, name")) {
      while (rows.next()) {
        schema.add(rows.getString(1) + " " + rows.getString(2) + " " + rows.getString(3) + " " + rows.getString(4));
      }
    }
    return schema;
  }
}
