package io.piholecheckpoint.teleporter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import java.time.Clock;

import io.piholecheckpoint.core.contents.ArchiveContents;
import io.piholecheckpoint.core.contents.ArchiveSettings;
import io.piholecheckpoint.core.contents.ContentDiff;
import io.piholecheckpoint.core.contents.Page;
import io.piholecheckpoint.testing.Fixtures;
import io.piholecheckpoint.testing.TestArchives;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TeleporterContentsReaderTest {
  @TempDir
  Path dir;

  private final TeleporterContents reader = new TeleporterContents(Clock.systemUTC());

  private Path file(byte[] archive) throws Exception {
    return Files.write(dir.resolve("a-" + System.nanoTime() + ".zip"), archive);
  }

  private ArchiveContents read(byte[] archive) throws Exception {
    return reader.contents(file(archive), Page.DEFAULT_SIZE);
  }

  private ContentDiff diff(byte[] before, byte[] after) throws Exception {
    return reader.diff(file(before), file(after), Page.DEFAULT_SIZE);
  }

  @Test
  void readsTheListsOfTheRealArchiveByName() throws Exception {
    ArchiveContents a = read(Fixtures.archiveA());

    assertThat(a.groups().items()).extracting(ArchiveContents.Group::name).containsExactly("Default", "kids");
    assertThat(a.adlists().items()).containsExactly(
        new ArchiveContents.Adlist("https://example.net/allow.txt", "allow", true, List.of("Default"), "allowlist"),
        new ArchiveContents.Adlist("https://example.org/hosts.txt", "block", true, List.of("Default", "kids"), "example blocklist"));
    assertThat(a.domains().items()).extracting(d -> d.kind() + " " + d.match() + " " + d.domain())
        .containsExactlyInAnyOrder("deny exact ads.example.com", "allow exact good.example.com", "deny regex (^|\\.)tracker\\.");
    assertThat(a.clients().items()).extracting(ArchiveContents.Client::client).containsExactly("192.168.1.50");
    assertThat(a.config().dnsRecords()).containsExactly("192.168.1.10 nas.lan");
    assertThat(a.config().cnames()).containsExactly("media.lan,nas.lan");
    assertThat(a.config().changedSettings()).contains("dns.interface", "dns.port");
  }

  /** A domain type Pi-hole does not define (a newer one's, or a damaged row) is shown by its number, never as another type. */
  @Test
  void namesADomainOfAnUnknownTypeByItsNumber() throws Exception {
    Path db = Files.write(dir.resolve("gravity.db"), TestArchives.entry(Fixtures.archiveA(), "etc/pihole/gravity.db"));
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db); Statement s = c.createStatement()) {
      s.executeUpdate("UPDATE domainlist SET type = 7 WHERE domain = 'ads.example.com'");
    }
    byte[] odd = TestArchives.replaced(Fixtures.archiveA(), "etc/pihole/gravity.db", Files.readAllBytes(db));

    assertThat(read(odd).domains().items()).extracting(d -> d.kind() + " " + d.match() + " " + d.domain())
        .containsExactlyInAnyOrder("type 7 unknown ads.example.com", "allow exact good.example.com", "deny regex (^|\\.)tracker\\.");
    assertThat(diff(Fixtures.archiveA(), odd).categories().get("domains").added()).containsExactly("type 7 unknown ads.example.com");
  }

  @Test
  void masksEverySecret() throws Exception {
    Map<String, String> settings = read(Fixtures.archiveA()).config().settings();

    assertThat(settings.get("webserver.api.pwhash")).isEqualTo(ArchiveContents.MASK);
    assertThat(settings).allSatisfy((key, value) -> assertThat(value).doesNotContain("$BALLOON"));
  }

  /** Outsider 48 (F11): a number of days and a file's path were masked for being under webserver.tls; only the secrets are. */
  @Test
  void showsTheTlsSettingsThatAreNoSecret() throws Exception {
    Map<String, String> settings = read(Fixtures.archiveA()).config().settings();

    assertThat(settings.get("webserver.tls.validity")).isEqualTo("47");
    assertThat(settings.get("webserver.tls.cert")).contains("/etc/pihole/tls.pem");
    assertThat(settings.entrySet()).filteredOn(e -> ArchiveContents.MASK.equals(e.getValue())).extracting(Map.Entry::getKey)
        .containsExactly("webserver.api.pwhash");
  }

  @Test
  void diffsTheFixturesExactlyAsTheirReadmeSays() throws Exception {
    ContentDiff diff = diff(Fixtures.archiveA(), Fixtures.archiveB());

    assertThat(diff.categories().get("adlists").added()).containsExactly("https://example.com/more-ads.txt");
    assertThat(diff.categories().get("domains").added()).containsExactly("deny exact telemetry.example.com");
    assertThat(diff.categories().get("domains").removed()).containsExactly("allow exact good.example.com");
    assertThat(diff.categories().get("dnsRecords").added()).containsExactly("192.168.1.11 printer.lan");
    assertThat(diff.settings()).containsExactly(new ContentDiff.SettingChange("dns.upstreams", "[]", "[\"9.9.9.9\"]"));
    assertThat(diff.summary()).isEqualTo("+1 adlist, +1 domain, \u22121 domain, +1 local DNS record, 1 setting");
    long otherChanges = diff.categories().entrySet().stream()
        .mapToLong(e -> e.getValue().addedTotal() + e.getValue().removedTotal() + e.getValue().changedTotal()).sum();
    assertThat(otherChanges).as("nothing else").isEqualTo(4);
  }

  @Test
  void findsNoChangeBetweenTwoExportsOfAnUnchangedPihole() throws Exception {
    assertThat(diff(Fixtures.archiveA(), TestArchives.reexported(Fixtures.archiveA())).empty()).isTrue();
  }

  private static byte[] withConfig(String from, String to) {
    String toml = new String(TestArchives.entry(Fixtures.archiveA(), "etc/pihole/pihole.toml"), StandardCharsets.UTF_8);
    assertThat(toml).contains(from);
    return TestArchives.replaced(Fixtures.archiveA(), "etc/pihole/pihole.toml", toml.replace(from, to).getBytes(StandardCharsets.UTF_8));
  }

  /** A backup, restore or sync reads one archive's settings two to four times: its pihole.toml is parsed once, whatever its file is named. */
  @Test
  void theSecondReadOfTheSameSettingsDoesNotParseThemAgain() throws Exception {
    Path archive = file(Fixtures.archiveA());
    ArchiveSettings first = reader.settings(archive);

    assertThat(reader.settings(archive)).isSameAs(first);
    assertThat(reader.settings(file(Fixtures.archiveA()))).isSameAs(first);
  }

  /** Kept by the bytes, not the path: an archive rewritten in place (or any other with one byte changed) is read anew. */
  @Test
  void differentBytesNeverGetAnotherArchivesSettings() throws Exception {
    Path archive = file(Fixtures.archiveA());
    ArchiveSettings before = reader.settings(archive);
    Files.write(archive, withConfig("port = 15353 ### CHANGED", "port = 15354 ### CHANGED"));

    ArchiveSettings after = reader.settings(archive);

    assertThat(before.settings().get("dns.port")).isEqualTo("15353");
    assertThat(after.settings().get("dns.port")).isEqualTo("15354");
    assertThat(after).isEqualTo(new TeleporterContents(Clock.systemUTC()).settings(archive));
  }

  /** Every caller gets the same kept settings: none can change what the next one reads. */
  @Test
  void keptSettingsCannotBeChanged() throws Exception {
    ArchiveSettings settings = reader.settings(file(Fixtures.archiveA()));

    assertThatThrownBy(() -> settings.settings().put("dns.port", "53")).isInstanceOf(UnsupportedOperationException.class);
    assertThatThrownBy(() -> settings.dnsRecords().clear()).isInstanceOf(UnsupportedOperationException.class);
    assertThatThrownBy(() -> settings.cnames().clear()).isInstanceOf(UnsupportedOperationException.class);
    assertThatThrownBy(() -> settings.changedSettings().clear()).isInstanceOf(UnsupportedOperationException.class);
    assertThat(List.copyOf(settings.settings().keySet())).isSorted();
  }

  /** Memory is bounded: past {@link ParsedSettings#KEPT} other texts, the first is parsed again (to equal settings). */
  @Test
  void onlyTheLastFewTextsAreKept() throws Exception {
    Path first = file(Fixtures.archiveA());
    ArchiveSettings kept = reader.settings(first);
    for (int i = 0; i < ParsedSettings.KEPT; i++) {
      reader.settings(file(withConfig("port = 15353 ### CHANGED", "port = " + (20000 + i) + " ### CHANGED")));
    }

    ArchiveSettings again = reader.settings(first);

    assertThat(again).isNotSameAs(kept).isEqualTo(kept);
  }
}
