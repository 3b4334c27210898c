package io.piholecheckpoint.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.piholecheckpoint.testing.Eventually;
import io.piholecheckpoint.testing.FakePihole;
import io.piholecheckpoint.testing.InProcessApp;
import io.piholecheckpoint.testing.RunningApp;
import io.piholecheckpoint.testing.ScheduledSoon;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The process as an operating system treats it: a second one on the same data, SIGTERM in the
 * middle of a download, SIGKILL in the middle of one. The Pi-hole stalls half-way through its
 * archive, so that a download is in flight at the moment that matters.
 *
 * <p>Forked ({@link RunningApp}) where the process is what is tested: the start that is sent
 * SIGTERM or SIGKILL, and the second process of the standby case (the scheduler's lock held by
 * another process). The start after a stop or kill only reads what the process left on DATA_DIR
 * and BACKUP_DIR, so it runs in this JVM ({@link InProcessApp}): a server JVM and a migration
 * step's JVM fewer per case; but the catch-up case's, which reads the times of its log lines
 * (this JVM's log has none). The forked starts run entrypoint.sh's server step alone, on a database
 * migrated in this JVM: the migration step is not what these cases are about, and its JVM was
 * one more per start.
 */
class ProcessLifecycleIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  /*
   * A stop's wall-clock limit is what it is for, not the expected time plus a margin: Docker's budget, or the wait the stop must
   * not have done (which a stop that waits it out exceeds at any load). Where the app logs a wait it ran out, that line's absence
   * says so instead. A stop that did nothing wrong takes seconds longer on a busy machine (the JVM's way out, Quartz's and the
   * database's close) and must not fail for that.
   */
  /** Docker's stop budget: SIGKILL follows SIGTERM after it. */
  private static final Duration DOCKER_STOP_BUDGET = Duration.ofSeconds(10);
  /** What a stop waited for an upload still arriving before its connection was closed after Jetty's 3 s stop timeout. */
  private static final Duration OLD_UPLOAD_WAIT = Duration.ofSeconds(8);

  @TempDir
  Path dir;

  private Path data() {
    return dir.resolve("data");
  }

  private Path backups() {
    return dir.resolve("backups");
  }

  /** {@code entrypoint.sh serve} until it listens, on DATA_DIR migrated here (a no-op once it is). */
  private RunningApp served(Map<String, String> env) throws Exception {
    InProcessApp.migrate(data(), backups());
    return RunningApp.startWith("serve", data(), backups(), env);
  }

  private static JsonNode json(HttpResponse<String> response) throws Exception {
    return JSON.readTree(response.body());
  }

  private static Map<String, String> env(FakePihole pihole, String... more) {
    Map<String, String> env = new HashMap<>(Map.of("PIHOLE_HOME_URL", pihole.url(), "PIHOLE_HOME_PASSWORD", "labpass",
        "SCHEDULER_LOCK_POLL_SECONDS", "1"));
    for (int i = 0; i < more.length; i += 2) {
      env.put(more[i], more[i + 1]);
    }
    return env;
  }

  /** Downloads in flight: temp files anywhere under BACKUP_DIR (never a kept archive, which ends .zip or .gpg). */
  private List<Path> partialDownloads() throws Exception {
    if (!Files.isDirectory(backups())) {
      return List.of();
    }
    try (Stream<Path> files = Files.walk(backups())) {
      return files.filter(Files::isRegularFile).filter(f -> f.getFileName().toString().endsWith(".part")).toList();
    }
  }

  private void awaitStalledDownload(FakePihole pihole) throws Exception {
    Eventually.until("a download is in flight", Duration.ofSeconds(30), () -> !partialDownloads().isEmpty() && pihole.activeSessions() == 1);
  }

  @Test
  void sigtermDuringADownloadCancelsItRemovesItsTempFileAndLogsOut() throws Exception {
    try (FakePihole pihole = FakePihole.start("labpass")) {
      pihole.exportAnswer(FakePihole.ExportAnswer.STALL_HALFWAY);
      RunningApp app = served(env(pihole));
      app.post("/api/v1/instances/1/backups");
      awaitStalledDownload(pihole);

      int code = app.stop();

      assertThat(code).isIn(0, 143);
      assertThat(pihole.activeSessions()).as("the seat was given back before the JVM exited:\n%s", app.output()).isZero();
      assertThat(partialDownloads()).isEmpty();
      assertThat(app.output()).contains("Cancelling the running backup").doesNotContain("abandoned");
      try (InProcessApp again = InProcessApp.start(data(), backups(), env(pihole))) {
        JsonNode last = json(again.get("/api/v1/instances/1/backups")).get("backups").get(0);
        assertThat(last.get("errorCode").asText()).isEqualTo("cancelled");
        assertThat(last.get("error").asText()).contains("Pi-hole Checkpoint is stopping");
      }
    }
  }

  @Test
  void sigtermAnswersARequestWaitingForTheBackupItCancelsAndExitsWellWithinTheStopTimeout() throws Exception {
    try (FakePihole pihole = FakePihole.start("labpass")) {
      pihole.exportAnswer(FakePihole.ExportAnswer.STALL_HALFWAY);
      RunningApp app = served(env(pihole));
      java.util.concurrent.CompletableFuture<HttpResponse<String>> waiting = RunningApp.HTTP.sendAsync(
          java.net.http.HttpRequest.newBuilder(java.net.URI.create(app.url("/api/v1/instances/1/backups?wait=true")))
              .POST(java.net.http.HttpRequest.BodyPublishers.noBody()).header("Accept", "application/json").build(),
          HttpResponse.BodyHandlers.ofString());
      awaitStalledDownload(pihole);

      long before = System.nanoTime();
      int code = app.stop();
      Duration took = Duration.ofNanos(System.nanoTime() - before);

      assertThat(code).isIn(0, 143);
      assertThat(took).as("within Docker's stop budget, not killed by it:\n%s", app.output()).isLessThan(DOCKER_STOP_BUDGET);
      HttpResponse<String> answer = waiting.get(5, java.util.concurrent.TimeUnit.SECONDS);
      assertThat(answer.statusCode()).as(answer.body()).isEqualTo(503);
      assertThat(json(answer).at("/error/code").asText()).isEqualTo("cancelled");
      assertThat(json(answer).at("/error/message").asText()).isEqualTo("the server is stopping; the backup was cancelled and nothing was kept");
      assertThat(pihole.activeSessions()).isZero();
      assertThat(partialDownloads()).isEmpty();
    }
  }

  @Test
  void sigtermDuringARestoresImportStopsPromptlyLogsOutAndRecordsThatThePiholeWasChanged() throws Exception {
    try (FakePihole pihole = FakePihole.start("labpass")) {
      RunningApp app = served(env(pihole));
      JsonNode kept = json(app.post("/api/v1/instances/1/backups?wait=true"));
      FakePihole.Hold importing = pihole.holdImports();
      HttpResponse<String> started = app.send("POST", "/api/v1/backups/" + kept.get("id").asText() + "/restore", "{\"target\":1}");
      assertThat(started.statusCode()).as(started.body()).isEqualTo(202);
      assertThat(importing.awaitStarted()).as("the import reached the Pi-hole:\n%s", app.output()).isTrue();

      long before = System.nanoTime();
      java.util.concurrent.CompletableFuture<Integer> stopped = java.util.concurrent.CompletableFuture.supplyAsync(() -> {
        try {
          return app.stop();
        } catch (InterruptedException e) {
          throw new IllegalStateException(e);
        }
      });
      Eventually.until("the restore was told to stop", Duration.ofSeconds(10), () -> app.output().contains("because Pi-hole Checkpoint is stopping"));
      importing.release(); // the Pi-hole finishes the import it was given, answers, and restarts
      int code = stopped.get(30, java.util.concurrent.TimeUnit.SECONDS);
      Duration took = Duration.ofNanos(System.nanoTime() - before);

      assertThat(code).isIn(0, 143);
      // Application's 8 s wait for the restore's thread was not waited out: it says so when it is, at any load (at load 28 a stop
      // whose restore recorded itself in 5.8 s of its log's time took 8.09 s of this JVM's)
      assertThat(app.output()).doesNotContain("Exception").doesNotContain("still running at shutdown");
      assertThat(took).as("within Docker's stop budget, not killed by it:\n%s", app.output()).isLessThan(DOCKER_STOP_BUDGET);
      // the fake's restart, in this JVM: 10 s ran out at load 28, and the wait ends as soon as it has restarted
      Eventually.until("the Pi-hole restarted after the import", Duration.ofSeconds(60), () -> pihole.restarts() == 1);
      assertThat(pihole.activeSessions()).as("the restore's session was logged out after the restart:\n%s", app.output()).isZero();
      try (InProcessApp again = InProcessApp.start(data(), backups(), env(pihole))) {
        JsonNode restore = json(again.get("/api/v1/instances/1/restores")).get("restores").get(0);
        assertThat(restore.get("state").asText()).as(restore.toString()).isEqualTo("unverified");
        assertThat(restore.get("message").asText()).contains("the Pi-hole WAS changed").contains("Pi-hole Checkpoint stopped")
            .contains("Safety backup " + restore.get("snapshotId").asText() + " (pinned)");
        assertThat(again.output()).doesNotContain("interrupted by the last shutdown");
      }
    }
  }

  @Test
  void aStandbyLeavesTheRunningProcessesDownloadAloneAndTakesOverWhenItStops() throws Exception {
    try (FakePihole pihole = FakePihole.start("labpass")) {
      RunningApp first = served(env(pihole));
      // backup 1 exists: the standby below is asked to restore it, and refuses for its state, not for a missing backup
      JsonNode kept = json(first.post("/api/v1/instances/1/backups?wait=true"));
      assertThat(kept.get("status").asText()).as(kept.toString()).isEqualTo("success");
      pihole.exportAnswer(FakePihole.ExportAnswer.STALL_HALFWAY);
      first.post("/api/v1/instances/1/backups");
      awaitStalledDownload(pihole);
      List<Path> inFlight = partialDownloads();

      try (RunningApp second = served(env(pihole))) {
        HttpResponse<String> standby = second.get("/health");

        assertThat(partialDownloads()).as("the standby's start deleted nothing of the first's").isEqualTo(inFlight);
        assertThat(standby.statusCode()).as("serving: restarting it would not help").isEqualTo(200);
        assertThat(json(standby).at("/status").asText()).isEqualTo("standby");
        assertThat(json(standby).at("/scheduler/state").asText()).isEqualTo("standby");
        assertThat(json(standby).at("/scheduler/reason").asText()).contains("takes over when that one stops");
        assertThat(second.output()).contains("Scheduler on standby");
        HttpResponse<String> restore = second.send("POST", "/api/v1/backups/" + kept.get("id").asText() + "/restore", "{\"target\":1}");
        assertThat(restore.statusCode()).as("a restore's safety backup would not wait for the first's backups: %s", restore.body()).isEqualTo(409);
        assertThat(restore.body()).contains("scheduler is not running").contains("process that runs the schedules");

        pihole.exportAnswer(FakePihole.ExportAnswer.ARCHIVE);
        first.stop();

        Eventually.until("the standby took over", Duration.ofSeconds(30), () -> second.output().contains("Took over the schedules"));
        assertThat(json(second.get("/health")).at("/scheduler/state").asText()).isEqualTo("started");
        assertThat(json(second.get("/health")).at("/status").asText()).isEqualTo("ok");
        JsonNode backup = json(second.post("/api/v1/instances/1/backups?wait=true"));
        assertThat(backup.get("status").asText()).as(backup.toString()).isEqualTo("success");
      }
    }
  }

  /**
   * A scheduled run cancelled by SIGTERM did not back its fire up: the next start counts it as missed and
   * runs one catch-up. The schedule fires once (a date and time in the year), so only a catch-up can run it.
   */
  @Test
  void aScheduledRunCancelledByAStopIsCaughtUpAtTheNextStart() throws Exception {
    try (FakePihole pihole = FakePihole.start("labpass")) {
      pihole.exportAnswer(FakePihole.ExportAnswer.STALL_HALFWAY);
      // the instance is added once the process is up, to fire once two seconds later (moved further ahead if the move itself
      // outlasts that): no margin for a slow start to wait out, nor a fixed lead of 8 s waited at every run
      Map<String, String> once = Map.of("SCHEDULER_LOCK_POLL_SECONDS", "1");
      RunningApp app = served(once);
      assertThat(ScheduledSoon.add(app, pihole, 2).id()).isEqualTo(1);
      Eventually.until("the scheduled run is downloading", Duration.ofSeconds(90), () -> !partialDownloads().isEmpty() && pihole.activeSessions() == 1);

      assertThat(app.stop()).isIn(0, 143);
      pihole.exportAnswer(FakePihole.ExportAnswer.ARCHIVE);

      // the catch-up 1 s after the start rather than 30 s: the delay is the setting's, not what this test is about
      Map<String, String> soon = Map.of("SCHEDULER_LOCK_POLL_SECONDS", "1", "CATCH_UP_DELAY_SECONDS", "1");
      try (RunningApp again = served(soon)) { // forked: its log's times are read, this JVM's has none
        JsonNode stopped = json(again.get("/api/v1/instances/1/backups")).get("backups").get(0);
        assertThat(stopped.get("errorCode").asText()).as(app.output()).isEqualTo("cancelled");
        assertThat(stopped.get("trigger").asText()).isEqualTo("scheduled");
        assertThat(again.output()).as("the stopped run's fire counts as missed").contains("one catch-up backup runs at");
        assertThat(catchUpDelay(again.output())).as("CATCH_UP_DELAY_SECONDS=1 is heeded").isLessThanOrEqualTo(Duration.ofSeconds(1));
        Eventually.until("the catch-up backed the Pi-hole up", Duration.ofSeconds(90),
            () -> "success".equals(json(again.get("/api/v1/instances/1/backups")).get("backups").get(0).get("status").asText()));
      }
    }
  }

  /** From the line planning a catch-up: how long after the moment it was logged the run was set. */
  private static Duration catchUpDelay(String output) {
    // the time as a log line writes TIME_ZONE's (UTC here), to the second: "2026-12-06 03:00:00 UTC"
    java.util.regex.Matcher line = java.util.regex.Pattern.compile("(?m)^(\\S+) .*one catch-up backup runs at (\\S+) (\\S+) UTC$").matcher(output);
    assertThat(line.find()).as(output).isTrue();
    return Duration.between(java.time.OffsetDateTime.parse(line.group(1)).toInstant(),
        java.time.LocalDateTime.parse(line.group(2) + "T" + line.group(3)).toInstant(java.time.ZoneOffset.UTC));
  }

  @Test
  void aBackupTheProcessDiedInIsRecordedAndNotRetriedByACatchUpRun() throws Exception {
    try (FakePihole pihole = FakePihole.start("labpass")) {
      // two scheduled fires, each once a few seconds ahead (a backup runs at most once a minute): the instance is added once the
      // process is up, and its schedule moved to the second fire once the first has run
      Map<String, String> env = Map.of("SCHEDULER_LOCK_POLL_SECONDS", "1");
      RunningApp app = served(env);
      ScheduledSoon home = ScheduledSoon.add(app, pihole, 2);
      Eventually.until("a scheduled backup succeeded", Duration.ofSeconds(30),
          () -> json(app.get("/api/v1/instances/" + home.id() + "/backups")).get("backups").size() > 0);
      pihole.exportAnswer(FakePihole.ExportAnswer.STALL_HALFWAY);
      home.again(app, 2);
      awaitStalledDownload(pihole); // a scheduled run, after the success: without the marker, a catch-up would retry it

      app.kill();
      pihole.exportAnswer(FakePihole.ExportAnswer.ARCHIVE);

      try (RunningApp again = served(env)) { // forked: in the test JVM its temp file was once left (CI)
        JsonNode interrupted = json(again.get("/api/v1/instances/" + home.id() + "/backups")).get("backups").get(0);
        assertThat(interrupted.get("errorCode").asText()).isEqualTo("interrupted");
        assertThat(interrupted.get("trigger").asText()).isEqualTo("scheduled");
        assertThat(interrupted.get("error").asText())
            .contains("the process stopped during this backup").contains("the next try is at the scheduled time");
        assertThat(json(again.get("/api/v1/instances/" + home.id())).at("/statusMessage").asText()).contains("interrupted");
        assertThat(again.output()).doesNotContain("catch-up backup runs at");
        assertThat(again.output()).as("the line names the Pi-hole, as every other line does").contains("Backup of Pi-hole 'Home': interrupted");
        assertThat(partialDownloads()).as("the dead process's temp file is cleaned up").isEmpty();
      }
    }
  }

  /**
   * Outsider 47b (F3): a restore's safety backup the process died in "says nothing about the Pi-hole", yet as the last backup
   * it kept a passing Test from clearing an auth_error that a working login had just disproved.
   */
  @Test
  void aPassingTestClearsAnAuthErrorWhenTheLastBackupIsASafetyBackupTheProcessDiedIn() throws Exception {
    try (FakePihole pihole = FakePihole.start("labpass")) {
      Map<String, String> env = env(pihole);
      RunningApp app = served(env);
      long backup = json(app.post("/api/v1/instances/1/backups?wait=true")).get("id").asLong();
      pihole.exportAnswer(FakePihole.ExportAnswer.STALL_HALFWAY);
      app.send("POST", "/api/v1/backups/" + backup + "/restore", "{\"mode\":\"exact\"}");
      awaitStalledDownload(pihole);

      app.kill();
      pihole.exportAnswer(FakePihole.ExportAnswer.ARCHIVE);

      try (InProcessApp again = InProcessApp.start(data(), backups(), env)) {
        JsonNode last = json(again.get("/api/v1/instances/1/backups")).get("backups").get(0);
        assertThat(last.get("trigger").asText() + " " + last.get("errorCode").asText()).isEqualTo("safety interrupted");
        pihole.changePassword("otherpw");
        assertThat(again.post("/api/v1/instances/1/test").statusCode()).isEqualTo(422);
        assertThat(json(again.get("/api/v1/instances/1")).get("status").asText()).isEqualTo("auth_error");
        pihole.changePassword("labpass");

        HttpResponse<String> test = again.post("/api/v1/instances/1/test");

        assertThat(test.statusCode()).as(test.body()).isEqualTo(200);
        assertThat(json(test).get("message").asText()).doesNotContain("stays");
        JsonNode instance = json(again.get("/api/v1/instances/1"));
        assertThat(instance.get("status").asText()).as(instance.toString()).isEqualTo("ok");
      }
    }
  }

  @Test
  void aManualBackupTheProcessDiedInSaysToStartItAgainNotThatItIsTriedAtTheScheduledTime() throws Exception {
    try (FakePihole pihole = FakePihole.start("labpass")) {
      pihole.exportAnswer(FakePihole.ExportAnswer.STALL_HALFWAY);
      Map<String, String> env = env(pihole, "TIME_ZONE", "Europe/Berlin");
      RunningApp app = served(env);
      app.post("/api/v1/instances/1/backups");
      awaitStalledDownload(pihole);

      app.kill();
      pihole.exportAnswer(FakePihole.ExportAnswer.ARCHIVE);

      try (InProcessApp again = InProcessApp.start(data(), backups(), env)) {
        JsonNode interrupted = json(again.get("/api/v1/instances/1/backups")).get("backups").get(0);
        assertThat(interrupted.get("errorCode").asText()).isEqualTo("interrupted");
        assertThat(interrupted.get("trigger").asText()).isEqualTo("manual");
        // the instance is scheduled (daily, by default): its next scheduled backup is named as what it is, not as a try of this one
        assertThat(interrupted.get("error").asText()).contains("the process stopped during this backup")
            .contains("it is not tried again by itself: start it again (the next scheduled backup is at ").doesNotContain("next try");
        // in TIME_ZONE as the page around it, which says "Times in Europe/Berlin", not in UTC
        String local = "\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d( [+-]\\d\\d:\\d\\d)?";
        assertThat(interrupted.get("error").asText()).containsPattern("\\(started " + local + "\\)")
            .containsPattern("next scheduled backup is at " + local + "\\)").doesNotContainPattern("\\dZ");
        assertThat(again.output()).contains("Backup of Pi-hole 'Home': interrupted: the process stopped during this backup");
      }
    }
  }

  @Test
  void anUploadIsBufferedInAPrivateFolderWhoseLeftoversAKillLeavesAreDeletedAtTheNextStart() throws Exception {
    try (FakePihole pihole = FakePihole.start("labpass")) {
      RunningApp app = served(env(pihole));
      int port = java.net.URI.create(app.url("/")).getPort();
      try (java.net.Socket upload = new java.net.Socket("127.0.0.1", port)) {
        sendHalfAnUpload(upload, 3 * 1024 * 1024);
        Eventually.until("the upload is buffered on disk", Duration.ofSeconds(30), () -> !uploadBuffers().isEmpty());

        try (Stream<Path> top = Files.list(backups())) {
          assertThat(top.filter(Files::isRegularFile)).as("nothing of the upload among the archives").isEmpty();
        }
        app.kill();
      }
      assertThat(uploadBuffers()).as("a kill mid-upload leaves its buffer").isNotEmpty();

      try (InProcessApp again = InProcessApp.start(data(), backups(), env(pihole))) {
        assertThat(uploadBuffers()).isEmpty();
        assertThat(again.output()).contains("Deleted the upload buffers of 1 process(es) that stopped mid-upload");
      }
    }
  }

  @Test
  void sigtermDuringAnUploadStillArrivingAnswers503OrClosesItsConnectionPromptly() throws Exception {
    try (FakePihole pihole = FakePihole.start("labpass")) {
      RunningApp app = served(env(pihole));
      int port = java.net.URI.create(app.url("/")).getPort();
      try (java.net.Socket upload = new java.net.Socket("127.0.0.1", port)) {
        Thread sender = new Thread(() -> keepUploading(upload, 45 * 1024 * 1024), "slow-upload");
        sender.setDaemon(true);
        sender.start();
        Eventually.until("the upload is buffered on disk", Duration.ofSeconds(30), () -> !uploadBuffers().isEmpty());
        upload.setSoTimeout(20_000);

        long before = System.nanoTime();
        int code = app.stop();
        Duration took = Duration.ofNanos(System.nanoTime() - before);
        String answer = new String(upload.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.ISO_8859_1);

        assertThat(code).isIn(0, 143);
        assertThat(took).as("not the 8 s the stop used to wait for an upload still arriving:\n%s", app.output()).isLessThan(OLD_UPLOAD_WAIT);
        assertThat(answer).as("an answer that says why, or the connection closed without one").satisfiesAnyOf(
            a -> assertThat(a).isEmpty(),
            a -> assertThat(a).startsWith("HTTP/1.1 503").contains("\"code\":\"stopping\""));
      }
    }
  }

  /** Sends a multipart upload of {@code size} bytes at about 1 MB/s, as a slow link does, until the connection breaks. */
  private static void keepUploading(java.net.Socket socket, int size) {
    String boundary = "----checkpoint-slow";
    String head = "POST /api/v1/instances/1/backups/import HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: application/json\r\n"
        + "Content-Type: multipart/form-data; boundary=" + boundary + "\r\nContent-Length: " + size + "\r\n\r\n--" + boundary
        + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"big.zip\"\r\nContent-Type: application/zip\r\n\r\n";
    try {
      var out = socket.getOutputStream();
      out.write(head.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
      byte[] chunk = new byte[64 * 1024];
      for (int sent = 0; sent < size / 2; sent += chunk.length) {
        out.write(chunk);
        out.flush();
        java.util.concurrent.locks.LockSupport.parkNanos(Duration.ofMillis(50).toNanos()); // the link's pace, not a wait for anything
      }
    } catch (java.io.IOException e) {
      // the server closed the connection: what the test looks at
    }
  }

  /** Files in the upload folders, other than their owners' lock files. */
  private List<Path> uploadBuffers() throws Exception {
    Path root = backups().resolve(".uploads");
    if (!Files.isDirectory(root)) {
      return List.of();
    }
    try (Stream<Path> files = Files.walk(root)) {
      return files.filter(Files::isRegularFile).filter(f -> !f.getFileName().toString().equals(".owner")).toList();
    }
  }

  /** Promises {@code size} bytes of a multipart upload and sends a little more than half of them. */
  private static void sendHalfAnUpload(java.net.Socket socket, int size) throws Exception {
    String boundary = "----checkpoint-half";
    String partHead = "--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"big.zip\"\r\n"
        + "Content-Type: application/zip\r\n\r\n";
    String head = "POST /api/v1/instances/1/backups/import HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: application/json\r\n"
        + "Content-Type: multipart/form-data; boundary=" + boundary + "\r\nContent-Length: " + size + "\r\n\r\n" + partHead;
    var out = socket.getOutputStream();
    out.write(head.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
    out.write(new byte[size / 2 + 512 * 1024]);
    out.flush();
  }
}
