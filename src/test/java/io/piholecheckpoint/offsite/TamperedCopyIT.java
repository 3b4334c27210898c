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
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A backup whose archive is only off-site, and whose copy was changed at the destination after it
 * was verified: whichever path reads it first (a verify, or the contents, which fetch it), every
 * path then gives the one answer — 409 offsite_copy_damaged, saying the copy failed verification
 * and what to do — never "missing" nor a 503 that invites to try again; the copy is failed and no
 * longer verified, in the API and on the pages.
 */
class TamperedCopyIT {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir
  Path dir;

  private static JsonNode json(HttpResponse<String> response) throws Exception {
    return JSON.readTree(response.body());
  }

  @ParameterizedTest
  @ValueSource(strings = {"/verify", "/contents"})
  void everyPathThatReadsACopyChangedAtTheDestinationSaysItFailedVerification(String firstRead) throws Exception {
    Path nas = Files.createDirectories(dir.resolve("nas"));
    try (FakePihole pihole = FakePihole.start("labpass")) {
      Map<String, String> env = Map.of("PIHOLE_HOME_URL", pihole.url(), "PIHOLE_HOME_PASSWORD", "labpass",
          "BACKUP_ENCRYPTION_PASSPHRASE", "a passphrase for the tamper test", "OFFSITE_NAS_URL", nas.toUri().toString());
      long id;
      long other;
      String fileName;
      String remoteKey;
      try (InProcessApp app = start(env)) {
        id = json(app.post("/api/v1/instances/1/backups?wait=true")).get("id").asLong();
        pihole.archive(Fixtures.archiveB());
        other = json(app.post("/api/v1/instances/1/backups?wait=true")).get("id").asLong();
        Eventually.until("the copy is verified", Duration.ofSeconds(60),
            () -> json(app.get("/api/v1/backups/" + id)).at("/offsite/0/state").asText().equals("verified"));
        fileName = json(app.get("/api/v1/backups/" + id)).get("fileName").asText();
        remoteKey = json(app.get("/api/v1/backups/" + id)).at("/offsite/0/remoteKey").asText();
      }
      Files.delete(dir.resolve("backups").resolve(fileName));
      byte[] bytes = Files.readAllBytes(nas.resolve(remoteKey));
      bytes[bytes.length / 2] ^= 1;
      Files.write(nas.resolve(remoteKey), bytes);

      try (InProcessApp app = start(env)) {
        app.get("/api/v1/backups/" + id + firstRead);

        for (int round = 0; round < 2; round++) {
          requireDamaged(app.get("/api/v1/backups/" + id + "/contents"), fileName);
          requireDamaged(app.get("/api/v1/backups/" + other + "/diff?against=" + id), fileName);
          requireDamaged(app.get("/api/v1/backups/" + id + "/diff?against=" + other), fileName);
          requireDamaged(app.send("POST", "/api/v1/backups/" + id + "/restore", "{\"mode\":\"exact\",\"dryRun\":true}"), fileName);
          requireDamaged(app.send("POST", "/api/v1/backups/" + id + "/restore", "{\"mode\":\"exact\"}"), fileName);
          HttpResponse<String> download = app.get("/backups/" + id + "/download");
          assertThat(download.statusCode()).isEqualTo(409);
          assertThat(download.body()).contains("The off-site copy failed verification", "its checksum does not match what was sent",
              "put it back in BACKUP_DIR");
          assertThat(app.get("/backups/" + id).statusCode()).isEqualTo(409);
          JsonNode verify = json(app.get("/api/v1/backups/" + id + "/verify"));
          assertThat(verify.get("ok").asBoolean()).isFalse();
          assertThat(verify.get("problem").asText()).contains("failed verification", "its checksum does not match what was sent");
        }

        JsonNode copy = json(app.get("/api/v1/backups/" + id)).at("/offsite/0");
        assertThat(copy.get("state").asText()).isEqualTo("failed");
        assertThat(copy.get("verifiedAt").isNull()).as(copy.toString()).isTrue();
        assertThat(copy.get("damagedAt").isNull()).isFalse();
        assertThat(copy.get("error").asText()).contains("failed verification", "cannot be sent again");
        JsonNode backup = json(app.get("/api/v1/backups/" + id));
        assertThat(backup.get("remoteOnly").isNull()).isTrue();
        assertThat(backup.get("downloadUrl").isNull()).isTrue();
        assertThat(app.get("/instances/1").body()).contains("failed verification").doesNotContain("remote only — on NAS");
        assertThat(Files.exists(dir.resolve("backups").resolve(fileName))).isFalse();
      }
    }
  }

  private static void requireDamaged(HttpResponse<String> response, String fileName) throws Exception {
    assertThat(response.statusCode()).as(response.body()).isEqualTo(409);
    JsonNode error = json(response).get("error");
    assertThat(error.get("code").asText()).isEqualTo("offsite_copy_damaged");
    assertThat(error.get("message").asText()).contains("(" + fileName + ") is not on this disk", "failed verification", "NAS: ",
        "its checksum does not match what was sent", "Restore or compare another backup", "put it back in BACKUP_DIR");
  }

  private InProcessApp start(Map<String, String> env) throws Exception {
    return InProcessApp.start(dir.resolve("data"), dir.resolve("backups"), env);
  }
}
