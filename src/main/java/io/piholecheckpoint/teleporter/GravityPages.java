package io.piholecheckpoint.teleporter;

import io.piholecheckpoint.core.backup.InvalidArchiveException;
import io.piholecheckpoint.core.contents.Page;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;

/**
 * One page of a list of a gravity.db, in key order, with its total: SQLite sorts and counts,
 * the heap holds only the page (a million domains or five, the same memory).
 */
final class GravityPages {
  private GravityPages() {
  }

  static Page<Object> read(Connection db, GravityTable table, Cursor after, int limit) {
    try {
      String sql = "SELECT " + table.pageColumns() + " FROM " + table.table + " t" + (after == null ? "" : " WHERE (" + table.key1 + ", "
          + table.key2 + ") > (?, ?)") + " ORDER BY " + table.order() + " LIMIT ?";
      List<GravityTable.Row> rows = new ArrayList<>();
      boolean more;
      try (PreparedStatement s = db.prepareStatement(sql)) {
        int i = 1;
        if (after != null) {
          s.setString(i++, after.key1());
          s.setLong(i++, after.key2());
        }
        s.setInt(i, limit + 1);
        try (ResultSet rs = s.executeQuery()) {
          while (rows.size() < limit && rs.next()) {
            rows.add(GravityTable.Row.of(rs));
          }
          more = rows.size() == limit && rs.next();
        }
      }
      Map<Long, List<String>> groups = groups(db, table, rows);
      List<Object> items = rows.stream().map(r -> table.item(r, List.copyOf(groups.getOrDefault(r.getLong(1), List.of())))).toList();
      GravityTable.Row end = rows.isEmpty() ? null : rows.get(rows.size() - 1);
      return new Page<>(count(db, table), items, more ? new Cursor(end.getString(2), end.getLong(3)).encode() : null);
    } catch (SQLException e) {
      throw new InvalidArchiveException("its gravity.db cannot be read: " + e.getMessage(), e);
    }
  }

  private static long count(Connection db, GravityTable table) throws SQLException {
    try (PreparedStatement s = db.prepareStatement("SELECT count(*) FROM " + table.table); ResultSet rs = s.executeQuery()) {
      return rs.next() ? rs.getLong(1) : 0;
    }
  }

  /** Group names of the page's items: one pass over the membership table for the whole page. */
  private static Map<Long, List<String>> groups(Connection db, GravityTable table, List<GravityTable.Row> rows) throws SQLException {
    Map<Long, List<String>> groups = new HashMap<>();
    if (table.memberships == null || rows.isEmpty()) {
      return groups;
    }
    StringJoiner ids = new StringJoiner(",", "[", "]");
    rows.forEach(r -> ids.add(Long.toString(r.getLong(1))));
    try (PreparedStatement s = db.prepareStatement("SELECT m." + table.memberColumn + ", coalesce(g.name, '#' || m.group_id) FROM "
        + table.memberships + " m LEFT JOIN \"group\" g ON g.id = m.group_id WHERE m." + table.memberColumn
        + " IN (SELECT value FROM json_each(?)) ORDER BY m.group_id")) {
      s.setString(1, ids.toString());
      try (ResultSet rs = s.executeQuery()) {
        while (rs.next()) {
          groups.computeIfAbsent(rs.getLong(1), k -> new ArrayList<>()).add(rs.getString(2));
        }
      }
    }
    return groups;
  }
}
