package io.piholecheckpoint.teleporter;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.piholecheckpoint.core.contents.Cursor;
import io.piholecheckpoint.core.contents.Page;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/** One page of a list from its {@link ListIndex}: a range scan of its natural-order index after the cursor, the total stored. */
final class IndexPages {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final TypeReference<List<String>> NAMES = new TypeReference<>() {
  };

  private IndexPages() {
  }

  static Page<Object> read(Connection db, GravityTable table, Cursor after, int limit) throws SQLException {
    // the row shape GravityTable.item reads: id (unused), key1, key2, key text, the table's own columns
    String sql = "SELECT 0, k1, k2, k1, a, b, c, groups FROM items INDEXED BY items_natural WHERE cat = ?"
        + (after == null ? "" : " AND (n, k1, k2) > (?, ?, ?)") + " ORDER BY n, k1, k2 LIMIT ?";
    List<Object> items = new ArrayList<>();
    GravityTable.Row end = null;
    boolean more;
    try (PreparedStatement s = db.prepareStatement(sql)) {
      int i = 1;
      s.setInt(i++, table.ordinal());
      if (after != null) {
        s.setString(i++, after.sortKey());
        s.setString(i++, after.key1());
        s.setLong(i++, after.key2());
      }
      s.setInt(i, limit + 1);
      try (ResultSet rs = s.executeQuery()) {
        while (items.size() < limit && rs.next()) {
          end = GravityTable.Row.of(rs);
          items.add(table.item(end, groups(rs.getString(8))));
        }
        more = items.size() == limit && rs.next();
      }
    }
    return new Page<>(total(db, table), items, more ? new Cursor(end.getString(2), end.getLong(3)).encode(scope(table)) : null);
  }

  /** What a cursor of this list is bound to. */
  static String scope(GravityTable table) {
    return "contents:" + table.category.id();
  }

  private static long total(Connection db, GravityTable table) throws SQLException {
    try (PreparedStatement s = db.prepareStatement("SELECT total FROM lists WHERE cat = ?")) {
      s.setInt(1, table.ordinal());
      try (ResultSet rs = s.executeQuery()) {
        return rs.next() ? rs.getLong(1) : 0;
      }
    }
  }

  private static List<String> groups(String json) throws SQLException {
    try {
      return json == null ? List.of() : List.copyOf(JSON.readValue(json, NAMES));
    } catch (JsonProcessingException e) {
      throw new SQLException("a list index holds group names that are not JSON: " + e.getOriginalMessage(), e);
    }
  }
}
