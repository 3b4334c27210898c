package io.piholecheckpoint.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.piholecheckpoint.testing.Eventually;
import io.piholecheckpoint.testing.FakePihole;
import io.piholecheckpoint.testing.InProcessApp;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two Checkpoints on one SQLite DATA_DIR, each with its own environment (two launchers in the test's JVM: the scheduler
 * lock is the first one's, the second is a standby). Only the process running the schedules stores its
 * {@code PIHOLE_<P>_*} instances; a standby's take effect when it takes the schedules over.
 */
class StandbyEnvironmentIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String DIFFER = "This standby's Pi-holes differ from those the process running the schedules applied";

  @TempDir
  Path dir;

  private InProcessApp start(Map<String, String> env) throws Exception {
    Map<String, String> settings = new HashMap<>(env);
    settings.put("SCHEDULER_LOCK_POLL_SECONDS", "1");
    return InProcessApp.start(dir.resolve("data"), dir.resolve("backups"), settings);
  }

  private static JsonNode json(HttpResponse<String> response) {
    try {
      return JSON.readTree(response.body());
    } catch (Exception e) {
      throw new AssertionError("not JSON: " + response.body(), e);
    }
  }

  /** Each instance by name: its prefix, URL, whether removed, and whether it has next runs. */
  private static Map<String, String> instances(InProcessApp app) throws Exception {
    Map<String, String> found = new TreeMap<>();
    json(app.get("/api/v1/instances?status=all")).get("instances").forEach(i -> found.put(i.get("name").asText(),
        i.get("envPrefix").asText() + " " + i.get("url").asText() + (i.get("removed").asBoolean() ? " removed" : "")));
    return found;
  }

  private static JsonNode health(InProcessApp app) throws Exception {
    return json(app.get("/health"));
  }

  private static long idOf(InProcessApp app, String name) throws Exception {
    for (JsonNode i : json(app.get("/api/v1/instances?status=all")).get("instances")) {
      if (i.get("name").asText().equals(name)) {
        return i.get("id").asLong();
      }
    }
    throw new AssertionError("no instance " + name);
  }

  /** The outsider's repro, with one Pi-hole whose URL the standby has otherwise and one that only the standby names. */
  @Test
  void aStandbyWithOtherVariablesLeavesTheActiveProcesssPiholesAndSchedulesAsTheyAreUntilItTakesOver() throws Exception {
    try (FakePihole home = FakePihole.start("labpass"); FakePihole elsewhere = FakePihole.start("otherpass")) {
      InProcessApp active = start(Map.of("PIHOLE_HOME_URL", home.url(), "PIHOLE_HOME_PASSWORD", "labpass",
          "PIHOLE_OFFICE_URL", "http://127.0.0.1:9", "PIHOLE_OFFICE_PASSWORD", "labpass"));
      try (active) {
        Map<String, String> before = instances(active);
        assertThat(before).containsOnlyKeys("Home", "Office");
        assertThat(health(active).at("/scheduler/jobs").asInt()).isEqualTo(2);

        try (InProcessApp standby = start(Map.of("PIHOLE_HOME_URL", elsewhere.url(), "PIHOLE_HOME_PASSWORD", "otherpass",
            "PIHOLE_NEWONE_URL", "http://127.0.0.1:9", "PIHOLE_NEWONE_PASSWORD", "otherpass"))) {
          assertThat(health(standby).at("/scheduler/state").asText()).isEqualTo("standby");
          assertThat(instances(active)).as("the Pi-holes the active process runs, right after the standby's start").isEqualTo(before);
          assertThat(instances(standby)).as("the standby shows what is stored").isEqualTo(before);
          assertThat(standby.output()).contains(DIFFER + ": PIHOLE_HOME_* (URL differ); PIHOLE_NEWONE_* (not in use there);"
              + " PIHOLE_OFFICE_* (in use there, not set here). They are left as that process applied them, and this one's take effect"
              + " only if it takes over the schedules (once that process stops)").doesNotContain(elsewhere.url()).doesNotContain("otherpass");

          // a Pi-hole added through the standby is planned by the active process at its next look: the look has been
          // made once it is, and it planned no change of the environment's Pi-holes
          assertThat(standby.send("POST", "/api/v1/instances", JSON.createObjectNode().put("name", "Lab").put("url", "http://127.0.0.1:9")
              .toString()).statusCode()).isEqualTo(201);
          Eventually.until("the active process scheduled the Pi-hole added through the standby", Duration.ofSeconds(60),
              () -> health(active).at("/scheduler/jobs").asInt() == 3);
          Map<String, String> after = instances(active);
          after.remove("Lab");
          assertThat(after).isEqualTo(before);
          assertThat(active.output()).doesNotContain("Scheduled Pi-hole 'Newone'");

          // backed up from the Pi-hole of its own environment, never the one the standby's variables name
          HttpResponse<String> backup = active.post("/api/v1/instances/" + idOf(active, "Home") + "/backups?wait=true");
          assertThat(backup.statusCode()).as(backup.body()).isBetween(200, 201);
          assertThat(json(backup).get("status").asText()).isEqualTo("success");
          assertThat(home.requests()).anyMatch(r -> r.contains("/api/teleporter"));
          assertThat(elsewhere.requests()).isEmpty();

          // once the active process stops, the standby takes over with its own environment
          active.stop();
          // the scheduler shows as started a moment before the takeover has applied the environment: its end is logged
          Eventually.until("the standby took over", Duration.ofSeconds(60), () -> standby.output().contains("Took over the schedules"));
          assertThat(health(standby).at("/scheduler/state").asText()).isEqualTo("started");
          Map<String, String> taken = instances(standby);
          assertThat(taken.get("Home")).isEqualTo("HOME " + elsewhere.url());
          assertThat(taken.get("Newone")).isEqualTo("NEWONE http://127.0.0.1:9");
          assertThat(taken.get("Office")).endsWith(" removed");
          assertThat(health(standby).at("/scheduler/jobs").asInt()).as("Home, Newone and Lab").isEqualTo(3);
          assertThat(standby.output()).contains("Applied this process's environment now that it runs the schedules: 2 instance(s) from the"
              + " environment");
        }
      }
    }
  }

  /** Outsider (low): at a takeover the upload buffer of a process that stopped stayed until a later start. */
  @Test
  void aTakeoverDeletesTheUploadBuffersNoLiveProcessHolds() throws Exception {
    try (FakePihole home = FakePihole.start("labpass"); FakePihole elsewhere = FakePihole.start("otherpass")) {
      InProcessApp active = start(Map.of("PIHOLE_HOME_URL", home.url(), "PIHOLE_HOME_PASSWORD", "labpass"));
      try (active; InProcessApp standby = start(Map.of("PIHOLE_HOME_URL", elsewhere.url(), "PIHOLE_HOME_PASSWORD", "otherpass",
          "PIHOLE_NEWONE_URL", "http://127.0.0.1:9"))) {
        Path uploads = dir.resolve("backups/.uploads");
        Path killed = java.nio.file.Files.createDirectories(uploads.resolve("0f0e0d0c-killed-process"));
        java.nio.file.Files.write(killed.resolve("MultiPart1.tmp"), new byte[] {'P', 'K'});
        java.nio.file.Files.createFile(killed.resolve(".owner")); // its lock died with it
        long live;
        try (java.util.stream.Stream<Path> folders = java.nio.file.Files.list(uploads)) {
          live = folders.count() - 1;
        }

        active.stop();
        // its scheduler runs before the takeover has planned: the line after the plan is the end of it
        Eventually.until("the standby took over", Duration.ofSeconds(60), () -> standby.output().contains("Took over the schedules"));

        assertThat(live).as("the standby's own buffer and the active one's").isEqualTo(1 + 1);
        assertThat(killed).doesNotExist();
        try (java.util.stream.Stream<Path> folders = java.nio.file.Files.list(uploads)) {
          assertThat(folders.count()).as("the standby's own buffer, held").isEqualTo(1);
        }
      }
    }
  }

  /** Outsider (low): a standby's sync-group warning sent its reader to fix its own PIHOLE_* variables, which it does not apply. */
  @Test
  void aStandbysDisabledSyncGroupSaysItsOwnPiholesApplyOnlyIfItTakesOver() throws Exception {
    try (FakePihole home = FakePihole.start("labpass")) {
      InProcessApp active = start(Map.of("PIHOLE_HOME_URL", home.url(), "PIHOLE_HOME_PASSWORD", "labpass"));
      try (active; InProcessApp standby = start(Map.of("PIHOLE_HOME_URL", home.url(), "PIHOLE_HOME_PASSWORD", "labpass",
          "PIHOLE_NEWONE_URL", "http://127.0.0.1:9", "SYNC_LAB_PRIMARY", "HOME", "SYNC_LAB_REPLICAS", "NEWONE"))) {

        assertThat(standby.output()).contains("Sync group LAB is disabled on this standby: SYNC_LAB_REPLICAS: 'NEWONE' is the prefix of PIHOLE_NEWONE_*, whose Pi-hole was not created")
            .contains("this standby's own PIHOLE_<P>_* variables apply only if it takes over the schedules (once that process stops)")
            .doesNotContain("fix the variable and restart");
      }
    }
  }

  @Test
  void aStandbyWithTheSameVariablesSaysNothingDiffersAndTakesOverWithThem() throws Exception {
    try (FakePihole home = FakePihole.start("labpass")) {
      Map<String, String> env = Map.of("PIHOLE_HOME_URL", home.url(), "PIHOLE_HOME_PASSWORD", "labpass",
          "PIHOLE_OFFICE_URL", "http://127.0.0.1:9", "PIHOLE_OFFICE_PASSWORD", "labpass", "PIHOLE_OFFICE_TIME", "04:30");
      InProcessApp active = start(env);
      try (active; InProcessApp standby = start(env)) {
        Map<String, String> before = instances(active);
        assertThat(before).containsOnlyKeys("Home", "Office");
        assertThat(health(standby).at("/scheduler/state").asText()).isEqualTo("standby");
        assertThat(instances(standby)).isEqualTo(before);
        assertThat(standby.output()).doesNotContain(DIFFER).contains("started: the instances the process running the schedules applied");
        assertThat(health(active).at("/scheduler/jobs").asInt()).isEqualTo(2);

        active.stop();
        Eventually.until("the standby took over", Duration.ofSeconds(60), () -> health(standby).at("/scheduler/state").asText().equals("started"));
        assertThat(instances(standby)).isEqualTo(before);
        // the scheduler reports itself started as the takeover begins, and schedules the instances after (a clean CI saw 0 jobs there)
        Eventually.until("the standby scheduled both", Duration.ofSeconds(30), () -> health(standby).at("/scheduler/jobs").asInt() == 2);
        HttpResponse<String> backup = standby.post("/api/v1/instances/" + idOf(standby, "Home") + "/backups?wait=true");
        assertThat(json(backup).get("status").asText()).as(backup.body()).isEqualTo("success");
      }
    }
  }

  /**
   * The outsider's repro: the standby's own password (here a file it cannot read) was sent to the URL the active process
   * stored, and the outcome stored for everyone. A standby logs in nowhere: 409 with whom to ask, nothing sent or stored.
   */
  @Test
  void aStandbyContactsNoPiholeWithItsOwnSecretsAndStoresNoStatus() throws Exception {
    try (FakePihole home = FakePihole.start("labpass")) {
      InProcessApp active = start(Map.of("PIHOLE_HOME_URL", home.url(), "PIHOLE_HOME_PASSWORD", "labpass"));
      try (active; InProcessApp standby = start(Map.of("PIHOLE_HOME_URL", home.url(), "PIHOLE_HOME_PASSWORD_FILE", "/nonexistent"))) {
        assertThat(health(standby).at("/scheduler/state").asText()).isEqualTo("standby");
        long id = idOf(active, "Home");
        HttpResponse<String> backup = active.post("/api/v1/instances/" + id + "/backups?wait=true");
        assertThat(json(backup).get("status").asText()).as(backup.body()).isEqualTo("success");
        String status = json(active.get("/api/v1/instances/" + id)).get("status").asText();
        int requests = home.requests().size();

        HttpResponse<String> test = standby.post("/api/v1/instances/" + id + "/test");
        assertThat(test.statusCode()).as(test.body()).isEqualTo(409);
        assertThat(json(test).at("/error/message").asText()).contains("this process is a standby")
            .contains("from the Pi-hole Checkpoint process that runs the schedules");
        long backupId = json(backup).get("id").asLong();
        HttpResponse<String> dryRun = standby.send("POST", "/api/v1/backups/" + backupId + "/restore", "{\"mode\":\"lists\",\"dryRun\":true}");
        assertThat(dryRun.statusCode()).as(dryRun.body()).isEqualTo(409);

        assertThat(home.requests()).as("nothing sent to the Pi-hole by the standby").hasSize(requests);
        JsonNode shown = json(active.get("/api/v1/instances/" + id));
        assertThat(shown.get("status").asText()).isEqualTo(status);
        assertThat(shown.get("statusMessage").asText("")).doesNotContain("PIHOLE_HOME_PASSWORD_FILE");
        assertThat(standby.output()).doesNotContain("Pi-hole 'Home' is not scheduled");
        HttpResponse<String> onActive = active.post("/api/v1/instances/" + id + "/test");
        assertThat(json(onActive).get("ok").asBoolean()).as(onActive.body()).isTrue();
      }
    }
  }

  /** The outsider's repro: deleted through the standby while the active process backed it up, the run failed internal_error. */
  @Test
  void aStandbyRefusesToDeleteAPiholeTheActiveProcessBacksUpNow() throws Exception {
    try (FakePihole lab = FakePihole.start("labpass")) {
      InProcessApp active = start(Map.of());
      try (active; InProcessApp standby = start(Map.of())) {
        HttpResponse<String> created = active.send("POST", "/api/v1/instances", JSON.createObjectNode().put("name", "Lab").put("url", lab.url())
            .put("password", "labpass").toString());
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        long id = json(created).get("id").asLong();
        FakePihole.Hold hold = lab.holdExports();
        assertThat(active.post("/api/v1/instances/" + id + "/backups").statusCode()).isBetween(200, 202);
        assertThat(hold.awaitStarted()).isTrue();

        HttpResponse<String> deleted = standby.send("DELETE", "/api/v1/instances/" + id + "?backups=delete", null);
        hold.release();
        assertThat(deleted.statusCode()).as(deleted.body()).isEqualTo(409);
        assertThat(json(deleted).at("/error/message").asText()).contains("a backup of 'Lab' is running in the Pi-hole Checkpoint process that runs"
            + " the schedules").contains("delete it when it has finished");
        Eventually.until("the backup finished", Duration.ofSeconds(60),
            () -> json(active.get("/api/v1/instances/" + id + "/backups")).get("backups").size() == 1
                && !json(active.get("/api/v1/instances/" + id + "/backups")).at("/backups/0/status").asText().equals("running"));
        assertThat(json(active.get("/api/v1/instances/" + id + "/backups")).at("/backups/0/status").asText()).isEqualTo("success");
        assertThat(standby.send("DELETE", "/api/v1/instances/" + id + "?backups=delete", null).statusCode()).isEqualTo(204);
      }
    }
  }

  /**
   * Deleted under a running backup (the other process's DELETE before its guard, or by hand in the database): the run ends as a
   * clear failure, not internal_error from the foreign key its record breaks.
   */
  @Test
  void aBackupWhoseInstanceIsDeletedMeanwhileFailsSayingSo() throws Exception {
    try (FakePihole lab = FakePihole.start("labpass"); InProcessApp active = start(Map.of())) {
      HttpResponse<String> created = active.send("POST", "/api/v1/instances", JSON.createObjectNode().put("name", "Lab").put("url", lab.url())
          .put("password", "labpass").toString());
      long id = json(created).get("id").asLong();
      FakePihole.Hold hold = lab.holdExports();
      HttpResponse<String> asked = active.post("/api/v1/instances/" + id + "/backups");
      String job = json(asked).at("/job/id").asText();
      assertThat(hold.awaitStarted()).isTrue();
      try (java.sql.Connection db = java.sql.DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("data").resolve("checkpoint.db"));
           java.sql.Statement delete = db.createStatement()) {
        delete.execute("PRAGMA busy_timeout = 10000");
        assertThat(delete.executeUpdate("DELETE FROM instance WHERE id = " + id)).isEqualTo(1);
      }
      hold.release();
      Eventually.until("the backup job ended", Duration.ofSeconds(60),
          () -> json(active.get("/api/v1/jobs/" + job)).get("state").asText().equals("failed"));
      JsonNode failed = json(active.get("/api/v1/jobs/" + job));
      assertThat(failed.get("errorCode").asText()).as(failed.toString()).isEqualTo("instance_deleted");
      assertThat(failed.get("error").asText()).contains("the instance was deleted during the backup");
      assertThat(active.output()).doesNotContain("failed unexpectedly");
    }
  }

  /** The outsider's repro: a standby with another FIELD_ENCRYPTION_KEY started without a word, and sealed what the active cannot open. */
  @Test
  void aStandbyWithAnotherFieldEncryptionKeyDoesNotStart() throws Exception {
    try (InProcessApp active = start(Map.of("FIELD_ENCRYPTION_KEY", "the key of the active process"))) {
      assertThat(active.send("POST", "/api/v1/instances", JSON.createObjectNode().put("name", "Lab").put("url", "http://127.0.0.1:9")
          .put("password", "labpass").toString()).statusCode()).isEqualTo(201);
      org.assertj.core.api.Assertions.assertThatThrownBy(() -> start(Map.of("FIELD_ENCRYPTION_KEY", "another key")).close())
          .hasMessageContaining("this standby cannot start: the stored secret of Pi-hole 'Lab' cannot be decrypted with this process's"
              + " FIELD_ENCRYPTION_KEY: it was saved with another key — give it the FIELD_ENCRYPTION_KEY");
      try (InProcessApp same = start(Map.of("FIELD_ENCRYPTION_KEY", "the key of the active process"))) {
        assertThat(health(same).at("/scheduler/state").asText()).isEqualTo("standby");
      }
      assertThat(health(active).at("/scheduler/state").asText()).isEqualTo("started");
    }
  }
}
