package io.piholecheckpoint.offsite;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.piholecheckpoint.testing.Eventually;
import io.piholecheckpoint.testing.FakePihole;
import io.piholecheckpoint.testing.FaultProxy;
import io.piholecheckpoint.testing.InProcessApp;
import io.piholecheckpoint.testing.S3Proxy;
import java.net.ServerSocket;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A destination whose server accepts and then stalls (ATTIC, with a long timeout) beside one that
 * works (NAS): the working one is copied to meanwhile, and a stop while ATTIC stalls is prompt and
 * leaves its copy queued, not failed. The same for an S3 upload, whose client does not end on an
 * interrupt.
 */
class StalledDestinationIT {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir
  Path dir;

  private static JsonNode json(HttpResponse<String> response) throws Exception {
    return JSON.readTree(response.body());
  }

  @Test
  void aStalledDestinationHoldsUpNoOtherAndAStopLeavesItsCopyQueued() throws Exception {
    Path nas = Files.createDirectories(dir.resolve("nas"));
    int nowhere;
    try (ServerSocket unused = new ServerSocket(0)) {
      nowhere = unused.getLocalPort(); // a stalled proxy forwards nothing: any port will do
    }
    try (FakePihole pihole = FakePihole.start("labpass"); FaultProxy attic = FaultProxy.to("127.0.0.1", nowhere).stall()) {
      Map<String, String> env = Map.of("PIHOLE_HOME_URL", pihole.url(), "PIHOLE_HOME_PASSWORD", "labpass",
          "BACKUP_ENCRYPTION_PASSPHRASE", "a passphrase for the stalled test", "OFFSITE_NAS_URL", nas.toUri().toString(),
          "OFFSITE_ATTIC_URL", "webdav+http://127.0.0.1:" + attic.port() + "/dav", "OFFSITE_ATTIC_USER", "me", "OFFSITE_ATTIC_PASSWORD", "pw",
          "OFFSITE_ATTIC_TIMEOUT_SECONDS", "600");
      long id;
      InProcessApp app = start(env);
      try {
        id = json(app.post("/api/v1/instances/1/backups?wait=true")).get("id").asLong();

        Eventually.until("the copy to NAS is verified while ATTIC stalls", Duration.ofSeconds(40),
            () -> state(app, id, "NAS").equals("verified"));
        assertThat(attic.connections()).as("ATTIC was tried meanwhile").isPositive();
        assertThat(state(app, id, "ATTIC")).isEqualTo("pending");

        app.stop();
      } finally {
        app.close();
      }

      // the stall met ATTIC's first step, the adoption of what it holds; an upload cut off says so too (OffsiteServiceTest)
      assertThat(app.output()).contains("Stopping the off-site copies to ATTIC because Pi-hole Checkpoint is stopping",
              "Adopting the off-site copies at ATTIC stopped because Pi-hole Checkpoint is stopping; the next start adopts them")
          .doesNotContain("abandoned", "backup was still running", "could not be adopted");
      try (InProcessApp again = start(env)) {
        JsonNode copy = copy(again, id, "ATTIC");
        assertThat(copy.get("state").asText()).as(copy.toString()).isEqualTo("pending");
        assertThat(copy.get("attempts").asInt()).isZero();
        assertThat(copy.get("error").isNull()).isTrue();
      }
    }
  }

  /**
   * An S3 store that took the whole upload and never answers (its first copy went through, so the destination's first run is
   * over and the one under way is an upload): the stop cuts it off at once, where it used to be abandoned after the scheduler's
   * wait, and the copy waits for the next start as it was queued.
   */
  @Test
  void aStopCutsOffAnS3UploadWaitingForAStalledStoreAndLeavesItsCopyQueued() throws Exception {
    try (FakePihole pihole = FakePihole.start("labpass"); S3Proxy store = S3Proxy.start(Files.createDirectories(dir.resolve("s3")));
         FaultProxy proxy = FaultProxy.to("127.0.0.1", store.port)) {
      store.bucket("checkpoint");
      Map<String, String> env = new HashMap<>(Map.of("PIHOLE_HOME_URL", pihole.url(), "PIHOLE_HOME_PASSWORD", "labpass",
          "BACKUP_ENCRYPTION_PASSPHRASE", "a passphrase for the stalled test", "OFFSITE_FIRST_RUN_SECONDS", "0",
          "OFFSITE_B2_URL", "s3://checkpoint/stalled", "OFFSITE_B2_ENDPOINT", "http://127.0.0.1:" + proxy.port(),
          "OFFSITE_B2_ACCESS_KEY_ID", S3Proxy.ACCESS_KEY_ID, "OFFSITE_B2_SECRET_ACCESS_KEY", S3Proxy.SECRET, "OFFSITE_B2_PATH_STYLE", "true"));
      env.put("OFFSITE_B2_TIMEOUT_SECONDS", "600");
      long id;
      InProcessApp app = start(env);
      try {
        long first = json(app.post("/api/v1/instances/1/backups?wait=true")).get("id").asLong();
        Eventually.until("the first copy is verified", Duration.ofSeconds(60), () -> state(app, first, "B2").equals("verified"));
        proxy.stall();
        proxy.dropConnections();
        JsonNode backup = json(app.post("/api/v1/instances/1/backups?wait=true"));
        id = backup.get("id").asLong();
        Eventually.until("the store took the whole upload", Duration.ofSeconds(60), () -> proxy.stalledBytes() >= backup.get("size").asLong());

        app.stop();
      } finally {
        app.close();
      }

      assertThat(app.output()).contains("to B2 stopped because Pi-hole Checkpoint is stopping; it stays queued").doesNotContain("abandoned");
      env.put("OFFSITE_FIRST_RUN_SECONDS", "3600"); // nothing sends it again before it is looked at
      try (InProcessApp again = start(env)) {
        JsonNode copy = copy(again, id, "B2");
        assertThat(copy.get("state").asText()).as(copy.toString()).isEqualTo("pending");
        assertThat(copy.get("attempts").asInt()).isZero();
        assertThat(copy.get("error").isNull()).isTrue();
      }
    }
  }

  private static String state(InProcessApp app, long backup, String destination) throws Exception {
    JsonNode copy = copy(app, backup, destination);
    return copy == null ? "" : copy.get("state").asText();
  }

  private static JsonNode copy(InProcessApp app, long backup, String destination) throws Exception {
    for (JsonNode copy : json(app.get("/api/v1/backups/" + backup)).get("offsite")) {
      if (copy.get("destination").asText().equals(destination)) {
        return copy;
      }
    }
    return null;
  }

  private InProcessApp start(Map<String, String> env) throws Exception {
    return InProcessApp.start(dir.resolve("data"), dir.resolve("backups"), env);
  }
}
