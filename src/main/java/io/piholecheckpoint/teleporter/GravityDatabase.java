package io.piholecheckpoint.teleporter;

import io.piholecheckpoint.core.backup.InvalidArchiveException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Properties;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/** The gravity.db of an archive, opened from a temporary copy, read-only. */
final class GravityDatabase {
  /** The tables Teleporter exports and a restore imports. */
  private static final List<String> TABLES = List.of("group", "adlist", "adlist_by_group", "domainlist", "domainlist_by_group", "client", "client_by_group");
  private static final int SQLITE_OPEN_READONLY = 0x1;

  record Contents(int groups, int adlists, int allowExact, int allowRegex, int denyExact, int denyRegex, int clients, byte[] canonicalDump) {
    static final Contents EMPTY = new Contents(0, 0, 0, 0, 0, 0, 0, new byte[0]);
  }

  private GravityDatabase() {
  }

  static Contents read(ZipFile zip, ZipEntry entry) throws IOException {
    return withCopy(zip, entry, GravityDatabase::read);
  }

  /** Opens a temporary, read-only copy: SQLite cannot read from inside a ZIP, and the archive must not change. */
  static <T> T withCopy(ZipFile zip, ZipEntry entry, java.util.function.Function<Connection, T> reader) throws IOException {
    Path copy = Files.createTempFile("checkpoint-gravity-", ".db");
    try {
      try (InputStream in = zip.getInputStream(entry)) {
        Files.copy(in, copy, StandardCopyOption.REPLACE_EXISTING);
      }
      Properties properties = new Properties();
      properties.setProperty("open_mode", Integer.toString(SQLITE_OPEN_READONLY));
      try (Connection db = new org.sqlite.JDBC().connect("jdbc:sqlite:" + copy, properties)) {
        return reader.apply(db);
      } catch (SQLException e) {
        throw new InvalidArchiveException("its gravity.db cannot be opened: " + e.getMessage(), e);
      }
    } finally {
      Files.deleteIfExists(copy);
    }
  }

  private static Contents read(Connection db) {
    try (Statement s = db.createStatement()) {
      try (ResultSet rs = s.executeQuery("PRAGMA quick_check")) {
        String result = rs.next() ? rs.getString(1) : "no answer";
        if (!"ok".equals(result)) {
          throw new InvalidArchiveException("its gravity.db is damaged: " + result);
        }
      }
      int[] domains = new int[4];
      try (ResultSet rs = s.executeQuery("SELECT type, COUNT(*) FROM domainlist GROUP BY type")) {
        while (rs.next()) {
          int type = rs.getInt(1); // 0 allow exact, 1 deny exact, 2 allow regex, 3 deny regex
          if (type >= 0 && type < 4) {
            domains[type] = rs.getInt(2);
          }
        }
      }
      return new Contents(count(s, "\"group\""), count(s, "adlist"), domains[0], domains[2], domains[1], domains[3], count(s, "client"), dump(s));
    } catch (SQLException e) {
      throw new InvalidArchiveException("its gravity.db cannot be read: " + e.getMessage(), e);
    }
  }

  private static int count(Statement s, String table) throws SQLException {
    try (ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM " + table)) {
      return rs.next() ? rs.getInt(1) : 0;
    }
  }

  /** Every row of the exported tables in primary-key order: the same data gives the same bytes. */
  private static byte[] dump(Statement s) throws SQLException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (String table : TABLES) {
      out.writeBytes(("[" + table + "]\n").getBytes(StandardCharsets.UTF_8));
      try (ResultSet rs = s.executeQuery("SELECT * FROM \"" + table + "\" ORDER BY 1, 2")) {
        ResultSetMetaData meta = rs.getMetaData();
        while (rs.next()) {
          StringBuilder row = new StringBuilder();
          for (int c = 1; c <= meta.getColumnCount(); c++) {
            row.append(meta.getColumnName(c)).append('=').append(rs.getString(c)).append('\u001f');
          }
          out.writeBytes(row.append('\n').toString().getBytes(StandardCharsets.UTF_8));
        }
      }
    }
    return out.toByteArray();
  }
}
