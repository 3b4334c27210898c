package io.piholecheckpoint.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.piholecheckpoint.testing.FakePihole;
import io.piholecheckpoint.testing.Fixtures;
import io.piholecheckpoint.testing.InProcessApp;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A start with a mistyped BACKUP_ENCRYPTION_PASSPHRASE (an outsider's finding, round 51): it was found wrong only ~30 s later,
 * by the smallest off-site copy, while new backups were written (and copied off-site) with the typo, which nobody could open
 * after the restart with the right passphrase. The passphrase is now tied to BACKUP_DIR by its check file, read at the start.
 */
class WrongPassphraseTakesNoBackupIT {
  private static final String RIGHT = "correct horse battery staple";
  private static final String TYPO = "wrong passphrase here";
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir
  Path dir;

  private static JsonNode json(String body) throws Exception {
    return JSON.readTree(body);
  }

  private static Set<String> files(Path folder) throws Exception {
    try (Stream<Path> list = Files.list(folder)) {
      return list.map(p -> p.getFileName().toString()).collect(Collectors.toSet());
    }
  }

  /** The settings of a start with the right passphrase, and that start's one backup. */
  private static Map<String, String> backedUpWithTheRightPassphrase(FakePihole pihole, Path data, Path backups) throws Exception {
    Map<String, String> env = new HashMap<>(Map.of("PIHOLE_HOME_URL", pihole.url(), "PIHOLE_HOME_PASSWORD", "labpass",
        "BACKUP_ENCRYPTION_PASSPHRASE", RIGHT));
    try (InProcessApp right = InProcessApp.start(data, backups, env)) {
      assertThat(right.post("/api/v1/instances/1/backups?wait=true").statusCode()).isEqualTo(201);
    }
    return env;
  }

  @Test
  void aStartWithAnotherPassphraseRefusesEveryNewArchiveAtOnceUntilTheRightOneOrTheCheckFileIsDeleted() throws Exception {
    Path data = dir.resolve("data");
    Path backups = dir.resolve("backups");
    Path check = backups.resolve(".passphrase-check.gpg");
    try (FakePihole pihole = FakePihole.start("labpass")) {
      Map<String, String> env = backedUpWithTheRightPassphrase(pihole, data, backups);
      assertThat(Files.getPosixFilePermissions(check)).isEqualTo(PosixFilePermissions.fromString("rw-------"));

      env.put("BACKUP_ENCRYPTION_PASSPHRASE", TYPO);
      try (InProcessApp typo = InProcessApp.start(data, backups, env)) {
        Set<String> before = files(backups);
        JsonNode health = json(typo.get("/health").body()); // at once: no off-site run to wait for
        assertThat(health.get("status").asText()).isEqualTo("degraded");
        assertThat(health.at("/passphrase/status").asText()).isEqualTo("wrong");
        assertThat(health.at("/passphrase/message").asText()).contains(check.toString());

        var manual = typo.post("/api/v1/instances/1/backups?wait=true");
        assertThat(manual.statusCode()).isEqualTo(409);
        assertThat(json(manual.body()).at("/error/code").asText()).isEqualTo("wrong_passphrase");
        assertThat(json(manual.body()).at("/error/message").asText())
            .contains("BACKUP_ENCRYPTION_PASSPHRASE is not the passphrase the archives in " + backups)
            .contains("nothing was taken").contains("delete " + check).doesNotContain(TYPO);
        var imported = typo.upload("/api/v1/instances/1/backups/import", "file", "a.zip", Fixtures.archiveA());
        assertThat(imported.statusCode()).isEqualTo(409);
        assertThat(imported.body()).contains("\"wrong_passphrase\"");
        assertThat(files(backups)).as("nothing written to BACKUP_DIR").isEqualTo(before);
      }

      env.put("BACKUP_ENCRYPTION_PASSPHRASE", RIGHT);
      try (InProcessApp fixed = InProcessApp.start(data, backups, env)) {
        assertThat(json(fixed.get("/health").body()).get("passphrase").isNull()).isTrue();
        assertThat(fixed.post("/api/v1/instances/1/backups?wait=true").statusCode()).isEqualTo(201);
        JsonNode all = json(fixed.get("/api/v1/instances/1/backups?status=success").body()).get("backups");
        assertThat(all).hasSize(2);
        for (JsonNode backup : all) {
          assertThat(fixed.get("/api/v1/backups/" + backup.get("id").asLong() + "/verify").statusCode()).as("every archive opens").isEqualTo(200);
        }
      }

      Files.delete(check); // changing the passphrase on purpose
      env.put("BACKUP_ENCRYPTION_PASSPHRASE", "a new passphrase");
      try (InProcessApp changed = InProcessApp.start(data, backups, env)) {
        assertThat(json(changed.get("/health").body()).get("passphrase").isNull()).isTrue();
        assertThat(changed.post("/api/v1/instances/1/backups?wait=true").statusCode()).isEqualTo(201);
      }
      assertThat(check).exists();
    }
  }

  @Test
  void anInstallWithEncryptedArchivesButNoCheckFileIsCheckedAgainstItsNewestArchive() throws Exception {
    Path data = dir.resolve("data");
    Path backups = dir.resolve("backups");
    try (FakePihole pihole = FakePihole.start("labpass")) {
      Map<String, String> env = backedUpWithTheRightPassphrase(pihole, data, backups);
      // as a build before the check file left them
      Files.delete(backups.resolve(".passphrase-check.gpg"));
      Files.delete(data.resolve("passphrase-check.tied"));

      env.put("BACKUP_ENCRYPTION_PASSPHRASE", TYPO);
      try (InProcessApp typo = InProcessApp.start(data, backups, env)) {
        assertThat(json(typo.get("/health").body()).at("/passphrase/status").asText()).isEqualTo("wrong");
        assertThat(typo.post("/api/v1/instances/1/backups?wait=true").statusCode()).isEqualTo(409);
      }
      assertThat(backups.resolve(".passphrase-check.gpg")).doesNotExist();

      env.put("BACKUP_ENCRYPTION_PASSPHRASE", RIGHT);
      try (InProcessApp right = InProcessApp.start(data, backups, env)) {
        assertThat(right.post("/api/v1/instances/1/backups?wait=true").statusCode()).isEqualTo(201);
      }
      assertThat(backups.resolve(".passphrase-check.gpg")).exists();
    }
  }
}
