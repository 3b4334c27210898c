package io.piholecheckpoint.offsite;

import static io.piholecheckpoint.testing.ResponseJson.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.piholecheckpoint.testing.Eventually;
import io.piholecheckpoint.testing.FakePihole;
import io.piholecheckpoint.testing.InProcessApp;
import io.piholecheckpoint.testing.OffsiteServers;
import io.piholecheckpoint.testing.OffsiteServers.Kind;
import io.piholecheckpoint.testing.OffsiteServers.Server;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A copy found damaged at its destination while its local archive is gone is given up: nothing sends it again, and the
 * re-check reads only verified copies. Once someone puts the file right there by hand, Check again
 * ({@code POST /api/v1/offsite/{name}/check}) reads it back and verifies it again, so its backup is readable once more; while
 * it still differs it stays failed and the answer says what was found; a destination that does not answer is a 503 and
 * changes nothing; an unknown one a 404. Against a directory and Debian's sshd.
 */
class CheckAgainIT {
  @RegisterExtension
  static final OffsiteServers.PerClass servers = new OffsiteServers.PerClass();
  @TempDir
  Path dir;

  @ParameterizedTest
  @EnumSource(value = Kind.class, names = {"FILE", "SFTP"})
  void aDamagedCopyPutRightByHandIsVerifiedAgainByCheckAgain(Kind kind) throws Exception {
    Server server = servers.of(kind);
    String folder = "check-" + kind.name().toLowerCase();
    Path stored = server.stored(folder);
    try (FakePihole pihole = FakePihole.start("labpass")) {
      Map<String, String> env = new HashMap<>(server.variables("NAS", folder));
      env.putAll(Map.of("PIHOLE_HOME_URL", pihole.url(), "PIHOLE_HOME_PASSWORD", "labpass",
          "BACKUP_ENCRYPTION_PASSPHRASE", "a passphrase for check again"));
      try (InProcessApp app = InProcessApp.start(dir.resolve("data"), dir.resolve("backups"), env)) {
        long id = json(app.post("/api/v1/instances/1/backups?wait=true")).get("id").asLong();
        Eventually.until("the copy is verified", Duration.ofSeconds(60),
            () -> json(app.get("/api/v1/backups/" + id)).at("/offsite/0/state").asText().equals("verified"));
        JsonNode backup = json(app.get("/api/v1/backups/" + id));
        String remoteKey = backup.at("/offsite/0/remoteKey").asText();
        Files.delete(dir.resolve("backups").resolve(backup.get("fileName").asText()));
        byte[] sent = Files.readAllBytes(stored.resolve(remoteKey));
        byte[] tampered = sent.clone();
        tampered[tampered.length / 2] ^= 1;
        Files.write(stored.resolve(remoteKey), tampered);
        assertThat(json(app.get("/api/v1/backups/" + id + "/verify")).get("ok").asBoolean()).isFalse();
        assertThat(copy(app, id).get("damagedAt").isNull()).isFalse();

        HttpResponse<String> still = app.post("/api/v1/offsite/nas/check");

        assertThat(still.statusCode()).as(still.body()).isEqualTo(200);
        assertThat(json(still).get("verifiedAgain")).isEmpty();
        assertThat(json(still).at("/stillDamaged/0/remoteKey").asText()).isEqualTo(remoteKey);
        assertThat(json(still).at("/stillDamaged/0/found").asText()).contains("its checksum does not match what was sent");
        assertThat(json(still).get("message").asText()).contains("1 copy at NAS is still not what was sent and stay", "put the file sent back");
        assertThat(copy(app, id).get("state").asText()).isEqualTo("failed");
        assertThat(app.get("/api/v1/backups/" + id + "/contents").statusCode()).isEqualTo(409);

        Path away = stored.resolveSibling(folder + "-unmounted");
        Files.move(stored, away);
        HttpResponse<String> down = app.post("/api/v1/offsite/NAS/check");
        Files.move(away, stored);

        assertThat(down.statusCode()).as(down.body()).isEqualTo(503);
        assertThat(json(down).at("/error/message").asText()).contains("keep their mark");
        assertThat(copy(app, id).get("state").asText()).isEqualTo("failed");

        Files.write(stored.resolve(remoteKey), sent);
        HttpResponse<String> mended = app.post("/api/v1/offsite/NAS/check");

        assertThat(mended.statusCode()).as(mended.body()).isEqualTo(200);
        assertThat(json(mended).at("/verifiedAgain/0/backupId").asLong()).isEqualTo(id);
        assertThat(json(mended).get("stillDamaged")).isEmpty();
        assertThat(json(mended).get("message").asText()).contains("1 copy at NAS is as sent again: verified");
        JsonNode copy = copy(app, id);
        assertThat(copy.get("state").asText()).isEqualTo("verified");
        assertThat(copy.get("damagedAt").isNull()).as(copy.toString()).isTrue();
        assertThat(copy.get("error").isNull()).as(copy.toString()).isTrue();
        // the check fetched the archive back from the copy it verified: the backup is on this disk again, not remote-only
        assertThat(json(app.get("/api/v1/backups/" + id)).get("remoteOnly").isNull()).isTrue();
        assertThat(dir.resolve("backups").resolve(backup.get("fileName").asText())).exists();
        HttpResponse<String> contents = app.get("/api/v1/backups/" + id + "/contents");
        assertThat(contents.statusCode()).as(contents.body()).isEqualTo(200);
        assertThat(json(app.post("/api/v1/offsite/NAS/check")).get("message").asText()).contains("no copy at NAS is marked damaged");
        HttpResponse<String> unknown = app.post("/api/v1/offsite/ELSEWHERE/check");
        assertThat(unknown.statusCode()).isEqualTo(404);
        assertThat(json(unknown).at("/error/code").asText()).isEqualTo("destination_not_found");
      }
    }
  }

  private static JsonNode copy(InProcessApp app, long id) throws Exception {
    return json(app.get("/api/v1/backups/" + id)).at("/offsite/0");
  }
}
