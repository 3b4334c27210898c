package io.piholecheckpoint.teleporter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.piholecheckpoint.core.archive.ArchiveInspector.Inspection;
import io.piholecheckpoint.core.archive.ContentSummary;
import io.piholecheckpoint.core.archive.InvalidArchiveException;
import io.piholecheckpoint.core.archive.scratch.ScratchDirectory;
import io.piholecheckpoint.core.gateway.PiholeVersions;
import io.piholecheckpoint.testing.Fixtures;
import io.piholecheckpoint.testing.LargeArchives;
import io.piholecheckpoint.testing.TestArchives;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.stream.Stream;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;

class TeleporterInspectorTest {
  @TempDir
  Path dir;

  private final TeleporterInspector inspector = new TeleporterInspector();

  private Inspection inspect(byte[] archive) throws Exception {
    Path file = Files.write(dir.resolve("archive-" + System.nanoTime() + ".zip"), archive);
    return inspector.inspect(file);
  }

  @Test
  void countsWhatTheRealArchiveHolds() throws Exception {
    ContentSummary summary = inspect(Fixtures.archiveA()).summary();

    // fixture a: groups Default + kids; 2 adlists; good.example.com allowed; ads.example.com and a regex denied;
    // one client; one local DNS host; one CNAME (see src/test/resources/fixtures/README.md)
    assertThat(summary).isEqualTo(new ContentSummary(2, 2, 1, 0, 1, 1, 0, 1, 1, 1, summary.changedSettings()));
    assertThat(summary.changedSettings()).isPositive();
  }

  /** Outsider 47 F8: the summary counted dns.hosts and dns.cnameRecords among the changed settings (16) that the page lists (14). */
  @Test
  void countsTheChangedSettingsTheContentsList() throws Exception {
    Path file = Files.write(dir.resolve("a.zip"), Fixtures.archiveA());
    java.util.List<String> listed = new TeleporterContents(java.time.Clock.systemUTC()).contents(file, io.piholecheckpoint.core.contents.Page.DEFAULT_SIZE)
        .config().changedSettings();

    assertThat(inspector.inspect(file).summary().changedSettings()).isEqualTo(listed.size());
  }

  /** The contents page lists domains of a type Pi-hole does not define by their number: the counts must hold them too. */
  @Test
  void countsDomainsOfAnUnknownType() throws Exception {
    ContentSummary summary = inspect(TestArchives.withDomainsOfTypes(Fixtures.archiveA(), 7, 9, 0)).summary();

    assertThat(summary).isEqualTo(new ContentSummary(2, 2, 2, 0, 1, 1, 2, 1, 1, 1, summary.changedSettings()));
    assertThat(summary.domains()).isEqualTo(6);
    assertThat(summary.describe()).contains("6 domains");
  }

  /** An uploaded archive has no Pi-hole to ask: FTL names its version in pihole.toml's first line. */
  @Test
  void readsThePiholeVersionTheArchiveNames() throws Exception {
    assertThat(inspect(Fixtures.archiveA()).versions()).isEqualTo(new PiholeVersions(null, "v6.4.1", null));
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "# Pi-hole configuration file\n", "# Pi-hole configuration file (v6.4.1<script>)\n",
      "# Pi-hole configuration file (latest)\n"})
  void givesNoVersionWhenTheArchiveNamesNone(String firstLine) throws Exception {
    String config = new String(TestArchives.entry(Fixtures.archiveA(), "etc/pihole/pihole.toml"), StandardCharsets.UTF_8);
    String replaced = firstLine + config.substring(config.indexOf('\n') + 1);

    Inspection inspection = inspect(TestArchives.replaced(Fixtures.archiveA(), "etc/pihole/pihole.toml", replaced.getBytes(StandardCharsets.UTF_8)));

    assertThat(inspection.versions()).isEqualTo(PiholeVersions.UNKNOWN);
  }

  @Test
  void seesTheChangesBetweenTheTwoFixtures() throws Exception {
    ContentSummary b = inspect(Fixtures.archiveB()).summary();

    assertThat(b.adlists()).isEqualTo(3);
    assertThat(b.allowExact()).isZero();
    assertThat(b.denyExact()).isEqualTo(2);
    assertThat(b.dnsRecords()).isEqualTo(2);
  }

  @Test
  void givesAnUnchangedPiholeTheSameContentHashWhateverTheEntryDates() throws Exception {
    String original = inspect(Fixtures.archiveA()).contentHash();

    String reexported = inspect(TestArchives.reexported(Fixtures.archiveA())).contentHash();

    assertThat(reexported).isEqualTo(original);
  }

  /** Stored backups keep the hash they were given: a new way of computing it must give the same value, or every next backup looks changed. */
  @Test
  void computesTheContentHashesEarlierVersionsStored() throws Exception {
    assertThat(inspect(Fixtures.archiveA()).contentHash()).isEqualTo("9a861843dde5a184349bf9d03906c87d67747d978bcb0b3bb61bf08903475b38");
    assertThat(inspect(Fixtures.archiveB()).contentHash()).isEqualTo("d1c626faaec01e513798d52b39e4693ee4cace8ab14089894cf46620e0ce7971");
  }

  /** As above, for rows no real export holds: values of every storage class, not UTF-8, repeated keys, a row of 600 kB (hash of 3f4c9f67). */
  @Test
  void computesTheContentHashEarlierVersionsStoredForOddValues() throws Exception {
    assertThat(inspector.inspect(withOddValues(3000)).contentHash()).isEqualTo("7b080581f04b7b2d22f65d19720ec9369f5b79f7bea14cdbfbb2366b2162f481");
  }

  /**
   * The fixture with {@code n} deny domains and rows of every storage class in domainlist: reals (-0.0, 1e300, 0.1),
   * blobs, text with NUL, text that is not UTF-8, NULLs, two rows with the same id and type, and a row of over 600 kB.
   */
  private Path withOddValues(int n) throws Exception {
    Path many = LargeArchives.withDenyDomains(dir, "odd-many", n);
    return LargeArchives.edited(dir, "odd", many,
        "INSERT INTO domainlist(id, type, domain, enabled, date_added, comment) VALUES "
            + "(7, 1, 'ünïcödé.example', 1, 0.1, 'é€😀'), (8, 0.5, x'00ff41', -0.0, 1e300, x''), "
            + "(9, 1, CAST(x'c328a0a1' AS TEXT), 2.5e-308, -1e300, 'nul' || char(0) || 'here'), (9, 1, 'dup', NULL, NULL, NULL), "
            + "(10, NULL, 'n', 1, 123456789012345678, 'x'), (11, 1, 'long.example', 1, 1, printf('%.*c', 600000, 'c'))",
        "INSERT INTO domainlist_by_group(domainlist_id, group_id) VALUES (7, 0), (8, 0), (9, 1), (9, 0)");
  }

  /** The second inspection of the same gravity.db and pihole.toml answers from what the first proved; a fresh inspector agrees. */
  @Test
  void answersAnArchiveInspectedBeforeAsAFreshInspectorDoes() throws Exception {
    Inspection first = inspect(Fixtures.archiveA());
    Inspection again = inspect(TestArchives.reexported(Fixtures.archiveA()));
    Inspection other = inspect(Fixtures.archiveB());
    Inspection firstAgain = inspect(Fixtures.archiveA());

    assertThat(again).isEqualTo(first);
    assertThat(firstAgain).isEqualTo(first);
    assertThat(other).isEqualTo(new TeleporterInspector().inspect(Files.write(dir.resolve("fresh.zip"), Fixtures.archiveB())));
    assertThat(first).isEqualTo(new TeleporterInspector().inspect(Files.write(dir.resolve("fresh-a.zip"), Fixtures.archiveA())));
  }

  /**
   * A gravity.db too large to keep its dump (a million domains dump to ~60 MB) is neither unpacked nor dumped again when the
   * same archive comes back: the second inspection needs no scratch file at all, and answers as a fresh inspector does.
   */
  @Test
  void answersALargeArchiveInspectedBeforeWithoutUnpackingItsGravityDatabaseAgain() throws Exception {
    Path large = LargeArchives.withDenyDomains(Files.createDirectories(dir.resolve("made")), "large", 20_000);
    Path archives = Files.createDirectories(dir.resolve("archives"));
    Inspection first = inspector.inspect(Files.copy(large, archives.resolve("first.zip")));
    Path again = Files.write(archives.resolve("again.zip"), TestArchives.reexported(Files.readAllBytes(large)));
    Path scratch = ScratchDirectory.beside(again).path();
    try (Stream<Path> left = Files.walk(scratch)) {
      left.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
    Files.writeString(scratch, "not a folder: a gravity.db unpacked here would fail the inspection");

    Inspection second = inspector.inspect(again);

    assertThat(second).isEqualTo(first);
    assertThat(second.summary().denyExact()).isEqualTo(20_000 + LargeArchives.FIXTURE_DENY_EXACT);
    Path fresh = Files.copy(large, Files.createDirectories(dir.resolve("fresh")).resolve("fresh.zip"));
    assertThat(second).isEqualTo(new TeleporterInspector().inspect(fresh));
  }

  /** A large gravity.db after other entries than before is dumped again: what it is remembered by includes what precedes it. */
  @Test
  void dumpsALargeGravityDatabaseAgainAfterOtherEntries() throws Exception {
    Path large = LargeArchives.withDenyDomains(Files.createDirectories(dir.resolve("made")), "large", 20_000);
    inspector.inspect(large);
    byte[] hosts = TestArchives.entry(Files.readAllBytes(large), "etc/hosts");
    byte[] otherHosts = (new String(hosts, StandardCharsets.UTF_8) + "192.168.1.9 nas.lan\n").getBytes(StandardCharsets.UTF_8);
    Path other = Files.write(dir.resolve("other.zip"), TestArchives.replaced(Files.readAllBytes(large), "etc/hosts", otherHosts));

    Inspection second = inspector.inspect(other);

    assertThat(second).isEqualTo(new TeleporterInspector().inspect(Files.write(dir.resolve("other-fresh.zip"), Files.readAllBytes(other))));
    assertThat(second.contentHash()).isNotEqualTo(inspector.inspect(large).contentHash());
  }

  /** A damaged gravity.db is refused even right after a sound one of the same archive was inspected. */
  @Test
  void refusesADamagedGravityDatabaseAfterASoundOne() throws Exception {
    inspect(Fixtures.archiveA());
    byte[] gravity = TestArchives.entry(Fixtures.archiveA(), TeleporterInspector.GRAVITY);
    Arrays.fill(gravity, 4096, 8192, (byte) 0x5a);

    assertThatThrownBy(() -> inspect(TestArchives.replaced(Fixtures.archiveA(), TeleporterInspector.GRAVITY, gravity)))
        .isInstanceOf(InvalidArchiveException.class).hasMessageContaining("gravity.db");
  }

  @Test
  void keysPiholeTomlWithoutItsLastUpdatedTimeOnly() {
    String base = "[dns]\n# Last updated on 2026-11-27 07:51:58 UTC\nhosts = [ \"1.2.3.4 a\" ]\n";
    String key = TeleporterInspector.configKey(base.getBytes(StandardCharsets.UTF_8));

    assertThat(TeleporterInspector.configKey(base.replace("07:51:58", "08:00:01").getBytes(StandardCharsets.UTF_8))).isEqualTo(key);
    assertThat(TeleporterInspector.configKey(base.replace("1.2.3.4", "1.2.3.5").getBytes(StandardCharsets.UTF_8))).isNotEqualTo(key);
    // a quote, a bracket or a backslash there could open or close something: such a line is part of the key
    assertThat(TeleporterInspector.configKey(base.replace("UTC", "UTC\"").getBytes(StandardCharsets.UTF_8)))
        .isNotEqualTo(TeleporterInspector.configKey(base.replace("UTC", "UT\"").getBytes(StandardCharsets.UTF_8)));
    assertThat(TeleporterInspector.configKey(base.replace("UTC", "UTC]").getBytes(StandardCharsets.UTF_8)))
        .isNotEqualTo(TeleporterInspector.configKey(base.replace("UTC", "]").getBytes(StandardCharsets.UTF_8)));
    // the text before it, and a line that merely contains it, stay in the key
    assertThat(TeleporterInspector.configKey(("x=1 " + base.substring(6)).getBytes(StandardCharsets.UTF_8)))
        .isNotEqualTo(TeleporterInspector.configKey(("x=1 " + base.substring(6).replace("07:51", "08:51")).getBytes(StandardCharsets.UTF_8)));
  }

  /**
   * The key the content hash's one pass over pihole.toml gives: the same for texts that differ only in a harmless
   * "# Last updated" text; another where the line left out was, or the last line feed, differs; none (the text is then
   * keyed in a pass of its own) when what follows "# Last updated" could open or close something, or the bytes are not
   * hashed as they are.
   */
  @Test
  void keysPiholeTomlFromTheHashingOfItsContent() throws Exception {
    String base = "[dns]\n# Last updated on 2026-11-27 07:51:58 UTC\nhosts = [ \"1.2.3.4 a\" ]\n";
    String key = hashedKey(base);

    assertThat(key).isNotNull();
    assertThat(hashedKey(base.replace("07:51:58", "08:00:01"))).isEqualTo(key);
    assertThat(hashedKey(base.replace("1.2.3.4", "1.2.3.5"))).isNotEqualTo(key);
    assertThat(hashedKey("# Last updated x\n[dns]\nhosts = [ \"1.2.3.4 a\" ]\n")).as("the same bytes hashed, the line elsewhere").isNotEqualTo(key);
    assertThat(hashedKey(base.substring(0, base.length() - 1))).as("no last line feed").isNotEqualTo(key);
    assertThat(hashedKey(base.replace("UTC", "UTC\""))).isNull();
    assertThat(hashedKey(base.replace("UTC", "UTC]"))).isNull();
    assertThat(hashedKey(base.replace("UTC", "UTC#"))).isNull();
    assertThat(hashedKey(base.replace("UTC", "Küche"))).isNull();
    assertThat(hashedKey(base.replace("\n", "\r\n"))).isNull();
  }

  private static String hashedKey(String text) throws Exception {
    return TeleporterInspector.hashConfig(text.getBytes(StandardCharsets.UTF_8), text, MessageDigest.getInstance("SHA-256"));
  }

  /** Two texts that differ only in the "# Last updated" time share their parsed facts; an invalid one is still refused. */
  @Test
  void refusesInvalidTomlThatDiffersFromAnInspectedFileElsewhere() throws Exception {
    inspect(Fixtures.archiveA());
    byte[] toml = TestArchives.entry(Fixtures.archiveA(), TeleporterInspector.CONFIG);
    byte[] broken = (new String(toml, StandardCharsets.UTF_8) + "\n[dns\n").getBytes(StandardCharsets.UTF_8);

    assertThatThrownBy(() -> inspect(TestArchives.replaced(Fixtures.archiveA(), TeleporterInspector.CONFIG, broken)))
        .isInstanceOf(InvalidArchiveException.class).hasMessageContaining("not valid TOML");
  }

  /** The nesting check is remembered with the rest of a text's facts, by its key: a text nested too deep is still refused. */
  @Test
  void refusesADeeplyNestedPiholeTomlAfterASoundOne() throws Exception {
    inspect(Fixtures.archiveA());
    byte[] toml = TestArchives.entry(Fixtures.archiveA(), TeleporterInspector.CONFIG);
    byte[] nested = (new String(toml, StandardCharsets.UTF_8) + "\nx = " + "[".repeat(40) + "]".repeat(40) + "\n").getBytes(StandardCharsets.UTF_8);

    assertThatThrownBy(() -> inspect(TestArchives.replaced(Fixtures.archiveA(), TeleporterInspector.CONFIG, nested)))
        .isInstanceOf(InvalidArchiveException.class).hasMessageContaining("nests arrays or tables 40 levels deep");
  }

  /** pihole.toml's part of the content hash is its text's lines but "# Last updated" ones, each with a line feed, however it is written. */
  @ParameterizedTest
  @ValueSource(strings = {"", "\n", "a = 1", "a = 1\n", "a = 1\n\n", "# Last updated x\na = 1\n", "a = 1\n# Last updated x",
      "a = 1\n# Last updated x\n", "# Last updated\n# Last updated y\n", "a = 1\r\n# Last updated x\r\nb = 2\r\n", "a = 1\rb = 2",
      "name = \"Küche\"\n# Last updated x\n", "a = 1\n  # Last updated x\nb = \"# Last updated\"\n"})
  void hashesPiholeTomlAsItsLinesWithoutTheLastUpdatedOnes(String text) throws Exception {
    byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
    MessageDigest expected = MessageDigest.getInstance("SHA-256");
    text.lines().filter(l -> !l.startsWith("# Last updated")).forEach(l -> expected.update((l + "\n").getBytes(StandardCharsets.UTF_8)));
    MessageDigest hashed = MessageDigest.getInstance("SHA-256");

    TeleporterInspector.hashConfig(bytes, text, hashed);

    assertThat(hashed.digest()).isEqualTo(expected.digest());
  }

  @Test
  void givesTheTwoFixturesDifferentContentHashes() throws Exception {
    assertThat(inspect(Fixtures.archiveA()).contentHash()).isNotEqualTo(inspect(Fixtures.archiveB()).contentHash());
  }

  @Test
  void refusesATruncatedArchive() {
    byte[] archive = Fixtures.archiveA();

    assertThatThrownBy(() -> inspect(Arrays.copyOf(archive, archive.length / 2)))
        .isInstanceOf(InvalidArchiveException.class).hasMessageContaining("damaged or incomplete");
  }

  @Test
  void refusesACorruptedArchive() {
    byte[] corrupted = Fixtures.archiveA();
    corrupted[500] ^= 0x5a; // inside the compressed pihole.toml

    assertThatThrownBy(() -> inspect(corrupted)).isInstanceOf(InvalidArchiveException.class).hasMessageContaining("damaged");
  }

  @Test
  void refusesAWebPage() {
    assertThatThrownBy(() -> inspect("<!DOCTYPE html><html></html>".getBytes(StandardCharsets.UTF_8)))
        .isInstanceOf(InvalidArchiveException.class).hasMessageContaining("not a ZIP archive");
  }

  @Test
  void namesWhatWasReceivedInBytes() {
    assertThatThrownBy(() -> inspect("hello world".getBytes(StandardCharsets.UTF_8)))
        .isInstanceOf(InvalidArchiveException.class).hasMessageStartingWith("the file received (11 bytes) is not a ZIP archive");
  }

  @Test
  void saysWhereAPiholeTomlIsBrokenInTheUsersTermsWithoutTheParsersSourceDump() throws Exception {
    byte[] broken = "[dns]\nupstreams = [\"1.1.1.1\"]\nupstreams = [\"9.9.9.9\"]\n".getBytes(StandardCharsets.UTF_8);

    assertThatThrownBy(() -> inspect(TestArchives.replaced(Fixtures.archiveA(), TeleporterInspector.CONFIG, broken)))
        .isInstanceOf(InvalidArchiveException.class)
        .hasMessage("etc/pihole/pihole.toml is not valid TOML near line 4, column 1: duplicate key")
        .hasMessageNotContainingAny("Source", "StringReader", "[", "\n");
  }

  @Test
  void saysWhatIsWrongWithAGravityDatabaseWithoutTheDriversCodes() throws Exception {
    byte[] notADatabase = "this is not an SQLite file, only text that claims to be one".repeat(100).getBytes(StandardCharsets.UTF_8);

    assertThatThrownBy(() -> inspect(TestArchives.replaced(Fixtures.archiveA(), TeleporterInspector.GRAVITY, notADatabase)))
        .isInstanceOf(InvalidArchiveException.class).hasMessageContaining("gravity.db").hasMessageNotContaining("SQLITE_");
  }

  @Test
  void callsAnEmptyFileEmptyNotANonZip() {
    assertThatThrownBy(() -> inspect(new byte[0])).isInstanceOf(InvalidArchiveException.class)
        .hasMessage("the file received was empty (0 bytes), not a Teleporter archive");
  }

  /** Outsider 46: a ZIP with no file in it was called "not a ZIP archive". */
  @Test
  void callsAnEmptyZipArchiveEmptyNotANonZip() throws Exception {
    ByteArrayOutputStream empty = new ByteArrayOutputStream();
    new ZipOutputStream(empty).close();

    assertThatThrownBy(() -> inspect(empty.toByteArray())).isInstanceOf(InvalidArchiveException.class)
        .hasMessage("the file received (22 bytes) is an empty ZIP archive, with no file in it, so not a Teleporter archive");
  }

  /** The archives {@link #checkRefusesWhatTheInspectionRefuses} gives both. */
  static Stream<Arguments> unsoundArchives() throws Exception {
    byte[] archive = Fixtures.archiveA();
    byte[] corrupted = Fixtures.archiveA();
    corrupted[500] ^= 0x5a;
    byte[] gravity = TestArchives.entry(archive, TeleporterInspector.GRAVITY);
    Arrays.fill(gravity, 4096, 8192, (byte) 0x5a);
    byte[] notADatabase = "not an SQLite file".repeat(100).getBytes(StandardCharsets.UTF_8);
    byte[] notToml = "[dns]\nupstreams = [\"1.1.1.1\"]\nupstreams = [\"9.9.9.9\"]\n".getBytes(StandardCharsets.UTF_8);
    return Stream.of(Arguments.of("empty", new byte[0]), Arguments.of("truncated", Arrays.copyOf(archive, archive.length / 2)),
        Arguments.of("a CRC that fails", corrupted), Arguments.of("a damaged gravity.db", TestArchives.replaced(archive, TeleporterInspector.GRAVITY, gravity)),
        Arguments.of("no database", TestArchives.replaced(archive, TeleporterInspector.GRAVITY, notADatabase)),
        Arguments.of("invalid TOML", TestArchives.replaced(archive, TeleporterInspector.CONFIG, notToml)));
  }

  /** A check skips only the content hash: an archive recorded sound and unsound by today's inspector is refused as an inspection would. */
  @ParameterizedTest(name = "{0}")
  @MethodSource("unsoundArchives")
  void checkRefusesWhatTheInspectionRefuses(String what, byte[] archive) throws Exception {
    Path file = Files.write(dir.resolve("unsound.zip"), archive);
    Throwable inspected = catchThrowable(() -> new TeleporterInspector().inspect(file));

    assertThat(inspected).isInstanceOf(InvalidArchiveException.class);
    assertThatThrownBy(() -> new TeleporterInspector().check(file)).isInstanceOf(InvalidArchiveException.class).hasMessage(inspected.getMessage());
  }

  @Test
  void checksASoundArchive() throws Exception {
    Path file = Files.write(dir.resolve("sound.zip"), Fixtures.archiveA());

    inspector.check(file);
    inspector.check(file); // its gravity.db known sound from the first
  }
}
