package io.piholecheckpoint.teleporter;

import io.piholecheckpoint.core.archive.InvalidArchiveException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The shape a gravity.db must have before any of its rows is read. A name in a hostile database
 * can be a view (whose query may yield millions of rows or never end), a virtual table (code of
 * a module), or a table with generated columns (an expression run per row): reading only plain
 * tables with the columns Pi-hole writes leaves SQLite nothing to compute but the rows stored.
 */
final class GravitySchema {
  /** Every table Teleporter exports and a restore imports, with the columns we read (Pi-hole may add more). */
  static final Map<String, List<String>> TABLES = Map.of(
      "group", List.of("id", "enabled", "name", "description"),
      "adlist", List.of("id", "address", "enabled", "comment", "type"),
      "adlist_by_group", List.of("adlist_id", "group_id"),
      "domainlist", List.of("id", "type", "domain", "enabled", "comment"),
      "domainlist_by_group", List.of("domainlist_id", "group_id"),
      "client", List.of("id", "ip", "comment"),
      "client_by_group", List.of("client_id", "group_id"));
  /** Pi-hole's widest table (adlist) has 12. */
  static final int MAX_COLUMNS = 64;

  private GravitySchema() {
  }

  static void require(Connection db) throws SQLException {
    for (Map.Entry<String, List<String>> table : TABLES.entrySet()) {
      requireTable(db, table.getKey());
      requireColumns(db, table.getKey(), table.getValue());
    }
  }

  private static void requireTable(Connection db, String table) throws SQLException {
    try (PreparedStatement s = db.prepareStatement("SELECT type, sql FROM sqlite_schema WHERE name = ? COLLATE NOCASE AND type IN ('table', 'view')")) {
      s.setString(1, table);
      try (ResultSet rs = s.executeQuery()) {
        if (!rs.next()) {
          throw refused("has no table \"" + table + "\"");
        }
        String sql = rs.getString(2) == null ? "" : rs.getString(2).strip().toUpperCase(Locale.ROOT);
        if (!"table".equals(rs.getString(1)) || sql.startsWith("CREATE VIRTUAL")) {
          throw refused("has \"" + table + "\" as a " + (sql.startsWith("CREATE VIRTUAL") ? "virtual table" : rs.getString(1)) + ", not a table");
        }
      }
    }
  }

  private static void requireColumns(Connection db, String table, List<String> needed) throws SQLException {
    Set<String> columns = new HashSet<>();
    try (PreparedStatement s = db.prepareStatement("SELECT name, hidden FROM pragma_table_xinfo(?)")) {
      s.setString(1, table);
      try (ResultSet rs = s.executeQuery()) {
        while (rs.next()) {
          if (rs.getInt(2) != 0) {
            throw refused("has a generated or hidden column \"" + rs.getString(1) + "\" in \"" + table + "\"");
          }
          columns.add(rs.getString(1).toLowerCase(Locale.ROOT));
        }
      }
    }
    if (columns.size() > MAX_COLUMNS) {
      throw refused("has " + columns.size() + " columns in \"" + table + "\"");
    }
    for (String column : needed) {
      if (!columns.contains(column)) {
        throw refused("has no column \"" + column + "\" in \"" + table + "\"");
      }
    }
  }

  private static InvalidArchiveException refused(String what) {
    return new InvalidArchiveException("its gravity.db " + what + ", so it was not exported by Pi-hole");
  }
}
