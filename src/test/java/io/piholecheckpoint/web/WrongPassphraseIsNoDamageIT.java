package io.piholecheckpoint.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.piholecheckpoint.testing.FakePihole;
import io.piholecheckpoint.testing.Fixtures;
import io.piholecheckpoint.testing.InProcessApp;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An encrypted archive checked by a start with another BACKUP_ENCRYPTION_PASSPHRASE: it cannot be checked, which is no
 * damage (an outsider saw /health degraded with one "damaged file" that stayed so after a restart with the right passphrase).
 */
class WrongPassphraseIsNoDamageIT {
  private static final String PASSPHRASE = "a passphrase for the tests";
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir
  Path dir;

  private static JsonNode json(String body) throws Exception {
    return JSON.readTree(body);
  }

  private static boolean unmarked(JsonNode backup) {
    return backup.path("verifyError").isNull() || backup.path("verifyError").isMissingNode();
  }

  @Test
  void aVerifyWithTheWrongPassphraseMarksNothingAndAnEarlierSuchMarkClearsAtTheStartWithTheRightOne() throws Exception {
    Path data = dir.resolve("data");
    Path backups = dir.resolve("backups");
    try (FakePihole pihole = FakePihole.start("labpass")) {
      Map<String, String> env = new HashMap<>(Map.of("PIHOLE_HOME_URL", pihole.url(), "PIHOLE_HOME_PASSWORD", "labpass",
          "BACKUP_ENCRYPTION_PASSPHRASE", PASSPHRASE));
      long id;
      try (InProcessApp before = InProcessApp.start(data, backups, env)) {
        id = json(before.upload("/api/v1/instances/1/backups/import", "file", "a.zip", Fixtures.archiveA()).body()).get("id").asLong();
      }

      env.put("BACKUP_ENCRYPTION_PASSPHRASE", "another passphrase");
      try (InProcessApp wrong = InProcessApp.start(data, backups, env)) {
        var verify = wrong.get("/api/v1/backups/" + id + "/verify");
        // as every read of it answers: it cannot be checked until the passphrase it was written with is set
        assertThat(verify.statusCode()).isEqualTo(409);
        assertThat(verify.body()).contains("\"wrong_passphrase\"").contains("BACKUP_ENCRYPTION_PASSPHRASE").doesNotContain("another passphrase");
        assertThat(unmarked(json(wrong.get("/api/v1/backups/" + id).body()))).as("no damage recorded").isTrue();
        assertThat(json(wrong.get("/health").body()).at("/storage/damagedFiles").asInt()).isZero();
      }

      // what a build before this one recorded for that verify
      try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + data.resolve("checkpoint.db"));
          PreparedStatement s = c.prepareStatement("UPDATE backup SET verify_error = ? WHERE id = ?")) {
        s.setString(1, "cannot decrypt the archive (checksum mismatch at in checksum of 20 bytes) — is BACKUP_ENCRYPTION_PASSPHRASE the"
            + " passphrase it was written with?");
        s.setLong(2, id);
        assertThat(s.executeUpdate()).isOne();
      }
      try (InProcessApp stillWrong = InProcessApp.start(data, backups, env)) {
        assertThat(json(stillWrong.get("/api/v1/backups/" + id).body()).get("verifyError").asText())
            .as("not checked again into 'sound' while the passphrase still does not open it").contains("cannot decrypt");
      }

      env.put("BACKUP_ENCRYPTION_PASSPHRASE", PASSPHRASE);
      try (InProcessApp right = InProcessApp.start(data, backups, env)) {
        assertThat(unmarked(json(right.get("/api/v1/backups/" + id).body()))).as("the mark cleared by itself").isTrue();
        JsonNode health = json(right.get("/health").body());
        assertThat(health.at("/storage/damagedFiles").asInt()).isZero();
        assertThat(right.get("/api/v1/backups/" + id + "/contents").statusCode()).isEqualTo(200);
      }
    }
  }
}
