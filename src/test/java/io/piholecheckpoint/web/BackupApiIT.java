package io.piholecheckpoint.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.piholecheckpoint.testing.AwayFromNow;
import io.piholecheckpoint.testing.FakePihole;
import io.piholecheckpoint.testing.TestArchives;
import io.piholecheckpoint.testing.Eventually;
import io.piholecheckpoint.testing.Fixtures;
import io.piholecheckpoint.testing.Ports;
import io.piholecheckpoint.testing.InProcessApp;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The JSON API and downloads of a running launcher, against fake Pi-holes: a healthy one with
 * its password in a file, one with another password, one that is down and one that answers
 * with a web page instead of an archive.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BackupApiIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String TOTP_SECRET = "JBSWY3DPEHPK3PXP";

  @TempDir
  static Path dir;

  private FakePihole home;
  private FakePihole locked;
  private FakePihole webPage;
  private FakePihole guarded;
  private FakePihole flaky;
  private InProcessApp app;
  private Path backupDir;

  @BeforeAll
  void start() throws Exception {
    home = FakePihole.start("labpass");
    locked = FakePihole.start("other-password");
    webPage = FakePihole.start("labpass");
    webPage.exportAnswer(FakePihole.ExportAnswer.HTML_PAGE);
    guarded = FakePihole.builder().password("labpass").totpSecret(TOTP_SECRET).start();
    flaky = FakePihole.start("labpass");
    flaky.exportAnswer(FakePihole.ExportAnswer.CUT_OFF_HALFWAY);
    Path secret = Files.writeString(dir.resolve("home-password"), "labpass\n");
    backupDir = dir.resolve("backups");
    app = InProcessApp.start(dir.resolve("data"), backupDir, Map.ofEntries(
        Map.entry("PIHOLE_HOME_URL", home.url()),
        Map.entry("PIHOLE_HOME_PASSWORD_FILE", secret.toString()),
        Map.entry("PIHOLE_LOCKED_URL", locked.url()),
        Map.entry("PIHOLE_LOCKED_PASSWORD", "labpass"),
        Map.entry("PIHOLE_DOWN_URL", "http://127.0.0.1:" + Ports.unused()),
        Map.entry("PIHOLE_DOWN_PASSWORD", "labpass"),
        Map.entry("PIHOLE_WEB_PAGE_URL", webPage.url()),
        Map.entry("PIHOLE_WEB_PAGE_PASSWORD", "labpass"),
        Map.entry("PIHOLE_GUARDED_URL", guarded.url()),
        Map.entry("PIHOLE_GUARDED_PASSWORD", "labpass"),
        Map.entry("PIHOLE_GUARDED_TOTP_SECRET", TOTP_SECRET),
        Map.entry("PIHOLE_FLAKY_URL", flaky.url()),
        Map.entry("PIHOLE_FLAKY_PASSWORD", "labpass")));
  }

  @AfterAll
  void stop() throws Exception {
    app.close();
    Stream.of(home, locked, webPage, guarded, flaky).forEach(FakePihole::close);
  }

  private long idOf(String name) throws Exception {
    for (JsonNode i : json(app.get("/api/v1/instances")).get("instances")) {
      if (i.get("name").asText().equals(name)) {
        return i.get("id").asLong();
      }
    }
    throw new AssertionError("no instance named " + name);
  }

  private static JsonNode json(HttpResponse<String> response) throws Exception {
    return JSON.readTree(response.body());
  }

  private long archiveCount() throws Exception {
    try (var files = Files.list(backupDir)) {
      return files.count();
    }
  }

  @Test
  void listsTheInstancesOfTheEnvironment() throws Exception {
    JsonNode instances = json(app.get("/api/v1/instances")).get("instances");

    assertThat(instances).extracting(i -> i.get("name").asText())
        .containsExactlyInAnyOrder("Down", "Flaky", "Guarded", "Home", "Locked", "Web Page");
    assertThat(instances).allSatisfy(i -> {
      assertThat(i.get("origin").asText()).isEqualTo("env");
      assertThat(i.get("schedule").asText()).isEqualTo("daily at " + AwayFromNow.time(ZoneOffset.UTC)); // not 03:00: see AwayFromNow
    });
  }

  @Nested
  class ManualBackup {
    @Test
    void answers202WithAJobThatEndsWithTheBackup() throws Exception {
      HttpResponse<String> response = app.post("/api/v1/instances/" + idOf("Home") + "/backups");

      assertThat(response.statusCode()).isEqualTo(202);
      String job = json(response).at("/job/url").asText();
      assertThat(response.headers().firstValue("Location")).hasValue(job);
      Eventually.until("the job is done", Duration.ofSeconds(30), () -> json(app.get(job)).get("state").asText().equals("done"));
      JsonNode finished = json(app.get(job));
      assertThat(finished.get("bytes").asLong()).isEqualTo(Fixtures.archiveA().length);
      assertThat(json(app.get("/api/v1/backups/" + finished.get("backupId").asLong())).get("status").asText()).isEqualTo("success");
      assertThat(app.get("/api/v1/jobs/no-such-job").statusCode()).isEqualTo(404);
    }

    /** Outsider 47 F7: the 202 said {@code "expectedBytes": null} for an instance with backups; its job said the size a moment later. */
    @Test
    void answers202WithThePreviousBackupsSizeAsExpectedBytes() throws Exception {
      long id = idOf("Home");
      JsonNode previous = json(app.post("/api/v1/instances/" + id + "/backups?wait=true"));

      HttpResponse<String> response = app.post("/api/v1/instances/" + id + "/backups");

      assertThat(response.statusCode()).isEqualTo(202);
      assertThat(json(response).at("/job/expectedBytes").asLong()).as(response.body()).isEqualTo(previous.get("size").asLong());
      String job = json(response).at("/job/url").asText();
      Eventually.until("the job is done", Duration.ofSeconds(30), () -> json(app.get(job)).get("state").asText().equals("done"));
    }

    @Test
    void backUpNowWithoutJavaScriptQueuesTheBackupAndLeadsToTheInstancePage() throws Exception {
      long id = idOf("Home");
      // the newest id, not a count: MAX_BACKUPS may let an old one go as the new one comes (the class's backups add up)
      JsonNode earlier = json(app.get("/api/v1/instances/" + id + "/backups?limit=1")).get("backups");
      long before = earlier.isEmpty() ? 0 : earlier.get(0).get("id").asLong();

      // as Chromium posts the page's form with JavaScript off
      HttpResponse<String> response = java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(
          java.net.URI.create(app.url("/api/v1/instances/" + id + "/backups"))).header("Content-Type", "application/x-www-form-urlencoded")
          .header("Accept", "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8")
          .POST(java.net.http.HttpRequest.BodyPublishers.ofString("_csrf=x")).build(), HttpResponse.BodyHandlers.ofString());

      assertThat(response.statusCode()).as(response.body()).isEqualTo(303);
      assertThat(response.headers().firstValue("Location")).hasValue("/instances/" + id);
      Eventually.until("the queued backup is recorded", Duration.ofSeconds(30), () -> {
        JsonNode backups = json(app.get("/api/v1/instances/" + id + "/backups?limit=100")).get("backups");
        return !backups.isEmpty() && backups.get(0).get("id").asLong() > before && backups.get(0).get("status").asText().equals("success");
      });
      assertThat(app.get("/instances/" + id).statusCode()).isEqualTo(200);
    }

    @Test
    void createsAVerifiedArchiveAndRecordAndGivesTheSeatBack() throws Exception {
      HttpResponse<String> response = app.post("/api/v1/instances/" + idOf("Home") + "/backups?wait=true");

      assertThat(response.statusCode()).isEqualTo(201);
      JsonNode backup = json(response);
      assertThat(backup.get("status").asText()).isEqualTo("success");
      assertThat(backup.get("trigger").asText()).isEqualTo("manual");
      assertThat(backup.get("size").asLong()).isEqualTo(Fixtures.archiveA().length);
      assertThat(backup.get("piholeVersion").asText()).isEqualTo("v6.4.1");
      String sha256 = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Fixtures.archiveA()));
      assertThat(backup.get("sha256").asText()).isEqualTo(sha256);
      assertThat(Files.readAllBytes(backupDir.resolve(backup.get("fileName").asText()))).isEqualTo(Fixtures.archiveA());
      assertThat(home.activeSessions()).isZero();
    }

    @Test
    void isListedNewestFirstAndDownloadable() throws Exception {
      long id = idOf("Home");
      long older = json(app.post("/api/v1/instances/" + id + "/backups?wait=true")).get("id").asLong();
      long newer = json(app.post("/api/v1/instances/" + id + "/backups?wait=true")).get("id").asLong();

      JsonNode list = json(app.get("/api/v1/instances/" + id + "/backups")).get("backups");
      HttpResponse<byte[]> download = app.download("/backups/" + newer + "/download");

      assertThat(list.get(0).get("id").asLong()).isEqualTo(newer);
      assertThat(list.get(1).get("id").asLong()).isEqualTo(older);
      assertThat(download.statusCode()).isEqualTo(200);
      assertThat(download.body()).isEqualTo(Fixtures.archiveA());
      assertThat(download.headers().firstValue("Content-Type")).hasValue("application/zip");
      assertThat(download.headers().firstValue("Content-Disposition").orElseThrow()).startsWith("attachment; filename=\"home_");
      assertThat(download.headers().firstValue("Cache-Control")).hasValue("no-store");
    }

    @Test
    void isRefusedWith409WhileAnotherBackupOfTheInstanceRuns() throws Exception {
      long id = idOf("Home");
      FakePihole.Hold hold = home.holdExports();
      HttpResponse<String> first = app.post("/api/v1/instances/" + id + "/backups");
      assertThat(first.statusCode()).isEqualTo(202);
      String job = json(first).at("/job/url").asText();
      assertThat(hold.awaitStarted()).isTrue();
      assertThat(json(app.get(job)).get("state").asText()).isIn("logging_in", "downloading");

      HttpResponse<String> second = app.post("/api/v1/instances/" + id + "/backups");
      hold.release();

      assertThat(second.statusCode()).isEqualTo(409);
      assertThat(json(second).at("/error/code").asText()).isEqualTo("backup_conflict");
      Eventually.until("the first backup is done", Duration.ofSeconds(30), () -> json(app.get(job)).get("state").asText().equals("done"));
      assertThat(json(app.get(job)).get("backupId").asLong()).isPositive();
    }
  }

  @Nested
  class TrustedBackup {
    @Test
    void logsInWithTwoFactorFromTheEnvironment() throws Exception {
      HttpResponse<String> response = app.post("/api/v1/instances/" + idOf("Guarded") + "/backups?wait=true");

      assertThat(response.statusCode()).isEqualTo(201);
      assertThat(guarded.activeSessions()).isZero();
    }

    @Test
    void recordsWhatTheArchiveHoldsAndWhichVersionsMadeIt() throws Exception {
      JsonNode backup = json(app.post("/api/v1/instances/" + idOf("Home") + "/backups?wait=true"));

      assertThat(backup.at("/summary/adlists").asInt()).isEqualTo(2);
      assertThat(backup.at("/summary/dnsRecords").asInt()).isEqualTo(1);
      assertThat(backup.at("/versions/core").asText()).isEqualTo("v6.2.2");
      assertThat(backup.at("/versions/ftl").asText()).isEqualTo("v6.4.1");
      assertThat(backup.get("contentHash").asText()).hasSize(64);
    }

    @Test
    void marksABackupOfAnUnchangedPiholeInTheHistory() throws Exception {
      long id = idOf("Home");
      app.post("/api/v1/instances/" + id + "/backups?wait=true");
      app.post("/api/v1/instances/" + id + "/backups?wait=true");

      JsonNode newest = json(app.get("/api/v1/instances/" + id + "/backups")).get("backups").get(0);

      assertThat(newest.get("unchangedSincePrevious").asBoolean()).isTrue();
      assertThat(app.get("/").body()).contains("no changes since previous");
    }

    @Test
    void pinsUnpinsAndVerifiesABackup() throws Exception {
      long backup = json(app.post("/api/v1/instances/" + idOf("Home") + "/backups?wait=true")).get("id").asLong();

      assertThat(json(app.post("/api/v1/backups/" + backup + "/pin")).get("pinned").asBoolean()).isTrue();
      assertThat(json(app.get("/api/v1/backups/" + backup)).get("pinned").asBoolean()).isTrue();
      assertThat(json(app.post("/api/v1/backups/" + backup + "/unpin")).get("pinned").asBoolean()).isFalse();
      JsonNode verification = json(app.get("/api/v1/backups/" + backup + "/verify"));
      assertThat(verification.get("ok").asBoolean()).isTrue();
      assertThat(app.post("/api/v1/backups/424242/pin").statusCode()).isEqualTo(404);
    }

    /** A deliberate clean-up, accepted: the next backup equal to it is good and compared with it, not the one before. */
    @Test
    void acceptsASuspiciousBackupWhichBecomesTheBaseline() throws Exception {
      byte[] full = home.currentArchive();
      long id = idOf("Home");
      long good = json(app.post("/api/v1/instances/" + id + "/backups?wait=true")).get("id").asLong();
      home.archive(TestArchives.withoutAdlists(full));
      try {
        JsonNode cleaned = json(app.post("/api/v1/instances/" + id + "/backups?wait=true"));
        assertThat(cleaned.get("suspicious").asBoolean()).isTrue();
        assertThat(cleaned.get("accepted").asBoolean()).isFalse();
        var notSuspicious = app.post("/api/v1/backups/" + good + "/accept");
        assertThat(notSuspicious.statusCode()).isEqualTo(409);
        assertThat(json(notSuspicious).get("error").get("code").asText()).isEqualTo("backup_conflict");
        assertThat(json(notSuspicious).get("error").get("message").asText()).contains("not flagged suspicious");
        assertThat(app.post("/api/v1/backups/424242/accept").statusCode()).isEqualTo(404);

        var accepted = app.post("/api/v1/backups/" + cleaned.get("id").asLong() + "/accept");
        JsonNode next = json(app.post("/api/v1/instances/" + id + "/backups?wait=true"));

        assertThat(accepted.statusCode()).isEqualTo(200);
        assertThat(json(accepted).get("suspicious").asBoolean()).isFalse();
        assertThat(json(accepted).get("accepted").asBoolean()).isTrue();
        assertThat(next.get("suspicious").asBoolean()).isFalse();
        assertThat(next.get("changes").asText()).doesNotContain("since backup");
        assertThat(app.post("/api/v1/backups/" + cleaned.get("id").asLong() + "/accept").statusCode()).as("accepted already").isEqualTo(409);
      } finally {
        home.archive(full);
      }
    }

    /**
     * Outsider 47 F1: a backup without gravity.db showed the badge of the other rule ("holds much less than the backup before it"),
     * zeros for lists it does not have, and an "Accept this change" that can only be refused.
     */
    @Test
    void aBackupWithoutGravityDbSaysSoInItsRowsAndOffersNoAccept() throws Exception {
      byte[] full = home.currentArchive();
      long id = idOf("Home");
      home.archive(TestArchives.withoutGravity(full));
      try {
        long listless = json(app.post("/api/v1/instances/" + id + "/backups?wait=true")).get("id").asLong();

        for (String page : List.of("/instances/" + id, "/")) {
          String body = app.get(page).body();
          int start = body.indexOf("data-backup=\"" + listless + "\"");
          assertThat(start).as(page).isPositive();
          String row = body.substring(start, body.indexOf("</tr>", start));
          assertThat(row).as(page).contains("suspicious: holds no gravity.db").contains("no lists (no gravity.db)")
              .doesNotContain("0 adlists").doesNotContain("data-accept").doesNotContain("/accept\"");
        }
        assertThat(app.post("/api/v1/backups/" + listless + "/accept").statusCode()).as("as the row says").isEqualTo(409);
      } finally {
        home.archive(full);
      }
    }

    /**
     * Outsider 46: an accept could not be taken back. DELETE on it makes the backup suspicious again, and the next backup of
     * the same cleaned content is compared with the backup before the clean-up again, so it is suspicious too.
     */
    @Test
    void takesAnAcceptBackAndTheBackupIsSuspiciousAgain() throws Exception {
      byte[] full = home.currentArchive();
      long id = idOf("Home");
      long good = json(app.post("/api/v1/instances/" + id + "/backups?wait=true")).get("id").asLong();
      home.archive(TestArchives.withoutAdlists(full));
      try {
        long cleaned = json(app.post("/api/v1/instances/" + id + "/backups?wait=true")).get("id").asLong();
        var notAccepted = app.send("DELETE", "/api/v1/backups/" + cleaned + "/accept", null);
        assertThat(notAccepted.statusCode()).isEqualTo(409);
        assertThat(json(notAccepted).get("error").get("message").asText()).contains("was not accepted");
        assertThat(app.send("DELETE", "/api/v1/backups/" + good + "/accept", null).statusCode()).isEqualTo(409);
        assertThat(app.send("DELETE", "/api/v1/backups/424242/accept", null).statusCode()).isEqualTo(404);
        assertThat(app.post("/api/v1/backups/" + cleaned + "/accept").statusCode()).isEqualTo(200);

        var undone = app.send("DELETE", "/api/v1/backups/" + cleaned + "/accept", null);
        JsonNode next = json(app.post("/api/v1/instances/" + id + "/backups?wait=true"));

        assertThat(undone.statusCode()).isEqualTo(200);
        assertThat(json(undone).get("suspicious").asBoolean()).isTrue();
        assertThat(json(undone).get("accepted").asBoolean()).isFalse();
        assertThat(json(app.get("/api/v1/backups/" + cleaned)).get("suspicious").asBoolean()).isTrue();
        assertThat(next.get("suspicious").asBoolean()).as("compared with the backup before the clean-up again").isTrue();
        assertThat(app.send("DELETE", "/api/v1/backups/" + cleaned + "/accept", null).statusCode()).as("taken back already").isEqualTo(409);
        assertThat(app.send("DELETE", "/api/v1/backups/" + good, null).statusCode()).as("DELETE of the backup itself unchanged").isEqualTo(204);
      } finally {
        home.archive(full);
      }
    }

    @Test
    void showsContentsAndDiffsOfABackup() throws Exception {
      long id = idOf("Home");
      long first = json(app.post("/api/v1/instances/" + id + "/backups?wait=true")).get("id").asLong();
      home.archive(Fixtures.archiveB());
      long second = json(app.post("/api/v1/instances/" + id + "/backups?wait=true")).get("id").asLong();
      home.archive(Fixtures.archiveA());

      JsonNode contents = json(app.get("/api/v1/backups/" + first + "/contents"));
      JsonNode diff = json(app.get("/api/v1/backups/" + second + "/diff?against=" + first));
      JsonNode live = json(app.get("/api/v1/backups/" + first + "/diff?against=live"));
      HttpResponse<String> page = app.get("/backups/" + second + "?diff=" + first);

      assertThat(contents.get("adlists")).hasSize(2);
      assertThat(contents.at("/settings/webserver.api.pwhash").asText()).isEqualTo("(secret)");
      assertThat(diff.at("/categories/adlists/added/0").asText()).isEqualTo("https://example.com/more-ads.txt");
      assertThat(live.at("/categories/adlists/added")).isEmpty();
      assertThat(live.get("settings")).isEmpty();
      assertThat(json(app.get("/api/v1/backups/" + second)).get("changes").asText()).startsWith("+1 adlist");
      assertThat(page.statusCode()).isEqualTo(200);
      assertThat(page.body()).contains("https://example.com/more-ads.txt", "dns.upstreams");
      assertThat(app.get("/api/v1/backups/" + second + "/diff").statusCode()).isEqualTo(400);
      assertThat(home.activeSessions()).isZero();
    }

    @Test
    void previewsRetentionWithoutDeleting() throws Exception {
      long id = idOf("Home");
      app.post("/api/v1/instances/" + id + "/backups?wait=true");

      JsonNode preview = json(app.get("/api/v1/instances/" + id + "/retention/preview"));

      assertThat(preview.get("policy").asText()).isEqualTo("keeps 10 backups / 30 days, never fewer than 1");
      assertThat(preview.get("wouldDelete").isArray()).isTrue();
    }
  }

  @Nested
  class FailedBackup {
    @Test
    void cutOffMidArchiveLeavesNoFile() throws Exception {
      long before = archiveCount();

      HttpResponse<String> response = app.post("/api/v1/instances/" + idOf("Flaky") + "/backups?wait=true");

      assertThat(response.statusCode()).isEqualTo(502);
      assertThat(json(response).at("/error/message").asText()).contains("broke while it sent its archive");
      assertThat(archiveCount()).isEqualTo(before);
      try (var files = Files.walk(backupDir)) {
        assertThat(files).noneMatch(p -> p.getFileName().toString().endsWith(".part"));
      }
    }

    @Test
    void withAWrongPasswordIsRecordedWithAClearMessageAndNoFile() throws Exception {
      long before = archiveCount();

      HttpResponse<String> response = app.post("/api/v1/instances/" + idOf("Locked") + "/backups?wait=true");

      assertThat(response.statusCode()).isEqualTo(502);
      JsonNode body = json(response);
      assertThat(body.at("/error/code").asText()).isEqualTo("wrong_password");
      assertThat(body.at("/error/message").asText()).startsWith("wrong password for Pi-hole 'Locked'");
      assertThat(body.at("/backup/status").asText()).isEqualTo("failed");
      assertThat(archiveCount()).isEqualTo(before);
      assertThat(locked.activeSessions()).isZero();
      assertThat(json(app.get("/api/v1/instances/" + idOf("Locked"))).get("status").asText()).isEqualTo("auth_error");
    }

    @Test
    void ofAnUnreachablePiholeIsRecordedWithAClearMessageAndNoFile() throws Exception {
      long before = archiveCount();

      HttpResponse<String> response = app.post("/api/v1/instances/" + idOf("Down") + "/backups?wait=true");

      assertThat(response.statusCode()).isEqualTo(502);
      assertThat(json(response).at("/error/message").asText()).contains("Pi-hole 'Down' at http://127.0.0.1:").contains("is unreachable: connection refused");
      assertThat(archiveCount()).isEqualTo(before);
      JsonNode history = json(app.get("/api/v1/instances/" + idOf("Down") + "/backups")).get("backups");
      assertThat(history.get(0).get("status").asText()).isEqualTo("failed");
      assertThat(history.get(0).get("errorCode").asText()).isEqualTo("unreachable");
    }

    @Test
    void thatIsNotAnArchiveIsRecordedWithAClearMessageAndNoFile() throws Exception {
      long before = archiveCount();

      HttpResponse<String> response = app.post("/api/v1/instances/" + idOf("Web Page") + "/backups?wait=true");

      assertThat(response.statusCode()).isEqualTo(502);
      assertThat(json(response).at("/error/code").asText()).isEqualTo("not_an_archive");
      assertThat(json(response).at("/error/message").asText()).contains("is not a ZIP archive");
      assertThat(archiveCount()).isEqualTo(before);
      assertThat(webPage.activeSessions()).isZero();
    }
  }

  @Nested
  class Errors {
    @Test
    void answer404ForAnUnknownInstance() throws Exception {
      HttpResponse<String> post = app.post("/api/v1/instances/999/backups?wait=true");
      HttpResponse<String> get = app.get("/api/v1/instances/999/backups");

      assertThat(post.statusCode()).isEqualTo(404);
      assertThat(get.statusCode()).isEqualTo(404);
      assertThat(json(post).at("/error/code").asText()).isEqualTo("instance_not_found");
    }

    @Test
    void answer404ForUnknownOrFailedBackupDownloads() throws Exception {
      long failed = json(app.post("/api/v1/instances/" + idOf("Down") + "/backups?wait=true")).at("/backup/id").asLong();

      assertThat(app.get("/backups/424242/download").statusCode()).isEqualTo(404);
      assertThat(app.get("/backups/" + failed + "/download").statusCode()).isEqualTo(404);
      assertThat(app.get("/backups/../etc/passwd").statusCode()).as("a dot segment is refused before any routing").isEqualTo(400);
      assertThat(app.get("/backups/abc/download").statusCode()).isEqualTo(404);
    }

    @Test
    void useTheJsonErrorShapeForUnknownApiPaths() throws Exception {
      HttpResponse<String> response = app.get("/api/v1/nothing-here");

      assertThat(response.statusCode()).isEqualTo(404);
      assertThat(json(response).at("/error/code").asText()).isEqualTo("not_found");
    }

    @Test
    void rejectABadLimitWith400() throws Exception {
      assertThat(app.get("/api/v1/instances/" + idOf("Home") + "/backups?limit=0").statusCode()).isEqualTo(400);
      assertThat(app.get("/api/v1/instances/" + idOf("Home") + "/backups?limit=ten").statusCode()).isEqualTo(400);
    }
  }

  @Test
  void reportsTheLastBackupInHealth() throws Exception {
    app.post("/api/v1/instances/" + idOf("Home") + "/backups?wait=true");

    HttpResponse<String> response = app.get("/health");

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.headers().firstValue("Cache-Control")).hasValue("no-store");
    JsonNode health = json(response);
    assertThat(health.get("status").asText()).isEqualTo("ok");
    assertThat(health.at("/scheduler/state").asText()).isEqualTo("started");
    assertThat(health.at("/scheduler/jobs").asInt()).isEqualTo(6);
    assertThat(health.at("/storage/lowSpace").asBoolean()).isFalse();
    assertThat(health.at("/storage/missingFiles").asInt()).isZero();
    assertThat(health.at("/database/reachable").asBoolean()).isTrue();
    assertThat(health.at("/database/schemaVersion").asText()).as("the newest migration").matches("2026\\d{10}");
    assertThat(health.at("/lastBackup/at").isTextual()).isTrue();
    assertThat(health.get("instances")).anySatisfy(i -> {
      assertThat(i.get("name").asText()).isEqualTo("Home");
      assertThat(i.get("lastSuccessAt").isTextual()).isTrue();
    });
  }

  @Test
  void showsTheInstancesOnTheDashboard() throws Exception {
    HttpResponse<String> page = app.get("/");

    assertThat(page.statusCode()).isEqualTo(200);
    assertThat(page.body()).contains(">Home</a></h2>", ">Web Page</a></h2>", "Back up now", "daily at " + AwayFromNow.time(ZoneOffset.UTC) + " (UTC)", "Scheduler: <strong>started</strong>");
  }
}
