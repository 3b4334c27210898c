package io.piholecheckpoint.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.piholecheckpoint.testing.FakePihole;
import io.piholecheckpoint.testing.HttpAgent;
import io.piholecheckpoint.testing.InProcessApp;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.DayOfWeek;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A cron stored with tabs before round 50 (PIHOLE_&lt;P&gt;_CRON took them while the API refused them) is not rewritten by a
 * migration: reading suffices, as every read of the row makes a {@code Schedule}, which keeps a tab as the space crontab reads
 * it as. This holds that decision to what a user sees: the start, the API, the pages and the schedule all use the spaced line,
 * whether the environment still says it with its tabs (HOME) or nothing touches the row again (an instance added in the UI).
 */
class StoredTabbedCronIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String TABBED = "30\t2\t*\t*\t1-5";
  private static final String SPACED = "30 2 * * 1-5";

  @TempDir
  Path dir;

  @Test
  void aCronStoredWithTabsStartsAndIsShownAndScheduledAsTheSpacedLineItIs() throws Exception {
    Path data = dir.resolve("data");
    Path backups = dir.resolve("backups");
    try (FakePihole pihole = FakePihole.start("labpass")) {
      Map<String, String> env = new HashMap<>(Map.of("TIME_ZONE", "UTC", "PIHOLE_HOME_URL", pihole.url(), "PIHOLE_HOME_PASSWORD", "labpass",
          "PIHOLE_HOME_SCHEDULE", "cron", "PIHOLE_HOME_CRON", SPACED));
      long added;
      try (InProcessApp first = InProcessApp.start(data, backups, env)) {
        HttpResponse<String> created = first.send("POST", "/api/v1/instances", JSON.createObjectNode().put("name", "Added").put("url", pihole.url())
            .put("password", "labpass").put("scheduleKind", "cron").put("cron", SPACED).toString());
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        added = JSON.readTree(created.body()).get("id").asLong();
      }
      // as a version before round 50 left them: the environment's line stored with its tabs
      try (Connection db = DriverManager.getConnection("jdbc:sqlite:" + data.resolve("checkpoint.db"));
           PreparedStatement update = db.prepareStatement("UPDATE instance SET schedule_cron = ?")) {
        update.setString(1, TABBED);
        assertThat(update.executeUpdate()).isEqualTo(2);
      }
      env.put("PIHOLE_HOME_CRON", TABBED);

      try (InProcessApp app = InProcessApp.start(data, backups, env)) {
        for (JsonNode instance : JSON.readTree(app.get("/api/v1/instances").body()).get("instances")) {
          assertThat(instance.get("cron").asText()).as(instance.get("name").asText()).isEqualTo(SPACED);
          assertThat(instance.get("nextRuns")).as("scheduled as the line says: weekdays at 02:30").hasSize(3).allSatisfy(run -> {
            OffsetDateTime at = OffsetDateTime.parse(run.asText()).withOffsetSameInstant(ZoneOffset.UTC);
            assertThat(at.getDayOfWeek()).isNotIn(DayOfWeek.SATURDAY, DayOfWeek.SUNDAY);
            assertThat(at.toLocalTime()).isEqualTo(java.time.LocalTime.of(2, 30));
          });
        }
        HttpAgent browser = new HttpAgent(app);
        assertThat(browser.get("/instances/" + added).body()).contains(SPACED).doesNotContain("\t2\t");
        assertThat(browser.get("/instances/" + added + "/edit").body()).contains("value=\"" + SPACED + "\"").doesNotContain("\t2\t");
        assertThat(app.output()).doesNotContain(" ERROR ").doesNotContain("[ERROR]");
      }
      // nothing rewrote them: reading is what makes them right
      try (Connection db = DriverManager.getConnection("jdbc:sqlite:" + data.resolve("checkpoint.db"));
           ResultSet rows = db.createStatement().executeQuery("SELECT schedule_cron FROM instance")) {
        while (rows.next()) {
          assertThat(rows.getString(1)).isEqualTo(TABBED);
        }
      }
    }
  }
}
