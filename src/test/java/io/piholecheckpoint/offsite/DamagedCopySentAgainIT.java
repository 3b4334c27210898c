package io.piholecheckpoint.offsite;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.piholecheckpoint.testing.Eventually;
import io.piholecheckpoint.testing.FakePihole;
import io.piholecheckpoint.testing.InProcessApp;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * An archive moved out of BACKUP_DIR whose only copy was then changed at the destination: the API
 * says at once what is left (remote only, then missing with no intact copy anywhere), the
 * destination's status and /health say a copy failed for good instead of "ok", and once the archive
 * is back the copy is sent again and verified: when a verify finds it back, or the reconcile pass
 * (at start, and in the daily round) without anyone asking.
 */
class DamagedCopySentAgainIT {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir
  Path dir;

  private static JsonNode json(HttpResponse<String> response) throws Exception {
    return JSON.readTree(response.body());
  }

  @ParameterizedTest
  @ValueSource(booleans = {false, true})
  void aCopyGivenUpWhileItsArchiveWasGoneIsSentAgainOnceTheArchiveIsFoundBack(boolean byRestart) throws Exception {
    Path nas = Files.createDirectories(dir.resolve("nas"));
    try (FakePihole pihole = FakePihole.start("labpass")) {
      Map<String, String> env = Map.of("PIHOLE_HOME_URL", pihole.url(), "PIHOLE_HOME_PASSWORD", "labpass",
          "BACKUP_ENCRYPTION_PASSPHRASE", "a passphrase for the damaged copy test", "OFFSITE_NAS_URL", nas.toUri().toString());
      InProcessApp first = InProcessApp.start(dir.resolve("data"), dir.resolve("backups"), env);
      InProcessApp app = first;
      try {
        long id = json(app.post("/api/v1/instances/1/backups?wait=true")).get("id").asLong();
        Eventually.until("the copy is verified", Duration.ofSeconds(60),
            () -> json(first.get("/api/v1/backups/" + id)).at("/offsite/0/state").asText().equals("verified"));
        JsonNode before = json(app.get("/api/v1/backups/" + id));
        String fileName = before.get("fileName").asText();
        String remoteKey = before.at("/offsite/0/remoteKey").asText();
        Path local = dir.resolve("backups").resolve(fileName);
        Path aside = dir.resolve(fileName);
        Files.move(local, aside);

        JsonNode moved = json(app.get("/api/v1/backups/" + id));
        assertThat(moved.get("remoteOnly").asText()).as("seen at once, not at the next verify: " + moved).isEqualTo("NAS");
        assertThat(moved.get("fileMissing").asBoolean()).isFalse();

        byte[] bytes = Files.readAllBytes(nas.resolve(remoteKey));
        for (int i = 0; i < 3; i++) {
          bytes[bytes.length / 2 + i] ^= 1;
        }
        Files.write(nas.resolve(remoteKey), bytes);
        HttpResponse<String> contents = app.get("/api/v1/backups/" + id + "/contents");
        assertThat(contents.statusCode()).as(contents.body()).isEqualTo(409);
        assertThat(json(contents).at("/error/code").asText()).isEqualTo("offsite_copy_damaged");
        JsonNode lost = json(app.get("/api/v1/backups/" + id));
        assertThat(lost.get("fileMissing").asBoolean()).as("no intact copy is left anywhere: " + lost).isTrue();
        assertThat(lost.get("remoteOnly").isNull()).isTrue();
        assertThat(lost.at("/offsite/0/nextAttemptAt").isNull()).isTrue();
        JsonNode status = json(app.get("/api/v1/offsite")).at("/destinations/0");
        assertThat(status.get("status").asText()).as(status.toString()).isEqualTo("failed");
        assertThat(status.get("failed").asInt()).isEqualTo(1);
        assertThat(status.get("error").asText()).contains("failed verification");
        JsonNode health = json(app.get("/health"));
        assertThat(health.get("status").asText()).as(health.toString()).isEqualTo("degraded");
        assertThat(health.get("offsiteFailing").toString()).contains("NAS");

        Files.move(aside, local);
        if (byRestart) {
          app.close();
          app = InProcessApp.start(dir.resolve("data"), dir.resolve("backups"), env); // its start reconciles; nobody asks for a verify
        } else {
          JsonNode verify = json(app.get("/api/v1/backups/" + id + "/verify"));
          assertThat(verify.get("ok").asBoolean()).as(verify.toString()).isTrue();
        }
        InProcessApp back = app;
        Eventually.until("the copy is sent again and verified", Duration.ofSeconds(60),
            () -> json(back.get("/api/v1/backups/" + id)).at("/offsite/0/state").asText().equals("verified"));
        JsonNode copy = json(app.get("/api/v1/backups/" + id)).at("/offsite/0");
        assertThat(copy.get("damagedAt").isNull()).as(copy.toString()).isTrue();
        assertThat(json(app.get("/api/v1/backups/" + id)).get("fileMissing").asBoolean()).isFalse();
        assertThat(json(app.get("/api/v1/offsite")).at("/destinations/0/status").asText()).isEqualTo("ok");
        assertThat(json(app.get("/health")).get("offsiteFailing").size()).isZero();
        assertThat(Files.readAllBytes(nas.resolve(remoteKey))).as("the copy there is what was sent again").isNotEqualTo(bytes);
      } finally {
        app.close();
      }
    }
  }
}
