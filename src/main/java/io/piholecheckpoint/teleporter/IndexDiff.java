package io.piholecheckpoint.teleporter;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Objects;

/**
 * Compares one list of two {@link ListIndex} files, the older as {@code main}, the newer attached
 * as {@value GravityDiff#NEWER}. Equal list digests: nothing differs, nothing is read. Otherwise
 * two EXCEPTs over (key, row hash), which SQLite runs as merges of the two already ordered primary
 * keys (no sort), leave only the differing rows; classifying those (a key on both sides: changed)
 * fills temp.diff as {@link GravityDiff} reads it, so only the changes are stored, not the lists.
 */
final class IndexDiff {
  private IndexDiff() {
  }

  /** Fills temp.diff for one list; false (and temp.diff left alone) when the two lists are equal. */
  static boolean compute(Connection db, GravityTable table) throws SQLException {
    if (Objects.equals(digest(db, "main", table), digest(db, GravityDiff.NEWER, table))) {
      return false;
    }
    try (Statement s = db.createStatement()) {
      s.execute("DROP TABLE IF EXISTS temp.sides");
      s.execute("DROP TABLE IF EXISTS temp.diff");
      s.execute("CREATE TEMP TABLE sides(side INTEGER, k1, k2)");
      s.execute("CREATE TEMP TABLE diff(change INTEGER, k1, k2, item TEXT)");
    }
    int cat = table.ordinal();
    update(db, "INSERT INTO temp.sides SELECT 1, k1, k2 FROM (" + rows(GravityDiff.NEWER) + " EXCEPT " + rows("main") + " ORDER BY 1, 2, 3)", cat, 2);
    update(db, "INSERT INTO temp.sides SELECT 0, k1, k2 FROM (" + rows("main") + " EXCEPT " + rows(GravityDiff.NEWER) + " ORDER BY 1, 2, 3)", cat, 2);
    // 0 added (only in the newer), 1 removed (only in the older), 2 changed (both): Change's ordinals
    update(db, "INSERT INTO temp.diff SELECT CASE WHEN count(*) = 2 THEN 2 WHEN max(side) = 1 THEN 0 ELSE 1 END, k1, k2, coalesce("
        + "(SELECT n.item FROM " + GravityDiff.NEWER + ".items n WHERE n.cat = ?1 AND n.k1 = s.k1 AND n.k2 = s.k2), "
        + "(SELECT o.item FROM main.items o WHERE o.cat = ?1 AND o.k1 = s.k1 AND o.k2 = s.k2)) FROM temp.sides s GROUP BY k1, k2", cat, 1);
    try (Statement s = db.createStatement()) {
      s.execute("CREATE INDEX temp.diff_order ON diff(change, k1, k2)");
      s.execute("DROP TABLE temp.sides");
    }
    return true;
  }

  private static String rows(String schema) {
    return "SELECT k1, k2, h FROM " + schema + ".items WHERE cat = ?";
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
