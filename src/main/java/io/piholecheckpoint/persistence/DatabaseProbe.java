package io.piholecheckpoint.persistence;

import io.piholecheckpoint.core.health.DatabaseStatus;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;

/**
 * Asks the database itself, on a fresh connection: for SQLite one that may not create the file
 * (pooled connections keep a deleted or replaced file open and would report it healthy), for
 * PostgreSQL a new sign-in (a pooled connection says nothing of whether a new one is accepted).
 */
public final class DatabaseProbe {
  /** How long a probe waits for an answer, or for a file another connection holds, before it says so. */
  static final java.time.Duration TIMEOUT = java.time.Duration.ofSeconds(2);
  private static final int SQLITE_OPEN_READWRITE = 0x2;

  private final Database database;
  private final java.time.Duration timeout;

  public DatabaseProbe(Database database) {
    this(database, TIMEOUT);
  }

  /** @param timeout {@link #TIMEOUT} but in tests that hold the file on purpose, which need not wait two seconds to see it busy */
  DatabaseProbe(Database database, java.time.Duration timeout) {
    this.database = database;
    this.timeout = timeout;
  }

  /** In whole seconds, at least one: PostgreSQL's driver's unit. */
  private int timeoutSeconds() {
    return (int) Math.max(1, timeout.toSeconds());
  }

  /**
   * Whether it answers, and the last write it refused for a full disk (a read still passes then); SQLite: neither reachable nor
   * writable once the file opened was removed or replaced, saying so.
   */
  public DatabaseStatus check() {
    String gone = database.fileGone();
    if (gone != null) {
      // a fresh connection would answer from whatever file is at the path now, which the app's connections do not use
      return new DatabaseStatus(false, null, gone, gone);
    }
    return (database.dialect() == Dialect.SQLITE ? checkFile(database.file()) : checkServer()).withWriteRefused(database.writeRefused());
  }

  private DatabaseStatus checkServer() {
    try (Connection connection = database.dataSource().getConnection(); Statement statement = connection.createStatement()) {
      statement.setQueryTimeout(timeoutSeconds());
      try (ResultSet rs = statement.executeQuery("SELECT MAX(ID) FROM changelog")) {
        String version = rs.next() ? rs.getString(1) : null;
        return new DatabaseStatus(true, version, null);
      }
    } catch (SQLException e) {
      return new DatabaseStatus(false, null, "database " + database.describe() + " did not answer: " + e.getMessage());
    }
  }

  private DatabaseStatus checkFile(Path file) {
    Properties properties = new Properties();
    properties.setProperty("open_mode", Integer.toString(SQLITE_OPEN_READWRITE));
    properties.setProperty("busy_timeout", Long.toString(timeout.toMillis()));
    // no query timeout: sqlite-jdbc puts one (whole seconds, at least 1) in the busy wait's place for the statement, so a
    // 400 ms probe waited a full second; the busy wait above is the only wait this read can meet
    try (Connection connection = new org.sqlite.JDBC().connect("jdbc:sqlite:" + file, properties);
         Statement statement = connection.createStatement()) {
      try (ResultSet rs = statement.executeQuery("SELECT MAX(ID) FROM changelog")) {
        String version = rs.next() ? rs.getString(1) : null;
        return new DatabaseStatus(true, version, null);
      }
    } catch (SQLException e) {
      if (BusySessions.limit(e).isPresent()) {
        // there and answering, but held locked by another connection (a long transaction, another process): busy, as a read
        // of the catalogue then finds it (the health check says so), not out of reach
        return new DatabaseStatus(true, null, "database busy: " + file + " is held locked by another connection: " + e.getMessage());
      }
      return new DatabaseStatus(false, null, "database " + file + " did not answer: " + e.getMessage());
    }
  }
}
