package io.piholecheckpoint.teleporter;

import io.piholecheckpoint.core.contents.Change;
import io.piholecheckpoint.core.contents.ChangesPage;
import io.piholecheckpoint.core.contents.ContentDiff;
import io.piholecheckpoint.core.contents.Cursor;
import io.piholecheckpoint.core.contents.FieldChange;
import io.piholecheckpoint.core.contents.Page;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The differences of the lists of two archives, as {@link DiffCaches} stores them (on disk, not in
 * the heap): {@code changes(cat, change, k1, k2, item, n, fields)} indexed in natural order per list and
 * change (fields: a changed row's two sides, which {@link ChangedFields} names), and {@code totals(cat, change, total)} for each list that differs. A summary or a page
 * is an indexed read of its own rows, whatever the size of the lists or of the diff. Read {@code reversed}, the same rows
 * are the diff in the other direction: added and removed swap, a changed item's two sides swap, the order stays (it is
 * the items' natural order), so one stored comparison answers both directions.
 */
final class GravityDiff {
  static final String NEWER = "newer";

  private GravityDiff() {
  }

  /** Counts and the first {@code first} items of each change of one list; {@link ContentDiff.Category#NONE} when it does not differ. */
  static ContentDiff.Category summary(Connection db, boolean reversed, GravityTable table, int first) throws SQLException {
    long[] totals = totals(db, reversed, table);
    if (totals == null) {
      return ContentDiff.Category.NONE;
    }
    List<Page<String>> pages = new ArrayList<>();
    Map<String, List<FieldChange>> fields = new LinkedHashMap<>();
    for (Change change : Change.values()) {
      pages.add(first == 0 ? Page.empty() : page(db, reversed, table, change, null, first, fields));
    }
    return new ContentDiff.Category(pages.get(0).items(), pages.get(1).items(), pages.get(2).items(), totals[0], totals[1], totals[2],
        new ContentDiff.Next(pages.get(0).next(), pages.get(1).next(), pages.get(2).next()), Collections.unmodifiableMap(fields));
  }

  /** One page of one change of one list, with its total and, as {@link #summary}'s first page, the fields of its changed items. */
  static ChangesPage changes(Connection db, boolean reversed, GravityTable table, Change change, Cursor after, int limit) throws SQLException {
    long[] totals = totals(db, reversed, table);
    if (totals == null) {
      return ChangesPage.empty();
    }
    Map<String, List<FieldChange>> fields = new LinkedHashMap<>();
    Page<String> page = page(db, reversed, table, change, after, limit, fields);
    return new ChangesPage(totals[change.ordinal()], page.items(), page.next(), Collections.unmodifiableMap(fields));
  }

  /** What a cursor of one change of one list is bound to. */
  static String scope(GravityTable table, Change change) {
    return "diff:" + table.category.id() + ":" + change.id();
  }

  /** The change as stored: read reversed, what was added is what the stored direction removed, and the other way round. */
  private static Change stored(Change change, boolean reversed) {
    return !reversed || change == Change.CHANGED ? change : change == Change.ADDED ? Change.REMOVED : Change.ADDED;
  }

  /** How many items of each change (by ordinal) the list has, or null when its two sides are equal. */
  private static long[] totals(Connection db, boolean reversed, GravityTable table) throws SQLException {
    long[] totals = null;
    try (PreparedStatement s = db.prepareStatement("SELECT change, total FROM totals WHERE cat = ?")) {
      s.setInt(1, table.ordinal());
      try (ResultSet rs = s.executeQuery()) {
        while (rs.next()) {
          totals = totals == null ? new long[Change.values().length] : totals;
          totals[stored(Change.values()[rs.getInt(1)], reversed).ordinal()] = rs.getLong(2);
        }
      }
    }
    return totals;
  }

  /** Also puts the fields of each changed item listed into {@code fields}. */
  private static Page<String> page(Connection db, boolean reversed, GravityTable table, Change change, Cursor after, int limit,
      Map<String, List<FieldChange>> fields)
      throws SQLException {
    String sql = "SELECT item, k1, k2, fields FROM changes WHERE cat = ? AND change = ?" + (after == null ? "" : " AND (n, k1, k2) > (?, ?, ?)")
        + " ORDER BY n, k1, k2 LIMIT ?";
    List<String> items = new ArrayList<>();
    Cursor last = null;
    boolean more;
    try (PreparedStatement s = db.prepareStatement(sql)) {
      int i = 1;
      s.setInt(i++, table.ordinal());
      s.setInt(i++, stored(change, reversed).ordinal());
      if (after != null) {
        s.setString(i++, after.sortKey());
        s.setString(i++, after.key1());
        s.setLong(i++, after.key2());
      }
      s.setInt(i, limit + 1);
      try (ResultSet rs = s.executeQuery()) {
        while (items.size() < limit && rs.next()) {
          items.add(rs.getString(1));
          if (rs.getString(4) != null) {
            fields.put(rs.getString(1), ChangedFields.of(table, rs.getString(4), reversed));
          }
          last = new Cursor(rs.getString(2), rs.getLong(3));
        }
        more = items.size() == limit && rs.next();
      }
    }
    return new Page<>(items.size(), items, more ? last.encode(scope(table, change)) : null);
  }
}
