package io.piholecheckpoint.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.piholecheckpoint.testing.FakePihole;
import io.piholecheckpoint.testing.InProcessApp;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An instance's password file that is a FIFO used to block its backup forever (its timeout covers the Pi-hole, not the
 * file), so every later "Back up now" got 409. Now the file is refused as it is read: the backup answers at once (502, as any failed backup) with
 * the reason (error code misconfigured), the instance's status says why, and the next backup answers the same instead of
 * waiting for the first.
 */
class InstancePasswordFifoIT {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir
  Path dir;

  @Test
  void aFifoAsAnInstancesPasswordFileFailsItsBackupAtOnceWithTheReason() throws Exception {
    Path fifo = dir.resolve("home-password");
    assertThat(new ProcessBuilder("mkfifo", fifo.toString()).inheritIO().start().waitFor()).isZero();
    try (FakePihole home = FakePihole.start("labpass");
        InProcessApp app = InProcessApp.start(dir.resolve("data"), dir.resolve("backups"),
            Map.of("PIHOLE_HOME_URL", home.url(), "PIHOLE_HOME_PASSWORD_FILE", fifo.toString()))) {
      long id = JSON.readTree(app.get("/api/v1/instances").body()).get("instances").get(0).get("id").asLong();

      for (int attempt = 0; attempt < 2; attempt++) {
        // bounded: on the old code the first backup never answers, which must fail the test rather than hang it
        HttpResponse<String> response = CompletableFuture.supplyAsync(() -> post(app, "/api/v1/instances/" + id + "/backups?wait=true"))
            .get(30, TimeUnit.SECONDS);

        assertThat(response.statusCode()).as(response.body()).isEqualTo(502); // as every failed backup answers, its record saying why
        JsonNode error = JSON.readTree(response.body()).get("error");
        assertThat(error.get("code").asText()).isEqualTo("misconfigured");
        assertThat(error.get("message").asText()).contains("PIHOLE_HOME_PASSWORD_FILE=" + fifo + " is not a regular file");
      }
      JsonNode instance = JSON.readTree(app.get("/api/v1/instances/" + id).body());
      // misconfigured from the start now (InstancePasswordFileAtStartIT): the mark wins over the failed contact's "error"
      assertThat(instance.get("status").asText()).as(instance.toString()).isEqualTo("misconfigured");
      assertThat(instance.get("statusMessage").asText()).contains("PIHOLE_HOME_PASSWORD_FILE=" + fifo + " is not a regular file");
    }
  }

  private static HttpResponse<String> post(InProcessApp app, String path) {
    try {
      return app.post(path);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
