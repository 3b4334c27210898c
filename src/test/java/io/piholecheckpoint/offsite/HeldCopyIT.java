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
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A copy waiting for a destination that is then disabled (a setting it needs is gone), or no longer
 * configured at all, waits without being tried: the API and the backup's page say why and that it
 * is copied once the destination is back, the destination's row counts it as waiting, nothing counts
 * it as failed; and once the destination is back it is copied at the start's off-site run, not after its backoff.
 */
class HeldCopyIT {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir
  Path dir;

  private static JsonNode json(HttpResponse<String> response) throws Exception {
    return JSON.readTree(response.body());
  }

  @Test
  void aCopyAtADisabledOrRemovedDestinationSaysWhyItWaitsAndIsCopiedOnceTheDestinationIsBack() throws Exception {
    Path nas = Files.createDirectories(dir.resolve("nas"));
    try (FakePihole pihole = FakePihole.start("labpass")) {
      Map<String, String> local = Map.of("PIHOLE_HOME_URL", pihole.url(), "PIHOLE_HOME_PASSWORD", "labpass");
      Map<String, String> plainNas = new HashMap<>(local);
      plainNas.putAll(Map.of("OFFSITE_NAS_URL", nas.toUri().toString(), "OFFSITE_NAS_ENCRYPT", "false", "OFFSITE_FIRST_RUN_SECONDS", "0"));
      long id;
      Files.delete(nas); // the share is not mounted: the copy fails, and is retried with a backoff
      try (InProcessApp app = start(plainNas)) {
        id = json(app.post("/api/v1/instances/1/backups?wait=true")).get("id").asLong();
        Eventually.until("the copy failed once", Duration.ofSeconds(60),
            () -> json(app.get("/api/v1/backups/" + id)).at("/offsite/0/attempts").asInt() > 0);
        assertThat(json(app.get("/api/v1/backups/" + id)).at("/offsite/0/held").isNull()).isTrue();
      }
      Files.createDirectories(nas);
      // the same destination without the _ENCRYPT=false that let it copy without a passphrase: disabled at start
      Map<String, String> disabled = new HashMap<>(local);
      disabled.putAll(Map.of("OFFSITE_NAS_URL", nas.toUri().toString(), "OFFSITE_FIRST_RUN_SECONDS", "0"));
      try (InProcessApp app = start(disabled)) {
        JsonNode copy = json(app.get("/api/v1/backups/" + id)).at("/offsite/0");
        assertThat(copy.get("state").asText()).as(copy.toString()).isEqualTo("failed");
        assertThat(copy.get("held").asText()).startsWith("destination NAS is disabled (").contains("BACKUP_ENCRYPTION_PASSPHRASE")
            .endsWith(": this copy is not made while it is disabled; enable the destination (fix what disabled it) and the copy is made"
            + " at its next run").doesNotContain("will be copied");
        JsonNode status = json(app.get("/api/v1/offsite")).at("/destinations/0");
        assertThat(status.get("status").asText()).isEqualTo("disabled");
        assertThat(status.get("pending").asInt()).as(status.toString()).isEqualTo(1);
        assertThat(status.get("failed").asInt()).isZero();
        assertThat(app.get("/backups/" + id).body()).contains("destination NAS is disabled (", "this copy is not made while it is disabled; enable the destination")
            .doesNotContain("will be copied when");
        assertThat(app.get("/instances/1").body()).contains("this copy is not made while it is disabled; enable the destination");
      }
      try (InProcessApp app = start(local)) {
        JsonNode copy = json(app.get("/api/v1/backups/" + id)).at("/offsite/0");
        assertThat(copy.get("held").asText()).isEqualTo("destination NAS is no longer configured; it will be copied if it is configured again");
        assertThat(app.get("/backups/" + id).body()).contains("destination NAS is no longer configured");
      }
      try (InProcessApp app = start(plainNas)) {
        // the start's off-site run tries it at once, though its backoff after the failure above is not over
        Eventually.until("the copy is made once its destination is back", Duration.ofSeconds(30),
            () -> json(app.get("/api/v1/backups/" + id)).at("/offsite/0/state").asText().equals("verified"));
        assertThat(json(app.get("/api/v1/backups/" + id)).at("/offsite/0/held").isNull()).isTrue();
      }
    }
  }

  @Test
  void aVerifiedCopyAtADestinationRemovedSinceIsListedAsUnreachableNotVerifiedUntilTheDestinationIsBack() throws Exception {
    Path nas = Files.createDirectories(dir.resolve("nas"));
    try (FakePihole pihole = FakePihole.start("labpass")) {
      Map<String, String> local = Map.of("PIHOLE_HOME_URL", pihole.url(), "PIHOLE_HOME_PASSWORD", "labpass");
      Map<String, String> withNas = new HashMap<>(local);
      withNas.putAll(Map.of("OFFSITE_NAS_URL", nas.toUri().toString(), "OFFSITE_NAS_ENCRYPT", "false", "OFFSITE_FIRST_RUN_SECONDS", "0"));
      long id;
      try (InProcessApp app = start(withNas)) {
        id = json(app.post("/api/v1/instances/1/backups?wait=true")).get("id").asLong();
        Eventually.until("the copy is verified", Duration.ofSeconds(60),
            () -> json(app.get("/api/v1/backups/" + id)).at("/offsite/0/state").asText().equals("verified"));
      }

      try (InProcessApp app = start(local)) {
        JsonNode copy = json(app.get("/api/v1/backups/" + id)).at("/offsite/0");
        assertThat(copy.get("state").asText()).as(copy.toString()).isEqualTo("unreachable");
        assertThat(copy.get("held").asText()).isEqualTo("destination NAS is no longer configured: the copy verified there cannot be reached from"
            + " here now, nor is it read back or fetched from; it counts again if the destination is configured again");
        assertThat(copy.get("verifiedAt").isNull()).as("when it was verified stays known").isFalse();
        JsonNode listed = json(app.get("/api/v1/instances/1/backups")).at("/backups/0/offsite/0");
        assertThat(listed.get("state").asText()).isEqualTo("unreachable");
        assertThat(app.get("/backups/" + id).body()).contains("NAS: unreachable", "destination NAS is no longer configured: the copy verified there")
            .doesNotContain("NAS: verified", ">verified<");
        assertThat(app.get("/instances/1").body()).contains("NAS: unreachable").doesNotContain("NAS: verified");
      }

      try (InProcessApp app = start(withNas)) {
        JsonNode copy = json(app.get("/api/v1/backups/" + id)).at("/offsite/0");
        assertThat(copy.get("state").asText()).as(copy.toString()).isEqualTo("verified");
        assertThat(copy.get("held").isNull()).isTrue();
        assertThat(app.get("/backups/" + id).body()).contains("NAS: verified");
      }
    }
  }

  private InProcessApp start(Map<String, String> env) throws Exception {
    return InProcessApp.start(dir.resolve("data"), dir.resolve("backups"), env);
  }
}
