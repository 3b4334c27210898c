package io.piholecheckpoint.persistence;

import io.piholecheckpoint.core.job.DatabaseBusyException;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * A number that changes whenever a change to the database is committed, by this process or another ({@link
 * Database#dataVersion()}), read on a connection of its own, opened again after an error.
 */
final class DataVersion implements AutoCloseable {
  /** Opens the connection the number is read on. */
  @FunctionalInterface
  interface Watcher {
    Connection open() throws SQLException;
  }

  private final Dialect dialect;
  private final Watcher watcher;
  /** The file, or the JDBC URL with its password masked. */
  private final String description;
  private Connection connection;
  /** How many watcher connections were opened: a new one counts data_version from its own start. */
  private long epoch;

  DataVersion(Dialect dialect, Watcher watcher, String description) {
    this.dialect = dialect;
    this.watcher = watcher;
    this.description = description;
  }

  synchronized long read() {
    try {
      if (connection == null) {
        connection = watcher.open();
        epoch++;
      }
      String query = dialect == Dialect.POSTGRESQL ? "SELECT pg_current_wal_insert_lsn() - '0/0'::pg_lsn" : "PRAGMA data_version";
      try (Statement statement = connection.createStatement(); ResultSet version = statement.executeQuery(query)) {
        version.next();
        return dialect == Dialect.POSTGRESQL ? version.getLong(1) : (epoch << 40) + version.getLong(1);
      }
    } catch (SQLException e) {
      close();
      if (BusySessions.limit(e).isPresent()) {
        // another connection holds the file (SQLite) or the statement waited out its limit: busy as any read, not a fault of ours
        throw new DatabaseBusyException(DatabaseBusyException.Access.READ, BusySessions.limit(e).get(), e);
      }
      throw new IllegalStateException("could not read the data version of " + description + ": " + e.getMessage(), e);
    }
  }

  @Override
  public synchronized void close() {
    if (connection != null) {
      try {
        connection.close();
      } catch (SQLException e) {
        // it is being dropped either way
      }
      connection = null;
    }
  }
}
