package io.piholecheckpoint.testing;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Collections;
import java.util.Map;
import java.util.zip.Deflater;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;

/**
 * Archives made on purpose to hurt an archive reader, built by code (nothing large is checked in):
 * real-looking ones of a million domains, and the hostile shapes of issue 12. Each is written to a
 * file, streamed, so that building them costs the test little heap.
 */
public final class HostileArchives {
  /** Pi-hole's schema of the tables Teleporter exports (no indexes: Teleporter's copy has none). */
  private static final String SCHEMA = """
      CREATE TABLE "group" (id INTEGER PRIMARY KEY AUTOINCREMENT, enabled BOOLEAN NOT NULL DEFAULT 1, name TEXT UNIQUE NOT NULL,
        date_added INTEGER NOT NULL DEFAULT 0, date_modified INTEGER NOT NULL DEFAULT 0, description TEXT);
      CREATE TABLE adlist (id INTEGER PRIMARY KEY AUTOINCREMENT, address TEXT NOT NULL, enabled BOOLEAN NOT NULL DEFAULT 1,
        date_added INTEGER NOT NULL DEFAULT 0, date_modified INTEGER NOT NULL DEFAULT 0, comment TEXT, date_updated INTEGER,
        number INTEGER NOT NULL DEFAULT 0, invalid_domains INTEGER NOT NULL DEFAULT 0, status INTEGER NOT NULL DEFAULT 0,
        abp_entries INTEGER NOT NULL DEFAULT 0, type INTEGER NOT NULL DEFAULT 0);
      CREATE TABLE adlist_by_group (adlist_id INTEGER NOT NULL, group_id INTEGER NOT NULL);
      CREATE TABLE domainlist_by_group (domainlist_id INTEGER NOT NULL, group_id INTEGER NOT NULL);
      CREATE TABLE client (id INTEGER PRIMARY KEY AUTOINCREMENT, ip TEXT NOT NULL UNIQUE, date_added INTEGER NOT NULL DEFAULT 0,
        date_modified INTEGER NOT NULL DEFAULT 0, comment TEXT);
      CREATE TABLE client_by_group (client_id INTEGER NOT NULL, group_id INTEGER NOT NULL);
      INSERT INTO "group" (id, enabled, name, description) VALUES (0, 1, 'Default', 'The default group');
      """;
  private static final String DOMAINLIST = """
      CREATE TABLE domainlist (id INTEGER PRIMARY KEY AUTOINCREMENT, type INTEGER NOT NULL DEFAULT 0, domain TEXT NOT NULL,
        enabled BOOLEAN NOT NULL DEFAULT 1, date_added INTEGER NOT NULL DEFAULT 0, date_modified INTEGER NOT NULL DEFAULT 0, comment TEXT);
      """;
  private static final String VIEW_COLUMNS = "x AS id, 1 AS type, 'd' || x || '.example.com' AS domain, 1 AS enabled, 0 AS date_added, 0 AS date_modified, NULL AS comment";

  private HostileArchives() {
  }

  /** A real-looking gravity.db with {@code domains} exact deny domains, each in the default group. */
  public static Path gravityWithDomains(Path file, int domains) throws SQLException {
    return gravity(file, DOMAINLIST, db -> {
      try (PreparedStatement domain = db.prepareStatement("INSERT INTO domainlist (id, type, domain, comment) VALUES (?, 1, ?, ?)");
           PreparedStatement member = db.prepareStatement("INSERT INTO domainlist_by_group (domainlist_id, group_id) VALUES (?, 0)")) {
        for (int i = 1; i <= domains; i++) {
          domain.setInt(1, i);
          domain.setString(2, "ad" + Integer.toString(i * 7919, 36) + ".tracker" + (i % 97) + ".example.com");
          domain.setString(3, i % 10 == 0 ? "personal deny list" : null);
          domain.addBatch();
          member.setInt(1, i);
          member.addBatch();
          if (i % 10_000 == 0) {
            domain.executeBatch();
            member.executeBatch();
          }
        }
        domain.executeBatch();
        member.executeBatch();
      }
    });
  }

  /** domainlist as a view whose query yields {@code rows} rows, or (rows &lt; 0) never ends. */
  public static Path gravityWithViewDomainlist(Path file, long rows) throws SQLException {
    String bound = rows < 0 ? "" : " WHERE x < " + rows;
    return gravity(file, "CREATE VIEW domainlist AS WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c" + bound + ") SELECT "
        + VIEW_COLUMNS + " FROM c;", db -> { });
  }

  /** A gravity.db whose domainlist is made by {@code ddl} (a generated column, a virtual table …), with a row. */
  public static Path gravityWithDomainlist(Path file, String ddl) throws SQLException {
    return gravity(file, ddl, db -> { });
  }

  /** Real tables, plus triggers that would write and loop if anything ever wrote to them. */
  public static Path gravityWithTriggers(Path file) throws SQLException {
    return gravity(file, DOMAINLIST + """
        CREATE TRIGGER grow AFTER INSERT ON domainlist BEGIN INSERT INTO domainlist (type, domain) VALUES (1, NEW.domain || 'x'); END;
        CREATE TRIGGER nodelete BEFORE DELETE ON domainlist BEGIN SELECT RAISE(ABORT, 'no'); END;
        """, db -> { });
  }

  @FunctionalInterface
  interface Rows {
    void insert(Connection db) throws SQLException;
  }

  private static Path gravity(Path file, String domainlist, Rows rows) throws SQLException {
    try (Connection db = DriverManager.getConnection("jdbc:sqlite:" + file)) {
      try (Statement s = db.createStatement()) {
        s.execute("PRAGMA journal_mode = OFF");
        s.execute("PRAGMA synchronous = OFF");
        s.executeUpdate("BEGIN");
        for (String sql : (SCHEMA + domainlist).split(";\\s*\\n")) {
          if (!sql.isBlank()) {
            s.execute(sql.contains("CREATE TRIGGER") ? sql + ";" : sql);
          }
        }
        rows.insert(db);
        s.executeUpdate("COMMIT");
      }
    }
    return file;
  }

  /** The fixture archive with its gravity.db replaced by {@code gravity} (null: left as it is), deflated. */
  public static Path archive(Path zip, Path gravity) throws IOException {
    return archive(zip, gravity == null ? Map.of() : Map.of("etc/pihole/gravity.db", gravity));
  }

  /** The fixture archive with the named entries' contents taken from files. */
  public static Path archive(Path zip, Map<String, Path> replaced) throws IOException {
    Path fixture = Files.write(zip.resolveSibling(zip.getFileName() + ".fixture"), Fixtures.archiveA());
    try (ZipFile in = new ZipFile(fixture.toFile()); ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(zip))) {
      for (ZipEntry entry : Collections.list(in.entries())) {
        out.putNextEntry(new ZipEntry(entry.getName()));
        try (InputStream content = replaced.containsKey(entry.getName()) ? Files.newInputStream(replaced.get(entry.getName())) : in.getInputStream(entry)) {
          content.transferTo(out);
        }
        out.closeEntry();
      }
    } finally {
      Files.delete(fixture);
    }
    return zip;
  }

  /** A pihole.toml of {@code mebibytes} MiB of comment lines (they pack about 1000:1), beside a real gravity.db. */
  public static Path hugeConfig(Path zip, int mebibytes) throws IOException {
    Path toml = zip.resolveSibling(zip.getFileName() + ".toml");
    // buffered: 300 MiB of 80-byte lines were ~4 million writes to the file, 11 CPU-s of a clean run's MillionDomainsIT
    try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(toml), 1 << 20)) {
      out.write("[dns]\nupstreams = [\"9.9.9.9\"]\n".getBytes(StandardCharsets.UTF_8));
      byte[] line = "# padding padding padding padding padding padding padding padding padding padding\n".getBytes(StandardCharsets.UTF_8);
      for (long written = 0; written < (long) mebibytes << 20; written += line.length) {
        out.write(line);
      }
    }
    try {
      return archive(zip, Map.of("etc/pihole/pihole.toml", toml));
    } finally {
      Files.delete(toml);
    }
  }

  /** A pihole.toml of arrays nested {@code depth} levels deep: a few hundred overflow a 256 KiB thread stack in the parser. */
  public static byte[] deeplyNestedConfig(int depth) {
    return TestArchives.zip("etc/pihole/pihole.toml", ("a = " + "[".repeat(depth) + "]".repeat(depth) + "\n").getBytes(StandardCharsets.UTF_8));
  }

  /** A ZIP of {@code count} tiny entries. */
  public static byte[] manyEntries(int count) throws IOException {
    var bytes = new java.io.ByteArrayOutputStream();
    try (ZipOutputStream out = new ZipOutputStream(bytes)) {
      out.putNextEntry(new ZipEntry("etc/pihole/pihole.toml"));
      out.closeEntry();
      for (int i = 0; i < count; i++) {
        out.putNextEntry(new ZipEntry("etc/e" + i));
        out.closeEntry();
      }
    }
    return bytes.toByteArray();
  }

  /**
   * A Teleporter archive whose gravity.db entry declares {@code declaredBytes} in its headers but
   * inflates to {@code realBytes} of zeros: the sizes are patched after writing, the CRC left true.
   */
  public static Path lyingBomb(Path zip, long realBytes, int declaredBytes) throws IOException {
    try (ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(zip))) {
      out.setLevel(Deflater.BEST_COMPRESSION);
      out.putNextEntry(new ZipEntry("etc/pihole/pihole.toml"));
      out.write("[dns]\nupstreams = [\"9.9.9.9\"]\n".getBytes(StandardCharsets.UTF_8));
      out.closeEntry();
      out.putNextEntry(new ZipEntry("etc/pihole/gravity.db"));
      byte[] zeros = new byte[1 << 20];
      for (long written = 0; written < realBytes; written += zeros.length) {
        out.write(zeros, 0, (int) Math.min(zeros.length, realBytes - written));
      }
      out.closeEntry();
    }
    patchSizes(zip, "etc/pihole/gravity.db", realBytes, declaredBytes);
    return zip;
  }

  /** Rewrites the uncompressed size in the data descriptor and the central directory. */
  private static void patchSizes(Path zip, String name, long realBytes, int declaredBytes) throws IOException {
    byte[] bytes = Files.readAllBytes(zip);
    byte[] nameBytes = name.getBytes(StandardCharsets.UTF_8);
    try (RandomAccessFile file = new RandomAccessFile(zip.toFile(), "rw")) {
      for (int i = 0; i + 46 < bytes.length; i++) {
        if (signature(bytes, i, 0x02014b50) && matches(bytes, i + 46, nameBytes)) {
          writeInt(file, i + 24, declaredBytes); // central directory: uncompressed size
        } else if (signature(bytes, i, 0x08074b50) && readInt(bytes, i + 12) == (int) realBytes) {
          writeInt(file, i + 12, declaredBytes); // data descriptor: uncompressed size
        }
      }
    }
  }

  private static boolean signature(byte[] b, int at, int signature) {
    return readInt(b, at) == signature;
  }

  private static boolean matches(byte[] b, int at, byte[] name) {
    return at + name.length <= b.length && java.util.Arrays.equals(b, at, at + name.length, name, 0, name.length);
  }

  private static int readInt(byte[] b, int at) {
    return (b[at] & 0xff) | (b[at + 1] & 0xff) << 8 | (b[at + 2] & 0xff) << 16 | (b[at + 3] & 0xff) << 24;
  }

  private static void writeInt(RandomAccessFile file, long at, int value) throws IOException {
    file.seek(at);
    file.write(new byte[] {(byte) value, (byte) (value >> 8), (byte) (value >> 16), (byte) (value >> 24)});
  }
}
