package io.piholecheckpoint.teleporter;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.toml.TomlMapper;
import io.piholecheckpoint.core.archive.ArchiveInspector;
import io.piholecheckpoint.core.archive.ContentSummary;
import io.piholecheckpoint.core.archive.InvalidArchiveException;
import io.piholecheckpoint.core.units.ByteSize;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.util.Arrays;
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
 * writes STORED entries with data descriptors, which ZipInputStream cannot read. Any archive, of
 * any size or shape, is read in bounded heap and time: entries are streamed and counted against
 * an {@link InflationBudget}, pihole.toml is bounded by {@link PiholeToml}, and gravity.db is read
 * through {@link GravityDatabase}, its rows streamed into the content hash.
 */
public final class TeleporterInspector implements ArchiveInspector {
  static final String CONFIG = "etc/pihole/pihole.toml";
  static final String GRAVITY = "etc/pihole/gravity.db";
  /** Never imported by a restore, and reduced differently on each export. */
  private static final String FTL_DATABASE = "etc/pihole/pihole-FTL.db";
  private static final byte[] ZIP_MAGIC = {'P', 'K', 3, 4};
  private final TomlMapper toml = new TomlMapper();
  @Override
  public Inspection inspect(Path archive) throws IOException {
    long size = Files.size(archive);
    if (size == 0) {
      throw new InvalidArchiveException("the answer was empty, not a Teleporter archive");
    }
    if (!startsWithZipMagic(archive)) {
      throw new InvalidArchiveException("the answer (%s) is not a ZIP archive, so not a Teleporter archive".formatted(ByteSize.format(size)));
    }
    DeclaredShape.requireSmallDirectory(archive);
    try (ZipFile zip = new ZipFile(archive.toFile())) {
      List<? extends ZipEntry> entries = DeclaredShape.entries(zip);
      if (zip.getEntry(CONFIG) == null) {
        throw new InvalidArchiveException("the ZIP archive has no " + CONFIG + ", so it is not a Pi-hole v6 Teleporter archive");
      }
      InflationBudget budget = new InflationBudget();
      for (ZipEntry entry : entries) {
        checkCrc(zip, entry, budget); // every byte unpacked and counted once, none written, before anything is copied
      }
      return inspect(zip, entries);
    } catch (ZipException | EOFException e) {
      throw new InvalidArchiveException("the archive is damaged or incomplete: " + e.getMessage(), e);
    }
  }

  private Inspection inspect(ZipFile zip, List<? extends ZipEntry> entries) throws IOException {
    String configText = new String(PiholeToml.read(zip, zip.getEntry(CONFIG)), StandardCharsets.UTF_8);
    JsonNode config = parse(configText);
    List<String> names = entries.stream().map(ZipEntry::getName).filter(n -> !n.equals(FTL_DATABASE)).sorted().toList();
    ZipEntry gravityEntry = zip.getEntry(GRAVITY);
    if (gravityEntry == null) {
      return inspection(contentHash(zip, names, configText, null), GravityDatabase.Counts.EMPTY, config, configText);
    }
    return GravityDatabase.withCopy(zip, gravityEntry, db -> {
      GravityDatabase.Counts counts = GravityDatabase.counts(db);
      return inspection(contentHash(zip, names, configText, db), counts, config, configText);
    });
  }

  private static Inspection inspection(String contentHash, GravityDatabase.Counts gravity, JsonNode config, String configText) {
    ContentSummary summary = new ContentSummary(gravity.groups(), gravity.adlists(), gravity.allowExact(), gravity.allowRegex(),
        gravity.denyExact(), gravity.denyRegex(), gravity.clients(),
        config.path("dns").path("hosts").size(), config.path("dns").path("cnameRecords").size(), changedSettings(configText));
    return new Inspection(contentHash, summary);
  }

  private static String contentHash(ZipFile zip, List<String> names, String configText, Connection gravity) {
    MessageDigest hash = sha256();
    for (String name : names) {
      hash.update((name + "\n").getBytes(StandardCharsets.UTF_8));
      hashContent(zip, name, configText, gravity, hash);
    }
    return HexFormat.of().formatHex(hash.digest());
  }

  /**
   * Adds what a restore would bring back, without the noise that differs between two exports.
   * Other entries are streamed through the digest: an archive's size must not decide the heap it needs.
   */
  private static void hashContent(ZipFile zip, String name, String configText, Connection gravity, MessageDigest hash) {
    if (name.equals(CONFIG)) {
      configText.lines().filter(l -> !l.startsWith("# Last updated")).forEach(l -> hash.update((l + "\n").getBytes(StandardCharsets.UTF_8)));
      return;
    }
    if (name.equals(GRAVITY)) {
      GravityDatabase.dump(gravity, new DigestOutputStream(OutputStream.nullOutputStream(), hash));
      return;
    }
    byte[] buffer = new byte[64 * 1024];
    try (InputStream in = new InflationBudget().open(zip, zip.getEntry(name))) {
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

  private static void checkCrc(ZipFile zip, ZipEntry entry, InflationBudget budget) throws IOException {
    CRC32 crc = new CRC32();
    byte[] buffer = new byte[8192];
    try (InputStream in = entry.getName().equals(CONFIG) ? PiholeToml.open(zip, entry, budget) : budget.open(zip, entry)) {
      for (int n; (n = in.read(buffer)) != -1; ) {
        crc.update(buffer, 0, n);
      }
    }
    if (entry.getCrc() != -1 && crc.getValue() != entry.getCrc()) {
      throw new InvalidArchiveException("the archive is damaged: entry " + entry.getName() + " fails its CRC check");
    }
  }

  /** pihole.toml, bounded in size and nesting (see {@link PiholeToml}). */
  static byte[] read(ZipFile zip, ZipEntry entry) throws IOException {
    return PiholeToml.read(zip, entry);
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
