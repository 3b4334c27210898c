package io.piholecheckpoint.teleporter;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.toml.TomlMapper;
import io.piholecheckpoint.core.archive.ArchiveInspector;
import io.piholecheckpoint.core.archive.ContentSummary;
import io.piholecheckpoint.core.archive.InvalidArchiveException;
import io.piholecheckpoint.core.gateway.PiholeVersions;
import io.piholecheckpoint.core.units.ByteSize;
import java.io.ByteArrayOutputStream;
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
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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
  static final String GRAVITY = io.piholecheckpoint.core.archive.GravityEntry.PATH;
  /** Never imported by a restore, and reduced differently on each export. */
  private static final String FTL_DATABASE = "etc/pihole/pihole-FTL.db";
  private static final byte[] ZIP_MAGIC = {'P', 'K', 3, 4};
  /** A ZIP with no entry starts with its end record: "not a ZIP" would send a person looking for the wrong mistake. */
  private static final byte[] EMPTY_ZIP_MAGIC = {'P', 'K', 5, 6};
  /** Canonical dumps of gravity.db remembered up to this size: a Pi-hole's own lists dump to a few kB. */
  static final int MAX_REMEMBERED_DUMP = 256 * 1024;
  private static final int REMEMBERED = 8;
  private final TomlMapper toml = new TomlMapper();
  /**
   * gravity.db files already proven sound (quick_check, schema), by the SHA-256 of their bytes, with
   * their counts and canonical dump: an unchanged Pi-hole sends the same file on every backup.
   */
  private final Memo<GravityFacts> provenGravity = new Memo<>(REMEMBERED);
  /**
   * For a gravity.db whose dump is too large to remember (a million domains dump to ~60 MB; with its unpacking and counting,
   * ~4.3 of the ~4.8 CPU-s of inspecting that archive again, bench/RESULTS.md r52-suite-a, and the part that grows with the
   * lists): the content hash as its dump left it, by the hash of what came before it in
   * the archive and the gravity.db's SHA-256. The same archive inspected again (imported, verified, previewed, exported
   * unchanged) then neither unpacks nor dumps its gravity.db: a digest's state is a few hundred bytes, whatever the lists.
   */
  private final Memo<MessageDigest> dumpedGravity = new Memo<>(REMEMBERED);
  /** What the summary takes from pihole.toml's tree, by the key {@link #hashConfig} gives or else by {@link #configKey}. */
  private final Memo<ConfigFacts> parsedConfig = new Memo<>(REMEMBERED);
  /** The last pihole.toml hashed, with the digest after it: an unchanged Pi-hole's is not hashed again. */
  private final HashedConfigs hashedConfigs = new HashedConfigs();

  private record GravityFacts(GravityDatabase.Counts counts, byte[] dump) {
  }

  /** @param ftlVersion as the first line of pihole.toml names it, or null */
  private record ConfigFacts(int hosts, int cnameRecords, int changedSettings, String ftlVersion) {
  }

  /** The last few entries used, shared by the threads that inspect. */
  private static final class Memo<V> {
    private final Map<String, V> entries;

    Memo(int size) {
      entries = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, V> eldest) {
          return size() > size;
        }
      };
    }

    synchronized V get(String key) {
      return entries.get(key);
    }

    synchronized void put(String key, V value) {
      entries.put(key, value);
    }
  }

  /** Writes to {@code first}, and to {@code copy} until it holds more than {@code limit} bytes. */
  private static final class Tee extends OutputStream {
    private final OutputStream first;
    private final ByteArrayOutputStream copy;
    private final int limit;

    Tee(OutputStream first, ByteArrayOutputStream copy, int limit) {
      this.first = first;
      this.copy = copy;
      this.limit = limit;
    }

    @Override
    public void write(int b) throws IOException {
      write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      first.write(b, off, len);
      if (copy.size() <= limit) {
        copy.write(b, off, len);
      }
    }

    @Override
    public void flush() throws IOException {
      first.flush();
    }
  }

  /** "11 bytes": a size in abbreviated units ("11 B") reads as a unit nobody knows; past a KiB, both. */
  static String bytes(long size) {
    return size == 1 ? "1 byte" : size < 1024 ? size + " bytes" : size + " bytes, " + ByteSize.format(size);
  }

  @Override
  public Inspection inspect(Path archive) throws IOException {
    return read(archive, true);
  }

  /** {@link #inspect}'s proofs (every CRC, pihole.toml parsed, gravity.db checked and counted) without the content hash's dump. */
  @Override
  public void check(Path archive) throws IOException {
    read(archive, false);
  }

  /** @param hashed whether the content hash is computed, and so the inspection returned (else null) */
  private Inspection read(Path archive, boolean hashed) throws IOException {
    long size = Files.size(archive);
    if (size == 0) {
      throw new InvalidArchiveException("the file received was empty (0 bytes), not a Teleporter archive");
    }
    byte[] magic = leadingBytes(archive);
    if (Arrays.equals(magic, EMPTY_ZIP_MAGIC)) {
      throw new InvalidArchiveException("the file received (%s) is an empty ZIP archive, with no file in it, so not a Teleporter archive".formatted(bytes(size)));
    }
    if (!Arrays.equals(magic, ZIP_MAGIC)) {
      throw new InvalidArchiveException("the file received (%s) is not a ZIP archive, so not a Teleporter archive".formatted(bytes(size)));
    }
    DeclaredShape.requireSmallDirectory(archive);
    try (ZipFile zip = new ZipFile(archive.toFile())) {
      List<? extends ZipEntry> entries = DeclaredShape.entries(zip);
      if (zip.getEntry(CONFIG) == null) {
        throw new InvalidArchiveException("the ZIP archive has no " + CONFIG + ", so it is not a Pi-hole v6 Teleporter archive");
      }
      InflationBudget budget = new InflationBudget();
      byte[] config = null;
      String gravityDigest = null;
      // every byte unpacked and counted once, none written, before anything is copied; pihole.toml is
      // kept from this one reading, gravity.db's bytes hashed on the way
      for (ZipEntry entry : entries) {
        if (entry.getName().equals(CONFIG)) {
          config = checkedConfig(zip, entry, budget); // each name once (DeclaredShape): the one ZipFile reads by name too
        } else if (entry.getName().equals(GRAVITY)) {
          MessageDigest digest = sha256();
          checkCrc(zip, entry, budget, digest);
          gravityDigest = HexFormat.of().formatHex(digest.digest());
        } else {
          checkCrc(zip, entry, budget, null);
        }
      }
      if (!hashed) {
        checkParts(zip, config, gravityDigest);
        return null;
      }
      return inspect(zip, entries, config, gravityDigest);
    } catch (ZipException | EOFException e) {
      throw new InvalidArchiveException("the archive is damaged or incomplete: " + e.getMessage(), e);
    }
  }

  private Inspection inspect(ZipFile zip, List<? extends ZipEntry> entries, byte[] configBytes, String gravityDigest) throws IOException {
    String configText = new String(configBytes, StandardCharsets.UTF_8);
    List<String> names = entries.stream().map(ZipEntry::getName).filter(n -> !n.equals(FTL_DATABASE)).sorted().toList();
    ZipEntry gravityEntry = zip.getEntry(GRAVITY);
    if (gravityEntry == null) {
      Inspection settingsOnly = inspection(contentHash(zip, names, configBytes, configText, null), GravityDatabase.Counts.EMPTY, configBytes, configText);
      return new Inspection(settingsOnly.contentHash(), settingsOnly.summary(), false, settingsOnly.versions());
    }
    GravityFacts proven = gravityDigest == null ? null : provenGravity.get(gravityDigest);
    if (proven != null && proven.dump() != null) { // the same bytes as a gravity.db already proven sound, counted and dumped: the same verdict
      return inspection(contentHash(zip, names, configBytes, configText, hash -> {
        hash.update(proven.dump());
        return hash;
      }), proven.counts(), configBytes, configText);
    }
    GravityDatabase.Counts[] counts = {proven == null ? null : proven.counts()};
    Hashed hashed = contentHash(zip, names, configBytes, configText, hash -> {
      String key = proven == null ? null : digestSoFar(hash) + ":" + gravityDigest;
      MessageDigest after = key == null ? null : dumpedGravity.get(key);
      if (after != null) { // proven sound, and dumped after the same bytes: the hash as that dump left it
        return copyOf(after);
      }
      return GravityDatabase.withCopy(zip, gravityEntry, db -> {
        counts[0] = GravityDatabase.counts(db);
        String before = gravityDigest == null ? null : digestSoFar(hash);
        ByteArrayOutputStream dump = new ByteArrayOutputStream();
        GravityDatabase.dump(db, new Tee(new DigestOutputStream(OutputStream.nullOutputStream(), hash), dump, MAX_REMEMBERED_DUMP));
        if (gravityDigest != null) {
          boolean small = dump.size() <= MAX_REMEMBERED_DUMP;
          provenGravity.put(gravityDigest, new GravityFacts(counts[0], small ? dump.toByteArray() : null));
          MessageDigest state = small || before == null ? null : copyOf(hash);
          if (state != null) {
            dumpedGravity.put(before + ":" + gravityDigest, state);
          }
        }
        return hash;
      });
    });
    return inspection(hashed, counts[0], configBytes, configText);
  }

  /** A digest's copy to go on with, or null where the provider cannot copy one (SHA-256's can). */
  private static MessageDigest copyOf(MessageDigest digest) {
    try {
      return (MessageDigest) digest.clone();
    } catch (CloneNotSupportedException e) {
      return null;
    }
  }

  /** What {@link #inspect} proves of pihole.toml and gravity.db once their bytes are read, without dumping a row. */
  private void checkParts(ZipFile zip, byte[] configBytes, String gravityDigest) throws IOException {
    configFacts(configBytes, new String(configBytes, StandardCharsets.UTF_8), null);
    ZipEntry gravityEntry = zip.getEntry(GRAVITY);
    if (gravityEntry != null && (gravityDigest == null || provenGravity.get(gravityDigest) == null)) {
      GravityDatabase.withCopy(zip, gravityEntry, GravityDatabase::counts);
    }
  }

  /** pihole.toml's facts are looked up once its text has been hashed: the hash gives their key (see {@link #hashConfig}). */
  private Inspection inspection(Hashed hashed, GravityDatabase.Counts gravity, byte[] configBytes, String configText) {
    ConfigFacts config = configFacts(configBytes, configText, hashed.configKey());
    ContentSummary summary = new ContentSummary(gravity.groups(), gravity.adlists(), gravity.allowExact(), gravity.allowRegex(),
        gravity.denyExact(), gravity.denyRegex(), gravity.otherDomains(), gravity.clients(), config.hosts(), config.cnameRecords(), config.changedSettings());
    return new Inspection(hashed.contentHash(), summary, true, new PiholeVersions(null, config.ftlVersion(), null));
  }

  /** @param configKey pihole.toml's key as its hashing found it, or null when its text must be keyed by {@link #configKey} */
  private record Hashed(String contentHash, String configKey) {
  }

  /** Adds gravity.db's canonical dump to the hash so far and returns the digest to go on with. */
  @FunctionalInterface
  private interface GravityPart {
    MessageDigest add(MessageDigest hash) throws IOException;
  }

  /** @param gravity adds gravity.db's canonical dump to the hash */
  private Hashed contentHash(ZipFile zip, List<String> names, byte[] configBytes, String configText, GravityPart gravity) throws IOException {
    MessageDigest hash = sha256();
    String configKey = null;
    for (String name : names) {
      hash.update((name + "\n").getBytes(StandardCharsets.UTF_8));
      if (name.equals(GRAVITY)) {
        hash = gravity.add(hash);
      } else if (name.equals(CONFIG)) {
        HashedConfigs.Hashed config = hashedConfigs.hash(configBytes, configText, hash);
        hash = config.digest();
        configKey = config.key();
      } else {
        hashContent(zip, name, hash);
      }
    }
    return new Hashed(HexFormat.of().formatHex(hash.digest()), configKey);
  }

  /**
   * Adds what a restore would bring back, without the noise that differs between two exports.
   * Other entries are streamed through the digest: an archive's size must not decide the heap it needs.
   */
  private static void hashContent(ZipFile zip, String name, MessageDigest hash) {
    byte[] buffer = new byte[64 * 1024];
    try (InputStream in = new InflationBudget().open(zip, zip.getEntry(name))) {
      for (int n; (n = in.read(buffer)) != -1; ) {
        hash.update(buffer, 0, n);
      }
    } catch (IOException e) {
      throw new InvalidArchiveException("cannot read " + name + ": " + e.getMessage(), e);
    }
  }

  /**
   * pihole.toml's part of the content hash: each line of its text but those starting with "# Last
   * updated", with a line feed. Straight from the bytes when they are ASCII without carriage returns
   * (a real pihole.toml): its lines are then the same bytes; otherwise line by line from the text.
   *
   * <p>Returns the text's key for its parsed facts, taken from this one pass (no second SHA-256 of 67 kB):
   * the digest so far (what came before in the archive, then these bytes), where in them each line left
   * out was, and whether the text ends with a line feed. Given those, two texts differ at most in what
   * follows "# Last updated" on the lines left out; so the key is given only when all of that is
   * {@link #harmless} (as for {@link #configKey}), and only for the bytes hashed as they are. Otherwise null.
   */
  static String hashConfig(byte[] bytes, String text, MessageDigest hash) {
    if (!asciiWithoutCarriageReturns(bytes)) {
      text.lines().filter(l -> !l.startsWith("# Last updated")).forEach(l -> hash.update((l + "\n").getBytes(StandardCharsets.UTF_8)));
      return null;
    }
    StringBuilder left = new StringBuilder(); // where the lines left out were, in the bytes hashed
    boolean harmless = true;
    int kept = 0; // the start of the lines not yet hashed
    long hashed = 0;
    for (int line = 0; line < bytes.length; line = next(bytes, line)) {
      if (startsWith(bytes, line, LAST_UPDATED)) {
        hash.update(bytes, kept, line - kept);
        hashed += line - kept;
        left.append(hashed).append(',');
        harmless &= harmlessToLineEnd(bytes, line + LAST_UPDATED.length);
        kept = Math.min(next(bytes, line), bytes.length);
      }
    }
    hash.update(bytes, kept, bytes.length - kept);
    if (kept < bytes.length && bytes[bytes.length - 1] != '\n') {
      hash.update((byte) '\n');
    }
    String soFar = harmless ? digestSoFar(hash) : null;
    return soFar == null ? null : soFar + ":" + left + (bytes.length > 0 && bytes[bytes.length - 1] == '\n');
  }

  static boolean harmlessToLineEnd(byte[] bytes, int from) {
    for (int i = from; i < bytes.length && bytes[i] != '\n'; i++) {
      if (!harmless(bytes[i])) {
        return false;
      }
    }
    return true;
  }

  /** The digest of what {@code hash} has been fed so far (it goes on as it was); null from a provider that cannot copy its state. */
  static String digestSoFar(MessageDigest hash) {
    try {
      return HexFormat.of().formatHex(((MessageDigest) hash.clone()).digest());
    } catch (CloneNotSupportedException e) {
      return null; // the text is then keyed by configKey, in a pass of its own
    }
  }

  private static boolean asciiWithoutCarriageReturns(byte[] bytes) {
    for (byte b : bytes) {
      if (b < 0 || b == '\r') {
        return false;
      }
    }
    return true;
  }

  private JsonNode parse(String configText) {
    try {
      return toml.readTree(configText);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw ParserWords.toml(CONFIG, e);
    } catch (IOException e) {
      throw new InvalidArchiveException(CONFIG + " cannot be read: " + e.getMessage(), e);
    }
  }

  /**
   * FTL marks every value that differs from its default with "### CHANGED" when it writes the file: the keys the contents list
   * as settings, so that the count and the page agree. dns.hosts and dns.cnameRecords are counted as local DNS records and
   * CNAMEs, not as settings (the count said 16 where the page listed 14).
   */
  private static int changedSettings(String configText) {
    return (int) TeleporterContentsReader.changedKeys(configText).stream().filter(k -> !TeleporterContentsReader.LOCAL_DNS.contains(k))
        .distinct().count();
  }

  /** @param digest also fed every byte, when not null */
  private static void checkCrc(ZipFile zip, ZipEntry entry, InflationBudget budget, MessageDigest digest) throws IOException {
    CRC32 crc = new CRC32();
    byte[] buffer = new byte[16 * 1024];
    try (InputStream in = budget.open(zip, entry)) {
      for (int n; (n = in.read(buffer)) != -1; ) {
        crc.update(buffer, 0, n);
        if (digest != null) {
          digest.update(buffer, 0, n);
        }
      }
    }
    requireCrc(entry, crc);
  }

  /** pihole.toml, read once: its CRC checked, its bytes kept (bounded by {@link PiholeToml#MAX_BYTES}). */
  private static byte[] checkedConfig(ZipFile zip, ZipEntry entry, InflationBudget budget) throws IOException {
    byte[] bytes;
    try (InputStream in = PiholeToml.open(zip, entry, budget)) {
      bytes = in.readAllBytes();
    }
    CRC32 crc = new CRC32();
    crc.update(bytes);
    requireCrc(entry, crc);
    return bytes;
  }

  private static void requireCrc(ZipEntry entry, CRC32 crc) {
    if (entry.getCrc() != -1 && crc.getValue() != entry.getCrc()) {
      throw new InvalidArchiveException("the archive is damaged: entry " + entry.getName() + " fails its CRC check");
    }
  }

  /**
   * What the summary takes from pihole.toml's tree, parsed once per distinct text: FTL rewrites the
   * file's "# Last updated" line on every export, so the memo's key leaves that line's harmless
   * characters out (see {@link #hashConfig}, {@link #configKey}); whether the rest is valid TOML, how deep
   * it nests and how many settings it marks changed do not depend on them (they hold no quote, bracket or '#').
   *
   * @param hashedKey the key {@link #hashConfig} gave, or null: then the text is keyed by {@link #configKey}
   */
  private ConfigFacts configFacts(byte[] bytes, String text, String hashedKey) {
    // two kinds of key, told apart: one never equals the other's by accident
    String key = hashedKey != null ? "hashed:" + hashedKey : "text:" + configKey(bytes);
    ConfigFacts known = parsedConfig.get(key);
    if (known != null) {
      return known;
    }
    PiholeToml.requireShallow(CONFIG, bytes); // before the parser recurses into it
    JsonNode config = parse(text);
    ConfigFacts facts = new ConfigFacts(config.path("dns").path("hosts").size(), config.path("dns").path("cnameRecords").size(),
        changedSettings(text), PiholeToml.ftlVersion(text));
    parsedConfig.put(key, facts);
    return facts;
  }

  static final byte[] LAST_UPDATED = "# Last updated".getBytes(StandardCharsets.US_ASCII);

  /**
   * The SHA-256 of the bytes with the text after "# Last updated" left out, on each line that starts
   * with it and holds nothing but letters, digits, spaces and {@code :+-.,/} up to its line feed:
   * as a comment or as the middle of a multi-line string such a text opens, closes and escapes
   * nothing, so two files that differ only there are both valid TOML or both not, with the same arrays.
   */
  static String configKey(byte[] bytes) {
    MessageDigest key = sha256();
    int from = 0;
    for (int i = 0; i < bytes.length; i = next(bytes, i)) {
      if (!startsWith(bytes, i, LAST_UPDATED)) {
        continue;
      }
      int end = i + LAST_UPDATED.length;
      while (end < bytes.length && bytes[end] != '\n' && harmless(bytes[end])) {
        end++;
      }
      if (end == bytes.length || bytes[end] == '\n') {
        key.update(bytes, from, i + LAST_UPDATED.length - from);
        from = end;
      }
    }
    key.update(bytes, from, bytes.length - from);
    return HexFormat.of().formatHex(key.digest());
  }

  /** The start of the line after the one at {@code i}. */
  static int next(byte[] bytes, int i) {
    while (i < bytes.length && bytes[i] != '\n') {
      i++;
    }
    return i + 1;
  }

  static boolean startsWith(byte[] bytes, int at, byte[] prefix) {
    return bytes.length - at >= prefix.length && Arrays.equals(bytes, at, at + prefix.length, prefix, 0, prefix.length);
  }

  private static boolean harmless(byte b) {
    return (b >= 'a' && b <= 'z') || (b >= 'A' && b <= 'Z') || (b >= '0' && b <= '9') || b == ' ' || b == ':' || b == '+' || b == '-' || b == '.'
        || b == ',' || b == '/';
  }

  /** pihole.toml, bounded in size and nesting (see {@link PiholeToml}). */
  static byte[] read(ZipFile zip, ZipEntry entry) throws IOException {
    return PiholeToml.read(zip, entry);
  }

  private static byte[] leadingBytes(Path file) throws IOException {
    try (InputStream in = Files.newInputStream(file)) {
      return in.readNBytes(ZIP_MAGIC.length);
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
