package io.piholecheckpoint.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.piholecheckpoint.testing.Eventually;
import io.piholecheckpoint.testing.ExclusiveTurn;
import io.piholecheckpoint.testing.FakePihole;
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
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A Pi-hole with a million exact deny domains, with the image's JVM options (96 MB heap, the JVM
 * exits on OutOfMemoryError): scheduled backups, an import, contents, diffs and a restore
 * preview all answer, a page at a time.
 */
public class HugeArchiveIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int DOMAINS = 1_000_000;
  /** Domains: d1… are added, then one page of the diff after the drift. */
  private static final String SUMMARY = "+%,d domains, \u2212%,d domains, %,d domains changed";
  private static final String DRIFT = String.format(java.util.Locale.ROOT, SUMMARY, LargeArchives.ADDED, LargeArchives.REMOVED, LargeArchives.CHANGED);
  private static final Duration POLL = Duration.ofMillis(500);
  private static final String BACK = String.format(java.util.Locale.ROOT, SUMMARY, LargeArchives.REMOVED, LargeArchives.ADDED, LargeArchives.CHANGED);

  @TempDir
  static Path dir;

  private static FakePihole pihole;
  private static RunningApp app;
  private static ExclusiveTurn turn;
  private static byte[] archiveA;
  private static long instance;
  private static long first;
  private static long second;

  @BeforeAll
  static void backUpAMillionDomainsOnScheduleThenDrift() throws Exception {
    Path a = MadeOnce.archive("huge-a-" + DOMAINS, LargeArchives.class, work -> LargeArchives.withDenyDomains(work, "huge-a", DOMAINS));
    Path b = MadeOnce.archive("huge-b-" + DOMAINS, LargeArchives.class, work -> LargeArchives.drifted(work, "huge-b", a));
    archiveA = Files.readAllBytes(a);
    // made while the other class may hold the turn: making them has no time limit, and this JVM would only wait
    turn = ExclusiveTurn.take("million-domains");
    pihole = FakePihole.builder().password("labpass").archive(archiveA).start();
    app = RunningApp.start(dir.resolve("data"), dir.resolve("backups"), Map.of("JAVA_OPTS", RunningApp.IMAGE_JAVA_OPTS));
    // Each backup fired by its schedule a few seconds after the test is ready for it, rather than at a `0/20` cron's
    // boundaries, which the setup waited for and which went on firing a million-domain backup every 20 s through the tests.
    ScheduledSoon home = ScheduledSoon.add(app, pihole, 8);
    instance = home.id();
    // asked twice a second, not every 50 ms: each asking renders the history while the app backs up a million domains on the
    // same two cores (a fifth of the app's busy samples in this setup were that page)
    Eventually.until("a scheduled backup of the huge Pi-hole", Duration.ofMinutes(3), POLL, () -> (first = newest(null)) > 0);
    pihole.archive(Files.readAllBytes(b));
    home.again(app, 8);
    Eventually.until("a scheduled backup after the drift", Duration.ofMinutes(3), POLL, () -> (second = newest(DRIFT)) > 0);
  }

  @AfterAll
  static void stop() throws Exception {
    if (turn != null) {
      turn.closeAfter(app, pihole);
    }
  }

  /** The newest successful scheduled backup, if its change summary is {@code changes} (any when null). */
  private static long newest(String changes) throws Exception {
    for (JsonNode b : json(app.get("/api/v1/instances/" + instance + "/backups")).get("backups")) {
      if (b.get("status").asText().equals("success") && b.get("trigger").asText().equals("scheduled")
          && (changes == null || changes.equals(b.path("changes").asText()))) {
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
}
