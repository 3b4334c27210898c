package io.piholecheckpoint.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.piholecheckpoint.testing.Eventually;
import io.piholecheckpoint.testing.FakePihole;
import io.piholecheckpoint.testing.InProcessApp;
import io.piholecheckpoint.testing.ScheduledSoon;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A cron whose only fire comes and goes, on the real Quartz: the instance is marked misconfigured at that fire (page, API,
 * /health), not shown ok with no next run until the next restart; and it can still be switched off or edited in its other
 * settings, the ended cron staying as it is, marked.
 */
class EndedScheduleIT {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir
  Path dir;

  @Test
  void aCronWhoseOnlyFireHasPassedIsMarkedAtThatFireAndCanStillBeSwitchedOffOrEdited() throws Exception {
    try (FakePihole pihole = FakePihole.start("labpass");
         InProcessApp app = InProcessApp.start(dir.resolve("data"), dir.resolve("backups"), Map.of())) {
      HttpResponse<String> added = app.send("POST", "/api/v1/instances", JSON.createObjectNode().put("name", "Once").put("url", pihole.url())
          .put("password", "labpass").put("scheduleKind", "cron").put("cron", "0 0 0 1 1 ? 2099").toString());
      assertThat(added.statusCode()).as(added.body()).isEqualTo(201);
      long id = JSON.readTree(added.body()).get("id").asLong();
      ZonedDateTime fire = onlyOnce(app, id);
      String cron = cronAt(fire);

      Eventually.until("the instance marked once its only fire has passed", Duration.ofSeconds(90),
          () -> instance(app, id).get("status").asText().equals("misconfigured"));
      // at once, within the fire's second as a rule: the rules count a fire whose time has come as past, not still to come
      HttpResponse<String> off = app.send("PUT", "/api/v1/instances/" + id, "{\"active\":false}");
      HttpResponse<String> kept = app.send("PUT", "/api/v1/instances/" + id, "{\"maxBackups\":5}");

      assertThat(off.statusCode()).as(off.body()).isEqualTo(200);
      assertThat(kept.statusCode()).as(kept.body()).isEqualTo(200);
      JsonNode after = JSON.readTree(kept.body());
      assertThat(after.get("active").asBoolean()).isFalse();
      assertThat(after.get("maxBackups").asInt()).isEqualTo(5);
      assertThat(after.get("cron").asText()).isEqualTo(cron);
      assertThat(after.get("status").asText()).isEqualTo("misconfigured");
      JsonNode ended = instance(app, id);
      assertThat(ended.get("statusMessage").asText()).startsWith("schedule: The cron expression '" + cron + "' never fires again");
      assertThat(ended.get("nextRuns")).isEmpty();
      assertThat(JSON.readTree(app.get("/health").body()).get("status").asText()).isEqualTo("degraded");
      assertThat(app.get("/instances/" + id).body()).contains("misconfigured", "never fires again");
      Eventually.until("its last backup recorded", Duration.ofSeconds(60),
          () -> JSON.readTree(app.get("/api/v1/instances/" + id + "/backups").body()).toString().contains("\"trigger\":\"scheduled\""));
    }
  }

  /**
   * The instance's cron set to its one fire a few seconds from now, with its year: planned in time when the answer's one next
   * run is that second (under load the PUT can outlast the lead; then further ahead).
   */
  private static ZonedDateTime onlyOnce(InProcessApp app, long id) throws Exception {
    for (int lead = 4; ; lead *= 2) {
      ZonedDateTime at = ScheduledSoon.in(Clock.systemUTC(), ZoneOffset.UTC, lead);
      String cron = cronAt(at);
      HttpResponse<String> moved = app.send("PUT", "/api/v1/instances/" + id, JSON.createObjectNode().put("cron", cron).toString());
      if (moved.statusCode() == 200 && JSON.readTree(moved.body()).get("nextRuns").size() == 1
          && OffsetDateTime.parse(JSON.readTree(moved.body()).at("/nextRuns/0").asText()).toInstant().equals(at.toInstant())) {
        return at;
      }
      assertThat(lead).as(moved.body()).isLessThan(120);
    }
  }

  private static String cronAt(ZonedDateTime at) {
    return "%d %d %d %d %d ? %d".formatted(at.getSecond(), at.getMinute(), at.getHour(), at.getDayOfMonth(), at.getMonthValue(), at.getYear());
  }

  private static JsonNode instance(InProcessApp app, long id) throws Exception {
    return JSON.readTree(app.get("/api/v1/instances/" + id).body());
  }
}
