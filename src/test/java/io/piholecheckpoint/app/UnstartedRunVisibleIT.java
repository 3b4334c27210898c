package io.piholecheckpoint.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.piholecheckpoint.testing.Eventually;
import io.piholecheckpoint.testing.FakePihole;
import io.piholecheckpoint.testing.InProcessApp;
import io.piholecheckpoint.testing.ScheduledSoon;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A scheduled backup that fails before it writes any record — here the database busy at the run's start, another connection
 * holding SQLite's file — left only a log line: the history has no trace of it. /health names it under {@code notStarted} and
 * /metrics counts it, from memory (the database may be what failed), until the instance's next run starts.
 */
class UnstartedRunVisibleIT {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir
  Path dir;

  @Test
  void aScheduledRunThatFailedBeforeItStartedIsNamedByHealthAndCountedByMetricsUntilTheNextRunStarts() throws Exception {
    try (FakePihole home = FakePihole.start("labpass");
         InProcessApp app = InProcessApp.start(dir.resolve("data"), dir.resolve("backups"), Map.of());
         Connection holder = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("data/checkpoint.db"));
         Statement hold = holder.createStatement()) {
      ScheduledSoon soon = ScheduledSoon.add(app, home, 6);
      long id = soon.id();
      ZonedDateTime at = soon.at();
      hold.execute("BEGIN EXCLUSIVE"); // WAL: reads pass, the run's first write (its trace) waits out the busy wait and fails
      assertThat(ZonedDateTime.now(ZoneOffset.UTC)).as("held before the scheduled time; a slower API fails this test, not the app")
          .isBefore(at.minusSeconds(1));

      Eventually.until("the scheduled run failed before it started", Duration.ofSeconds(90),
          () -> app.output().contains("Scheduled backup of Pi-hole 'Home' could not run"));
      JsonNode health = JSON.readTree(app.get("/health").body());
      String metrics = app.get("/metrics").body();
      hold.execute("ROLLBACK");

      assertThat(health.get("status").asText()).isEqualTo("degraded");
      assertThat(health.get("notStarted")).hasSize(1);
      JsonNode missed = health.get("notStarted").get(0);
      assertThat(missed.get("instanceId").asLong()).isEqualTo(id);
      assertThat(missed.get("message").asText()).startsWith("last scheduled run failed before it started: the database was busy").contains(", at ");
      assertThat(missed.get("at").asText()).isNotEmpty();
      assertThat(metrics).contains("checkpoint_scheduled_runs_not_started_total{config_id=\"" + id + "\"} 1.0");
      HttpResponse<String> manual = app.send("POST", "/api/v1/instances/" + id + "/backups?wait=true", "");
      assertThat(manual.statusCode()).as(manual.body()).isBetween(200, 202);
      Eventually.until("the next run started, and the failure is past", Duration.ofSeconds(60),
          () -> JSON.readTree(app.get("/health").body()).get("notStarted").isEmpty());
      assertThat(app.get("/metrics").body()).as("a counter: it stays")
          .contains("checkpoint_scheduled_runs_not_started_total{config_id=\"" + id + "\"} 1.0");
    }
  }
}
