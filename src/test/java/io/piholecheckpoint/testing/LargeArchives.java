package io.piholecheckpoint.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Collections;
import java.util.Random;
import java.util.zip.Deflater;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;

/**
 * Real-looking Teleporter archives of a Pi-hole with a huge personal deny list: the fixture's
 * pihole.toml and gravity.db, plus {@code n} exact deny domains in the Default group, written
 * by one INSERT … WITH RECURSIVE. {@link #drifted} is the same Pi-hole a little later.
 * Also run by bench/contents.sh: {@code main(dir, n)} writes huge-a.zip and huge-b.zip. {@link #withRandomFtlDatabase}
 * is one of a given size in bytes rather than rows.
 */
public final class LargeArchives {
  /** What {@link #drifted} changes: ids in [1000, 1000 + REMOVED) go, [5000, 5000 + CHANGED) get a comment, ADDED are new. */
  public static final int REMOVED = 2000;
  public static final int CHANGED = 1000;
  public static final int ADDED = 1000;
  /** The fixture's own domains, besides the generated ones. */
  public static final int FIXTURE_DOMAINS = 3;
  /** Of those, the exact deny domains (one allow exact, one deny regex besides). */
  public static final int FIXTURE_DENY_EXACT = 1;

  private LargeArchives() {
  }

  public static Path withDenyDomains(Path dir, String name, int n) throws IOException, SQLException {
    Path db = fixtureGravity(dir, name);
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db); Statement s = c.createStatement()) {
      s.execute("PRAGMA journal_mode = OFF");
      s.execute("INSERT INTO domainlist(id, type, domain, enabled, date_added, date_modified, comment) "
          + "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < " + n + ") "
          + "SELECT 100 + i, 1, 'd' || i || '.deny.example.net', 1, 1795765918, 1795765918, NULL FROM n");
      s.execute("INSERT INTO domainlist_by_group(domainlist_id, group_id) SELECT id, 0 FROM domainlist WHERE id > 100");
    }
    return pack(dir, name, db);
  }

  /**
   * Fixture a's entries, stored uncompressed, its pihole-FTL.db replaced by {@code ftlDbBytes} random bytes (which no
   * compression would shrink): an archive of about that size, for the tests of archives near Pi-hole's 50 MiB upload limit.
   */
  public static Path withRandomFtlDatabase(Path dir, String name, int ftlDbBytes) throws IOException {
    Path fixture = Files.write(dir.resolve(name + "-fixture.zip"), Fixtures.archiveA());
    Path zip = dir.resolve(name + ".zip");
    Random random = new Random(29);
    byte[] block = new byte[64 * 1024];
    try (ZipFile in = new ZipFile(fixture.toFile()); OutputStream file = Files.newOutputStream(zip); ZipOutputStream out = new ZipOutputStream(file)) {
      out.setLevel(Deflater.NO_COMPRESSION);
      for (ZipEntry entry : Collections.list(in.entries())) {
        out.putNextEntry(new ZipEntry(entry.getName()));
        if (entry.getName().equals("etc/pihole/pihole-FTL.db")) {
          for (int left = ftlDbBytes; left > 0; left -= block.length) {
            random.nextBytes(block);
            out.write(block, 0, Math.min(block.length, left));
          }
        } else {
          try (InputStream content = in.getInputStream(entry)) {
            content.transferTo(out);
          }
        }
        out.closeEntry();
      }
    }
    Files.delete(fixture);
    return zip;
  }

  /** {@code original}'s Pi-hole after some drift: a few thousand rows removed, changed and added. */
  public static Path drifted(Path dir, String name, Path original) throws IOException, SQLException {
    return edited(dir, name, original,
        "DELETE FROM domainlist WHERE id >= 1000 AND id < " + (1000 + REMOVED),
        "DELETE FROM domainlist_by_group WHERE domainlist_id >= 1000 AND domainlist_id < " + (1000 + REMOVED),
        "UPDATE domainlist SET comment = 'checked' WHERE id >= 5000 AND id < " + (5000 + CHANGED),
        "INSERT INTO domainlist(id, type, domain, enabled, date_added, date_modified, comment) "
            + "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < " + ADDED + ") "
            + "SELECT 5000000 + i, 1, 'new' || i || '.deny.example.org', 1, 1795765918, 1795765918, 'new' FROM n",
        "INSERT INTO domainlist_by_group(domainlist_id, group_id) SELECT id, 0 FROM domainlist WHERE id > 5000000");
  }

  /** {@code original} with its gravity.db changed by {@code statements}. */
  public static Path edited(Path dir, String name, Path original, String... statements) throws IOException, SQLException {
    Path db = dir.resolve(name + ".db");
    try (ZipFile zip = new ZipFile(original.toFile()); InputStream in = zip.getInputStream(zip.getEntry("etc/pihole/gravity.db"))) {
      Files.copy(in, db);
    }
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db); Statement s = c.createStatement()) {
      // one transaction: a property that writes a row per statement otherwise waits for a disk sync per row
      c.setAutoCommit(false);
      for (String statement : statements) {
        s.execute(statement);
      }
      c.commit();
    }
    return pack(dir, name, db);
  }

  private static Path fixtureGravity(Path dir, String name) throws IOException {
    Path db = dir.resolve(name + ".db");
    Path fixture = Files.write(dir.resolve(name + "-fixture.zip"), Fixtures.archiveA());
    try (ZipFile zip = new ZipFile(fixture.toFile()); InputStream in = zip.getInputStream(zip.getEntry("etc/pihole/gravity.db"))) {
      Files.copy(in, db);
    }
    Files.delete(fixture);
    return db;
  }

  /** The fixture's entries, its gravity.db replaced by {@code db} (which is then deleted). */
  private static Path pack(Path dir, String name, Path db) throws IOException {
    Path fixture = Files.write(dir.resolve(name + "-fixture.zip"), Fixtures.archiveA());
    Path archive = dir.resolve(name + ".zip");
    try (ZipFile in = new ZipFile(fixture.toFile()); OutputStream file = Files.newOutputStream(archive); ZipOutputStream out = new ZipOutputStream(file)) {
      for (ZipEntry entry : Collections.list(in.entries())) {
        out.putNextEntry(new ZipEntry(entry.getName()));
        if (entry.getName().equals("etc/pihole/gravity.db")) {
          Files.copy(db, out);
        } else {
          try (InputStream content = in.getInputStream(entry)) {
            content.transferTo(out);
          }
        }
        out.closeEntry();
      }
    }
    Files.delete(fixture);
    Files.delete(db);
    return archive;
  }

  /**
   * For bench/contents.sh: {@code dir n} writes dir/huge-a.zip (n deny domains) and dir/huge-b.zip (drifted);
   * for bench/diff-page.sh: {@code dir n added} writes dir/base.zip (the fixture) and dir/added.zip (n deny domains more).
   */
  public static void main(String[] args) throws Exception {
    Path dir = Path.of(args[0]);
    if (args.length > 2 && args[2].equals("added")) {
      Files.write(dir.resolve("base.zip"), Fixtures.archiveA());
      withDenyDomains(dir, "added", Integer.parseInt(args[1]));
      return;
    }
    Path a = withDenyDomains(dir, "huge-a", Integer.parseInt(args[1]));
    drifted(dir, "huge-b", a);
  }
}
