package io.piholecheckpoint.teleporter;

import io.piholecheckpoint.core.contents.Change;
import io.piholecheckpoint.core.contents.ContentDiff;
import io.piholecheckpoint.core.contents.Cursor;
import io.piholecheckpoint.core.contents.Page;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * The differences of one list, as {@link IndexDiff} leaves them in the temporary table
 * {@code temp.diff(change, k1, k2, item)} (on disk, not in the heap): counted, and read a page at
 * a time in {@link io.piholecheckpoint.core.contents.NaturalOrder}.
 */
final class GravityDiff {
  static final String NEWER = "newer";

  private GravityDiff() {
  }

  /** Counts and the first {@code first} items of each change, from temp.diff as {@link #compute} fills it. */
  static ContentDiff.Category summary(Connection db, GravityTable table, int first) throws SQLException {
    long[] totals = new long[Change.values().length];
      try (Statement s = db.createStatement(); ResultSet rs = s.executeQuery("SELECT change, count(*) FROM temp.diff GROUP BY change")) {
        while (rs.next()) {
          totals[rs.getInt(1)] = rs.getLong(2);
        }
      }
      List<Page<String>> pages = new ArrayList<>();
      for (Change change : Change.values()) {
        pages.add(first == 0 ? Page.empty() : page(db, table, change, null, first));
      }
      return new ContentDiff.Category(pages.get(0).items(), pages.get(1).items(), pages.get(2).items(), totals[0], totals[1], totals[2],
          new ContentDiff.Next(pages.get(0).next(), pages.get(1).next(), pages.get(2).next()));
  }

  /** One page of one change, with its total, from temp.diff. */
  static Page<String> changes(Connection db, GravityTable table, Change change, Cursor after, int limit) throws SQLException {
      Page<String> page = page(db, table, change, after, limit);
      try (PreparedStatement s = db.prepareStatement("SELECT count(*) FROM temp.diff WHERE change = ?")) {
        s.setInt(1, change.ordinal());
        try (ResultSet rs = s.executeQuery()) {
          return new Page<>(rs.next() ? rs.getLong(1) : 0, page.items(), page.next());
        }
      }
  }

  /** What a cursor of one change of one list is bound to. */
  static String scope(GravityTable table, Change change) {
    return "diff:" + table.category.id() + ":" + change.id();
  }

  private static Page<String> page(Connection db, GravityTable table, Change change, Cursor after, int limit) throws SQLException {
    String sql = "SELECT item, k1, k2 FROM temp.diff WHERE change = ?" + (after == null ? "" : " AND (n, k1, k2) > (?, ?, ?)")
        + " ORDER BY n, k1, k2 LIMIT ?";
    List<String> items = new ArrayList<>();
    Cursor last = null;
    boolean more;
    try (PreparedStatement s = db.prepareStatement(sql)) {
      int i = 1;
      s.setInt(i++, change.ordinal());
      if (after != null) {
        s.setString(i++, after.sortKey());
        s.setString(i++, after.key1());
        s.setLong(i++, after.key2());
      }
      s.setInt(i, limit + 1);
      try (ResultSet rs = s.executeQuery()) {
        while (items.size() < limit && rs.next()) {
          items.add(rs.getString(1));
          last = new Cursor(rs.getString(2), rs.getLong(3));
        }
        more = items.size() == limit && rs.next();
      }
    }
    return new Page<>(items.size(), items, more ? last.encode(scope(table, change)) : null);
  }
}
