package io.piholecheckpoint.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.piholecheckpoint.testing.Eventually;
import io.piholecheckpoint.testing.FakePihole;
import io.piholecheckpoint.testing.InProcessApp;
import io.piholecheckpoint.testing.ScheduledSoon;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real Quartz scheduler in the running launcher fires a backup on its own. In this JVM ({@link InProcessApp}): what
 * fires and logs out is the web app's, and the stop is the one SIGTERM runs (the context destroyed).
 */
class ScheduledBackupIT {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir
  Path dir;

  @Test
  void aCronScheduleFiresABackupAndEveryLoginIsLoggedOut() throws Exception {
    try (FakePihole pihole = FakePihole.start("labpass");
         InProcessApp app = InProcessApp.start(dir.resolve("data"), dir.resolve("backups"), Map.of())) {
      // once, a few seconds after the app is up: a schedule the test need not wait hours for, and a backup runs at most once a minute
      ScheduledSoon home = ScheduledSoon.add(app, pihole, 6);

      Eventually.until("a scheduled backup succeeded", Duration.ofSeconds(30), () -> {
        JsonNode backups = JSON.readTree(app.get("/api/v1/instances/" + home.id() + "/backups").body()).get("backups");
        return !backups.isEmpty() && backups.get(0).get("trigger").asText().equals("scheduled")
            && backups.get(0).get("status").asText().equals("success");
      });
      app.stop(); // waits for a running backup, which logs out

      assertThat(pihole.activeSessions()).isZero();
      assertThat(pihole.requests()).filteredOn("POST /api/auth"::equals).hasSameSizeAs(
          pihole.requests().stream().filter("DELETE /api/auth"::equals).toList());
    }
  }
}
