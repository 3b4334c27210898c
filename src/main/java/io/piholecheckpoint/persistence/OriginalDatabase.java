package io.piholecheckpoint.persistence;

import io.piholecheckpoint.core.legacy.OriginalInstance;
import io.piholecheckpoint.core.legacy.OriginalRecord;
import io.piholecheckpoint.core.legacy.OriginalSchemaException;
import io.piholecheckpoint.core.legacy.OriginalSource;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.Consumer;
import org.sqlite.SQLiteConfig;

/**
 * The database of Pi-hole Checkpoint 1.x, read with plain JDBC: it is not ours, so it gets no
 * mapper and no pool. It is read from a private copy (the file with its -journal and -wal, in a
 * folder of our data directory that closing deletes), opened normally there: SQLite then rolls
 * back a transaction 1.x left half-written and applies what its -wal holds, as 1.x itself would
 * have, while its own files are only read — never opened by SQLite, so nothing is written or
 * locked beside them. (Opening the file itself immutable read it as it lay: stale or half-written.)
 * Every column is read as text, cut to a bound length, and checked by the core; a column the
 * original added later and this file lacks reads as NULL.
 */
public final class OriginalDatabase implements OriginalSource {
  private static final String INSTANCES = "backup_piholeconfig";
  private static final String RECORDS = "backup_backuprecord";
  private static final List<String> INSTANCE_COLUMNS = List.of("name", "backup_frequency", "backup_time", "backup_day", "max_backups",
      "max_age_days", "is_active", "env_prefix");
  private static final List<String> RECORD_COLUMNS = List.of("config_id", "filename", "file_path", "checksum", "status", "error_message",
      "is_manual", "created_at");
  /** Longer than any value the original writes (an error message is the longest): a hostile row is not read whole. */
  private static final int TEXT_LIMIT = 4000;

  private final Connection connection;
  private final String instanceSelect;
  private final String recordSelect;
  private final OriginalCopy copy;

  private OriginalDatabase(Connection connection, String instanceSelect, String recordSelect, OriginalCopy copy) {
    this.connection = connection;
    this.instanceSelect = instanceSelect;
    this.recordSelect = recordSelect;
    this.copy = copy;
  }

  /** Opens databases of the original through a private copy in {@code workDir} (our data directory). */
  public static OriginalSource.Opener in(Path workDir) {
    return file -> open(file, workDir);
  }

  /** @throws OriginalSchemaException when it cannot be read or lacks the original's two tables and their ids */
  static OriginalDatabase open(Path file, Path workDir) {
    if (!Files.isRegularFile(file) || !Files.isReadable(file)) {
      throw new OriginalSchemaException(file + " is not a readable file", null);
    }
    OriginalCopy copy = OriginalCopy.of(file, workDir);
    Connection connection = null;
    try {
      connection = new SQLiteConfig().createConnection("jdbc:sqlite:" + copy.database());
      String instances = select(connection, INSTANCES, INSTANCE_COLUMNS, "");
      String records = select(connection, RECORDS, RECORD_COLUMNS, " AND id >= ?");
      return new OriginalDatabase(connection, instances, records, copy);
    } catch (SQLException e) {
      close(connection);
      copy.close();
      throw new OriginalSchemaException("it is not an SQLite database that can be read (" + e.getMessage() + ")", e);
    } catch (OriginalSchemaException e) {
      close(connection);
      copy.close();
      throw e;
    }
  }

  /** The query of a table: its integer-keyed rows, the columns it lacks as NULL; the names are ours, never the file's. */
  private static String select(Connection connection, String table, List<String> wanted, String condition) throws SQLException {
    Set<String> present = new HashSet<>();
    try (Statement s = connection.createStatement(); ResultSet columns = s.executeQuery("PRAGMA table_info(" + table + ")")) {
      while (columns.next()) {
        present.add(columns.getString("name").toLowerCase(Locale.ROOT));
      }
    }
    if (!present.contains("id")) {
      throw new OriginalSchemaException("it has no table %s with an id column, so it is no database of Pi-hole Checkpoint 1.x".formatted(table), null);
    }
    List<String> parts = new ArrayList<>();
    parts.add("id");
    for (String column : wanted) {
      parts.add(present.contains(column) ? "substr(CAST(" + column + " AS TEXT), 1, " + TEXT_LIMIT + ")" : "NULL");
    }
    return "SELECT " + String.join(", ", parts) + " FROM " + table + " WHERE typeof(id) = 'integer'" + condition + " ORDER BY id";
  }

  @Override
  public List<OriginalInstance> instances(int limit) {
    List<OriginalInstance> rows = new ArrayList<>();
    try (PreparedStatement s = connection.prepareStatement(instanceSelect + " LIMIT ?")) {
      s.setInt(1, limit);
      try (ResultSet r = s.executeQuery()) {
        while (r.next()) {
          rows.add(new OriginalInstance(r.getLong(1), r.getString(2), r.getString(3), r.getString(4), r.getString(5), r.getString(6),
              r.getString(7), r.getString(8), r.getString(9)));
        }
      }
      return rows;
    } catch (SQLException e) {
      throw unreadable(e);
    }
  }

  @Override
  public long countRecords(long fromId) {
    try (PreparedStatement s = connection.prepareStatement("SELECT count(*) FROM " + RECORDS + " WHERE typeof(id) = 'integer' AND id >= ?")) {
      s.setLong(1, fromId);
      try (ResultSet r = s.executeQuery()) {
        return r.next() ? r.getLong(1) : 0;
      }
    } catch (SQLException e) {
      throw unreadable(e);
    }
  }

  @Override
  public void records(long fromId, Consumer<OriginalRecord> each) {
    try (PreparedStatement s = connection.prepareStatement(recordSelect)) {
      s.setLong(1, fromId);
      try (ResultSet r = s.executeQuery()) {
        while (r.next()) {
          each.accept(new OriginalRecord(r.getLong(1), r.getString(2), r.getString(3), r.getString(4), r.getString(5), r.getString(6),
              r.getString(7), r.getString(8), r.getString(9)));
        }
      }
    } catch (SQLException e) {
      throw unreadable(e);
    }
  }

  private static OriginalSchemaException unreadable(SQLException e) {
    return new OriginalSchemaException("it could not be read to the end (" + e.getMessage() + ")", e);
  }

  @Override
  public void close() {
    close(connection);
    copy.close();
  }

  private static void close(Connection connection) {
    if (connection != null) {
      try {
        connection.close();
      } catch (SQLException e) {
        // only read from: nothing to lose
      }
    }
  }
}
