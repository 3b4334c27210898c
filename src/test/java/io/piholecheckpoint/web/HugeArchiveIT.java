package io.piholecheckpoint.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.piholecheckpoint.core.archive.scratch.ScratchDirectory;
import io.piholecheckpoint.testing.Eventually;
import io.piholecheckpoint.testing.ExclusiveTurn;
import io.piholecheckpoint.testing.FakePihole;
import io.piholecheckpoint.testing.HostileArchives;
import io.piholecheckpoint.testing.LargeArchives;
import io.piholecheckpoint.testing.MadeOnce;
import io.piholecheckpoint.testing.RunningApp;
import io.piholecheckpoint.testing.ScheduledSoon;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A Pi-hole with a million exact deny domains, with the image's JVM options (96 MB heap, 256 KiB stacks, the JVM
 * exits on OutOfMemoryError): a scheduled backup, a manual one answered when done, an import, contents, diffs and a
 * restore preview all answer, a page at a time. Issue 12 against the same server: each hostile archive is a 4xx or a failed
 * backup within 30 s, and once all of it is done nothing is left on disk and the server is still up.
 * <p>
 * The hostile cases were a class of their own (HostileArchiveIT) that made another million-domain archive, started
 * another app, imported it and backed up a Pi-hole serving it: the same work as this class's import and first scheduled
 * backup, on the same two cores, paid twice per run. Here they run against this app, after the million-domain work of
 * the setup, and the leftover checks see everything every case did. No case changes what another reads: a refused
 * import writes nothing, the bomb is another instance's history, and the setup's backups are done before any case.
 */
public class HugeArchiveIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int DOMAINS = 1_000_000;
  /** Domains: d1… are added, then one page of the diff after the drift. */
  private static final String SUMMARY = "+%,d domains, \u2212%,d domains, %,d domains changed";
  private static final String DRIFT = String.format(java.util.Locale.ROOT, SUMMARY, LargeArchives.ADDED, LargeArchives.REMOVED, LargeArchives.CHANGED);
  private static final Duration POLL = Duration.ofMillis(500);
  private static final String BACK = String.format(java.util.Locale.ROOT, SUMMARY, LargeArchives.REMOVED, LargeArchives.ADDED, LargeArchives.CHANGED);
  /** The exact deny domains of the million-domain archive: the generated ones and the fixture's own. */
  private static final int DENY_EXACT = DOMAINS + LargeArchives.FIXTURE_DENY_EXACT;

  @TempDir
  static Path dir;

  private static FakePihole pihole;
  private static FakePihole bombPihole;
  private static Path bomb;
  private static Path backups;
  private static Path tmp;
  private static RunningApp app;
  private static ExclusiveTurn turn;
  private static byte[] archiveA;
  private static long instance;
  private static long first;
  private static long second;
  /** The answer to the manual backup after the drift. */
  private static HttpResponse<String> manual;

  @BeforeAll
  static void backUpAMillionDomainsOnScheduleThenDrift() throws Exception {
    Path a = MadeOnce.archive("huge-a-" + DOMAINS, LargeArchives.class, work -> LargeArchives.withDenyDomains(work, "huge-a", DOMAINS));
    Path b = MadeOnce.archive("huge-b-" + DOMAINS, LargeArchives.class, work -> LargeArchives.drifted(work, "huge-b", a));
    bomb = MadeOnce.archive("hostile-bomb-1GiB-32KiB", HostileArchives.class, work -> HostileArchives.lyingBomb(work.resolve("bomb.zip"), 1L << 30, 32_768));
    archiveA = Files.readAllBytes(a);
    // made while the other class may hold the turn: making them has no time limit, and this JVM would only wait
    turn = ExclusiveTurn.take("million-domains");
    pihole = FakePihole.builder().password("labpass").archive(archiveA).start();
    bombPihole = FakePihole.start("", "labpass", Files.readAllBytes(bomb));
    backups = dir.resolve("backups");
    tmp = Files.createDirectories(dir.resolve("tmp"));
    app = RunningApp.start(dir.resolve("data"), backups, Map.of(
        // the image's JVM options, and the JVM's temporary folder pointed where the test can look
        "JAVA_OPTS", RunningApp.IMAGE_JAVA_OPTS + " -Djava.io.tmpdir=" + tmp, "TMPDIR", tmp.toString(), "SQLITE_TMPDIR", tmp.toString(),
        "PIHOLE_BOMB_URL", bombPihole.url(), "PIHOLE_BOMB_PASSWORD", "labpass"));
    // Each backup fired by its schedule as soon as the test is ready for it, rather than at a `0/20` cron's boundaries, which
    // the setup waited for and which went on firing a million-domain backup every 20 s through the tests. At the next whole
    // second: a move answered too late for it is set again further ahead (ScheduledSoon), so the 8 s this lead once was, a
    // margin for a slow move, were only waited out.
    ScheduledSoon home = ScheduledSoon.add(app, pihole, 1);
    instance = home.id();
    // asked twice a second, not every 50 ms: each asking renders the history while the app backs up a million domains on the
    // same two cores (a fifth of the app's busy samples in this setup were that page)
    Eventually.until("a scheduled backup of the huge Pi-hole", Duration.ofMinutes(3), POLL, () -> (first = newestScheduled()) > 0);
    pihole.archive(Files.readAllBytes(b));
    // the backup after the drift is asked for by hand and answered when done: a million domains backed up by both triggers
    manual = app.post("/api/v1/instances/" + instance + "/backups?wait=true");
    second = manual.statusCode() == 201 ? JSON.readTree(manual.body()).get("id").asLong() : 0;
  }

  /** After every case, so that what they all left behind is seen. */
  @AfterAll
  static void stop() throws Exception {
    try {
      if (app == null) {
        return; // the setup failed and says why
      }
      assertThat(app.get("/health").statusCode()).as("the server is still up").isEqualTo(200);
      Path scratch = backups.resolve(ScratchDirectory.NAME);
      assertThat(filesIn(scratch)).as("no temporary copy is left behind, only list indexes of archives that were read and kept diffs")
          .allMatch(p -> p.getParent().equals(scratch.resolve(ScratchDirectory.LIST_INDEXES)) && p.getFileName().toString().matches("[0-9a-f]{64}\\.db")
              || p.getParent().equals(scratch.resolve(ScratchDirectory.DIFFS)) && p.getFileName().toString().matches("[0-9a-f]{64}-[0-9a-f]{64}\\.db"));
      assertThat(filesIn(tmp)).as("nothing but SQLite's native library is written to the system's temporary folder")
          .allMatch(p -> p.getFileName().toString().contains("sqlite"));
    } finally {
      if (turn != null) {
        turn.closeAfter(app, pihole, bombPihole);
      }
    }
  }

  private static Stream<Path> filesIn(Path folder) throws Exception {
    try (Stream<Path> files = Files.walk(folder)) {
      return files.filter(Files::isRegularFile).toList().stream();
    }
  }

  private static long idOf(String name) throws Exception {
    for (JsonNode each : JSON.readTree(app.get("/api/v1/instances").body()).get("instances")) {
      if (each.get("name").asText().equals(name)) {
        return each.get("id").asLong();
      }
    }
    throw new AssertionError("no instance " + name);
  }

  /** The newest successful scheduled backup, 0 while there is none. */
  private static long newestScheduled() throws Exception {
    for (JsonNode b : json(app.get("/api/v1/instances/" + instance + "/backups")).get("backups")) {
      if (b.get("status").asText().equals("success") && b.get("trigger").asText().equals("scheduled")) {
        return b.get("id").asLong();
      }
    }
    assertThat(app.output()).doesNotContain("OutOfMemoryError");
    return 0;
  }

  private static JsonNode json(HttpResponse<String> response) throws Exception {
    assertThat(response.statusCode()).as(response.body()).isBetween(200, 201);
    return JSON.readTree(response.body());
  }

  @Test
  void showsTheFirstPageWithTotalsAndPagesOnByCursor() throws Exception {
    JsonNode contents = json(app.get("/api/v1/backups/" + first + "/contents"));

    assertThat(contents.at("/totals/domains").asLong()).isEqualTo(DOMAINS + LargeArchives.FIXTURE_DOMAINS);
    assertThat(contents.get("domains")).hasSize(100);
    String next = contents.at("/next/domains").asText();
    JsonNode page2 = json(app.get("/api/v1/backups/" + first + "/contents?category=domains&limit=1000&after=" + next));
    assertThat(page2.get("items")).hasSize(1000);
    assertThat(page2.at("/items/0/domain").asText()).isGreaterThan(contents.at("/domains/99/domain").asText());
    assertThat(app.get("/backups/" + first + "?list=domains&after=" + next).body()).contains("Domains (1,000,003)", page2.at("/items/0/domain").asText());
  }

  @Test
  void diffsTwoMillionDomainArchivesInCountsAndPages() throws Exception {
    JsonNode domains = json(app.get("/api/v1/backups/" + second + "/diff?against=" + first)).at("/categories/domains");

    assertThat(domains.get("addedTotal").asLong()).isEqualTo(LargeArchives.ADDED);
    assertThat(domains.get("removedTotal").asLong()).isEqualTo(LargeArchives.REMOVED);
    assertThat(domains.get("changedTotal").asLong()).isEqualTo(LargeArchives.CHANGED);
    assertThat(domains.get("removed")).hasSize(100);
    String removed = "/api/v1/backups/" + second + "/diff?against=" + first + "&category=domains&change=removed&limit=1000";
    JsonNode page1 = json(app.get(removed));
    JsonNode page2 = json(app.get(removed + "&after=" + URLEncoder.encode(page1.get("next").asText(), StandardCharsets.UTF_8)));
    assertThat(page1.get("items")).hasSize(1000);
    assertThat(page2.get("items")).hasSize(LargeArchives.REMOVED - 1000);
    assertThat(page2.get("next").isNull()).isTrue();
    assertThat(page2.at("/items/0").asText()).startsWith("deny exact d").isGreaterThan(page1.at("/items/999").asText());
  }

  @Test
  void importsAMillionDomainArchiveWithItsChangeSummary() throws Exception {
    HttpResponse<String> imported = app.upload("/api/v1/instances/" + instance + "/backups/import", "file", "huge.zip", archiveA);

    assertThat(imported.statusCode()).as(imported.body()).isEqualTo(201);
    assertThat(JSON.readTree(imported.body()).get("changes").asText()).isIn(BACK, "no changes");
    assertThat(JSON.readTree(imported.body()).at("/summary/denyExact").asInt()).isEqualTo(DENY_EXACT);
  }

  @Test
  void backsUpAPiholeOfAMillionDomainsByHandAndAnswersWhenDone() throws Exception {
    assertThat(manual.statusCode()).as(manual.body()).isEqualTo(201);
    JsonNode backup = JSON.readTree(manual.body());

    assertThat(backup.get("status").asText()).isEqualTo("success");
    assertThat(backup.get("trigger").asText()).isEqualTo("manual");
    assertThat(backup.get("changes").asText()).isEqualTo(DRIFT);
  }

  @Test
  void backsUpAPiholeOfAMillionDomainsOnSchedule() throws Exception {
    JsonNode backup = json(app.get("/api/v1/backups/" + first));

    assertThat(backup.get("status").asText()).isEqualTo("success");
    assertThat(backup.get("trigger").asText()).isEqualTo("scheduled");
    assertThat(backup.at("/summary/denyExact").asInt()).isEqualTo(DENY_EXACT);
  }

  @Test
  void previewsARestoreOfAMillionDomainsAgainstTheLivePihole() throws Exception {
    JsonNode dryRun = json(app.send("POST", "/api/v1/backups/" + first + "/restore", "{\"dryRun\":true}"));

    assertThat(dryRun.at("/preview/categories/domains/addedTotal").asLong()).isEqualTo(LargeArchives.REMOVED);
    assertThat(dryRun.at("/preview/categories/domains/removedTotal").asLong()).isEqualTo(LargeArchives.ADDED);
    assertThat(dryRun.at("/preview/categories/domains/changedTotal").asLong()).isEqualTo(LargeArchives.CHANGED);
    assertThat(app.get("/health").statusCode()).isEqualTo(200);
    assertThat(app.output()).doesNotContain("OutOfMemoryError");
  }

  @Test
  void recordsABackupOfAPiholeServingAZipBombAsFailedAndSaysWhy() throws Exception {
    HttpResponse<String> response = assertTimeoutPreemptively(Duration.ofSeconds(30),
        () -> app.post("/api/v1/instances/" + idOf("Bomb") + "/backups?wait=true"));

    assertThat(response.statusCode()).isEqualTo(502);
    JsonNode failed = JSON.readTree(app.get("/api/v1/instances/" + idOf("Bomb") + "/backups").body()).get("backups").get(0);
    assertThat(failed.get("status").asText()).isEqualTo("failed");
    assertThat(failed.get("error").asText()).contains("etc/pihole/gravity.db").contains("ZIP bomb");
  }

  static Stream<Arguments> hostileArchives() throws Exception {
    Path made = Files.createDirectories(dir.resolve("hostile"));
    return Stream.of(
        Arguments.of("a gravity.db that inflates to 1 GiB behind a 32 KiB header", Files.readAllBytes(bomb), "ZIP bomb"),
        Arguments.of("a pihole.toml of 300 MiB", Files.readAllBytes(MadeOnce.archive("hostile-toml-300MiB", HostileArchives.class,
            work -> HostileArchives.hugeConfig(work.resolve("toml.zip"), 300))), "pihole.toml unpacks to more than 2 MiB"),
        Arguments.of("a pihole.toml nested 100,000 levels deep", HostileArchives.deeplyNestedConfig(100_000), "levels deep"),
        Arguments.of("a domainlist VIEW of 50,000,000 rows", Files.readAllBytes(HostileArchives.archive(made.resolve("view.zip"),
            HostileArchives.gravityWithViewDomainlist(made.resolve("view.db"), 50_000_000))), "as a view, not a table"),
        Arguments.of("a domainlist VIEW that never ends", Files.readAllBytes(HostileArchives.archive(made.resolve("endless.zip"),
            HostileArchives.gravityWithViewDomainlist(made.resolve("endless.db"), -1))), "as a view, not a table"),
        Arguments.of("5,000 entries", HostileArchives.manyEntries(5_000), "entries"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("hostileArchives")
  void refusesAHostileImportWithA422Within30Seconds(String what, byte[] archive, String message) throws Exception {
    HttpResponse<String> response = assertTimeoutPreemptively(Duration.ofSeconds(30),
        () -> app.upload("/api/v1/instances/" + instance + "/backups/import", "file", "hostile.zip", archive));

    assertThat(response.statusCode()).as(response.body()).isEqualTo(422);
    assertThat(JSON.readTree(response.body()).at("/error/message").asText()).contains(message);
    assertThat(app.get("/health").statusCode()).isEqualTo(200);
  }
}
