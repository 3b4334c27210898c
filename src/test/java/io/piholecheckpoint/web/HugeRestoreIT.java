package io.piholecheckpoint.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.piholecheckpoint.testing.Eventually;
import io.piholecheckpoint.testing.ExclusiveTurn;
import io.piholecheckpoint.testing.FakePihole;
import io.piholecheckpoint.testing.LargeArchives;
import io.piholecheckpoint.testing.MadeOnce;
import io.piholecheckpoint.testing.RunningApp;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A 50 MB archive (fixture a with a 50,000,000-byte pihole-FTL.db, just under Pi-hole's 50 MiB
 * upload limit) restored with the image's JVM options (96 MB heap, the JVM exits on
 * OutOfMemoryError) and its archives encrypted: the import streams the archive to the Pi-hole, so
 * the restore ends verified and the server lives on. The archive was once read whole into the
 * heap for the multipart body, and sent chunked (a second copy): the JVM died at the import.
 * <p>
 * The same imported archive is copied, encrypted, to a file:// destination, then its file in BACKUP_DIR deleted: a
 * download fetches it back from the off-site copy. The bytes are the archive's and the server lives on: the fetch streams
 * through a scratch file, never the heap. That was a class of its own (HugeOffsiteFetchIT) that started another app with the
 * same options and imported the same 50 MB archive again; the restores read the archive whether or not the download has
 * fetched it back first (a restore reads it through the same {@code BackupCatalog.archiveOf}), so the cases do not depend on
 * their order.
 */
public class HugeRestoreIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int FTL_DB_BYTES = 50_000_000;

  @TempDir
  static Path dir;

  private static FakePihole pihole;
  private static RunningApp app;
  private static ExclusiveTurn turn;
  private static Path archive;
  private static String sha256;
  private static long backup;
  private static Path local;

  @BeforeAll
  static void importAFiftyMegabyteArchiveAndCopyItOffsite() throws Exception {
    archive = MadeOnce.archive("random-ftl-db-" + FTL_DB_BYTES, LargeArchives.class,
        work -> LargeArchives.withRandomFtlDatabase(work, "random-ftl-db", FTL_DB_BYTES));
    sha256 = sha256(archive);
    Path nas = Files.createDirectories(dir.resolve("nas"));
    // the 96 MB heap is the point: another large-archive class on the two cores would only make the time limits lie
    turn = ExclusiveTurn.take("million-domains");
    pihole = FakePihole.builder().password("labpass").start();
    app = RunningApp.start(dir.resolve("data"), dir.resolve("backups"), Map.of("PIHOLE_HOME_URL", pihole.url(), "PIHOLE_HOME_PASSWORD", "labpass",
        "BACKUP_ENCRYPTION_PASSPHRASE", "huge restore passphrase", "OFFSITE_NAS_URL", nas.toUri().toString(), "JAVA_OPTS", RunningApp.IMAGE_JAVA_OPTS));
    HttpResponse<String> imported = app.upload("/api/v1/instances/1/backups/import", "file", "huge.zip", archive);
    assertThat(imported.statusCode()).as(imported.body()).isEqualTo(201);
    backup = JSON.readTree(imported.body()).get("id").asLong();
    Eventually.until("the 50 MB copy is verified at NAS (or the server died)", Duration.ofMinutes(4), () -> {
      assertThat(app.alive()).as("the server is alive while it copies:\n" + app.output()).isTrue();
      return JSON.readTree(app.get("/api/v1/backups/" + backup).body()).at("/offsite/0/state").asText().equals("verified");
    });
    local = dir.resolve("backups").resolve(JSON.readTree(app.get("/api/v1/backups/" + backup).body()).get("fileName").asText());
  }

  @AfterAll
  static void stop() throws Exception {
    if (turn != null) {
      turn.closeAfter(app, pihole);
    }
  }

  private static JsonNode restore(String body) throws Exception {
    HttpResponse<String> started = app.send("POST", "/api/v1/backups/" + backup + "/restore", body);
    assertThat(started.statusCode()).as(started.body()).isEqualTo(202);
    String url = started.headers().firstValue("Location").orElseThrow();
    Eventually.until("the restore of 50 MB finished (or the server died)", Duration.ofMinutes(4), () -> {
      try {
        return !List.of("queued", "running").contains(JSON.readTree(app.get(url).body()).get("state").asText());
      } catch (java.io.IOException e) {
        return !app.alive(); // refused while it dies
      }
    });
    assertThat(app.output()).as("the server's output").doesNotContain("OutOfMemoryError");
    assertThat(app.alive()).as("the server is alive after the restore:\n" + app.output()).isTrue();
    return JSON.readTree(app.get(url).body());
  }

  @Test
  void restoresAFiftyMegabyteArchiveExactlyAndLivesOn() throws Exception {
    assertThat(Files.size(archive)).as("the archive's size").isBetween(50_000_000L, 50L * 1024 * 1024);

    JsonNode done = restore("{\"mode\":\"exact\"}");

    assertThat(done.get("state").asText()).as(done.toString()).isEqualTo("verified");
    assertThat(pihole.lastImportSize()).as("the whole archive reached the Pi-hole").isEqualTo(Files.size(archive));
    assertThat(app.get("/health").statusCode()).isEqualTo(200);
    assertThat(app.output()).doesNotContain("OutOfMemoryError");
  }

  @Test
  void restoresTheListsOfAFiftyMegabyteArchiveAndLivesOn() throws Exception {
    JsonNode done = restore("{\"mode\":\"lists\"}");

    assertThat(done.get("state").asText()).as(done.toString()).isEqualTo("verified");
    assertThat(pihole.lastImportSize()).isEqualTo(Files.size(archive));
    assertThat(app.get("/health").statusCode()).isEqualTo(200);
    assertThat(app.output()).doesNotContain("OutOfMemoryError");
  }

  @Test
  void downloadsTheArchiveFetchedBackFromItsOffsiteCopy() throws Exception {
    Files.deleteIfExists(local);

    HttpResponse<Path> download = RunningApp.HTTP.send(HttpRequest.newBuilder(URI.create(app.url("/backups/" + backup + "/download")))
        .timeout(Duration.ofMinutes(4)).build(), HttpResponse.BodyHandlers.ofFile(dir.resolve("downloaded.zip")));

    assertThat(download.statusCode()).isEqualTo(200);
    assertThat(Files.size(download.body())).isEqualTo(Files.size(archive));
    assertThat(sha256(download.body())).as("the downloaded archive's SHA-256").isEqualTo(sha256);
    assertThat(local).as("kept on this disk again").exists();
    assertThat(app.output()).as("the server's output").doesNotContain("OutOfMemoryError").contains("back from the off-site copy at NAS");
    assertThat(app.alive()).as("the server is alive:\n" + app.output()).isTrue();
    assertThat(app.get("/health").statusCode()).isEqualTo(200);
  }

  private static String sha256(Path file) throws Exception {
    MessageDigest digest = MessageDigest.getInstance("SHA-256");
    try (InputStream in = Files.newInputStream(file)) {
      byte[] buffer = new byte[64 * 1024];
      for (int n; (n = in.read(buffer)) != -1; ) {
        digest.update(buffer, 0, n);
      }
    }
    return HexFormat.of().formatHex(digest.digest());
  }
}
