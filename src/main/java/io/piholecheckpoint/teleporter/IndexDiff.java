package io.piholecheckpoint.teleporter;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Objects;

/**
 * Compares one list of two {@link ListIndex} files, attached as {@value DiffCaches#OLDER} and
 * {@value GravityDiff#NEWER}. Equal list digests: nothing differs, nothing is read. Otherwise
 * only the rows of blocks without an equal block on the other side are compared: two EXCEPTs over
 * (key, row hash), which SQLite runs as merges of ordered keys, leave the differing rows;
 * classifying those (a key on both sides: changed) appends them to main.changes as
 * {@link GravityDiff} reads it, with each item's natural sort key, so only the changes are stored, not the lists.
 */
final class IndexDiff {
  private IndexDiff() {
  }

  /** Appends the changes of one list to main.changes; false (and nothing appended) when the two lists are equal. */
  static boolean compute(Connection db, GravityTable table) throws SQLException {
    if (Objects.equals(digest(db, DiffCaches.OLDER, table), digest(db, GravityDiff.NEWER, table))) {
      return false;
    }
    try (Statement s = db.createStatement()) {
      for (String temp : new String[] {"sides", "newer_rows", "older_rows"}) {
        s.execute("DROP TABLE IF EXISTS temp." + temp);
      }
      s.execute("CREATE TEMP TABLE sides(side INTEGER, k1, k2)");
    }
    int cat = table.ordinal();
    String older = DiffCaches.OLDER;
    String newer = GravityDiff.NEWER;
    unmatched(db, "newer_rows", newer, older, cat);
    unmatched(db, "older_rows", older, newer, cat);
    update(db, "INSERT INTO temp.sides SELECT 1, k1, k2 FROM (SELECT k1, k2, h FROM temp.newer_rows EXCEPT SELECT k1, k2, h FROM temp.older_rows"
        + " ORDER BY 1, 2, 3)", cat, 0);
    update(db, "INSERT INTO temp.sides SELECT 0, k1, k2 FROM (SELECT k1, k2, h FROM temp.older_rows EXCEPT SELECT k1, k2, h FROM temp.newer_rows"
        + " ORDER BY 1, 2, 3)", cat, 0);
    // 0 added (only in the newer), 1 removed (only in the older), 2 changed (both): Change's ordinals
    update(db, "INSERT INTO main.changes SELECT ?1, CASE WHEN count(*) = 2 THEN 2 WHEN max(side) = 1 THEN 0 ELSE 1 END, k1, k2, coalesce("
        + "(SELECT w.item FROM " + newer + ".items w WHERE w.cat = ?1 AND w.k1 = s.k1 AND w.k2 = s.k2), "
        + "(SELECT o.item FROM " + older + ".items o WHERE o.cat = ?1 AND o.k1 = s.k1 AND o.k2 = s.k2)), coalesce("
        + "(SELECT w.n FROM " + newer + ".items w WHERE w.cat = ?1 AND w.k1 = s.k1 AND w.k2 = s.k2), "
        + "(SELECT o.n FROM " + older + ".items o WHERE o.cat = ?1 AND o.k1 = s.k1 AND o.k2 = s.k2)), CASE WHEN count(*) = 2 THEN json_array("
        + "json((SELECT json_array(o.a, o.b, o.c, o.groups) FROM " + older + ".items o WHERE o.cat = ?1 AND o.k1 = s.k1 AND o.k2 = s.k2)), "
        + "json((SELECT json_array(w.a, w.b, w.c, w.groups) FROM " + newer + ".items w WHERE w.cat = ?1 AND w.k1 = s.k1 AND w.k2 = s.k2))) END"
        + " FROM temp.sides s GROUP BY k1, k2", cat, 1);
    try (Statement s = db.createStatement()) {
      s.execute("DROP TABLE temp.sides");
      s.execute("DROP TABLE temp.newer_rows");
      s.execute("DROP TABLE temp.older_rows");
    }
    return true;
  }

  /**
   * The rows of {@code side}'s blocks that {@code other} has no equal block of (same last key, same
   * digest: the same rows), into temp.{@code into}. Rows of equal blocks are equal on both sides, so
   * every difference is among these: a diff of a few thousand changes reads a few thousand blocks.
   */
  private static void unmatched(Connection db, String into, String side, String other, int cat) throws SQLException {
    try (Statement s = db.createStatement()) {
      s.execute("CREATE TEMP TABLE " + into + "(k1, k2, h, PRIMARY KEY (k1, k2, h)) WITHOUT ROWID");
    }
    update(db, "INSERT OR IGNORE INTO temp." + into + " SELECT i.k1, i.k2, i.h FROM " + side + ".blocks b JOIN " + side + ".items i"
        + " ON i.cat = ?1 AND (i.k1, i.k2) >= (b.s1, b.s2) AND (i.k1, i.k2) <= (b.k1, b.k2)"
        + " WHERE b.cat = ?1 AND NOT EXISTS (SELECT 1 FROM " + other + ".blocks o WHERE o.cat = ?1 AND o.k1 = b.k1 AND o.k2 = b.k2"
        + " AND o.digest = b.digest)", cat, 1);
  }

  private static void update(Connection db, String sql, int cat, int parameters) throws SQLException {
    try (PreparedStatement s = db.prepareStatement(sql)) {
      for (int i = 1; i <= parameters; i++) {
        s.setInt(i, cat);
      }
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
