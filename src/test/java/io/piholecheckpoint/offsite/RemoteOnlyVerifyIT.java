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
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A backup kept remote only at three destinations (S3, WebDAV, a directory), whose WebDAV and
 * directory copies were changed there after they were verified: a verify reads back every copy it
 * counts as verified, not only the first that answers. The damaged ones are marked so, and sent
 * again from the sound S3 copy (fetched back for that), as a damaged copy of an archive on this disk
 * is sent again from it.
 */
class RemoteOnlyVerifyIT {
  @RegisterExtension
  static final OffsiteServers.PerClass servers = new OffsiteServers.PerClass();
  @TempDir
  Path dir;

  @Test
  void aVerifyOfARemoteOnlyBackupChecksEveryCopyAndSendsTheDamagedOnesAgainFromASoundOne() throws Exception {
    Server s3 = servers.of(Kind.S3);
    Server dav = servers.of(Kind.WEBDAV);
    Server nas = servers.of(Kind.FILE);
    try (FakePihole pihole = FakePihole.start("labpass")) {
      Map<String, String> env = new HashMap<>(s3.variables("S3", "verify-all"));
      env.putAll(dav.variables("DAV", "verify-all"));
      env.putAll(nas.variables("NAS", "verify-all"));
      env.putAll(Map.of("PIHOLE_HOME_URL", pihole.url(), "PIHOLE_HOME_PASSWORD", "labpass",
          "BACKUP_ENCRYPTION_PASSPHRASE", "a passphrase for the verify test", "OFFSITE_FIRST_RUN_SECONDS", "0"));
      long id;
      String fileName;
      String remoteKey;
      try (InProcessApp app = start(env)) {
        id = json(app.post("/api/v1/instances/1/backups?wait=true")).get("id").asLong();
        Eventually.until("the three copies are verified", Duration.ofSeconds(90), () -> verified(app, id, "S3", "DAV", "NAS"));
        fileName = json(app.get("/api/v1/backups/" + id)).get("fileName").asText();
        remoteKey = json(app.get("/api/v1/backups/" + id)).at("/offsite/0/remoteKey").asText();
      }
      Files.delete(dir.resolve("backups").resolve(fileName));
      byte[] davTampered = tamper(dav.stored("verify-all").resolve(remoteKey));
      byte[] nasTampered = tamper(nas.stored("verify-all").resolve(remoteKey));

      try (InProcessApp app = start(env)) {
        assertThat(json(app.get("/api/v1/backups/" + id)).get("remoteOnly").isNull()).as("remote only before the verify").isFalse();

        JsonNode verify = json(app.get("/api/v1/backups/" + id + "/verify"));

        assertThat(verify.get("ok").asBoolean()).as("the S3 copy is sound: " + verify).isTrue();
        assertThat(app.output()).contains("DAV: failed verification (found when verified)", "NAS: failed verification (found when verified)")
            .doesNotContain("S3: failed verification");
        // at once: the off-site job is woken by the verify, not left to its next run a minute after the start's
        Eventually.until("the damaged copies are sent again and verified", Duration.ofSeconds(30), () -> verified(app, id, "S3", "DAV", "NAS")
            && !java.util.Arrays.equals(Files.readAllBytes(dav.stored("verify-all").resolve(remoteKey)), davTampered)
            && !java.util.Arrays.equals(Files.readAllBytes(nas.stored("verify-all").resolve(remoteKey)), nasTampered));
        assertThat(app.output()).contains("it is sent again").doesNotContain("it cannot be sent again");
        assertThat(dir.resolve("backups").resolve(fileName)).as("fetched back from the sound copy to send the others from").exists();
        JsonNode backup = json(app.get("/api/v1/backups/" + id));
        assertThat(backup.get("fileMissing").asBoolean()).isFalse();
        assertThat(json(app.get("/api/v1/backups/" + id + "/verify")).get("ok").asBoolean()).isTrue();
      }
    }
  }

  /** Whether each named destination's copy of the backup is verified. */
  private static boolean verified(InProcessApp app, long id, String... destinations) throws Exception {
    Map<String, String> states = new HashMap<>();
    json(app.get("/api/v1/backups/" + id)).get("offsite").forEach(c -> states.put(c.get("destination").asText(), c.get("state").asText()));
    for (String d : destinations) {
      if (!"verified".equals(states.get(d))) {
        return false;
      }
    }
    return true;
  }

  /** Flips a byte in the middle of the stored copy, behind the app's back; returns what it holds now. */
  private static byte[] tamper(Path stored) throws Exception {
    byte[] bytes = Files.readAllBytes(stored);
    bytes[bytes.length / 2] ^= 1;
    Files.write(stored, bytes);
    return bytes;
  }

  private InProcessApp start(Map<String, String> env) throws Exception {
    return InProcessApp.start(dir.resolve("data"), dir.resolve("backups"), env);
  }
}
