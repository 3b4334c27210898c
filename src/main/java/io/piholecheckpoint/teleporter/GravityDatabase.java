package io.piholecheckpoint.teleporter;

import io.piholecheckpoint.core.archive.InvalidArchiveException;
import io.piholecheckpoint.core.archive.scratch.ScratchDirectory;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteConnection;
import org.sqlite.SQLiteLimits;

/**
 * The gravity.db of an archive, opened safely: a copy in the private scratch folder, unpacked
 * within the {@link InflationBudget}, opened read-only with schema code untrusted, its tables
 * proven plain by {@link GravitySchema}, and every query run within a {@link QueryBudget}.
 */
final class GravityDatabase {
  /** The tables Teleporter exports and a restore imports, in the order of the canonical dump. */
  private static final List<String> TABLES = List.of("group", "adlist", "adlist_by_group", "domainlist", "domainlist_by_group", "client", "client_by_group");
  /** Longest string or blob SQLite hands back: domains, regexes and comments are far shorter. */
  static final int MAX_VALUE_BYTES = 1024 * 1024;

  /** @param otherDomains the domainlist rows of any other type, which the contents page lists by their number */
  record Counts(int groups, int adlists, int allowExact, int allowRegex, int denyExact, int denyRegex, int otherDomains, int clients) {
    static final Counts EMPTY = new Counts(0, 0, 0, 0, 0, 0, 0, 0);
  }

  private GravityDatabase() {
  }

  /**
   * Opens a read-only copy of the archive's gravity.db (SQLite cannot read from inside a ZIP, and
   * the archive must not change), hands it to {@code reader} and deletes it.
   *
   * @throws InvalidArchiveException when it unpacks beyond the budget, is not a plain gravity.db,
   *     or a query runs out of its {@link QueryBudget}
   */
  static <T> T withCopy(ZipFile zip, ZipEntry entry, Function<Connection, T> reader) throws IOException {
    return withCopy(zip, entry, QueryBudget.DEFAULT, reader);
  }

  static <T> T withCopy(ZipFile zip, ZipEntry entry, QueryBudget budget, Function<Connection, T> reader) throws IOException {
    Path copy = ScratchDirectory.beside(Path.of(zip.getName())).createFile("gravity-", ".db");
    try {
      try (InputStream in = new InflationBudget().open(zip, entry)) {
        Files.copy(in, copy, StandardCopyOption.REPLACE_EXISTING);
      }
      return read(copy, budget, reader);
    } finally {
      ScratchDirectory.release(copy);
    }
  }

  private static <T> T read(Path copy, QueryBudget budget, Function<Connection, T> reader) {
    SQLiteConfig config = new SQLiteConfig();
    config.setReadOnly(true);
    QueryBudget.Guard guard = null;
    try (Connection db = config.createConnection("jdbc:sqlite:" + copy)) {
      guard = harden(db, budget);
      GravitySchema.require(db);
      return reader.apply(db);
    } catch (SQLException | InvalidArchiveException e) {
      throw refusal(e, guard);
    }
  }

  /** Limits what a query may build, keeps SQL in the file from running functions, and starts the clock. */
  private static QueryBudget.Guard harden(Connection db, QueryBudget budget) throws SQLException {
    SQLiteConnection sqlite = db.unwrap(SQLiteConnection.class);
    sqlite.setLimit(SQLiteLimits.SQLITE_LIMIT_LENGTH, MAX_VALUE_BYTES);
    sqlite.setLimit(SQLiteLimits.SQLITE_LIMIT_ATTACHED, 0);
    sqlite.setLimit(SQLiteLimits.SQLITE_LIMIT_WORKER_THREADS, 0);
    try (Statement s = db.createStatement()) {
      s.execute("PRAGMA trusted_schema = OFF");
      s.execute("PRAGMA cell_size_check = ON");
      // sorts stay in memory, bounded by the database's size, instead of temporary files in /tmp
      s.execute("PRAGMA temp_store = MEMORY");
    }
    return budget.install(db, System::nanoTime);
  }

  /** The budget's own words when it ended the query: SQLite only says "interrupted". */
  private static RuntimeException refusal(Exception e, QueryBudget.Guard guard) {
    if (guard != null && guard.exhausted() != null) {
      return new InvalidArchiveException("reading its gravity.db took " + guard.exhausted()
          + ", far more than a Pi-hole's lists need: refused as a hostile or damaged database", e);
    }
    return e instanceof SQLException sql ? unreadable(sql) : (InvalidArchiveException) e;
  }

  /** Proves the database sound and counts its lists. */
  static Counts counts(Connection db) {
    try (Statement s = db.createStatement()) {
      try (ResultSet rs = s.executeQuery("PRAGMA quick_check")) {
        String result = rs.next() ? rs.getString(1) : "no answer";
        if (!"ok".equals(result)) {
          throw new InvalidArchiveException("its gravity.db is damaged: " + result);
        }
      }
      int[] domains;
      // one pass, no sort: 0 allow exact, 1 deny exact, 2 allow regex, 3 deny regex, and every row; the rest are of
      // other types (a null type too), each a row of the contents page
      try (ResultSet rs = s.executeQuery("SELECT COUNT(*) FILTER (WHERE type = 0), COUNT(*) FILTER (WHERE type = 2), "
          + "COUNT(*) FILTER (WHERE type = 1), COUNT(*) FILTER (WHERE type = 3), COUNT(*) FROM domainlist")) {
        rs.next();
        domains = new int[] {rs.getInt(1), rs.getInt(2), rs.getInt(3), rs.getInt(4), rs.getInt(5)};
      }
      int other = domains[4] - domains[0] - domains[1] - domains[2] - domains[3];
      return new Counts(count(s, "\"group\""), count(s, "adlist"), domains[0], domains[1], domains[2], domains[3], other, count(s, "client"));
    } catch (SQLException e) {
      throw unreadable(e);
    }
  }

  private static InvalidArchiveException unreadable(SQLException e) {
    return new InvalidArchiveException("its gravity.db cannot be read: " + ParserWords.sqlite(e), e);
  }

  private static int count(Statement s, String table) throws SQLException {
    try (ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM " + table)) {
      return rs.next() ? rs.getInt(1) : 0;
    }
  }

  /**
   * Every row of the exported tables in primary-key order, streamed into {@code out}: the same
   * data gives the same bytes, and no more than one row is held at a time.
   */
  static void dump(Connection db, OutputStream out) {
    try (Statement s = db.createStatement()) {
      CanonicalRows rows = new CanonicalRows(out);
      boolean utf8 = utf8(s);
      for (String table : TABLES) {
        rows.table(table);
        Optional<DumpQuery> query = utf8 ? DumpQuery.of(db, table) : Optional.empty();
        if (query.isPresent()) {
          query.get().write(db, rows);
        } else {
          try (ResultSet rs = s.executeQuery("SELECT * FROM \"" + table + "\" ORDER BY 1, 2")) {
            rows.write(rs);
          }
        }
      }
    } catch (SQLException e) {
      throw unreadable(e);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Rows SQLite builds as text are in the database's encoding: {@link DumpQuery} takes them as they are only from UTF-8. */
  private static boolean utf8(Statement s) throws SQLException {
    try (ResultSet rs = s.executeQuery("PRAGMA encoding")) {
      return rs.next() && "UTF-8".equals(rs.getString(1));
    }
  }
}
