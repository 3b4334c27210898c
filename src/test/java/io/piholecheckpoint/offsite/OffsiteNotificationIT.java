package io.piholecheckpoint.offsite;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.piholecheckpoint.testing.Eventually;
import io.piholecheckpoint.testing.InProcessApp;
import io.piholecheckpoint.testing.Receiver;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** OFFSITE_FAILED on the running app, through a real webhook: a destination disabled by its settings is told, without a secret. */
class OffsiteNotificationIT {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir
  java.nio.file.Path dir;

  private static List<JsonNode> offsiteEvents(Receiver hook) throws Exception {
    List<JsonNode> events = new java.util.ArrayList<>();
    for (Receiver.Request r : hook.requests()) {
      JsonNode body = JSON.readTree(r.body());
      if (body.get("event").asText().equals("offsite_failed")) {
        events.add(body);
      }
    }
    return events;
  }

  @Test
  void aDisabledDestinationIsNotifiedAtTheFirstOffsiteRun() throws Exception {
    try (Receiver hook = new Receiver()) {
      Map<String, String> env = Map.of("NOTIFY_WEBHOOK_URL", hook.url() + "/hook",
          "OFFSITE_B2_URL", "s3://bucket/checkpoint", "OFFSITE_B2_SECRET_ACCESS_KEY", "s3cr3t-n0t-t0-b3-s33n", "OFFSITE_FIRST_RUN_SECONDS", "0");
      try (InProcessApp app = InProcessApp.start(dir.resolve("data"), dir.resolve("backups"), env)) {
        Eventually.until("the off-site job told the webhook", Duration.ofSeconds(60), () -> !offsiteEvents(hook).isEmpty());

        JsonNode event = offsiteEvents(hook).get(0);
        assertThat(event.get("severity").asText()).isEqualTo("error");
        assertThat(event.get("title").asText()).isEqualTo("Off-site destination B2 is disabled");
        assertThat(event.get("message").asText()).startsWith("OFFSITE_B2_").contains("Backups go on locally", "fix OFFSITE_B2_* and restart");
        assertThat(hook.requests()).noneSatisfy(r -> assertThat(r.body()).contains("s3cr3t"));
      }
    }
  }
}
