package io.piholecheckpoint.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.piholecheckpoint.testing.Eventually;
import io.piholecheckpoint.testing.FakePihole;
import io.piholecheckpoint.testing.InProcessApp;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Background work that needs a turn for archive work waits for it, however long another holds the one permit (here: a
 * diff against the live Pi-hole 'held', whose export the test holds): it is neither failed nor refused for having waited.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ArchiveTurnIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  /** HOME's Pi-hole timeout: the wait for a turn outlasts it, and must not count against it. */
  private static final Duration HOME_TIMEOUT = Duration.ofSeconds(2);
  /** How long a request waits for a turn before 503 archive_busy. */
  private static final Duration BUSY_WAIT = Duration.ofSeconds(5);

  @TempDir
  static Path dir;

  private FakePihole held;
  private FakePihole home;
  private InProcessApp app;
  private long heldBackup;
  private long homeId;
  private final ExecutorService clients = Executors.newFixedThreadPool(2);

  @BeforeAll
  void start() throws Exception {
    held = FakePihole.start("labpass");
    home = FakePihole.start("labpass");
    app = InProcessApp.start(dir.resolve("data"), dir.resolve("backups"), Map.of(
        "PIHOLE_HELD_URL", held.url(), "PIHOLE_HELD_PASSWORD", "labpass", "PIHOLE_HELD_TIMEOUT_SECONDS", "600",
        "PIHOLE_HOME_URL", home.url(), "PIHOLE_HOME_PASSWORD", "labpass", "PIHOLE_HOME_TIMEOUT_SECONDS", String.valueOf(HOME_TIMEOUT.toSeconds()),
        "ARCHIVE_PARALLEL", "1", "ARCHIVE_BUSY_WAIT_SECONDS", String.valueOf(BUSY_WAIT.toSeconds())));
    heldBackup = JSON.readTree(app.post("/api/v1/instances/" + instanceId("held") + "/backups?wait=true").body()).get("id").asLong();
    homeId = instanceId("home");
  }

  @AfterAll
  void stop() {
    clients.shutdownNow();
    app.close();
    home.close();
    held.close();
  }

  @Test
  void aManualBackupWaitsForItsTurnPastItsPiholeTimeoutAndIsKept() throws Exception {
    String job;
    try (PermitHeld permit = holdThePermit()) {
      job = JSON.readTree(app.post("/api/v1/instances/" + homeId + "/backups").body()).at("/job/url").asText();
      Eventually.until("its archive is in and waits for its check", Duration.ofSeconds(30), () -> state(job).equals("verifying"));

      // the subject is a length of time: the wait for a turn outlasts HOME's Pi-hole timeout, which once cut it off
      Thread.sleep(HOME_TIMEOUT.multipliedBy(3).toMillis());

      assertThat(state(job)).as(app.get(job).body()).isEqualTo("verifying");
    }
    Eventually.until("the backup ends", Duration.ofSeconds(60), () -> JSON.readTree(app.get(job).body()).hasNonNull("finishedAt"));
    JsonNode done = JSON.readTree(app.get(job).body());
    assertThat(done.get("state").asText()).as(done.toString()).isEqualTo("done");
    JsonNode backup = JSON.readTree(app.get("/api/v1/backups/" + done.get("backupId").asLong()).body());
    assertThat(backup.get("status").asText()).as(backup.toString()).isEqualTo("success");
  }

  @Test
  void aRestoreAskedForWhileArchiveWorkRunsIsAcceptedAtOnceSaysWhatItWaitsForAndThenRuns() throws Exception {
    long backup = JSON.readTree(app.post("/api/v1/instances/" + homeId + "/backups?wait=true").body()).get("id").asLong();
    String url;
    try (PermitHeld permit = holdThePermit()) {
      long asked = System.nanoTime();
      HttpResponse<String> answer = app.send("POST", "/api/v1/backups/" + backup + "/restore", "{\"mode\":\"lists\"}");
      Duration took = Duration.ofNanos(System.nanoTime() - asked);

      assertThat(answer.statusCode()).as(answer.body()).isEqualTo(202);
      assertThat(took).as("accepted without waiting for a turn").isLessThan(BUSY_WAIT);
      url = answer.headers().firstValue("Location").orElseThrow();
      String checking = "checking backup " + backup + ": waiting for its turn";
      Eventually.until("its record says what it waits for", Duration.ofSeconds(30), () -> restore(url).get("message").asText().startsWith(checking));
      assertThat(restore(url).get("state").asText()).isEqualTo("running");
    }
    Eventually.until("the restore ends", Duration.ofSeconds(90), () -> restore(url).hasNonNull("finishedAt"));
    JsonNode done = restore(url);
    assertThat(done.get("state").asText()).as(done.toString()).isEqualTo("verified");
  }

  private JsonNode restore(String url) throws Exception {
    return JSON.readTree(app.get(url).body());
  }

  /** The one permit, taken by a diff against HELD's live state and kept while its export is held; closing lets it finish. */
  private PermitHeld holdThePermit() throws Exception {
    FakePihole.Hold hold = held.holdExports();
    CompletableFuture<HttpResponse<String>> diff = CompletableFuture.supplyAsync(() -> {
      try {
        return app.get("/api/v1/backups/" + heldBackup + "/diff?against=live");
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    }, clients);
    assertThat(hold.awaitStarted()).isTrue();
    return () -> {
      hold.release();
      HttpResponse<String> answer = diff.get(2, TimeUnit.MINUTES);
      assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
    };
  }

  private interface PermitHeld extends AutoCloseable {
    @Override
    void close() throws Exception;
  }

  private String state(String job) throws Exception {
    return JSON.readTree(app.get(job).body()).get("state").asText();
  }

  private long instanceId(String name) throws Exception {
    for (JsonNode instance : JSON.readTree(app.get("/api/v1/instances").body()).get("instances")) {
      if (instance.get("name").asText().equalsIgnoreCase(name)) {
        return instance.get("id").asLong();
      }
    }
    throw new AssertionError("no instance " + name + " in " + app.get("/api/v1/instances").body());
  }
}
