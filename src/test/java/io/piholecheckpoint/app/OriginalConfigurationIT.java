package io.piholecheckpoint.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.piholecheckpoint.testing.Eventually;
import io.piholecheckpoint.testing.FakePihole;
import io.piholecheckpoint.testing.InProcessApp;
import io.piholecheckpoint.testing.Receiver;
import io.piholecheckpoint.testing.TestCertificates;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A user of Pi-hole Checkpoint 1.x starts us with its environment: its notification names, a
 * provider it switched off, and a Pi-hole with its own self-signed certificate (1.x did not
 * verify TLS; we do). The first failure offers the fingerprint to pin, ready to paste, in the
 * log, on the instance page and in the notification.
 */
class OriginalConfigurationIT {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir
  Path dir;

  @Test
  void aSelfSignedPiholeFailsOnceWithTheFingerprintToPinEverywhereItIsTold() throws Exception {
    TestCertificates.Certificate cert = TestCertificates.forLoopback();
    String paste = "PIHOLE_HOME_TLS_FINGERPRINT=" + cert.sha256Fingerprint();
    try (Receiver hook = new Receiver();
         Receiver discord = new Receiver();
         FakePihole pihole = FakePihole.builder().password("labpass").https(cert).start();
         InProcessApp app = InProcessApp.start(dir.resolve("data"), dir.resolve("backups"), Map.of(
             "PIHOLE_HOME_URL", pihole.url(), "PIHOLE_HOME_PASSWORD", "labpass",
             "NOTIFY_WEBHOOK_URL", hook.url() + "/hook",
             "NOTIFY_DISCORD_WEBHOOK_URL", discord.url() + "/api/webhooks/1/x", "NOTIFY_DISCORD_ENABLED", "false",
             "NOTIFY_ON_FAILURE", "true", "NOTIFY_ON_BACKUP_FAILED", "true"))) {

      assertThat(app.post("/api/v1/instances/1/backups").statusCode()).isEqualTo(202);
      Eventually.until("the webhook hears of the failure", Duration.ofSeconds(30), () -> !hook.requests().isEmpty());

      JsonNode told = JSON.readTree(hook.requests().get(0).body());
      assertThat(told.get("event").asText()).isEqualTo("backup_failed");
      assertThat(told.get("message").asText()).contains("not trusted (self-signed", paste);
      assertThat(lines(app.output(), "Backup of Pi-hole 'Home' failed")).singleElement().asString().contains(paste);
      assertThat(app.get("/instances/1").body()).contains(paste);
      JsonNode instance = JSON.readTree(app.get("/api/v1/instances/1").body());
      assertThat(instance.get("status").asText()).isEqualTo("tls_error");
      assertThat(pihole.requests()).as("nothing was sent to the certificate it did not trust").isEmpty();

      JsonNode test = JSON.readTree(app.post("/api/v1/notifications/test").body());
      assertThat(test.findValuesAsText("provider")).as("Discord is switched off by NOTIFY_DISCORD_ENABLED=false").containsExactly("webhook");
      assertThat(discord.requests()).isEmpty();
      assertThat(lines(app.output(), "NOTIFY_ON_BACKUP_FAILED and NOTIFY_ON_FAILURE")).as("precedence said once").hasSize(1);
    }
  }

  @Test
  void anInstanceMadeInTheUiIsToldWhichFieldTakesTheFingerprint() throws Exception {
    TestCertificates.Certificate cert = TestCertificates.forLoopback();
    try (FakePihole pihole = FakePihole.builder().password("labpass").https(cert).start();
         InProcessApp app = InProcessApp.start(dir.resolve("data"), dir.resolve("backups"), Map.of())) {
      var created = app.send("POST", "/api/v1/instances", JSON.createObjectNode().put("name", "Lab").put("url", pihole.url())
          .put("password", "labpass").put("tlsMode", "system").toString());
      assertThat(created.statusCode()).as(created.body()).isEqualTo(201);

      JsonNode tested = JSON.readTree(app.post("/api/v1/instances/" + JSON.readTree(created.body()).get("id").asLong() + "/test").body());

      assertThat(tested.get("ok").asBoolean()).isFalse();
      assertThat(tested.get("code").asText()).isEqualTo("tls_error");
      assertThat(tested.get("message").asText())
          .contains("set Trust to \"Only this certificate (fingerprint)\" and paste " + cert.sha256Fingerprint() + " into \"SHA-256 fingerprint\"")
          .doesNotContain("PIHOLE_");
    }
  }

  private static java.util.List<String> lines(String output, String containing) {
    return Arrays.stream(output.split("\n")).filter(l -> l.contains(containing)).toList();
  }
}
