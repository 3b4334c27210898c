package io.piholecheckpoint.teleporter;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Objects;

/**
 * Compares one list of two {@link ListIndex} files, attached as {@value DiffCaches#OLDER} and
 * {@value GravityDiff#NEWER}. Equal list digests: nothing differs, nothing is read. Otherwise
 * only the rows of blocks without an equal block on the other side are read (rows of equal blocks
 * are equal on both sides), and each is looked up by its key on the other side, the key being
 * unique in an index: a newer row whose key the older lacks is added, an older row whose key the
 * newer lacks is removed, a newer row whose key the older holds with another row hash is changed.
 * Three passes append to main.changes as {@link GravityDiff} reads it, with each item's text and
 * natural sort key from its own row, so only the changes are stored, not the lists, and nothing
 * is sorted or held but the rows written.
 */
final class IndexDiff {
  private IndexDiff() {
  }

  /** Appends the changes of one list to main.changes; false (and nothing appended) when the two lists are equal. */
  static boolean compute(Connection db, GravityTable table) throws SQLException {
    if (Objects.equals(digest(db, DiffCaches.OLDER, table), digest(db, GravityDiff.NEWER, table))) {
      return false;
    }
    String older = DiffCaches.OLDER;
    String newer = GravityDiff.NEWER;
    // 0 added (only in the newer), 1 removed (only in the older), 2 changed (both): Change's ordinals
    int cat = table.ordinal();
    update(db, "INSERT INTO main.changes SELECT ?1, 0, i.k1, i.k2, i.item, i.n, NULL" + unmatched(newer, older, "")
        + " AND NOT EXISTS (SELECT 1 FROM " + older + ".items o WHERE o.cat = ?1 AND o.k1 = i.k1 AND o.k2 = i.k2)", cat);
    update(db, "INSERT INTO main.changes SELECT ?1, 1, i.k1, i.k2, i.item, i.n, NULL" + unmatched(older, newer, "")
        + " AND NOT EXISTS (SELECT 1 FROM " + newer + ".items w WHERE w.cat = ?1 AND w.k1 = i.k1 AND w.k2 = i.k2)", cat);
    // fields: the row on each side, older first, which ChangedFields names
    update(db, "INSERT INTO main.changes SELECT ?1, 2, i.k1, i.k2, i.item, i.n, json_array(json(json_array(o.a, o.b, o.c, o.groups)),"
        + " json(json_array(i.a, i.b, i.c, i.groups)))" + unmatched(newer, older, " JOIN " + older + ".items o ON o.cat = ?1 AND o.k1 = i.k1"
        + " AND o.k2 = i.k2 AND o.h <> i.h"), cat);
    return true;
  }

  /**
   * FROM and WHERE of the rows ({@code i}) of {@code side}'s blocks that {@code other} has no equal
   * block of (same last key, same digest: the same rows): a diff of a few thousand changes reads a few
   * thousand blocks. {@code join} joins more to them; the WHERE ends in a condition, so more can follow with AND.
   */
  private static String unmatched(String side, String other, String join) {
    return " FROM " + side + ".blocks b JOIN " + side + ".items i ON i.cat = ?1 AND (i.k1, i.k2) >= (b.s1, b.s2) AND (i.k1, i.k2) <= (b.k1, b.k2)"
        + join + " WHERE b.cat = ?1 AND NOT EXISTS (SELECT 1 FROM " + other + ".blocks x WHERE x.cat = ?1 AND x.k1 = b.k1 AND x.k2 = b.k2"
        + " AND x.digest = b.digest)";
  }

  private static void update(Connection db, String sql, int cat) throws SQLException {
    try (PreparedStatement s = db.prepareStatement(sql)) {
      s.setInt(1, cat);
      s.executeUpdate();
    }
  }

  private static String digest(Connection db, String schema, GravityTable table) throws SQLException {
    try (PreparedStatement s = db.prepareStatement("SELECT digest FROM " + schema + ".lists WHERE cat = ?")) {
      s.setInt(1, table.ordinal());
      try (ResultSet rs = s.executeQuery()) {
        return rs.next() ? rs.getString(1) : null;
      }
    }
  }
}
