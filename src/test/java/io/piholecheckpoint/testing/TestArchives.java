package io.piholecheckpoint.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Collections;
import java.util.function.BiFunction;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;

/** Variations of the real fixture archives. */
public final class TestArchives {
  private TestArchives() {
  }

  /** The same content, with other entry dates and another "# Last updated" line: what a second export of an unchanged Pi-hole looks like. */
  public static byte[] reexported(byte[] archive) {
    return rewrite(archive, Instant.parse("2027-01-01T00:00:00Z"), (name, bytes) -> name.equals("etc/pihole/pihole.toml")
        ? new String(bytes, StandardCharsets.UTF_8).replaceFirst("# Last updated on [^\\n]*", "# Last updated on 2027-01-01 00:00:00 UTC")
            .getBytes(StandardCharsets.UTF_8)
        : bytes);
  }

  /** The archive of a wiped Pi-hole: no gravity database, so no lists, domains or clients. */
  public static byte[] withoutGravity(byte[] archive) {
    return rewrite(archive, null, (name, bytes) -> name.equals("etc/pihole/gravity.db") ? null : bytes);
  }

  /** The bytes of one entry of the archive. */
  public static byte[] entry(byte[] archive, String name) {
    byte[][] found = new byte[1][];
    rewrite(archive, null, (entry, bytes) -> {
      if (entry.equals(name)) {
        found[0] = bytes;
      }
      return bytes;
    });
    if (found[0] == null) {
      throw new IllegalArgumentException("no entry " + name);
    }
    return found[0];
  }

  /** The same archive with one entry's bytes replaced. */
  public static byte[] replaced(byte[] archive, String name, byte[] content) {
    return rewrite(archive, null, (entry, bytes) -> entry.equals(name) ? content : bytes);
  }

  /**
   * The archive with one pihole.toml setting's value rewritten, as FTL writes it: {@code key} is
   * the last part of its dotted name ("totp_secret"), which must be unique in the file.
   */
  public static byte[] withSetting(byte[] archive, String key, String value) {
    return rewrite(archive, null, (name, bytes) -> {
      if (!name.equals("etc/pihole/pihole.toml")) {
        return bytes;
      }
      String toml = new String(bytes, StandardCharsets.UTF_8);
      java.util.regex.Matcher line = java.util.regex.Pattern.compile("(?m)^(\\s*" + key + " = )\"[^\"\\n]*\"").matcher(toml);
      if (!line.find()) {
        throw new IllegalArgumentException("pihole.toml has no setting " + key);
      }
      String quoted = "\"" + value.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
      return (toml.substring(0, line.start()) + line.group(1) + quoted + toml.substring(line.end())).getBytes(StandardCharsets.UTF_8);
    });
  }

  /**
   * The archive with one more domain of each of {@code types} in its gravity.db ("type-N.example.com"): a type
   * Pi-hole does not define (4 and up) is a newer Pi-hole's, or a damaged row.
   */
  public static byte[] withDomainsOfTypes(byte[] archive, int... types) {
    return withGravity(archive, c -> {
      try (PreparedStatement insert = c.prepareStatement("INSERT INTO domainlist (type, domain) VALUES (?, ?)")) {
        for (int type : types) {
          insert.setInt(1, type);
          insert.setString(2, "type-" + type + ".example.com");
          insert.executeUpdate();
        }
      }
    });
  }

  /** The archive of a Pi-hole whose owner deleted every adlist on purpose: a gravity.db still, but flagged suspicious after one with adlists. */
  public static byte[] withoutAdlists(byte[] archive) {
    return withGravity(archive, c -> {
      try (var delete = c.createStatement()) {
        delete.executeUpdate("DELETE FROM adlist");
      }
    });
  }

  /** The archive with one adlist, {@code https://example.org/hosts.txt} of the fixtures, disabled and given a comment. */
  public static byte[] withAdlistChanged(byte[] archive) {
    return withGravity(archive, c -> {
      try (var update = c.createStatement()) {
        update.executeUpdate("UPDATE adlist SET enabled = 0, comment = 'paused' WHERE address = 'https://example.org/hosts.txt'");
      }
    });
  }

  private interface GravityChange {
    void apply(Connection gravity) throws SQLException;
  }

  private static byte[] withGravity(byte[] archive, GravityChange change) {
    try {
      Path db = Files.createTempFile("gravity-", ".db");
      try {
        Files.write(db, entry(archive, "etc/pihole/gravity.db"));
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db)) {
          change.apply(c);
        }
        return replaced(archive, "etc/pihole/gravity.db", Files.readAllBytes(db));
      } finally {
        Files.delete(db);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  /** A ZIP with one entry of the given name and bytes. */
  public static byte[] zip(String name, byte[] content) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ZipOutputStream out = new ZipOutputStream(bytes)) {
      out.putNextEntry(new ZipEntry(name));
      out.write(content);
      out.closeEntry();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return bytes.toByteArray();
  }

  /** Through ZipFile: Pi-hole's STORED entries with data descriptors defeat ZipInputStream. */
  private static byte[] rewrite(byte[] archive, Instant entryTime, BiFunction<String, byte[], byte[]> change) {
    try {
      Path source = Files.createTempFile("fixture-", ".zip");
      Files.write(source, archive);
      ByteArrayOutputStream bytes = new ByteArrayOutputStream();
      try (ZipFile in = new ZipFile(source.toFile()); ZipOutputStream out = new ZipOutputStream(bytes)) {
        for (ZipEntry entry : Collections.list(in.entries())) {
          byte[] content;
          try (var stream = in.getInputStream(entry)) {
            content = change.apply(entry.getName(), stream.readAllBytes());
          }
          if (content != null) {
            ZipEntry copy = new ZipEntry(entry.getName());
            copy.setLastModifiedTime(entryTime == null ? entry.getLastModifiedTime() : FileTime.from(entryTime));
            out.putNextEntry(copy);
            out.write(content);
            out.closeEntry();
          }
        }
      } finally {
        Files.delete(source);
      }
      return bytes.toByteArray();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
