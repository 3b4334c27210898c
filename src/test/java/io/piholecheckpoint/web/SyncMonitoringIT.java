package io.piholecheckpoint.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.piholecheckpoint.testing.Eventually;
import io.piholecheckpoint.testing.FakePihole;
import io.piholecheckpoint.testing.Fixtures;
import io.piholecheckpoint.testing.InProcessApp;
import io.piholecheckpoint.testing.PrometheusParser;
import io.piholecheckpoint.testing.Receiver;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A group whose one replica syncs and whose other is unreachable, on the running app: what the
 * metrics (parsed by Prometheus's own client), {@code /health} and a webhook say of it.
 */
class SyncMonitoringIT {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir
  Path dir;

  private FakePihole main;
  private FakePihole one;
  private Receiver hook;
  private InProcessApp app;

  @BeforeEach
  void start() throws Exception {
    main = FakePihole.builder().password("labpass").archive(Fixtures.archiveB()).restartDowntime(Duration.ofMillis(100)).start();
    one = FakePihole.builder().password("labpass").archive(Fixtures.archiveA()).restartDowntime(Duration.ofMillis(100)).start();
    FakePihole gone = FakePihole.start("labpass");
    String goneUrl = gone.url();
    gone.close(); // nothing answers there any more: connection refused
    hook = new Receiver();
    Map<String, String> env = new HashMap<>(Map.of("PIHOLE_MAIN_URL", main.url(), "PIHOLE_ONE_URL", one.url(), "PIHOLE_GONE_URL", goneUrl,
        "PIHOLE_MAIN_PASSWORD", "labpass", "PIHOLE_ONE_PASSWORD", "labpass", "PIHOLE_GONE_PASSWORD", "labpass", "PIHOLE_RETRIES", "0",
        "NOTIFY_WEBHOOK_URL", hook.url() + "/hook"));
    env.putAll(Map.of("SYNC_HOME_PRIMARY", "MAIN", "SYNC_HOME_REPLICAS", "ONE,GONE", "SYNC_HOME_SNAPSHOT", "never", "SYNC_HOME_WHEN", "daily",
        "SYNC_HOME_STALE_AFTER", "PT1S"));
    app = InProcessApp.start(dir.resolve("data"), dir.resolve("backups"), env);
  }

  @AfterEach
  void stop() {
    if (app != null) {
      app.close();
    }
    List.of(main, one).forEach(FakePihole::close);
    hook.close();
  }

  private JsonNode health() throws Exception {
    return JSON.readTree(app.get("/health").body());
  }

  private List<JsonNode> told(String event) throws Exception {
    List<JsonNode> told = new ArrayList<>();
    for (Receiver.Request r : hook.requests()) {
      JsonNode body = JSON.readTree(r.body());
      if (body.get("event").asText().equals(event)) {
        told.add(body);
      }
    }
    return told;
  }

  @Test
  void beforeAnyRunEveryReplicaIsListedAsNeverRunAndHealthIsOk() throws Exception {
    JsonNode health = health();

    assertThat(health.get("status").asText()).isEqualTo("ok");
    JsonNode group = health.at("/syncGroups/0");
    assertThat(group.get("id").asText()).isEqualTo("home");
    assertThat(group.get("primary").asText()).isEqualTo("Main");
    assertThat(group.get("replicas").findValuesAsText("name")).containsExactly("One", "Gone");
    assertThat(group.get("replicas").findValuesAsText("state")).containsExactly("never", "never");
    assertThat(group.at("/replicas/0/staleAfterSeconds").asLong()).isEqualTo(1);
  }

  @Test
  void aReplicaThatSyncsAndOneThatFailsAreCountedToldAndTheFailingOneDegradesHealthAfterItsWindow() throws Exception {
    Instant before = Instant.now();

    JsonNode runs = JSON.readTree(app.post("/api/v1/sync/home/run?wait=true").body()).get("runs");

    assertThat(runs.findValuesAsText("outcome")).containsExactly("synced", "failed");
    PrometheusParser metrics = PrometheusParser.parse(app.get("/metrics").body());
    assertThat(metrics.typeOf("checkpoint_sync_runs")).isEqualTo("counter");
    assertThat(metrics.value("checkpoint_sync_runs_total", "group=home", "replica=One", "outcome=synced")).hasValue(1.0);
    assertThat(metrics.value("checkpoint_sync_runs_total", "group=home", "replica=Gone", "outcome=failed")).hasValue(1.0);
    assertThat(metrics.value("checkpoint_sync_last_success_timestamp_seconds", "group=home", "replica=One")).hasValueSatisfying(
        t -> assertThat(t).isBetween(before.getEpochSecond() - 1.0, Instant.now().getEpochSecond() + 1.0));
    assertThat(metrics.value("checkpoint_sync_last_success_timestamp_seconds", "group=home", "replica=Gone")).isEmpty();
    assertThat(metrics.value("checkpoint_sync_drift_items", "group=home", "replica=One")).hasValue(0.0);
    assertThat(metrics.value("checkpoint_sync_drift_items", "group=home", "replica=Gone")).as("unknown after a failure").isEmpty();

    Eventually.until("the failing replica is past its window", Duration.ofSeconds(30), () -> health().get("status").asText().equals("degraded"));
    JsonNode replicas = health().at("/syncGroups/0/replicas");
    assertThat(replicas.get(0).get("state").asText()).isEqualTo("synced");
    assertThat(replicas.get(0).get("stale").asBoolean()).isFalse();
    assertThat(replicas.get(1).get("state").asText()).isEqualTo("failed");
    assertThat(replicas.get(1).get("stale").asBoolean()).isTrue();
    assertThat(replicas.get(1).get("failingSince").asText()).isNotEmpty();

    Eventually.until("the webhook was told", Duration.ofSeconds(30), () -> !told("sync_failed").isEmpty());
    JsonNode failed = told("sync_failed").get(0);
    assertThat(failed.get("instance").asText()).isEqualTo("Gone");
    assertThat(failed.get("title").asText()).isEqualTo("Sync of 'Gone' (sync group home) failed");
    assertThat(failed.get("severity").asText()).isEqualTo("error");
    assertThat(told("sync_failed")).hasSize(1);
    assertThat(hook.requests()).noneSatisfy(r -> assertThat(r.body()).contains("labpass"));
  }

  @Test
  void aDryRunThroughTheApiLooksAtEachReplicaOnItsOwnAndFeedsTheDrift() throws Exception {
    HttpResponse<String> answer = app.post("/api/v1/sync/home/run?dryRun=true");

    assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
    JsonNode replicas = JSON.readTree(answer.body()).get("replicas");
    assertThat(replicas.at("/One/inSync").asBoolean()).as("archive A differs from the primary's B").isFalse();
    assertThat(replicas.at("/One/skipped").isNull()).isTrue();
    assertThat(replicas.at("/Gone/skipped").asText()).startsWith("not looked at: ").contains("unreachable");
    PrometheusParser metrics = PrometheusParser.parse(app.get("/metrics").body());
    assertThat(metrics.value("checkpoint_sync_drift_items", "group=home", "replica=One")).hasValueSatisfying(v -> assertThat(v).isPositive());
    assertThat(metrics.value("checkpoint_sync_drift_items", "group=home", "replica=Gone")).as("still unknown").isEmpty();
    assertThat(metrics.value("checkpoint_sync_runs_total", "group=home", "replica=One", "outcome=synced")).as("nothing ran").isEmpty();
  }
}
