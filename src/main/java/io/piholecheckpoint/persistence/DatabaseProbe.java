package io.piholecheckpoint.persistence;

import io.piholecheckpoint.core.health.DatabaseStatus;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;

/**
 * Asks the database file itself, on a fresh connection that may not create it: pooled
 * connections keep a deleted or replaced file open and would report it healthy.
 */
public final class DatabaseProbe {
  private static final int TIMEOUT_SECONDS = 2;
  private static final int SQLITE_OPEN_READWRITE = 0x2;

  private final Path file;

  public DatabaseProbe(Path file) {
    this.file = file;
  }

  public DatabaseStatus check() {
    Properties properties = new Properties();
    properties.setProperty("open_mode", Integer.toString(SQLITE_OPEN_READWRITE));
    properties.setProperty("busy_timeout", Integer.toString(TIMEOUT_SECONDS * 1000));
    try (Connection connection = new org.sqlite.JDBC().connect("jdbc:sqlite:" + file, properties);
         Statement statement = connection.createStatement()) {
      statement.setQueryTimeout(TIMEOUT_SECONDS);
      try (ResultSet rs = statement.executeQuery("SELECT MAX(ID) FROM changelog")) {
        String version = rs.next() ? rs.getString(1) : null;
        return new DatabaseStatus(true, version, null);
      }
    } catch (SQLException e) {
      return new DatabaseStatus(false, null, "database " + file + " did not answer: " + e.getMessage());
    }
  }
}
