package io.piholecheckpoint.persistence;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * {@code entrypoint.sh copy-db}: the SQLite catalogue copied into an empty PostgreSQL one, both
 * migrated to this build's schema first. All of it or nothing: one transaction on each side (the
 * SQLite side a consistent snapshot, the PostgreSQL side committed only when every table's row
 * count matches), rows streamed in batches (memory does not grow with the catalogue), and each
 * identity sequence set past the highest id copied, so new rows do not collide with copied ones.
 */
public final class CatalogueCopy {
  /**
   * Every table of the catalogue, parents before children (foreign keys). A table a migration
   * adds must be added here: the copy refuses a source with a table it does not know.
   */
  static final List<String> TABLES = List.of("instance", "backup", "restore", "backup_run", "original_import", "original_record",
      "original_instance", "offsite_copy", "offsite_catch_up", "sync_run", "offsite_destination", "offsite_destination_setting", "sync_group",
      "sync_group_setting", "app_secret", "web_session", "job", "offsite_place", "cluster_node", "setting_change",
      "cluster_setting", "sync_turn", "offsite_sftp_home", "offsite_adoption_note");
  /** Tables whose id PostgreSQL generates (INTEGER PRIMARY KEY AUTOINCREMENT in the scripts). */
  private static final Set<String> GENERATED_IDS = Set.of("instance", "backup", "restore", "offsite_copy", "sync_run");
  private static final Set<String> NOT_COPIED = Set.of("changelog", "sqlite_sequence");
  private static final int BATCH = 500;

  private CatalogueCopy() {
  }

  /** Rows copied per table, in {@link #TABLES} order. */
  public static Map<String, Long> copy(Database source, Database target) {
    if (source.dialect() != Dialect.SQLITE || target.dialect() != Dialect.POSTGRESQL) {
      throw new IllegalArgumentException("copy-db copies an SQLite catalogue into PostgreSQL");
    }
    try (Connection from = source.dataSource().getConnection(); Connection to = target.dataSource().getConnection()) {
      from.setAutoCommit(false); // one snapshot of the file for every table
      to.setAutoCommit(false);
      try {
        refuseUnknownTables(from);
        refuseFilled(to, target);
        Map<String, Long> copied = new LinkedHashMap<>();
        for (String table : TABLES) {
          copied.put(table, copyTable(from, to, table));
        }
        Map<String, Long> issued = issuedIds(from);
        for (String table : GENERATED_IDS) {
          // past every id SQLite gave out, not only those left: the id of a deleted row is never given again, as there
          try (PreparedStatement statement = to.prepareStatement("SELECT setval(pg_get_serial_sequence('" + table + "', 'id'), "
              + "GREATEST(COALESCE((SELECT MAX(id) FROM " + table + "), 0), ?) + 1, false)")) {
            statement.setLong(1, issued.getOrDefault(table, 0L));
            statement.execute();
          }
        }
        for (Map.Entry<String, Long> entry : copied.entrySet()) {
          long there = count(to, entry.getKey());
          if (there != entry.getValue()) {
            throw new IllegalStateException("table %s has %d rows in %s after the copy, not the %d read from %s; nothing was copied"
                .formatted(entry.getKey(), there, target.describe(), entry.getValue(), source.describe()));
          }
        }
        to.commit();
        return copied;
      } catch (SQLException | RuntimeException e) {
        to.rollback();
        throw e;
      } finally {
        from.rollback(); // read only
      }
    } catch (SQLException e) {
      throw new IllegalStateException("could not copy " + source.describe() + " into " + target.describe() + ": " + e.getMessage()
          + "; nothing was copied", e);
    }
  }

  /** The highest id SQLite gave out per AUTOINCREMENT table (sqlite_sequence), deleted rows included; none before a first insert. */
  private static Map<String, Long> issuedIds(Connection from) throws SQLException {
    Map<String, Long> issued = new HashMap<>();
    try (Statement statement = from.createStatement();
         ResultSet tables = statement.executeQuery("SELECT name FROM sqlite_master WHERE type = 'table' AND name = 'sqlite_sequence'")) {
      if (!tables.next()) {
        return issued;
      }
    }
    try (Statement statement = from.createStatement(); ResultSet rows = statement.executeQuery("SELECT name, seq FROM sqlite_sequence")) {
      while (rows.next()) {
        issued.put(rows.getString(1).toLowerCase(Locale.ROOT), rows.getLong(2));
      }
    }
    return issued;
  }

  private static void refuseUnknownTables(Connection from) throws SQLException {
    Set<String> unknown = new TreeSet<>();
    try (Statement statement = from.createStatement();
         ResultSet tables = statement.executeQuery("SELECT name FROM sqlite_master WHERE type = 'table'")) {
      while (tables.next()) {
        String name = tables.getString(1).toLowerCase(Locale.ROOT);
        if (!TABLES.contains(name) && !NOT_COPIED.contains(name)) {
          unknown.add(name);
        }
      }
    }
    if (!unknown.isEmpty()) {
      throw new IllegalStateException("the SQLite catalogue has table(s) " + unknown + " that copy-db does not know; nothing was copied");
    }
  }

  private static void refuseFilled(Connection to, Database target) throws SQLException {
    Map<String, Long> filled = new LinkedHashMap<>();
    for (String table : TABLES) {
      long rows = count(to, table);
      if (rows > 0) {
        filled.put(table, rows);
      }
    }
    if (!filled.isEmpty()) {
      throw new IllegalStateException(("%s is not empty (rows %s): copy-db only fills an empty catalogue, so that nothing there is"
          + " overwritten or mixed; point DATABASE_URL at a new database (CREATE DATABASE …) and run copy-db again").formatted(target.describe(), filled));
    }
  }

  private static long copyTable(Connection from, Connection to, String table) throws SQLException {
    Map<String, Integer> targetTypes = columnTypes(to, table);
    try (Statement read = from.createStatement(); ResultSet rows = read.executeQuery("SELECT * FROM " + table)) {
      ResultSetMetaData meta = rows.getMetaData();
      List<String> columns = new ArrayList<>();
      for (int i = 1; i <= meta.getColumnCount(); i++) {
        String column = meta.getColumnName(i).toLowerCase(Locale.ROOT);
        if (!targetTypes.containsKey(column)) {
          throw new IllegalStateException("column " + table + "." + column + " of the SQLite catalogue is missing in PostgreSQL; nothing was copied");
        }
        columns.add(column);
      }
      // the ids are kept as they are: records, links and the off-site queue refer to them
      String insert = "INSERT INTO " + table + " (" + String.join(", ", columns) + ") VALUES (" + "?, ".repeat(columns.size() - 1) + "?)";
      long copied = 0;
      try (PreparedStatement write = to.prepareStatement(insert)) {
        while (rows.next()) {
          for (int i = 0; i < columns.size(); i++) {
            Object value = rows.getObject(i + 1);
            if (value == null) {
              write.setNull(i + 1, targetTypes.get(columns.get(i)));
            } else {
              write.setObject(i + 1, value, targetTypes.get(columns.get(i)));
            }
          }
          write.addBatch();
          if (++copied % BATCH == 0) {
            write.executeBatch();
          }
        }
        write.executeBatch();
      }
      return copied;
    }
  }

  private static Map<String, Integer> columnTypes(Connection to, String table) throws SQLException {
    Map<String, Integer> types = new HashMap<>();
    try (ResultSet columns = to.getMetaData().getColumns(null, null, table, null)) {
      while (columns.next()) {
        types.put(columns.getString("COLUMN_NAME").toLowerCase(Locale.ROOT), columns.getInt("DATA_TYPE"));
      }
    }
    return types;
  }

  private static long count(Connection connection, String table) throws SQLException {
    try (Statement statement = connection.createStatement(); ResultSet rows = statement.executeQuery("SELECT COUNT(*) FROM " + table)) {
      rows.next();
      return rows.getLong(1);
    }
  }
}
