package io.piholecheckpoint.teleporter;

import io.piholecheckpoint.core.archive.scratch.ScratchDirectory;
import io.piholecheckpoint.core.files.OwnedPaths;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Where the difference of the lists of two archives is kept, so a diff page and each page of its
 * lists is an indexed read of the changes it shows, not a new comparison of two million-row lists:
 * in the scratch folder under {@value ScratchDirectory#DIFFS}/, named by the SHA-256 of both
 * archives (the names of their {@link ListIndex}es), so a kept diff never answers for other bytes; the
 * diff of the same two archives in the other direction reads the same file ({@link #find}).
 * A file is built complete in a temporary file, synced and renamed into place; one whose format
 * version or archive digests do not match, whose length is not the length SQLite's own header
 * records (cut short, or grown), or that SQLite cannot read, is deleted and built again. Only the
 * {@value #KEPT} most recently used are kept, and {@link ScratchDirectory#forget} deletes those
 * of a deleted archive.
 */
final class DiffCaches {
  static final String OLDER = "older";
  static final int KEPT = 4;
  /** Raised when the layout of a kept diff changes, so every older file is rebuilt. */
  static final String VERSION = "2";
  private static final String[] SCHEMA = {
      "CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT NOT NULL)",
      // fields: of a changed item, its row on each side ([[a, b, c, groups], [a, b, c, groups]]), which ChangedFields names
      "CREATE TABLE changes(cat INTEGER NOT NULL, change INTEGER NOT NULL, k1, k2, item TEXT, n TEXT, fields TEXT)",
      "CREATE TABLE totals(cat INTEGER NOT NULL, change INTEGER NOT NULL, total INTEGER NOT NULL, PRIMARY KEY (cat, change))"};

  private DiffCaches() {
  }

  /** A kept diff, and whether it was stored in the other direction (newer to older) and is read {@code reversed}. */
  record Kept(Path file, boolean reversed) {
  }

  /**
   * The kept, checked diff of the two archives (by the SHA-256 of each) in either direction: one
   * comparison answers both, as the reverse is the same rows read the other way ({@link GravityDiff}).
   * Null when there is none or it was unusable (and is now deleted).
   */
  static Kept find(ScratchDirectory scratch, String older, String newer) throws IOException {
    Path kept = checked(scratch, older, newer);
    if (kept != null) {
      return new Kept(kept, false);
    }
    Path reverse = checked(scratch, newer, older);
    return reverse == null ? null : new Kept(reverse, true);
  }

  private static Path checked(ScratchDirectory scratch, String older, String newer) throws IOException {
    Path kept = scratch.diff(older, newer);
    if (!Files.exists(kept)) {
      return null;
    }
    if (matches(kept, older, newer)) {
      Files.setLastModifiedTime(kept, FileTime.from(Instant.now()));
      return kept;
    }
    Files.deleteIfExists(kept);
    return null;
  }

  /**
   * Fills the empty database {@code db} (its main schema) with the difference of the two indexes
   * in one transaction. Returns how many changes it holds.
   */
  static long fill(Connection db, ListIndexes.Indexed older, ListIndexes.Indexed newer) throws SQLException {
    try (Statement s = db.createStatement()) {
      s.execute("PRAGMA trusted_schema = OFF");
      // the differences of two million-row lists are sorted on disk, not in the heap
      s.execute("PRAGMA temp_store = FILE");
    }
    attach(db, older.index(), OLDER);
    attach(db, newer.index(), GravityDiff.NEWER);
    db.setAutoCommit(false);
    try (Statement s = db.createStatement()) {
      for (String create : SCHEMA) {
        s.execute(create);
      }
      List<Integer> compared = new ArrayList<>();
      for (GravityTable table : GravityTable.values()) {
        if (IndexDiff.compute(db, table)) {
          compared.add(table.ordinal());
        }
      }
      // built once all rows are in: one sort, and each page a range scan of it
      s.execute("CREATE INDEX changes_order ON changes(cat, change, n, k1, k2)");
      s.execute("INSERT INTO totals SELECT cat, change, count(*) FROM changes GROUP BY cat, change");
      for (int cat : compared) {
        // a list that differs has a total for each change, 0 included; one without any is equal on both sides
        s.execute("INSERT OR IGNORE INTO totals VALUES (" + cat + ", 0, 0), (" + cat + ", 1, 0), (" + cat + ", 2, 0)");
      }
      meta(db, older.digest(), newer.digest());
    }
    db.commit();
    db.setAutoCommit(true);
    try (Statement s = db.createStatement()) {
      s.execute("DETACH DATABASE " + OLDER);
      s.execute("DETACH DATABASE " + GravityDiff.NEWER);
    }
    try (Statement s = db.createStatement(); ResultSet rs = s.executeQuery("SELECT coalesce(sum(total), 0) FROM totals")) {
      return rs.getLong(1);
    }
  }

  /** Syncs a filled file, renames it into place and evicts the least recently used beyond {@value #KEPT}. */
  static Path keep(ScratchDirectory scratch, Path filled, ListIndexes.Indexed older, ListIndexes.Indexed newer) throws IOException {
    Path kept = scratch.diff(older.digest(), newer.digest());
    OwnedPaths.folder(kept.getParent());
    ListIndexes.install(filled, kept);
    ListIndexes.evict(kept.getParent(), KEPT);
    return kept;
  }

  private static void attach(Connection db, Path index, String as) throws SQLException {
    try (PreparedStatement attach = db.prepareStatement("ATTACH DATABASE ? AS " + as)) {
      attach.setString(1, index.toString());
      attach.execute();
    }
  }

  private static void meta(Connection db, String older, String newer) throws SQLException {
    try (PreparedStatement meta = db.prepareStatement("INSERT INTO meta VALUES (?, ?)")) {
      String[][] rows = {{"version", VERSION}, {OLDER, older}, {GravityDiff.NEWER, newer}};
      for (String[] row : rows) {
        meta.setString(1, row[0]);
        meta.setString(2, row[1]);
        meta.executeUpdate();
      }
    }
  }

  private static boolean matches(Path kept, String older, String newer) {
    try (Connection db = ListIndex.open(kept);
         PreparedStatement s = db.prepareStatement("SELECT (SELECT count(*) FROM meta WHERE (key = 'version' AND value = ?)"
             + " OR (key = ? AND value = ?) OR (key = ? AND value = ?)), (SELECT page_count * page_size FROM pragma_page_count, pragma_page_size)")) {
      s.setString(1, VERSION);
      s.setString(2, OLDER);
      s.setString(3, older);
      s.setString(4, GravityDiff.NEWER);
      s.setString(5, newer);
      try (ResultSet rs = s.executeQuery()) {
        return rs.next() && rs.getInt(1) == 3 && rs.getLong(2) == Files.size(kept);
      }
    } catch (SQLException | IOException e) {
      return false;
    }
  }
}
