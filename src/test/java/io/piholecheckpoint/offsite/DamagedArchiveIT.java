package io.piholecheckpoint.offsite;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.piholecheckpoint.testing.Eventually;
import io.piholecheckpoint.testing.FakePihole;
import io.piholecheckpoint.testing.Fixtures;
import io.piholecheckpoint.testing.InProcessApp;
import io.piholecheckpoint.testing.OffsiteServers;
import io.piholecheckpoint.testing.OffsiteServers.Kind;
import io.piholecheckpoint.testing.OffsiteServers.Server;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * An archive in BACKUP_DIR changed behind the app's back (one byte flipped, as a failing disk does):
 * whichever path reads it — download, contents, restore — finds it is not the archive its backup
 * recorded before it serves anything. With a sound off-site copy it is fetched back from there, put
 * in place whole and the request served; with none, every path answers 409 archive_damaged (a fault
 * trying again does not mend, never a 503) and the backup shows as damaged.
 */
class DamagedArchiveIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String PASSPHRASE = "a passphrase for the damaged archive test";
  @RegisterExtension
  static final OffsiteServers.PerClass servers = new OffsiteServers.PerClass();
  @TempDir
  Path dir;

  private static JsonNode json(HttpResponse<String> response) throws Exception {
    return JSON.readTree(response.body());
  }

  @ParameterizedTest(name = "{0}, stored encrypted: {1}")
  @CsvSource({"SFTP, true", "FILE, false"})
  void aDamagedArchiveIsReplacedByItsSoundOffsiteCopyOnEveryPathThatReadsIt(Kind kind, boolean encrypted) throws Exception {
    Server server = servers.of(kind);
    try (FakePihole pihole = FakePihole.start("labpass")) {
      Map<String, String> env = new HashMap<>(server.variables("NAS", "mended-" + encrypted));
      env.putAll(Map.of("PIHOLE_HOME_URL", pihole.url(), "PIHOLE_HOME_PASSWORD", "labpass", "OFFSITE_FIRST_RUN_SECONDS", "0"));
      env.putAll(encrypted ? Map.of("BACKUP_ENCRYPTION_PASSPHRASE", PASSPHRASE) : Map.of("OFFSITE_NAS_ENCRYPT", "false"));
      try (InProcessApp app = start(env)) {
        JsonNode backup = json(app.post("/api/v1/instances/1/backups?wait=true"));
        long id = backup.get("id").asLong();
        Eventually.until("the copy is verified", Duration.ofSeconds(60),
            () -> json(app.get("/api/v1/backups/" + id)).at("/offsite/0/state").asText().equals("verified"));
        Path stored = dir.resolve("backups").resolve(backup.get("fileName").asText());
        byte[] original = Files.readAllBytes(stored);

        flipAByte(stored);
        HttpResponse<byte[]> download = app.download("/backups/" + id + "/download");
        assertThat(download.statusCode()).isEqualTo(200);
        assertThat(sha256(download.body())).isEqualTo(backup.get("sha256").asText());
        assertThat(download.body()).isEqualTo(Fixtures.archiveA());
        assertThat(stored).as("replaced whole by the copy's bytes").hasBinaryContent(original);

        flipAByte(stored);
        HttpResponse<String> contents = app.get("/api/v1/backups/" + id + "/contents");
        assertThat(contents.statusCode()).as(contents.body()).isEqualTo(200);
        assertThat(stored).hasBinaryContent(original);

        flipAByte(stored);
        HttpResponse<String> preview = app.send("POST", "/api/v1/backups/" + id + "/restore", "{\"mode\":\"exact\",\"dryRun\":true}");
        assertThat(preview.statusCode()).as(preview.body()).isEqualTo(200);
        assertThat(stored).hasBinaryContent(original);

        assertThat(app.output()).contains("The archive of backup " + id + " (" + stored.getFileName() + ") was damaged on this disk (",
            "it was replaced by the verified off-site copy at NAS, checked against its record");
        JsonNode after = json(app.get("/api/v1/backups/" + id));
        assertThat(after.get("verifyError").isNull()).as(after.toString()).isTrue();
        assertThat(after.at("/offsite/0/state").asText()).isEqualTo("verified");
        assertThat(json(app.get("/api/v1/backups/" + id + "/verify")).get("ok").asBoolean()).isTrue();
        JsonNode storage = json(app.get("/health")).get("storage");
        assertThat(storage.get("damagedFiles").asInt()).as("repaired from the copy: nothing to alert on").isZero();
        assertThat(storage.get("filesProblem").isNull()).as(storage.toString()).isTrue();
        assertThat(scratchLeftovers()).as("nothing half-written left behind").isEmpty();
      }
    }
  }

  @Test
  void aDamagedArchiveWithoutASoundCopyIsRefusedAsDamagedOnEveryPathAndShownSo() throws Exception {
    Server nas = servers.of(Kind.FILE);
    try (FakePihole pihole = FakePihole.start("labpass")) {
      Map<String, String> env = new HashMap<>(nas.variables("NAS", "damaged-too"));
      env.putAll(Map.of("PIHOLE_HOME_URL", pihole.url(), "PIHOLE_HOME_PASSWORD", "labpass", "OFFSITE_FIRST_RUN_SECONDS", "0",
          "BACKUP_ENCRYPTION_PASSPHRASE", PASSPHRASE));
      try (InProcessApp app = start(env)) {
        JsonNode backup = json(app.post("/api/v1/instances/1/backups?wait=true"));
        long id = backup.get("id").asLong();
        Eventually.until("the copy is verified", Duration.ofSeconds(60),
            () -> json(app.get("/api/v1/backups/" + id)).at("/offsite/0/state").asText().equals("verified"));
        String fileName = backup.get("fileName").asText();
        Path stored = dir.resolve("backups").resolve(fileName);
        flipAByte(stored);
        flipAByte(nas.stored("damaged-too").resolve(json(app.get("/api/v1/backups/" + id)).at("/offsite/0/remoteKey").asText()));
        byte[] damaged = Files.readAllBytes(stored);

        HttpResponse<String> download = app.get("/backups/" + id + "/download");
        assertThat(download.statusCode()).isEqualTo(409);
        assertThat(download.body()).contains("The archive is damaged", "is damaged on this disk", "its off-site copies failed verification too",
            "Restore or compare another backup", "put it back in BACKUP_DIR as " + fileName);
        for (int round = 0; round < 2; round++) {
          requireDamaged(app.get("/api/v1/backups/" + id + "/contents"), id, fileName);
          requireDamaged(app.send("POST", "/api/v1/backups/" + id + "/restore", "{\"mode\":\"exact\",\"dryRun\":true}"), id, fileName);
          requireDamaged(app.send("POST", "/api/v1/backups/" + id + "/restore", "{\"mode\":\"exact\"}"), id, fileName);
          assertThat(app.get("/backups/" + id).statusCode()).isEqualTo(409);
        }

        String problem = json(app.get("/api/v1/backups/" + id)).get("verifyError").asText();
        assertThat(problem).as("the backup's check failed with what was found").containsAnyOf("fails its integrity check", "cannot be read");
        assertThat(app.get("/instances/1").body()).as("shown where the history shows a failed check").contains(problem.substring(0, 20));
        assertThat(json(app.get("/health")).at("/storage/damagedFiles").asInt()).isEqualTo(1);
        JsonNode copy = json(app.get("/api/v1/backups/" + id)).at("/offsite/0");
        assertThat(copy.get("state").asText()).as(copy.toString()).isEqualTo("failed");
        assertThat(copy.get("error").asText()).contains("failed verification (found when fetched)", "cannot be sent again: its local archive is damaged too");
        assertThat(stored).as("left as it was: nothing replaced it").hasBinaryContent(damaged);
        assertThat(pihole.lastImport()).as("nothing was restored").isNull();
      }
    }
  }

  @Test
  void aDamagedArchiveOfAnInstanceWithoutDestinationsIsRefusedAsDamaged() throws Exception {
    try (FakePihole pihole = FakePihole.start("labpass")) {
      try (InProcessApp app = start(Map.of("PIHOLE_HOME_URL", pihole.url(), "PIHOLE_HOME_PASSWORD", "labpass"))) {
        JsonNode backup = json(app.post("/api/v1/instances/1/backups?wait=true"));
        long id = backup.get("id").asLong();
        String fileName = backup.get("fileName").asText();
        flipAByte(dir.resolve("backups").resolve(fileName));

        HttpResponse<String> download = app.get("/backups/" + id + "/download");

        assertThat(download.statusCode()).as("a damaged archive is never served").isEqualTo(409);
        assertThat(download.body()).contains("has changed on disk", "no sound off-site copy of it is kept");
        requireDamaged(app.get("/api/v1/backups/" + id + "/contents"), id, fileName);
        requireDamaged(app.send("POST", "/api/v1/backups/" + id + "/restore", "{\"mode\":\"exact\"}"), id, fileName);
        assertThat(json(app.get("/api/v1/backups/" + id)).get("verifyError").asText()).contains("has changed on disk");
        // outsider 51 (F2): it said "ok" while no read of this backup could succeed
        JsonNode health = json(app.get("/health"));
        assertThat(health.get("status").asText()).as(health.toString()).isEqualTo("degraded");
        assertThat(health.at("/storage/damagedFiles").asInt()).isEqualTo(1);
        assertThat(health.at("/storage/filesProblem").asText()).contains("backup " + id + " has a damaged archive", "no sound off-site copy",
            "Put the archive back in BACKUP_DIR");
      }
    }
  }

  /** Outsider 51 (F3): its download answered 404 and its restore 409 "backup_conflict"; one state, one answer. */
  @Test
  void aMissingArchiveIsNotFoundAlikeForItsDownloadItsRestoreAndItsDryRun() throws Exception {
    try (FakePihole pihole = FakePihole.start("labpass")) {
      try (InProcessApp app = start(Map.of("PIHOLE_HOME_URL", pihole.url(), "PIHOLE_HOME_PASSWORD", "labpass"))) {
        JsonNode backup = json(app.post("/api/v1/instances/1/backups?wait=true"));
        long id = backup.get("id").asLong();
        String fileName = backup.get("fileName").asText();
        Files.delete(dir.resolve("backups").resolve(fileName));

        for (HttpResponse<String> response : List.of(app.get("/api/v1/backups/" + id + "/download"),
            app.send("POST", "/api/v1/backups/" + id + "/restore", "{\"mode\":\"exact\",\"dryRun\":true}"),
            app.send("POST", "/api/v1/backups/" + id + "/restore", "{\"mode\":\"exact\"}"))) {
          assertThat(response.statusCode()).as(response.body()).isEqualTo(404);
          JsonNode error = json(response).get("error");
          assertThat(error.get("code").asText()).isEqualTo("backup_not_found");
          assertThat(error.get("message").asText()).isEqualTo("the archive of backup " + id + " (" + fileName + ") is missing from the backup directory");
        }
        assertThat(pihole.lastImport()).as("nothing was restored").isNull();
        assertThat(json(app.get("/api/v1/backups/" + id)).get("id").asLong()).as("the record stays").isEqualTo(id);
      }
    }
  }

  private static void requireDamaged(HttpResponse<String> response, long id, String fileName) throws Exception {
    assertThat(response.statusCode()).as(response.body()).isEqualTo(409);
    JsonNode error = json(response).get("error");
    assertThat(error.get("code").asText()).isEqualTo("archive_damaged");
    assertThat(error.get("message").asText()).contains("the archive of backup " + id + " (" + fileName + ") is damaged on this disk: ",
        "Restore or compare another backup of this Pi-hole", "put it back in BACKUP_DIR as " + fileName);
  }

  /** Flips one byte in the middle of a file, behind the app's back. */
  private static void flipAByte(Path file) throws Exception {
    byte[] bytes = Files.readAllBytes(file);
    bytes[bytes.length / 2] ^= 1;
    Files.write(file, bytes);
  }

  private static String sha256(byte[] bytes) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
  }

  private List<Path> scratchLeftovers() throws Exception {
    Path scratch = dir.resolve("backups").resolve(".scratch");
    if (!Files.isDirectory(scratch)) {
      return List.of();
    }
    try (Stream<Path> files = Files.list(scratch)) {
      return files.filter(Files::isRegularFile).filter(f -> !f.getFileName().toString().startsWith(".")).toList();
    }
  }

  private InProcessApp start(Map<String, String> env) throws Exception {
    return InProcessApp.start(dir.resolve("data"), dir.resolve("backups"), env);
  }
}
