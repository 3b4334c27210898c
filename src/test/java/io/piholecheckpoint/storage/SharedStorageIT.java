package io.piholecheckpoint.storage;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.piholecheckpoint.core.archive.ArchiveFiles;
import io.piholecheckpoint.testing.Eventually;
import io.piholecheckpoint.testing.FakePihole;
import io.piholecheckpoint.testing.Fixtures;
import io.piholecheckpoint.testing.InProcessApp;
import io.piholecheckpoint.testing.S3Proxy;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole app with STORAGE_URL=s3://… against S3Proxy, through HTTP: backups land in the bucket,
 * and a node whose BACKUP_DIR is empty downloads and restores them from there.
 */
class SharedStorageIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String BUCKET = "checkpoint";
  @TempDir
  static Path serverDir;
  private static S3Proxy s3;
  @TempDir
  Path dir;

  @BeforeAll
  static void startServer() throws Exception {
    s3 = S3Proxy.start(serverDir);
    s3.bucket(BUCKET);
  }

  @AfterAll
  static void stopServer() throws Exception {
    if (s3 != null) {
      s3.close();
    }
  }

  private Map<String, String> env(FakePihole pihole, String prefix, String secret) throws Exception {
    Path secretFile = Files.writeString(dir.resolve("s3-secret"), secret + "\n");
    Map<String, String> env = new HashMap<>(Map.of("PIHOLE_HOME_URL", pihole.url(), "PIHOLE_HOME_PASSWORD", "labpass",
        "STORAGE_URL", "s3://" + BUCKET + "/" + prefix + "?endpoint=" + s3.endpoint() + "&region=eu-central-1&path_style=true",
        "STORAGE_ACCESS_KEY_ID", S3Proxy.ACCESS_KEY_ID, "STORAGE_SECRET_ACCESS_KEY_FILE", secretFile.toString()));
    return env;
  }

  private static JsonNode json(HttpResponse<String> response) throws Exception {
    return JSON.readTree(response.body());
  }

  private static List<String> files(Path folder) throws Exception {
    if (!Files.isDirectory(folder)) {
      return List.of();
    }
    try (Stream<Path> files = Files.list(folder)) {
      return files.filter(Files::isRegularFile).map(p -> p.getFileName().toString()).sorted().toList();
    }
  }

  @Test
  void aBackupIsStoredInTheBucketAndDownloadedAndRestoredFromThereWithAnEmptyBackupDir() throws Exception {
    try (FakePihole pihole = FakePihole.start("labpass")) {
      Map<String, String> env = env(pihole, "primary", S3Proxy.SECRET);
      Path objects = s3.data.resolve(BUCKET).resolve("primary");
      JsonNode backup;
      try (InProcessApp app = InProcessApp.start(dir.resolve("data"), dir.resolve("backups"), env)) {
        backup = json(app.post("/api/v1/instances/1/backups?wait=true"));
        assertThat(backup.get("status").asText()).as(backup.toString()).isEqualTo("success");
        assertThat(app.output()).contains("Archives are kept in s3://" + BUCKET + "/primary/").doesNotContain(S3Proxy.SECRET);
      }
      String fileName = backup.get("fileName").asText();
      assertThat(files(objects)).containsExactly(fileName);
      assertThat(ArchiveFiles.sha256Of(objects.resolve(fileName))).isEqualTo(backup.get("sha256").asText());
      assertThat(files(dir.resolve("backups"))).as("BACKUP_DIR itself holds no archive").isEmpty();
      wipe(dir.resolve("backups"));
      pihole.archive(Fixtures.archiveB()); // the Pi-hole changed since

      try (InProcessApp app = InProcessApp.start(dir.resolve("data"), dir.resolve("backups"), env)) {
        HttpResponse<byte[]> download = app.download("/backups/" + backup.get("id").asLong() + "/download");
        assertThat(download.statusCode()).isEqualTo(200);
        assertThat(download.body()).isEqualTo(Fixtures.archiveA());

        JsonNode done = restore(app, backup.get("id").asLong());

        assertThat(done.get("state").asText()).as(done.toString()).isEqualTo("verified");
        assertThat(pihole.lastImport()).isEqualTo(Fixtures.archiveA());
        assertThat(json(app.get("/health")).get("status").asText()).isEqualTo("ok");
      }
    }
  }

  @Test
  void anArchiveGoneFromTheBucketIsFetchedBackFromItsOffsiteCopyAndStoredThereAgain() throws Exception {
    try (FakePihole pihole = FakePihole.start("labpass")) {
      Map<String, String> env = env(pihole, "fetched", S3Proxy.SECRET);
      env.putAll(Map.of("OFFSITE_NAS_URL", Files.createDirectories(dir.resolve("nas")).toUri().toString(), "OFFSITE_NAS_ENCRYPT", "false"));
      Path objects = s3.data.resolve(BUCKET).resolve("fetched");
      try (InProcessApp app = InProcessApp.start(dir.resolve("data"), dir.resolve("backups"), env)) {
        JsonNode backup = json(app.post("/api/v1/instances/1/backups?wait=true"));
        long id = backup.get("id").asLong();
        String fileName = backup.get("fileName").asText();
        Eventually.until("the off-site copy is verified", Duration.ofSeconds(60),
            () -> json(app.get("/api/v1/backups/" + id)).at("/offsite/0/state").asText().equals("verified"));
        Files.delete(objects.resolve(fileName));
        Files.delete(dir.resolve("backups").resolve("shared-cache").resolve(fileName));

        HttpResponse<byte[]> download = app.download("/backups/" + id + "/download");

        assertThat(download.statusCode()).isEqualTo(200);
        assertThat(download.body()).isEqualTo(Fixtures.archiveA());
        assertThat(Files.readAllBytes(objects.resolve(fileName))).isEqualTo(Fixtures.archiveA());
      }
    }
  }

  @Test
  void aDamagedArchiveIsReadAgainFromTheBucketOrFromItsOffsiteCopyBeforeItIsServed() throws Exception {
    try (FakePihole pihole = FakePihole.start("labpass")) {
      Map<String, String> env = env(pihole, "mended", S3Proxy.SECRET);
      env.putAll(Map.of("OFFSITE_NAS_URL", Files.createDirectories(dir.resolve("nas")).toUri().toString(), "OFFSITE_NAS_ENCRYPT", "false"));
      Path objects = s3.data.resolve(BUCKET).resolve("mended");
      try (InProcessApp app = InProcessApp.start(dir.resolve("data"), dir.resolve("backups"), env)) {
        JsonNode backup = json(app.post("/api/v1/instances/1/backups?wait=true"));
        long id = backup.get("id").asLong();
        String fileName = backup.get("fileName").asText();
        Eventually.until("the off-site copy is verified", Duration.ofSeconds(60),
            () -> json(app.get("/api/v1/backups/" + id)).at("/offsite/0/state").asText().equals("verified"));
        Path cached = dir.resolve("backups").resolve("shared-cache").resolve(fileName);

        flipAByte(cached);
        HttpResponse<byte[]> fromTheBucket = app.download("/backups/" + id + "/download");

        assertThat(fromTheBucket.statusCode()).isEqualTo(200);
        assertThat(fromTheBucket.body()).isEqualTo(Fixtures.archiveA());
        assertThat(Files.readAllBytes(cached)).isEqualTo(Fixtures.archiveA());
        assertThat(app.output()).contains("it was replaced by the copy read again from the shared store");

        flipAByte(cached);
        flipAByte(objects.resolve(fileName));
        HttpResponse<byte[]> fromTheCopy = app.download("/backups/" + id + "/download");

        assertThat(fromTheCopy.statusCode()).isEqualTo(200);
        assertThat(fromTheCopy.body()).isEqualTo(Fixtures.archiveA());
        assertThat(app.output()).contains("it was replaced by the verified off-site copy at NAS");
        assertThat(Files.readAllBytes(objects.resolve(fileName))).as("put back into the bucket too").isEqualTo(Fixtures.archiveA());
      }
    }
  }

  private static void flipAByte(Path file) throws Exception {
    byte[] bytes = Files.readAllBytes(file);
    bytes[bytes.length / 2] ^= 1;
    Files.write(file, bytes);
  }

  @Test
  void retentionDeletesTheObjectFromTheBucket() throws Exception {
    try (FakePihole pihole = FakePihole.start("labpass")) {
      Map<String, String> env = env(pihole, "retention", S3Proxy.SECRET);
      env.put("PIHOLE_HOME_MAX_BACKUPS", "1");
      Path objects = s3.data.resolve(BUCKET).resolve("retention");
      try (InProcessApp app = InProcessApp.start(dir.resolve("data"), dir.resolve("backups"), env)) {
        String first = json(app.post("/api/v1/instances/1/backups?wait=true")).get("fileName").asText();
        pihole.archive(Fixtures.archiveB());

        String second = json(app.post("/api/v1/instances/1/backups?wait=true")).get("fileName").asText();

        Eventually.until("the first backup is pruned", Duration.ofSeconds(30), () -> !files(objects).contains(first));
        assertThat(files(objects)).containsExactly(second);
      }
    }
  }

  @Test
  void aStoreThatRefusesTheArchiveFailsTheBackupVisiblyAndKeepsNoFile() throws Exception {
    try (FakePihole pihole = FakePihole.start("labpass")) {
      Map<String, String> env = env(pihole, "refused", "not-the-secret");
      try (InProcessApp app = InProcessApp.start(dir.resolve("data"), dir.resolve("backups"), env)) {

        HttpResponse<String> answer = app.post("/api/v1/instances/1/backups?wait=true");

        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(502);
        JsonNode backup = json(answer).get("backup");
        assertThat(backup.get("status").asText()).as(backup.toString()).isEqualTo("failed");
        assertThat(backup.get("errorCode").asText()).isEqualTo("storage_error");
        assertThat(backup.get("error").asText()).contains("could not be stored in the shared store s3://" + BUCKET + "/refused/")
            .contains("STORAGE_ACCESS_KEY_ID").doesNotContain("not-the-secret");
        assertThat(json(app.get("/health")).get("status").asText()).isEqualTo("degraded");
        assertThat(files(dir.resolve("backups").resolve("shared-cache"))).isEmpty();
        assertThat(s3.data.resolve(BUCKET).resolve("refused")).doesNotExist();
      }
    }
  }

  @Test
  void aStorageUrlThatCannotBeUsedStopsNothingAndEveryBackupSaysWhatToFix() throws Exception {
    try (FakePihole pihole = FakePihole.start("labpass")) {
      Map<String, String> env = env(pihole, "x", S3Proxy.SECRET);
      env.put("STORAGE_URL", "s3://" + BUCKET + "/x?endpoint=" + s3.endpoint() + "&colour=blue");
      try (InProcessApp app = InProcessApp.start(dir.resolve("data"), dir.resolve("backups"), env)) {
        assertThat(app.get("/health").statusCode()).isEqualTo(200);
        assertThat(app.output()).contains("STORAGE_URL cannot be used: STORAGE_URL has an option ?colour= that is none of endpoint=, region= and path_style=");

        JsonNode backup = json(app.post("/api/v1/instances/1/backups?wait=true")).get("backup");

        assertThat(backup.get("errorCode").asText()).as(backup.toString()).isEqualTo("storage_error");
        assertThat(backup.get("error").asText()).contains("archives are stored nowhere until STORAGE_URL is fixed: STORAGE_URL has an option ?colour=");
      }
    }
  }

  private static JsonNode restore(InProcessApp app, long backup) throws Exception {
    HttpResponse<String> started = app.send("POST", "/api/v1/backups/" + backup + "/restore", "{\"mode\":\"exact\"}");
    assertThat(started.statusCode()).as(started.body()).isEqualTo(202);
    String url = started.headers().firstValue("Location").orElseThrow();
    Eventually.until("the restore finished", Duration.ofSeconds(60),
        () -> !List.of("queued", "running").contains(json(app.get(url)).get("state").asText()));
    return json(app.get(url));
  }

  private static void wipe(Path folder) throws Exception {
    try (Stream<Path> all = Files.walk(folder)) {
      for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }
}
