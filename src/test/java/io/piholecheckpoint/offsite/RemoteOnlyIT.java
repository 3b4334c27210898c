package io.piholecheckpoint.offsite;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.piholecheckpoint.testing.Eventually;
import io.piholecheckpoint.testing.FakePihole;
import io.piholecheckpoint.testing.Fixtures;
import io.piholecheckpoint.testing.InProcessApp;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A backup whose archive is no longer on this disk but verified at a destination is "remote only":
 * not missing, still downloadable (fetched back), not damage in /health. Each start reconciles the
 * backup directory, as the daily maintenance does.
 */
class RemoteOnlyIT {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir
  Path dir;

  private static JsonNode json(HttpResponse<String> response) throws Exception {
    return JSON.readTree(response.body());
  }

  @Test
  void aLocalArchiveThatWentMissingIsKeptRemoteOnlyAndFetchedBackUntilItsCopyIsGoneToo() throws Exception {
    Path nas = Files.createDirectories(dir.resolve("nas"));
    try (FakePihole pihole = FakePihole.start("labpass")) {
      Map<String, String> env = Map.of("PIHOLE_HOME_URL", pihole.url(), "PIHOLE_HOME_PASSWORD", "labpass",
          "BACKUP_ENCRYPTION_PASSPHRASE", "a passphrase for the remote-only test", "OFFSITE_NAS_URL", nas.toUri().toString());
      long id;
      String fileName;
      String remoteKey;
      try (InProcessApp app = start(env)) {
        id = json(app.post("/api/v1/instances/1/backups?wait=true")).get("id").asLong();
        Eventually.until("the copy is verified", Duration.ofSeconds(60),
            () -> json(app.get("/api/v1/backups/" + id)).at("/offsite/0/state").asText().equals("verified"));
        fileName = json(app.get("/api/v1/backups/" + id)).get("fileName").asText();
        remoteKey = json(app.get("/api/v1/backups/" + id)).at("/offsite/0/remoteKey").asText();
      }
      Files.delete(dir.resolve("backups").resolve(fileName));

      try (InProcessApp app = start(env)) {
        JsonNode backup = json(app.get("/api/v1/backups/" + id));
        assertThat(backup.get("fileMissing").asBoolean()).as(backup.toString()).isFalse();
        assertThat(backup.get("remoteOnly").asText()).isEqualTo("NAS");
        assertThat(backup.get("downloadUrl").asText()).isEqualTo("/api/v1/backups/" + id + "/download");
        assertThat(json(app.get("/health")).get("status").asText()).isEqualTo("ok");
        assertThat(app.get("/").body()).contains("remote only — on NAS").doesNotContain("file missing");
        assertThat(app.get("/instances/1").body()).contains("remote only — on NAS").doesNotContain("file missing");
        assertThat(app.output()).contains("kept remote only, on NAS").doesNotContain("its record stays, marked missing");

        HttpResponse<byte[]> download = app.download("/backups/" + id + "/download");

        assertThat(download.statusCode()).isEqualTo(200);
        assertThat(download.body()).isEqualTo(Fixtures.archiveA());
        assertThat(dir.resolve("backups").resolve(fileName)).exists();
        assertThat(json(app.get("/api/v1/backups/" + id)).get("remoteOnly").isNull()).isTrue();
      }
      Files.delete(dir.resolve("backups").resolve(fileName));
      Files.delete(nas.resolve(remoteKey));

      try (InProcessApp app = start(env)) {
        assertThat(app.download("/backups/" + id + "/download").statusCode()).isNotEqualTo(200);

        JsonNode backup = json(app.get("/api/v1/backups/" + id));
        assertThat(backup.get("fileMissing").asBoolean()).as(backup.toString()).isTrue();
        assertThat(backup.get("remoteOnly").isNull()).isTrue();
        assertThat(backup.get("downloadUrl").isNull()).isTrue();
        assertThat(app.get("/instances/1").body()).contains("file missing").doesNotContain("remote only — on NAS");
      }
    }
  }

  private InProcessApp start(Map<String, String> env) throws Exception {
    return InProcessApp.start(dir.resolve("data"), dir.resolve("backups"), env);
  }
}
