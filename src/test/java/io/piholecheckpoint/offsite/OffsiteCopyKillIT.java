package io.piholecheckpoint.offsite;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.piholecheckpoint.testing.Eventually;
import io.piholecheckpoint.testing.FakePihole;
import io.piholecheckpoint.testing.Fixtures;
import io.piholecheckpoint.testing.Gpg;
import io.piholecheckpoint.testing.OffsiteServers;
import io.piholecheckpoint.testing.OffsiteServers.Kind;
import io.piholecheckpoint.testing.OffsiteServers.Server;
import io.piholecheckpoint.testing.RunningApp;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * SIGKILL while a 24 MiB archive is being copied, with the image's 96 MB heap, to S3 (a multipart
 * upload of two parts: 16 MiB and the rest), over SFTP and to WebDAV (rclone's server, which keeps
 * what a cut PUT wrote), each against its real server: nothing shows under the copy's name while it
 * is cut; after the restart the copy resumes by itself, ends verified, and the destination holds it
 * once, with no part or unfinished upload left. (The resumption is the core's, the same for every
 * kind; the directory kind's removal of a dead writer's part is FileDestinationTest's: not repeated
 * here, where each case costs two starts of the app.)
 */
class OffsiteCopyKillIT {
  private static final String PASSPHRASE = "a passphrase for the kill test";
  private static final ObjectMapper JSON = new ObjectMapper();
  @RegisterExtension
  static final OffsiteServers.PerClass servers = new OffsiteServers.PerClass();
  @TempDir
  static Path archiveDir;
  private static byte[] archive;
  @TempDir
  Path dir;

  @BeforeAll
  static void archive() throws Exception {
    archive = withLargeEntry(Fixtures.archiveA(), 24 * 1024 * 1024);
  }

  @ParameterizedTest
  @EnumSource(names = {"S3", "SFTP", "WEBDAV"})
  void aCopyKilledMidwayResumesAfterTheRestartWithoutADuplicate(Kind kind) throws Exception {
    Server server = servers.of(kind);
    String folder = kind.name().toLowerCase();
    Path stored = server.stored(folder);
    Path backups = dir.resolve("backups");
    try (FakePihole pihole = FakePihole.start("", "labpass", archive)) {
      Map<String, String> env = new HashMap<>(server.variables("OFF", folder));
      // the copy resumes at the first off-site run after the restart: at the start, not 10 s later
      env.putAll(Map.of("PIHOLE_HOME_URL", pihole.url(), "PIHOLE_HOME_PASSWORD", "labpass", "BACKUP_ENCRYPTION_PASSPHRASE", PASSPHRASE,
          "JAVA_OPTS", RunningApp.IMAGE_JAVA_OPTS, "OFFSITE_FIRST_RUN_SECONDS", "0"));
      RunningApp app = RunningApp.start(dir.resolve("data"), backups, env);
      try {
        assertThat(app.post("/api/v1/instances/1/backups").statusCode()).isEqualTo(202);
        Eventually.until("the copy is on its way", Duration.ofSeconds(120), () -> !server.unfinished(folder).isEmpty());
        app.kill();
      } finally {
        app.close();
      }
      assertThat(OffsiteServers.files(stored)).as("nothing under a final name").allMatch(f -> f.contains(".part-"));

      try (RunningApp again = RunningApp.start(dir.resolve("data"), backups, env)) {
        Eventually.until("the copy is verified after the restart", Duration.ofSeconds(120),
            () -> json(again.get("/api/v1/backups/1").body()).at("/offsite/0/state").asText().equals("verified"));

        String key = json(again.get("/api/v1/backups/1").body()).at("/offsite/0/remoteKey").asText();
        assertThat(OffsiteServers.files(stored)).containsExactlyInAnyOrderElementsOf(Set.of(key, key + ".json"));
        assertThat(server.unfinished(folder)).as("the killed copy's part or upload is gone").isEmpty();
        new Gpg(dir.resolve("gnupg")).decrypt(stored.resolve(key), dir.resolve("out.zip"), PASSPHRASE);
        assertThat(sha256(Files.readAllBytes(dir.resolve("out.zip")))).isEqualTo(sha256(archive));
        assertThat(json(again.get("/api/v1/offsite").body()).at("/destinations/0/pending").asLong()).isZero();
        assertThat(again.output()).doesNotContain("OutOfMemoryError").doesNotContain(PASSPHRASE);
      }
    }
  }

  /** The fixture with one more entry of random (incompressible) bytes: an archive of about {@code bytes}. */
  private static byte[] withLargeEntry(byte[] archive, int bytes) throws Exception {
    Path original = Files.write(archiveDir.resolve("original.zip"), archive);
    ByteArrayOutputStream out = new ByteArrayOutputStream(bytes + archive.length);
    try (ZipFile in = new ZipFile(original.toFile()); ZipOutputStream zip = new ZipOutputStream(out)) {
      for (ZipEntry e : java.util.Collections.list(in.entries())) {
        zip.putNextEntry(new ZipEntry(e.getName()));
        try (var entry = in.getInputStream(e)) {
          entry.transferTo(zip);
        }
        zip.closeEntry();
      }
      zip.putNextEntry(new ZipEntry("etc/pihole/large.bin"));
      byte[] chunk = new byte[1024 * 1024];
      Random random = new Random(16);
      for (int i = 0; i < bytes / chunk.length; i++) {
        random.nextBytes(chunk);
        zip.write(chunk);
      }
      zip.closeEntry();
    }
    return out.toByteArray();
  }

  private static JsonNode json(String body) throws Exception {
    return JSON.readTree(body);
  }

  private static String sha256(byte[] bytes) throws Exception {
    return java.util.HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
  }
}
