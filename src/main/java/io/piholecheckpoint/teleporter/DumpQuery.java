package io.piholecheckpoint.teleporter;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * One table's part of the canonical dump with each row's {@code column=value\u001f}… text built by SQLite,
 * in the order of {@code SELECT * … ORDER BY 1, 2}: one call into SQLite per row instead of one per value
 * (a JNI call and a String each, most of the dump's time after SHA-256). {@code CAST(v AS TEXT)} formats a
 * value as {@code sqlite3_column_text}, and so {@code getString}, does (one conversion in SQLite for every
 * type); NULL is written "null" as {@code String.valueOf} does. A row whose text could pass SQLite's length
 * limit, which applies to the whole text and not to each value, is read value by value instead.
 */
final class DumpQuery {
  /** A row's text longer than this is read value by value: well under {@link GravityDatabase#MAX_VALUE_BYTES}. */
  static final int MAX_ROW_TEXT = GravityDatabase.MAX_VALUE_BYTES / 2;

  private final String table;
  private final List<String> columns;

  private DumpQuery(String table, List<String> columns) {
    this.table = table;
    this.columns = columns;
  }

  /**
   * The query for {@code table} of a UTF-8 database, or empty when the rows must be read value by value: a table
   * without a rowid, a column whose name shadows the rowid or cannot be written back into SQL as it was read, or
   * names so long that they alone would take half a row's text.
   */
  static Optional<DumpQuery> of(Connection db, String table) throws SQLException {
    List<String> columns = new ArrayList<>();
    try (Statement s = db.createStatement()) {
      try (ResultSet rs = s.executeQuery("SELECT wr FROM pragma_table_list WHERE schema = 'main' AND name = '" + table + "'")) {
        if (!rs.next() || rs.getInt(1) != 0) {
          return Optional.empty();
        }
      }
      try (ResultSet rs = s.executeQuery("SELECT * FROM \"" + table + "\" LIMIT 0")) {
        ResultSetMetaData meta = rs.getMetaData();
        for (int c = 1; c <= meta.getColumnCount(); c++) {
          columns.add(meta.getColumnName(c));
        }
      }
    }
    long names = 0;
    for (String column : columns) {
      String lower = column.toLowerCase(Locale.ROOT);
      if (lower.equals("rowid") || lower.equals("_rowid_") || lower.equals("oid") || column.indexOf('\0') >= 0 || column.indexOf('\uFFFD') >= 0) {
        return Optional.empty();
      }
      names += column.getBytes(StandardCharsets.UTF_8).length + 2;
    }
    return names > MAX_ROW_TEXT / 2 ? Optional.empty() : Optional.of(new DumpQuery(table, columns));
  }

  /**
   * Row text (NULL when it could be too long) and rowid, in the canonical order. SQLite sorts only the key and the
   * rowid and builds each row's text after the sort, reading the row again by its rowid: text in the sort would
   * keep twice the table's size in memory until its last row (all rows at once; temp_store is MEMORY). LIMIT -1
   * keeps the sort of the subquery, which SQLite may otherwise drop as the subquery is part of a join.
   */
  String sql() {
    StringBuilder text = new StringBuilder();
    StringBuilder size = new StringBuilder("0");
    for (String column : columns) {
      String name = "t." + quoted(column);
      text.append(text.length() == 0 ? "'" : " || '").append(column.replace("'", "''")).append("=' || coalesce(CAST(")
          .append(name).append(" AS TEXT), 'null') || '\u001f'");
      size.append(" + ").append(column.getBytes(StandardCharsets.UTF_8).length + 2).append(" + coalesce(octet_length(").append(name).append("), 4)");
    }
    return "SELECT CASE WHEN " + size + " <= " + MAX_ROW_TEXT + " THEN " + text + " END, t._rowid_ FROM (SELECT _rowid_ AS r FROM \"" + table
        + "\" ORDER BY " + quoted(columns.get(0)) + ", " + quoted(columns.get(1)) + " LIMIT -1) AS o CROSS JOIN \"" + table
        + "\" AS t ON t._rowid_ = o.r";
  }

  private static String quoted(String column) {
    return "\"" + column.replace("\"", "\"\"") + "\"";
  }

  void write(Connection db, CanonicalRows rows) throws SQLException, IOException {
    try (Statement s = db.createStatement(); ResultSet rs = s.executeQuery(sql());
         PreparedStatement wide = db.prepareStatement("SELECT * FROM \"" + table + "\" WHERE _rowid_ = ?")) {
      while (rs.next()) {
        byte[] text = rs.getBytes(1);
        if (text != null) {
          rows.row(text);
        } else {
          wide.setLong(1, rs.getLong(2));
          try (ResultSet row = wide.executeQuery()) {
            rows.write(row);
          }
        }
      }
    }
    rows.flush();
  }
}
