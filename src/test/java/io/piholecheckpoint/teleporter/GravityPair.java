package io.piholecheckpoint.teleporter;

import io.piholecheckpoint.core.archive.InvalidArchiveException;
import io.piholecheckpoint.core.contents.Change;
import io.piholecheckpoint.core.contents.ContentDiff;
import io.piholecheckpoint.core.contents.NaturalOrder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.function.Function;
import org.sqlite.SQLiteConnection;
import org.sqlite.SQLiteLimits;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * The comparison the list index replaced, kept as the reference its property test checks against
 * (IndexDiffTest). Two archives' gravity.db in one SQLite connection: the older as {@code main}, the newer
 * attached as {@value GravityDiff#NEWER}, both read-only copies; an archive without a gravity.db
 * (a wiped Pi-hole) counts as one with empty lists. Pages and diffs now read {@link ListIndex}es;
 * this direct comparison stays as the reference IndexDiffTest holds them to.
 */
final class GravityPair {
  private static final String SCHEMA = "CREATE TABLE \"group\"(id INT, enabled NUM, name TEXT, description TEXT);"
      + "CREATE TABLE adlist(id INT, address TEXT, enabled NUM, comment TEXT, type INT);"
      + "CREATE TABLE adlist_by_group(adlist_id INT, group_id INT);"
      + "CREATE TABLE domainlist(id INT, type INT, domain TEXT, enabled NUM, comment TEXT);"
      + "CREATE TABLE domainlist_by_group(domainlist_id INT, group_id INT);"
      + "CREATE TABLE client(id INT, ip TEXT, comment TEXT);"
      + "CREATE TABLE client_by_group(client_id INT, group_id INT);";

  private GravityPair() {
  }

  static <T> T compare(ZipFile older, ZipFile newer, Function<Connection, T> reader) throws IOException {
    try {
      return open(newer, newerDb -> {
        String newerFile = mainFile(newerDb);
        try {
          return open(older, db -> attached(db, newerFile, reader));
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      });
    } catch (UncheckedIOException e) {
      throw e.getCause();
    }
  }

  private static <T> T open(ZipFile zip, Function<Connection, T> reader) throws IOException {
    ZipEntry entry = zip.getEntry(TeleporterInspector.GRAVITY);
    return entry != null ? GravityDatabase.withCopy(zip, entry, reader) : withEmpty(reader);
  }

  private static <T> T attached(Connection db, String newerFile, Function<Connection, T> reader) {
    try (Statement s = db.createStatement()) {
      // A hardened opening may forbid ATTACH (so SQL inside a hostile file cannot open another
      // database); the one attached here is our own read-only copy, opened and checked the same way.
      db.unwrap(SQLiteConnection.class).setLimit(SQLiteLimits.SQLITE_LIMIT_ATTACHED, 1);
      // The difference of two million-row lists is sorted on disk, not in memory.
      s.execute("PRAGMA temp_store = FILE");
      try (var attach = db.prepareStatement("ATTACH DATABASE ? AS " + GravityDiff.NEWER)) {
        attach.setString(1, newerFile);
        attach.execute();
      }
      try {
        return reader.apply(db);
      } finally {
        s.execute("DROP TABLE IF EXISTS temp.changes");
        s.execute("DROP TABLE IF EXISTS temp.totals");
        s.execute("DETACH DATABASE " + GravityDiff.NEWER);
      }
    } catch (SQLException e) {
      throw new InvalidArchiveException("the gravity.db copies cannot be compared: " + e.getMessage(), e);
    }
  }

  private static String mainFile(Connection db) {
    try (Statement s = db.createStatement(); ResultSet rs = s.executeQuery("SELECT file FROM pragma_database_list WHERE name = 'main'")) {
      return rs.getString(1);
    } catch (SQLException e) {
      throw new InvalidArchiveException("its gravity.db cannot be opened: " + e.getMessage(), e);
    }
  }

  /** The lists of a Pi-hole without any: the tables compared, empty. */
  private static <T> T withEmpty(Function<Connection, T> reader) throws IOException {
    Path empty = Files.createTempFile("checkpoint-gravity-empty-", ".db");
    try (Connection db = new org.sqlite.JDBC().connect("jdbc:sqlite:" + empty, new java.util.Properties())) {
      try (Statement s = db.createStatement()) {
        for (String create : SCHEMA.split(";")) {
          s.execute(create);
        }
      }
      return reader.apply(db);
    } catch (SQLException e) {
      throw new IOException("could not create an empty gravity database in the temporary folder: " + e.getMessage(), e);
    } finally {
      Files.deleteIfExists(empty);
    }
  }

  static ContentDiff.Category category(Connection db, GravityTable table, int first) {
    try {
      compute(db, table);
      return GravityDiff.summary(db, false, table, first);
    } catch (SQLException e) {
      throw new InvalidArchiveException("the gravity.db copies cannot be compared: " + e.getMessage(), e);
    }
  }

  /**
   * Fills temp.changes(cat, change, k1, k2, item, n, fields) and temp.totals(cat, change, total), the layout
   * GravityDiff reads (the temp schema is searched first), with every difference of one list.
   */
  private static void compute(Connection db, GravityTable table) throws SQLException {
    int cat = table.ordinal();
    try (Statement s = db.createStatement()) {
      s.execute("DROP TABLE IF EXISTS temp.changes");
      s.execute("DROP TABLE IF EXISTS temp.totals");
      s.execute("CREATE TEMP TABLE changes(cat INTEGER, change INTEGER, k1, k2, item TEXT, n TEXT, fields TEXT)");
      s.execute("CREATE TEMP TABLE totals(cat INTEGER, change INTEGER, total INTEGER)");
      s.execute("INSERT INTO temp.changes SELECT " + cat + ", 0, k1, k2, item, NULL, NULL FROM (" + table.keys(GravityDiff.NEWER) + " EXCEPT "
          + table.keys("main") + ")");
      s.execute("INSERT INTO temp.changes SELECT " + cat + ", 1, k1, k2, item, NULL, NULL FROM (" + table.keys("main") + " EXCEPT "
          + table.keys(GravityDiff.NEWER) + ")");
      s.execute("CREATE INDEX temp.changes_order ON changes(cat, change, n, k1, k2)");
      s.execute("INSERT INTO temp.changes SELECT " + cat + ", 2, k1, k2, item, NULL, NULL FROM (" + table.signatures(GravityDiff.NEWER) + " EXCEPT "
          + table.signatures("main") + ") x WHERE NOT EXISTS (SELECT 1 FROM temp.changes d WHERE d.change = 0 AND d.k1 IS x.k1 AND d.k2 IS x.k2)");
      s.execute("INSERT INTO temp.totals SELECT " + cat + ", c, (SELECT count(*) FROM temp.changes WHERE change = c)"
          + " FROM (SELECT 0 AS c UNION ALL SELECT 1 UNION ALL SELECT 2)");
    }
    naturalKeys(db);
  }

  /** The sort key the list index stores, computed where SQLite cannot. */
  private static void naturalKeys(Connection db) throws SQLException {
    try (Statement s = db.createStatement(); ResultSet rs = s.executeQuery("SELECT rowid, k1 FROM temp.changes");
         PreparedStatement update = db.prepareStatement("UPDATE temp.changes SET n = ? WHERE rowid = ?")) {
      while (rs.next()) {
        update.setString(1, NaturalOrder.key(String.valueOf(rs.getObject(2))));
        update.setLong(2, rs.getLong(1));
        update.addBatch();
      }
      update.executeBatch();
    }
  }

}
