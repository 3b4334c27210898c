package io.piholecheckpoint.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.piholecheckpoint.testing.Eventually;
import io.piholecheckpoint.testing.FakePihole;
import io.piholecheckpoint.testing.Fixtures;
import io.piholecheckpoint.testing.Gpg;
import io.piholecheckpoint.testing.InProcessApp;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** BACKUP_ENCRYPTION_PASSPHRASE on the running app: archives stored as OpenPGP, everything else unchanged. */
class EncryptedArchivesIT {
  private static final String PASSPHRASE = "a passphrase for the tests";
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir
  Path dir;

  private JsonNode json(String body) throws Exception {
    return JSON.readTree(body);
  }

  @Test
  void newArchivesAreEncryptedOlderPlainOnesStayReadableAndDownloadsAreZip() throws Exception {
    Path data = dir.resolve("data");
    Path backups = dir.resolve("backups");
    try (FakePihole pihole = FakePihole.start("labpass")) {
      Map<String, String> instance = Map.of("PIHOLE_HOME_URL", pihole.url(), "PIHOLE_HOME_PASSWORD", "labpass");
      long plainId;
      try (InProcessApp before = InProcessApp.start(data, backups, instance)) {
        plainId = json(before.upload("/api/v1/instances/1/backups/import", "file", "b.zip", Fixtures.archiveB()).body()).get("id").asLong();
      }
      Map<String, String> encrypted = new java.util.HashMap<>(instance);
      encrypted.put("BACKUP_ENCRYPTION_PASSPHRASE", PASSPHRASE);
      try (InProcessApp app = InProcessApp.start(data, backups, encrypted)) {
        String job = json(app.post("/api/v1/instances/1/backups").body()).at("/job/url").asText();
        Eventually.until("the backup is done", Duration.ofSeconds(30), () -> json(app.get(job).body()).get("state").asText().equals("done"));
        long id = json(app.get(job).body()).get("backupId").asLong();
        JsonNode backup = json(app.get("/api/v1/backups/" + id).body());
        String fileName = backup.get("fileName").asText();

        assertThat(fileName).endsWith(".zip.gpg");
        assertThat(backup.get("size").asLong()).isEqualTo(Fixtures.archiveA().length);
        assertThat(app.download("/backups/" + id + "/download").body()).isEqualTo(Fixtures.archiveA());
        assertThat(app.download("/backups/" + id + "/download").headers().firstValue("Content-Disposition"))
            .hasValueSatisfying(v -> assertThat(v).contains(".zip\"").doesNotContain(".gpg"));
        assertThat(json(app.get("/api/v1/backups/" + id + "/verify").body()).get("ok").asBoolean()).isTrue();
        assertThat(json(app.get("/api/v1/backups/" + id + "/contents").body()).get("adlists")).hasSize(2);
        assertThat(app.download("/backups/" + plainId + "/download").body()).isEqualTo(Fixtures.archiveB());
        assertThat(app.output()).contains("New archives are stored encrypted").doesNotContain(PASSPHRASE);

        new Gpg(dir.resolve("gnupg")).decrypt(backups.resolve(fileName), dir.resolve("out.zip"), PASSPHRASE);
        assertThat(Files.readAllBytes(dir.resolve("out.zip"))).isEqualTo(Fixtures.archiveA());
      }
    }
  }

  /** Restarted with another passphrase: the pages answer like the API, a clear 503 saying what to do, and the log has no stack trace. */
  @Test
  void pagesOfAnArchiveEncryptedWithAnotherPassphraseAreAClear409WrongPassphrase() throws Exception {
    Path data = dir.resolve("data");
    Path backups = dir.resolve("backups");
    try (FakePihole pihole = FakePihole.start("labpass")) {
      Map<String, String> env = new java.util.HashMap<>(Map.of("PIHOLE_HOME_URL", pihole.url(), "PIHOLE_HOME_PASSWORD", "labpass",
          "BACKUP_ENCRYPTION_PASSPHRASE", PASSPHRASE));
      long id;
      try (InProcessApp before = InProcessApp.start(data, backups, env)) {
        id = json(before.upload("/api/v1/instances/1/backups/import", "file", "a.zip", Fixtures.archiveA()).body()).get("id").asLong();
      }
      env.put("BACKUP_ENCRYPTION_PASSPHRASE", "another passphrase");
      try (InProcessApp app = InProcessApp.start(data, backups, env)) {
        // not a 503: trying again fails alike until the passphrase the archive was written with is set
        var contents = app.get("/api/v1/backups/" + id + "/contents");
        assertThat(contents.statusCode()).isEqualTo(409);
        assertThat(contents.body()).contains("\"wrong_passphrase\"");
        for (String page : new String[] {"/backups/" + id, "/backups/" + id + "/download"}) {
          var answer = app.get(page);
          assertThat(answer.statusCode()).as(page).isEqualTo(409);
          assertThat(answer.body()).as(page).contains("BACKUP_ENCRYPTION_PASSPHRASE").doesNotContain("another passphrase");
        }
        Eventually.until("the failures are logged", Duration.ofSeconds(10), () -> app.output().contains("Backup " + id + " cannot be read"));
        assertThat(app.output()).doesNotContain("\tat io.piholecheckpoint").doesNotContain("another passphrase").doesNotContain(PASSPHRASE);
      }
    }
  }
}
