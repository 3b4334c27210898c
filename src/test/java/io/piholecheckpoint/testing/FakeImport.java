package io.piholecheckpoint.testing;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;

/**
 * What FTL does with {@code POST /api/teleporter} and {@code PATCH /api/config}, for the fake:
 * selected gravity tables emptied and refilled, config replaced, etc/hosts and pihole-FTL.db
 * never imported; config keys rewritten in pihole.toml.
 */
final class FakeImport {
  static final String CONFIG = "etc/pihole/pihole.toml";
  static final String GRAVITY = "etc/pihole/gravity.db";
  static final String LEASES = "etc/pihole/dhcp.leases";
  static final List<String> TABLES = List.of("group", "adlist", "adlist_by_group", "domainlist", "domainlist_by_group", "client", "client_by_group");

  /** One part of a multipart body, its content in a file of its own (deleted by the fake's owner). */
  record Part(String fileName, Path file) {
    byte[] bytes() throws IOException {
      return Files.readAllBytes(file);
    }

    boolean startsWithZipMagic() throws IOException {
      try (InputStream in = Files.newInputStream(file)) {
        byte[] head = in.readNBytes(2);
        return head.length == 2 && head[0] == 'P' && head[1] == 'K';
      }
    }
  }

  record Result(byte[] archive, List<String> files, boolean configImported) {
  }

  private FakeImport() {
  }

  /**
   * Reads a multipart/form-data body as it arrives, each part's content straight into a file of
   * its own in {@code dir}: a 50 MB archive is never held in the test's heap (FTL streams it too).
   * A body that ends before its closing delimiter yields the parts complete by then.
   */
  static Map<String, Part> parse(InputStream body, String contentType, Path dir) throws IOException {
    String boundary = contentType.replaceAll(".*boundary=\"?([^\";]+)\"?.*", "$1");
    // the body starts with "--boundary": read it after a CRLF, so that every delimiter is CRLF "--" boundary
    byte[] delimiter = ("\r\n--" + boundary).getBytes(StandardCharsets.ISO_8859_1);
    InputStream in = new java.io.SequenceInputStream(new java.io.ByteArrayInputStream("\r\n".getBytes(StandardCharsets.ISO_8859_1)),
        new java.io.BufferedInputStream(body, 64 * 1024));
    Map<String, Part> parts = new LinkedHashMap<>();
    if (!copyUntil(in, delimiter, OutputStream.nullOutputStream())) {
      return parts;
    }
    while (true) {
      int a = in.read();
      int b = in.read();
      if (a != '\r' || b != '\n') {
        return parts; // "--": the closing delimiter (or a broken body)
      }
      String headers = headers(in);
      Matcher name = Pattern.compile("name=\"([^\"]*)\"").matcher(headers);
      Matcher file = Pattern.compile("filename=\"([^\"]*)\"").matcher(headers);
      Path content = Files.createTempFile(dir, "fake-part-", ".bin");
      boolean complete;
      try (OutputStream out = new java.io.BufferedOutputStream(Files.newOutputStream(content), 64 * 1024)) {
        complete = copyUntil(in, delimiter, out);
      }
      if (!complete || !name.find()) {
        Files.delete(content);
        return parts;
      }
      Part replaced = parts.put(name.group(1), new Part(file.find() ? file.group(1) : null, content));
      if (replaced != null) {
        Files.deleteIfExists(replaced.file());
      }
    }
  }

  /** The header lines of a part, up to the blank line. */
  private static String headers(InputStream in) throws IOException {
    StringBuilder text = new StringBuilder();
    int c;
    while ((c = in.read()) >= 0) {
      text.append((char) c);
      if (text.length() >= 4 && text.substring(text.length() - 4).equals("\r\n\r\n") || text.length() > 16 * 1024) {
        break;
      }
    }
    return text.toString();
  }

  /**
   * Copies {@code in} to {@code out} up to {@code delimiter}, which is consumed; false when the
   * stream ends first. The delimiter's only CR is its first byte, so after a partial match the
   * bytes matched so far are content and only the byte that broke the match can start a new one.
   */
  private static boolean copyUntil(InputStream in, byte[] delimiter, OutputStream out) throws IOException {
    int matched = 0;
    int c;
    while ((c = in.read()) >= 0) {
      if (c == (delimiter[matched] & 0xff)) {
        if (++matched == delimiter.length) {
          return true;
        }
        continue;
      }
      out.write(delimiter, 0, matched);
      matched = 0;
      if (c == (delimiter[0] & 0xff)) {
        matched = 1;
      } else {
        out.write(c);
      }
    }
    return false;
  }

  /** @param selection the {@code import} JSON, or null for everything */
  static Result apply(byte[] current, Path uploaded, JsonNode selection) throws IOException {
    Map<String, byte[]> now = entries(current);
    Map<String, byte[]> in = importable(uploaded);
    if (!in.containsKey(CONFIG)) {
      throw new IOException("no " + CONFIG + " in the archive");
    }
    List<String> files = new ArrayList<>();
    boolean config = selection == null || selection.path("config").asBoolean();
    if (config) {
      now.put(CONFIG, in.get(CONFIG));
      files.add(CONFIG);
    }
    if ((selection == null || selection.path("dhcp_leases").asBoolean()) && in.containsKey(LEASES)) {
      now.put(LEASES, in.get(LEASES));
      files.add(LEASES);
    }
    List<String> tables = TABLES.stream().filter(t -> selection == null || selection.path("gravity").path(t).asBoolean()).toList();
    if (!tables.isEmpty() && in.containsKey(GRAVITY)) {
      now.put(GRAVITY, replaceTables(now.get(GRAVITY), in.get(GRAVITY), tables));
      tables.forEach(t -> files.add(GRAVITY + "->" + t));
    }
    return new Result(zip(now), files, config);
  }

  private static byte[] replaceTables(byte[] target, byte[] source, List<String> tables) throws IOException {
    Path into = Files.createTempFile("fake-gravity-", ".db");
    Path from = Files.createTempFile("fake-upload-", ".db");
    try {
      Files.write(into, target);
      Files.write(from, source);
      try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + into); Statement s = c.createStatement()) {
        s.execute("ATTACH DATABASE '" + from + "' AS upload");
        for (String t : tables) {
          s.executeUpdate("DELETE FROM \"" + t + "\"");
          s.executeUpdate("INSERT INTO \"" + t + "\" SELECT * FROM upload.\"" + t + "\"");
        }
      }
      return Files.readAllBytes(into);
    } catch (java.sql.SQLException e) {
      throw new IOException(e.getMessage(), e);
    } finally {
      Files.deleteIfExists(into);
      Files.deleteIfExists(from);
    }
  }

  /** The names of the groups in the archive's gravity.db, as {@code GET /api/groups} lists them. */
  static List<String> groups(byte[] archive) throws IOException {
    byte[] gravity = entries(archive).get(GRAVITY);
    if (gravity == null) {
      return List.of();
    }
    Path db = Files.createTempFile("fake-gravity-", ".db");
    try {
      Files.write(db, gravity);
      List<String> names = new ArrayList<>();
      try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db); Statement s = c.createStatement();
           java.sql.ResultSet rows = s.executeQuery("SELECT name FROM \"group\" ORDER BY id")) {
        while (rows.next()) {
          names.add(rows.getString(1));
        }
      }
      return names;
    } catch (java.sql.SQLException e) {
      throw new IOException(e.getMessage(), e);
    } finally {
      Files.deleteIfExists(db);
    }
  }

  static String config(byte[] archive) throws IOException {
    return new String(entries(archive).get(CONFIG), StandardCharsets.UTF_8);
  }

  static byte[] withConfig(byte[] archive, String toml) throws IOException {
    Map<String, byte[]> now = entries(archive);
    now.put(CONFIG, toml.getBytes(StandardCharsets.UTF_8));
    return zip(now);
  }

  static void flatten(String prefix, JsonNode node, Map<String, JsonNode> into) {
    if (node.isObject()) {
      node.fields().forEachRemaining(e -> flatten(prefix.isEmpty() ? e.getKey() : prefix + "." + e.getKey(), e.getValue(), into));
    } else {
      into.put(prefix, node);
    }
  }

  /** Replaces one key's (possibly multi-line) value in its table; JSON values are valid inline TOML here. */
  static String setTomlKey(String toml, String dottedKey, String json) {
    String table = dottedKey.substring(0, dottedKey.lastIndexOf('.'));
    String key = dottedKey.substring(dottedKey.lastIndexOf('.') + 1);
    List<String> lines = new ArrayList<>(List.of(toml.split("\n", -1)));
    boolean inTable = false;
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i);
      if (line.matches("^\\s*\\[[A-Za-z0-9_.]+]\\s*(#.*)?$")) {
        inTable = line.trim().startsWith("[" + table + "]");
        continue;
      }
      if (inTable && line.matches("^\\s*" + Pattern.quote(key) + "\\s*=.*")) {
        int end = i;
        int depth = count(line, '[') - count(line, ']');
        while (depth > 0 && end + 1 < lines.size()) {
          end++;
          depth += count(lines.get(end), '[') - count(lines.get(end), ']');
        }
        for (int j = end; j > i; j--) {
          lines.remove(j);
        }
        lines.set(i, line.replaceAll("^(\\s*)" + Pattern.quote(key) + "\\s*=.*", "$1" + Matcher.quoteReplacement(key + " = " + json)));
        return String.join("\n", lines);
      }
    }
    throw new IllegalArgumentException("no key " + dottedKey);
  }

  private static int count(String line, char c) {
    String code = line.contains("#") ? line.substring(0, line.indexOf('#')) : line;
    return (int) code.chars().filter(ch -> ch == c).count();
  }

  private static Map<String, byte[]> entries(byte[] archive) throws IOException {
    Path file = Files.createTempFile("fake-archive-", ".zip");
    try {
      Files.write(file, archive);
      Map<String, byte[]> entries = new LinkedHashMap<>();
      try (ZipFile zip = new ZipFile(file.toFile())) {
        for (ZipEntry e : Collections.list(zip.entries())) {
          try (InputStream in = zip.getInputStream(e)) {
            entries.put(e.getName(), in.readAllBytes());
          }
        }
      }
      return entries;
    } finally {
      Files.deleteIfExists(file);
    }
  }

  /** The entries FTL may import from an uploaded archive; the rest (etc/hosts, pihole-FTL.db: up to 50 MB) are never read. */
  private static Map<String, byte[]> importable(Path archive) throws IOException {
    Map<String, byte[]> entries = new LinkedHashMap<>();
    try (ZipFile zip = new ZipFile(archive.toFile())) {
      for (ZipEntry e : Collections.list(zip.entries())) {
        if (e.getName().equals(CONFIG) || e.getName().equals(LEASES) || e.getName().equals(GRAVITY)) {
          try (InputStream in = zip.getInputStream(e)) {
            entries.put(e.getName(), in.readAllBytes());
          }
        }
      }
    }
    return entries;
  }

  private static byte[] zip(Map<String, byte[]> entries) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ZipOutputStream out = new ZipOutputStream(bytes)) {
      for (Map.Entry<String, byte[]> e : entries.entrySet()) {
        out.putNextEntry(new ZipEntry(e.getKey()));
        out.write(e.getValue());
        out.closeEntry();
      }
    }
    return bytes.toByteArray();
  }
}
