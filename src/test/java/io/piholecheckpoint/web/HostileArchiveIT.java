package io.piholecheckpoint.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.piholecheckpoint.core.archive.scratch.ScratchDirectory;
import io.piholecheckpoint.testing.ExclusiveTurn;
import io.piholecheckpoint.testing.FakePihole;
import io.piholecheckpoint.testing.HostileArchives;
import io.piholecheckpoint.testing.MadeOnce;
import io.piholecheckpoint.testing.RunningApp;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Issue 12 against the real server with the image's JVM options (96 MB heap, 256 KiB stacks, exit on
 * OutOfMemoryError): an archive of 1,000,000 domains is imported and backed up, and each hostile
 * archive is a 4xx or a failed backup within 30 s, with nothing left on disk and the server still up.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public class HostileArchiveIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String IMPORT = "/api/v1/instances/1/backups/import";
  private static final int MILLION = 1_000_000;

  @TempDir
  static Path dir;

  private Path backups;
  private Path tmp;
  private byte[] million;
  private Path bomb;
  private FakePihole millionPihole;
  private FakePihole bombPihole;
  private RunningApp app;
  private ExclusiveTurn turn;

  @BeforeAll
  void start() throws Exception {
    million = Files.readAllBytes(MadeOnce.archive("hostile-million-" + MILLION, HostileArchives.class,
        work -> HostileArchives.archive(work.resolve("million.zip"), HostileArchives.gravityWithDomains(work.resolve("million.db"), MILLION))));
    bomb = MadeOnce.archive("hostile-bomb-1GiB-32KiB", HostileArchives.class, work -> HostileArchives.lyingBomb(work.resolve("bomb.zip"), 1L << 30, 32_768));
    millionPihole = FakePihole.start("", "labpass", million);
    bombPihole = FakePihole.start("", "labpass", Files.readAllBytes(bomb));
    backups = dir.resolve("backups");
    tmp = Files.createDirectories(dir.resolve("tmp"));
    app = RunningApp.start(dir.resolve("data"), backups, Map.of(
        // the image's JVM options, and the JVM's temporary folder pointed where the test can look
        "JAVA_OPTS", RunningApp.IMAGE_JAVA_OPTS + " -Djava.io.tmpdir=" + tmp, "TMPDIR", tmp.toString(), "SQLITE_TMPDIR", tmp.toString(),
        "PIHOLE_HOME_URL", "http://127.0.0.1:9",
        "PIHOLE_MILLION_URL", millionPihole.url(), "PIHOLE_MILLION_PASSWORD", "labpass",
        "PIHOLE_BOMB_URL", bombPihole.url(), "PIHOLE_BOMB_PASSWORD", "labpass"));
    // the archives are made and the app started (idle until a test calls it) while the other class may hold the turn
    turn = ExclusiveTurn.take("million-domains");
  }

  @AfterAll
  void stop() throws Exception {
    try {
      assertThat(app.get("/health").statusCode()).as("the server is still up").isEqualTo(200);
      Path scratch = backups.resolve(ScratchDirectory.NAME);
      assertThat(filesIn(scratch)).as("no temporary copy is left behind, only list indexes of archives that were read and kept diffs")
          .allMatch(p -> p.getParent().equals(scratch.resolve(ScratchDirectory.LIST_INDEXES)) && p.getFileName().toString().matches("[0-9a-f]{64}\\.db")
              || p.getParent().equals(scratch.resolve(ScratchDirectory.DIFFS)) && p.getFileName().toString().matches("[0-9a-f]{64}-[0-9a-f]{64}\\.db"));
      assertThat(filesIn(tmp)).as("nothing but SQLite's native library is written to the system's temporary folder")
          .allMatch(p -> p.getFileName().toString().contains("sqlite"));
    } finally {
      app.close();
      millionPihole.close();
      bombPihole.close();
      if (turn != null) {
        turn.close();
      }
    }
  }

  private static Stream<Path> filesIn(Path folder) throws Exception {
    try (Stream<Path> files = Files.walk(folder)) {
      return files.filter(Files::isRegularFile).toList().stream();
    }
  }

  private long idOf(String name) throws Exception {
    for (JsonNode instance : JSON.readTree(app.get("/api/v1/instances").body()).get("instances")) {
      if (instance.get("name").asText().equals(name)) {
        return instance.get("id").asLong();
      }
    }
    throw new AssertionError("no instance " + name);
  }

  @Test
  void importsAnArchiveOfAMillionDomains() throws Exception {
    HttpResponse<String> response = app.upload(IMPORT, "file", "million.zip", million);

    assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
    assertThat(JSON.readTree(response.body()).at("/summary/denyExact").asInt()).isEqualTo(MILLION);
  }

  @Test
  void backsUpAPiholeOfAMillionDomains() throws Exception {
    HttpResponse<String> response = app.post("/api/v1/instances/" + idOf("Million") + "/backups?wait=true");

    assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
    JsonNode backup = JSON.readTree(response.body());
    assertThat(backup.get("status").asText()).isEqualTo("success");
    assertThat(backup.at("/summary/denyExact").asInt()).isEqualTo(MILLION);
  }

  @Test
  void recordsABackupOfAPiholeServingAZipBombAsFailedAndSaysWhy() throws Exception {
    HttpResponse<String> response = assertTimeoutPreemptively(Duration.ofSeconds(30),
        () -> app.post("/api/v1/instances/" + idOf("Bomb") + "/backups?wait=true"));

    assertThat(response.statusCode()).isEqualTo(502);
    JsonNode failed = JSON.readTree(app.get("/api/v1/instances/" + idOf("Bomb") + "/backups").body()).get("backups").get(0);
    assertThat(failed.get("status").asText()).isEqualTo("failed");
    assertThat(failed.get("error").asText()).contains("etc/pihole/gravity.db").contains("ZIP bomb");
  }

  Stream<Arguments> hostileArchives() throws Exception {
    Path made = Files.createDirectories(dir.resolve("hostile"));
    return Stream.of(
        Arguments.of("a gravity.db that inflates to 1 GiB behind a 32 KiB header", Files.readAllBytes(bomb), "ZIP bomb"),
        Arguments.of("a pihole.toml of 300 MiB", Files.readAllBytes(MadeOnce.archive("hostile-toml-300MiB", HostileArchives.class,
            work -> HostileArchives.hugeConfig(work.resolve("toml.zip"), 300))), "pihole.toml unpacks to more than 2 MiB"),
        Arguments.of("a pihole.toml nested 100,000 levels deep", HostileArchives.deeplyNestedConfig(100_000), "levels deep"),
        Arguments.of("a domainlist VIEW of 50,000,000 rows", Files.readAllBytes(HostileArchives.archive(made.resolve("view.zip"),
            HostileArchives.gravityWithViewDomainlist(made.resolve("view.db"), 50_000_000))), "as a view, not a table"),
        Arguments.of("a domainlist VIEW that never ends", Files.readAllBytes(HostileArchives.archive(made.resolve("endless.zip"),
            HostileArchives.gravityWithViewDomainlist(made.resolve("endless.db"), -1))), "as a view, not a table"),
        Arguments.of("5,000 entries", HostileArchives.manyEntries(5_000), "entries"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("hostileArchives")
  void refusesAHostileImportWithA422Within30Seconds(String what, byte[] archive, String message) throws Exception {
    HttpResponse<String> response = assertTimeoutPreemptively(Duration.ofSeconds(30), () -> app.upload(IMPORT, "file", "hostile.zip", archive));

    assertThat(response.statusCode()).as(response.body()).isEqualTo(422);
    assertThat(JSON.readTree(response.body()).at("/error/message").asText()).contains(message);
    assertThat(app.get("/health").statusCode()).isEqualTo(200);
  }
}
