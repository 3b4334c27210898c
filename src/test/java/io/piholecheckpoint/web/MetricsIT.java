package io.piholecheckpoint.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.piholecheckpoint.testing.Eventually;
import io.piholecheckpoint.testing.FakePihole;
import io.piholecheckpoint.testing.Fixtures;
import io.piholecheckpoint.testing.PrometheusParser;
import io.piholecheckpoint.testing.InProcessApp;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** /metrics after a scripted run of successes and failures, read by the Prometheus client's own parser. */
class MetricsIT {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir
  Path dir;

  private void backUp(InProcessApp app, long id, String expected) throws Exception {
    String job = JSON.readTree(app.post("/api/v1/instances/" + id + "/backups").body()).at("/job/url").asText();
    Eventually.until("backup of " + id + " ends " + expected, Duration.ofSeconds(30),
        () -> JSON.readTree(app.get(job).body()).get("state").asText().equals(expected));
  }

  @Test
  void reportsEveryMetricCorrectlyAfterSuccessesAndFailures() throws Exception {
    try (FakePihole home = FakePihole.start("labpass");
         FakePihole locked = FakePihole.start("other");
         InProcessApp app = InProcessApp.start(dir.resolve("data"), dir.resolve("backups"), Map.of(
             "PIHOLE_HOME_URL", home.url(), "PIHOLE_HOME_PASSWORD", "labpass", "PIHOLE_HOME_MAX_BACKUPS", "1",
             "PIHOLE_LOCKED_URL", locked.url(), "PIHOLE_LOCKED_PASSWORD", "labpass"))) {
      long homeId = idOf(app, "Home");
      long lockedId = idOf(app, "Locked");
      backUp(app, homeId, "done");
      home.archive(Fixtures.archiveB());
      backUp(app, homeId, "done"); // MAX_BACKUPS=1: retention deletes the first
      backUp(app, lockedId, "failed");

      HttpResponse<String> response = app.get("/metrics");
      PrometheusParser m = PrometheusParser.parse(response.body());
      String home1 = "config_id=" + homeId;
      String locked1 = "config_id=" + lockedId;

      assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("text/plain; version=0.0.4"));
      assertThat(app.get("/metrics/").statusCode()).as("no redirect").isEqualTo(200);
      assertThat(m.samples()).anySatisfy(s -> {
        assertThat(s.name()).isEqualTo("pihole_info");
        assertThat(s.labels()).containsKeys("version", "commit", "build_date");
        assertThat(s.labels().get("build_date")).matches("\\d{4}-\\d{2}-\\d{2}T.*Z");
      });
      assertThat(m.value("pihole_scheduler_up")).hasValue(1.0);
      assertThat(m.value("pihole_config_info", home1, "config_name=Home")).hasValue(1.0);
      assertThat(m.value("pihole_config_active", home1)).hasValue(1.0);
      assertThat(m.value("pihole_connection_status", home1, "status=ok")).hasValue(1.0);
      assertThat(m.value("pihole_connection_status", home1, "status=auth_error")).hasValue(0.0);
      assertThat(m.value("pihole_connection_status", locked1, "status=auth_error")).hasValue(1.0);
      assertThat(m.value("pihole_backup_last_status", home1)).hasValue(1.0);
      assertThat(m.value("pihole_backup_last_status", locked1)).hasValue(0.0);
      assertThat(m.value("pihole_backup_records", home1, "status=success")).hasValue(1.0);
      assertThat(m.value("pihole_backup_records", locked1, "status=failed")).hasValue(1.0);
      assertThat(m.value("pihole_backup_file_size_bytes", home1)).hasValue((double) Fixtures.archiveB().length);
      assertThat(m.value("pihole_backup_total_size_bytes", home1)).hasValue((double) Fixtures.archiveB().length);
      assertThat(m.value("pihole_backup_last_success_timestamp_seconds", home1)).hasValueSatisfying(t ->
          assertThat(t).isCloseTo(System.currentTimeMillis() / 1000.0, org.assertj.core.data.Offset.offset(120.0)));
      assertThat(m.value("pihole_backup_last_success_timestamp_seconds", locked1)).isEmpty();
      assertThat(m.value("checkpoint_backup_runs_total", home1, "outcome=success", "trigger=manual")).hasValue(2.0);
      assertThat(m.value("checkpoint_backup_runs_total", locked1, "outcome=failure", "trigger=manual")).hasValue(1.0);
      assertThat(m.typeOf("checkpoint_backup_duration_seconds")).isEqualTo("histogram");
      assertThat(m.value("checkpoint_backup_duration_seconds_count", home1)).hasValue(2.0);
      assertThat(m.value("checkpoint_retention_deletions_total", "rule=max_backups")).hasValue(1.0);
      assertThat(m.value("checkpoint_next_backup_timestamp_seconds", home1)).isPresent();
      assertThat(m.value("checkpoint_backup_files_missing")).hasValue(0.0);
      assertThat(m.value("checkpoint_backup_files_corrupted")).hasValue(0.0);
      assertThat(m.value("checkpoint_backup_dir_free_bytes")).hasValueSatisfying(v -> assertThat(v).isPositive());
      assertThat(m.value("checkpoint_pihole_api_seats_in_use", home1)).isPresent();
      assertThat(m.samples()).anySatisfy(s -> assertThat(s.name()).startsWith("jvm_memory"));

      HttpResponse<String> openMetrics = new io.piholecheckpoint.testing.HttpAgent(app).get("/metrics",
          "Accept", "application/openmetrics-text; version=1.0.0; charset=utf-8");
      assertThat(openMetrics.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("application/openmetrics-text"));
      assertThat(openMetrics.body()).contains("pihole_scheduler_up 1").endsWith("# EOF\n");
    }
  }

  private static long idOf(InProcessApp app, String name) throws Exception {
    for (var i : JSON.readTree(app.get("/api/v1/instances").body()).get("instances")) {
      if (i.get("name").asText().equals(name)) {
        return i.get("id").asLong();
      }
    }
    throw new AssertionError("no instance " + name);
  }
}
