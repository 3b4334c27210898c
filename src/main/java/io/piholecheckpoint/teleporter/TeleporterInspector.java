package io.piholecheckpoint.teleporter;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.toml.TomlMapper;
import io.piholecheckpoint.core.backup.ArchiveInspector;
import io.piholecheckpoint.core.backup.ContentSummary;
import io.piholecheckpoint.core.backup.InvalidArchiveException;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;

/**
 * Proves a Teleporter archive sound and counts what it holds: every entry's CRC-32 checked,
 * {@code pihole.toml} parsed as TOML, the bundled {@code gravity.db} opened read-only and
 * {@code PRAGMA quick_check}ed. ZipFile (the central directory), not ZipInputStream: Pi-hole
 * writes STORED entries with data descriptors, which ZipInputStream cannot read.
 */
public final class TeleporterInspector implements ArchiveInspector {
  static final String CONFIG = "etc/pihole/pihole.toml";
  static final String GRAVITY = "etc/pihole/gravity.db";
  /** Never imported by a restore, and reduced differently on each export. */
  private static final String FTL_DATABASE = "etc/pihole/pihole-FTL.db";
  private static final byte[] ZIP_MAGIC = {'P', 'K', 3, 4};
  /** Far beyond any real Teleporter archive (gravity.db of millions of domains is a few hundred MB). */
  private static final long MAX_ENTRY_BYTES = 1024L * 1024 * 1024;
  private static final long MAX_TOTAL_BYTES = 2L * 1024 * 1024 * 1024;
  private static final long MAX_RATIO = 200;

  private final TomlMapper toml = new TomlMapper();
  @Override
  public Inspection inspect(Path archive) throws IOException {
    long size = Files.size(archive);
    if (size == 0) {
      throw new InvalidArchiveException("the answer was empty, not a Teleporter archive");
    }
    if (!startsWithZipMagic(archive)) {
      throw new InvalidArchiveException("the answer (%d bytes) is not a ZIP archive, so not a Teleporter archive".formatted(size));
    }
    try (ZipFile zip = new ZipFile(archive.toFile())) {
      List<? extends ZipEntry> entries = Collections.list(zip.entries());
      checkShape(entries);
      if (zip.getEntry(CONFIG) == null) {
        throw new InvalidArchiveException("the ZIP archive has no " + CONFIG + ", so it is not a Pi-hole v6 Teleporter archive");
      }
      for (ZipEntry entry : entries) {
        checkCrc(zip, entry);
      }
      return inspect(zip, entries);
    } catch (ZipException | EOFException e) {
      throw new InvalidArchiveException("the archive is damaged or incomplete: " + e.getMessage(), e);
    }
  }

  private Inspection inspect(ZipFile zip, List<? extends ZipEntry> entries) throws IOException {
    String configText = new String(read(zip, zip.getEntry(CONFIG)), StandardCharsets.UTF_8);
    JsonNode config = parse(configText);
    ZipEntry gravityEntry = zip.getEntry(GRAVITY);
    GravityDatabase.Contents gravity = gravityEntry == null ? GravityDatabase.Contents.EMPTY : GravityDatabase.read(zip, gravityEntry);

    MessageDigest hash = sha256();
    entries.stream().map(ZipEntry::getName).filter(n -> !n.equals(FTL_DATABASE)).sorted().forEach(name -> {
      hash.update((name + "\n").getBytes(StandardCharsets.UTF_8));
      hashContent(zip, name, configText, gravity, hash);
    });
    ContentSummary summary = new ContentSummary(gravity.groups(), gravity.adlists(), gravity.allowExact(), gravity.allowRegex(),
        gravity.denyExact(), gravity.denyRegex(), gravity.clients(),
        config.path("dns").path("hosts").size(), config.path("dns").path("cnameRecords").size(), changedSettings(configText));
    return new Inspection(HexFormat.of().formatHex(hash.digest()), summary);
  }

  /**
   * Adds what a restore would bring back, without the noise that differs between two exports.
   * Other entries are streamed through the digest: an archive's size must not decide the heap it needs.
   */
  private static void hashContent(ZipFile zip, String name, String configText, GravityDatabase.Contents gravity, MessageDigest hash) {
    if (name.equals(CONFIG)) {
      configText.lines().filter(l -> !l.startsWith("# Last updated")).forEach(l -> hash.update((l + "\n").getBytes(StandardCharsets.UTF_8)));
      return;
    }
    if (name.equals(GRAVITY)) {
      hash.update(gravity.canonicalDump());
      return;
    }
    byte[] buffer = new byte[64 * 1024];
    try (InputStream in = zip.getInputStream(zip.getEntry(name))) {
      for (int n; (n = in.read(buffer)) != -1; ) {
        hash.update(buffer, 0, n);
      }
    } catch (IOException e) {
      throw new InvalidArchiveException("cannot read " + name + ": " + e.getMessage(), e);
    }
  }

  private JsonNode parse(String configText) {
    try {
      return toml.readTree(configText);
    } catch (IOException e) {
      throw new InvalidArchiveException(CONFIG + " is not valid TOML: " + e.getMessage(), e);
    }
  }

  /** FTL marks every value that differs from its default with "### CHANGED" when it writes the file. */
  private static int changedSettings(String configText) {
    return (int) configText.lines().filter(l -> l.contains("### CHANGED")).count();
  }

  /** Refuses names that could escape a directory when unpacked, and a ZIP bomb, before reading anything. */
  private static void checkShape(List<? extends ZipEntry> entries) {
    long total = 0;
    for (ZipEntry entry : entries) {
      String name = entry.getName();
      if (name.startsWith("/") || name.startsWith("\\") || name.matches("(?i)^[a-z]:.*") || ("/" + name.replace('\\', '/') + "/").contains("/../")) {
        throw new InvalidArchiveException("the archive has an entry with an unsafe path: " + name);
      }
      long size = entry.getSize();
      long packed = entry.getCompressedSize();
      if (size > MAX_ENTRY_BYTES || (packed > 0 && size > 1024 * 1024 && size / packed > MAX_RATIO)) {
        throw new InvalidArchiveException("the archive's entry " + name + " unpacks to " + size + " bytes: refused as a likely ZIP bomb");
      }
      total += Math.max(size, 0);
    }
    if (total > MAX_TOTAL_BYTES) {
      throw new InvalidArchiveException("the archive unpacks to " + total + " bytes, more than any Teleporter archive: refused as a likely ZIP bomb");
    }
  }

  private static void checkCrc(ZipFile zip, ZipEntry entry) throws IOException {
    CRC32 crc = new CRC32();
    byte[] buffer = new byte[8192];
    try (InputStream in = zip.getInputStream(entry)) {
      for (int n; (n = in.read(buffer)) != -1; ) {
        crc.update(buffer, 0, n);
      }
    }
    if (entry.getCrc() != -1 && crc.getValue() != entry.getCrc()) {
      throw new InvalidArchiveException("the archive is damaged: entry " + entry.getName() + " fails its CRC check");
    }
  }

  static byte[] read(ZipFile zip, ZipEntry entry) throws IOException {
    try (InputStream in = zip.getInputStream(entry)) {
      return in.readAllBytes();
    }
  }

  private static boolean startsWithZipMagic(Path file) throws IOException {
    try (InputStream in = Files.newInputStream(file)) {
      return Arrays.equals(in.readNBytes(ZIP_MAGIC.length), ZIP_MAGIC);
    }
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java runtime has SHA-256", e);
    }
  }
}
