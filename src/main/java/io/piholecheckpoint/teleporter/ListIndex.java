package io.piholecheckpoint.teleporter;

import io.piholecheckpoint.core.contents.NaturalOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Objects;
import org.sqlite.SQLiteConfig;

/**
 * The lists of one archive as an indexed SQLite file of our own: one row per item in a
 * {@code WITHOUT ROWID} table keyed by (category, natural key, row hash), plus each list's total
 * and a digest of all its rows. Teleporter's gravity.db has no indexes, so every page sorted a
 * million rows and every diff compared them twice; here a page is a range scan and a diff a
 * merge of two already ordered lists, skipped when the digests agree.
 *
 * <p>An item's key is what a person calls it (see {@link GravityTable}); among rows with equal keys,
 * which Pi-hole's own UNIQUE constraints rule out, the one with the lowest id is kept.
 */
final class ListIndex {
  /** Raised when a build would need a rebuild of every existing index (a changed row layout or hash). */
  static final String VERSION = "4";
  private static final String[] SCHEMA = {
      "CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT NOT NULL)",
      "CREATE TABLE lists(cat INTEGER PRIMARY KEY, total INTEGER NOT NULL, digest TEXT NOT NULL)",
      // k1, k2, a, b, c without a type: the values keep the types gravity.db gave them, and so its order
      // n: k1's NaturalOrder key, which pages are ordered by (the primary key's order serves the diff's merges)
      "CREATE TABLE items(cat INTEGER NOT NULL, k1 NOT NULL, k2 NOT NULL, h INTEGER NOT NULL, item TEXT, a, b, c, groups TEXT, n TEXT NOT NULL,"
          + " PRIMARY KEY (cat, k1, k2, h)) WITHOUT ROWID",
      // runs of rows from (s1, s2) to (k1, k2), with a digest of their rows: equal blocks need no comparing
      "CREATE TABLE blocks(cat INTEGER NOT NULL, k1 NOT NULL, k2 NOT NULL, s1 NOT NULL, s2 NOT NULL, digest TEXT NOT NULL,"
          + " PRIMARY KEY (cat, k1, k2, digest)) WITHOUT ROWID"};
  private static final int BATCH = 1000;

  private ListIndex() {
  }

  /** Writes the index of a checked, open gravity.db ({@code gravity}, null for an archive without one) into the empty {@code index}. */
  static void build(Connection gravity, Connection index, String archiveDigest) throws SQLException {
    index.setAutoCommit(false);
    try (Statement s = index.createStatement()) {
      for (String create : SCHEMA) {
        s.execute(create);
      }
    }
    try (PreparedStatement meta = index.prepareStatement("INSERT INTO meta VALUES (?, ?)")) {
      meta.setString(1, "version");
      meta.setString(2, VERSION);
      meta.executeUpdate();
      meta.setString(1, "archive");
      meta.setString(2, archiveDigest);
      meta.executeUpdate();
    }
    for (GravityTable table : GravityTable.values()) {
      copy(gravity, index, table);
    }
    try (Statement s = index.createStatement()) {
      // built once all rows are in: one sort instead of a million scattered inserts
      s.execute("CREATE INDEX items_natural ON items(cat, n, k1, k2)");
    }
    index.commit();
  }

  private static void copy(Connection gravity, Connection index, GravityTable table) throws SQLException {
    ListDigests blocks = new ListDigests(index, table.ordinal());
    MessageDigest rowHash = sha256(); // one per build (digest() resets it), not a provider look-up per row
    if (gravity != null) {
      try (Statement read = gravity.createStatement(); ResultSet rs = read.executeQuery(table.indexed());
           PreparedStatement insert = index.prepareStatement("INSERT INTO items VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
        int own = rs.getMetaData().getColumnCount() - 5;
        while (rs.next()) {
          Object k1 = Objects.requireNonNullElse(rs.getObject(1), "");
          Object k2 = Objects.requireNonNullElse(rs.getObject(2), 0);
          if (blocks.repeats(k1, k2)) {
            continue;
          }
          long h = hash(rowHash, rs.getString(4));
          insert.setInt(1, table.ordinal());
          insert.setObject(2, k1);
          insert.setObject(3, k2);
          insert.setLong(4, h);
          insert.setString(5, rs.getString(3));
          for (int c = 0; c < 3; c++) {
            insert.setObject(6 + c, c < own ? rs.getObject(5 + c) : null);
          }
          insert.setString(9, rs.getString(5 + own));
          insert.setString(10, NaturalOrder.key(k1.toString()));
          insert.addBatch();
          if (blocks.add(k1, k2, h) % BATCH == 0) {
            insert.executeBatch();
          }
        }
        insert.executeBatch();
      }
    }
    blocks.finish();
  }

  /** 64 bits of SHA-256 of a row's signature: two rows that differ collide once in 2^64. */
  private static long hash(MessageDigest sha256, String signature) {
    byte[] d = sha256.digest(String.valueOf(signature).getBytes(StandardCharsets.UTF_8));
    long h = 0;
    for (int i = 0; i < 8; i++) {
      h = (h << 8) | (d[i] & 0xff);
    }
    return h;
  }

  /** Our own file, read-only: SQL stored in it runs no functions all the same. */
  static Connection open(Path index) throws SQLException {
    SQLiteConfig config = new SQLiteConfig();
    config.setReadOnly(true);
    Connection db = config.createConnection("jdbc:sqlite:" + index);
    try (Statement s = db.createStatement()) {
      s.execute("PRAGMA trusted_schema = OFF");
    } catch (SQLException e) {
      db.close();
      throw e;
    }
    return db;
  }

  /** A new index file: no journal and no syncs while it is written, it is synced once and renamed into place when complete. */
  static Connection create(Path file) throws SQLException {
    SQLiteConfig config = new SQLiteConfig();
    config.setJournalMode(SQLiteConfig.JournalMode.OFF);
    config.setSynchronous(SQLiteConfig.SynchronousMode.OFF);
    return config.createConnection("jdbc:sqlite:" + file);
  }

  static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java runtime has SHA-256", e);
    }
  }
}
