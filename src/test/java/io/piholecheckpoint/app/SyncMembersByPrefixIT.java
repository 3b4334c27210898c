package io.piholecheckpoint.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.piholecheckpoint.testing.FakePihole;
import io.piholecheckpoint.testing.Fixtures;
import io.piholecheckpoint.testing.InProcessApp;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The outsider's case: a Pi-hole {@code ui2} added in the UI, then {@code PIHOLE_UI2_*} (another Pi-hole) left out at the
 * start for that name, and a group {@code SYNC_G2_REPLICAS=UI2}. The group means the environment's UI2, which does not
 * exist: it must be disabled, saying so, and never overwrite the UI's {@code ui2} that merely has that name.
 */
class SyncMembersByPrefixIT {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir
  Path dir;

  private FakePihole home;
  private FakePihole addedInTheUi;
  private FakePihole meant;
  private InProcessApp app;

  @BeforeEach
  void startPiholes() throws Exception {
    home = FakePihole.builder().password("labpass").archive(Fixtures.archiveB()).restartDowntime(Duration.ofMillis(100)).start();
    addedInTheUi = FakePihole.builder().password("labpass").archive(Fixtures.archiveA()).restartDowntime(Duration.ofMillis(100)).start();
    meant = FakePihole.builder().password("labpass").archive(Fixtures.archiveA()).restartDowntime(Duration.ofMillis(100)).start();
  }

  @AfterEach
  void stop() {
    if (app != null) {
      app.close();
    }
    List.of(home, addedInTheUi, meant).forEach(FakePihole::close);
  }

  @Test
  void aGroupNamingAnEnvironmentPrefixWhosePiholeWasNotCreatedIsDisabledAndNeverImportsIntoThePiholeOfThatName() throws Exception {
    Map<String, String> env = new HashMap<>(Map.of("PIHOLE_HOME_URL", home.url(), "PIHOLE_HOME_PASSWORD", "labpass"));
    app = InProcessApp.start(dir.resolve("data"), dir.resolve("backups"), env);
    HttpResponse<String> added = app.send("POST", "/api/v1/instances", JSON.createObjectNode().put("name", "ui2").put("url", addedInTheUi.url())
        .put("password", "labpass").put("scheduleKind", "cron").put("cron", "0 0 0 1 1 ?").toString());
    assertThat(added.statusCode()).as(added.body()).isEqualTo(201);
    app.close();

    env.putAll(Map.of("PIHOLE_UI2_URL", meant.url(), "PIHOLE_UI2_PASSWORD", "labpass",
        "SYNC_G2_PRIMARY", "HOME", "SYNC_G2_REPLICAS", "UI2", "SYNC_G2_SNAPSHOT", "never",
        "SYNC_G2_WHEN", "daily")); // no sync after the backup: the run asked for below is the one, and old code imports in it
    app = InProcessApp.start(dir.resolve("data"), dir.resolve("backups"), env);

    long homeId = instance("Home");
    assertThat(app.post("/api/v1/instances/" + homeId + "/backups?wait=true").statusCode()).isEqualTo(201);
    HttpResponse<String> run = app.post("/api/v1/sync/g2/run?wait=true");

    assertThat(addedInTheUi.lastImport()).as("the UI's ui2 received no import").isNull();
    assertThat(addedInTheUi.requests()).noneMatch(r -> r.startsWith("POST /api/teleporter"));
    assertThat(meant.requests()).as("the Pi-hole the variables name was never created, so never contacted").isEmpty();
    String why = "SYNC_G2_REPLICAS: 'UI2' is the prefix of PIHOLE_UI2_*, whose Pi-hole was not created";
    assertThat(run.statusCode()).isEqualTo(404);
    assertThat(run.body()).contains("sync group 'g2' is disabled: " + why);
    assertThat(JSON.readTree(app.get("/api/v1/sync").body()).at("/disabled/g2").asText()).startsWith(why);
    assertThat(app.output()).contains("Sync group G2 is disabled: " + why);
    assertThat(JSON.readTree(app.get("/api/v1/sync/g2/runs").body()).path("runs")).as("no run of g2").isEmpty();
  }

  private long instance(String name) throws Exception {
    for (JsonNode i : JSON.readTree(app.get("/api/v1/instances").body()).get("instances")) {
      if (i.get("name").asText().equals(name)) {
        return i.get("id").asLong();
      }
    }
    throw new AssertionError("no instance " + name);
  }
}
