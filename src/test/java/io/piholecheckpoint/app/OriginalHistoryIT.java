package io.piholecheckpoint.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.piholecheckpoint.testing.Fixtures;
import io.piholecheckpoint.testing.InProcessApp;
import io.piholecheckpoint.testing.OriginalCheckpoint;
import io.piholecheckpoint.testing.RawHttp;
import io.piholecheckpoint.testing.RunningApp;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Started on the volumes of Pi-hole Checkpoint 1.x, the migration step carries its history over:
 * its Pi-hole with its schedule and retention, every record in its state, archives where they were.
 */
class OriginalHistoryIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  /**
   * No catch-up backup joins the history while it is looked at; {@code PIHOLE_HOME_TIME} named unset (null), so that the
   * schedule is the original's, not the one {@code testing.AwayFromNow} gives an env instance without a schedule setting.
   */
  private static final Map<String, String> ENV = env();

  private static Map<String, String> env() {
    Map<String, String> env = new java.util.HashMap<>();
    env.put("PIHOLE_HOME_URL", "http://127.0.0.1:9");
    env.put("PIHOLE_HOME_ACTIVE", "false");
    env.put("PIHOLE_HOME_TIME", null);
    return java.util.Collections.unmodifiableMap(env);
  }

  @TempDir
  Path dir;

  private record Original(String good, String manual, String missing, String altered, String unchanged, String originalSha256) {
  }

  private Original buildOriginal() throws Exception {
    byte[] a = Fixtures.archiveA();
    byte[] b = Fixtures.archiveB();
    try (OriginalCheckpoint original = OriginalCheckpoint.create(dir.resolve("data"), dir.resolve("backups"))) {
      long home = original.instance("Home", "HOME", "weekly", "04:30:00", 2, 20, 60, true);
      String good = original.success(home, "Home", Instant.parse("2025-01-05T03:00:00Z"), false, a);
      original.failure(home, Instant.parse("2025-01-06T03:00:00Z"), true, "Connection refused: https://192.168.1.2/api/auth");
      String manual = original.success(home, "Home", Instant.parse("2025-01-07T12:34:56Z"), true, b);
      String missing = original.success(home, "Home", Instant.parse("2025-01-08T03:00:00Z"), false, a);
      Files.delete(dir.resolve("backups").resolve(missing));
      String altered = original.success(home, "Home", Instant.parse("2025-01-09T03:00:00Z"), false, b);
      byte[] changed = b.clone();
      changed[changed.length / 2] ^= 0x55;
      Files.write(dir.resolve("backups").resolve(altered), changed);
      String unchanged = original.success(home, "Home", Instant.parse("2025-01-10T03:00:00Z"), false, a);
      original.close();
      return new Original(good, manual, missing, altered, unchanged, OriginalCheckpoint.sha256(original.database()));
    }
  }

  @Test
  void theOriginalsHistoryIsCarriedOverOnceAndItsDatabaseIsOnlyRead() throws Exception {
    Original original = buildOriginal();
    Path db = dir.resolve("data/db.sqlite3");

    List<JsonNode> first;
    try (InProcessApp app = InProcessApp.start(dir.resolve("data"), dir.resolve("backups"), ENV)) {
      assertThat(app.output()).contains("imported 6 backups of 1 Pi-hole from Pi-hole Checkpoint 1.x");
      JsonNode instances = JSON.readTree(app.get("/api/v1/instances").body()).get("instances");
      assertThat(instances).hasSize(1);
      JsonNode home = instances.get(0);
      assertThat(home.get("envPrefix").asText()).isEqualTo("HOME");
      assertThat(home.get("schedule").asText()).containsIgnoringCase("Wednesday").contains("04:30");
      assertThat(home.get("maxBackups").asInt()).isEqualTo(20);
      assertThat(home.get("maxAgeDays").asInt()).isEqualTo(60);
      first = history(app, home.get("id").asLong());

      assertThat(first).extracting(b -> b.get("createdAt").asText()).containsExactly("2025-01-10T03:00:00Z", "2025-01-09T03:00:00Z",
          "2025-01-08T03:00:00Z", "2025-01-07T12:34:56Z", "2025-01-06T03:00:00Z", "2025-01-05T03:00:00Z");
      JsonNode unchanged = first.get(0);
      JsonNode altered = first.get(1);
      JsonNode missing = first.get(2);
      JsonNode manual = first.get(3);
      JsonNode failed = first.get(4);
      JsonNode good = first.get(5);

      assertThat(good.get("status").asText()).isEqualTo("success");
      assertThat(good.get("trigger").asText()).isEqualTo("scheduled");
      assertThat(good.get("fileName").asText()).isEqualTo(original.good());
      assertThat(good.get("summary").get("adlists").asInt()).as("inspected like any archive").isEqualTo(2);
      assertThat(downloadSha256(app, good)).isEqualTo(OriginalCheckpoint.sha256(Fixtures.archiveA()));

      assertThat(failed.get("status").asText()).isEqualTo("failed");
      assertThat(failed.get("trigger").asText()).isEqualTo("manual");
      assertThat(failed.get("error").asText()).contains("Connection refused: https://192.168.1.2/api/auth");

      assertThat(manual.get("trigger").asText()).isEqualTo("manual");
      assertThat(manual.get("fileName").asText()).isEqualTo(original.manual());
      assertThat(downloadSha256(app, manual)).isEqualTo(OriginalCheckpoint.sha256(Fixtures.archiveB()));

      assertThat(missing.get("fileMissing").asBoolean()).isTrue();
      assertThat(missing.get("verifyError").asText()).contains(original.missing()).contains("was not in");
      assertThat(missing.get("downloadUrl").isNull()).isTrue();

      assertThat(altered.get("fileMissing").asBoolean()).isFalse();
      assertThat(altered.get("verifyError").asText()).contains("changed after Pi-hole Checkpoint 1.x wrote it");
      assertThat(altered.get("sha256").asText()).as("what the original recorded").isEqualTo(OriginalCheckpoint.sha256(Fixtures.archiveB()));

      assertThat(unchanged.get("verifyError").isNull()).isTrue();
      assertThat(downloadSha256(app, unchanged)).isEqualTo(OriginalCheckpoint.sha256(Fixtures.archiveA()));

      assertThat(app.get("/settings").body()).contains("Imported 6 backups of 1 Pi-hole from Pi-hole Checkpoint 1.x");
      var page = app.get("/instances/" + home.get("id").asLong());
      assertThat(page.statusCode()).isEqualTo(200);
      assertThat(page.body()).contains("Connection refused: https://192.168.1.2/api/auth").contains(original.missing());
      assertThat(app.output()).doesNotContain("foreign");
    }

    try (InProcessApp again = InProcessApp.start(dir.resolve("data"), dir.resolve("backups"), ENV)) {
      long id = JSON.readTree(again.get("/api/v1/instances").body()).get("instances").get(0).get("id").asLong();
      assertThat(JSON.readTree(again.get("/api/v1/instances").body()).get("instances")).hasSize(1);
      assertThat(history(again, id)).extracting(b -> b.get("id").asLong())
          .containsExactlyElementsOf(first.stream().map(b -> b.get("id").asLong()).toList());
      assertThat(again.output()).doesNotContain("imported 6 backups");
    }

    assertThat(OriginalCheckpoint.sha256(db)).as("the original's database, byte for byte").isEqualTo(original.originalSha256());
    try (Stream<Path> files = Files.list(dir.resolve("data"))) {
      assertThat(files.map(p -> p.getFileName().toString())).noneMatch(n -> n.startsWith("db.sqlite3-"));
    }
    try (Stream<Path> files = Files.list(dir.resolve("backups"))) {
      assertThat(files.map(p -> p.getFileName().toString())).as("archives stay under their names")
          .contains(original.good(), original.manual(), original.altered(), original.unchanged());
    }
  }

  /** A link planted under an archive's name, before the import or after it, never serves what it points at. */
  @Test
  void aDownloadNeverFollowsASymbolicLinkInTheBackupDirectory() throws Exception {
    Path key = dir.resolve("data/field-encryption.key");
    String planted;
    String swapped;
    try (OriginalCheckpoint original = OriginalCheckpoint.create(dir.resolve("data"), dir.resolve("backups"))) {
      long home = original.instance("Home", "HOME", "daily", "03:00:00", 0, 20, 60, true);
      planted = original.success(home, "Home", Instant.parse("2025-01-05T03:00:00Z"), false, Fixtures.archiveA());
      swapped = original.success(home, "Home", Instant.parse("2025-01-06T03:00:00Z"), false, Fixtures.archiveB());
    }
    Files.delete(dir.resolve("backups").resolve(planted));
    Files.createSymbolicLink(dir.resolve("backups").resolve(planted), key);

    try (InProcessApp app = InProcessApp.start(dir.resolve("data"), dir.resolve("backups"), ENV)) {
      assertThat(key).exists();
      long instance = JSON.readTree(app.get("/api/v1/instances").body()).get("instances").get(0).get("id").asLong();
      List<JsonNode> backups = history(app, instance);
      JsonNode link = backups.stream().filter(b -> b.get("fileName").asText().equals(planted)).findFirst().orElseThrow();
      JsonNode good = backups.stream().filter(b -> b.get("fileName").asText().equals(swapped)).findFirst().orElseThrow();
      assertThat(link.get("fileMissing").asBoolean()).isTrue();
      assertThat(link.get("downloadUrl").isNull()).isTrue();
      String goodUrl = good.get("downloadUrl").asText();
      Files.move(dir.resolve("backups").resolve(swapped), dir.resolve("elsewhere.zip"));
      Files.createSymbolicLink(dir.resolve("backups").resolve(swapped), key);

      for (String path : List.of("/backups/" + link.get("id").asLong() + "/download", goodUrl)) {
        RawHttp.Answer answer = RawHttp.exchange(app.port(), "GET " + path + " HTTP/1.1\nHost: 127.0.0.1\nConnection: close", "");

        assertThat(answer.status()).as(path).isEqualTo(404);
        assertThat(answer.body()).as(path).doesNotContain(Files.readString(key, java.nio.charset.StandardCharsets.ISO_8859_1));
      }
    }
  }

  /** Two containers on one volume, or a restart loop: the second step waits for the first's import, then has nothing to do. */
  @Test
  void twoMigrationStepsStartedAtOnceImportOnceAndWithoutAnError() throws Exception {
    try (OriginalCheckpoint original = OriginalCheckpoint.create(dir.resolve("data"), dir.resolve("backups"))) {
      long home = original.instance("Home", "HOME", "daily", "03:00:00", 0, 20, 60, true);
      for (int i = 0; i < 3_000; i++) {
        original.failure(home, Instant.parse("2025-01-05T03:00:00Z").plusSeconds(60L * i), false, "unreachable " + i);
      }
    }
    Map<String, String> env = Map.of("PIHOLE_HOME_URL", "http://127.0.0.1:9");

    List<java.util.concurrent.CompletableFuture<RunningApp.Exit>> steps = new ArrayList<>();
    for (int i = 0; i < 2; i++) {
      steps.add(java.util.concurrent.CompletableFuture.supplyAsync(() -> {
        try {
          return RunningApp.runToExit("migrate", dir.resolve("data"), dir.resolve("backups"), env);
        } catch (Exception e) {
          throw new IllegalStateException(e);
        }
      }));
    }
    List<RunningApp.Exit> exits = new ArrayList<>();
    for (var step : steps) {
      exits.add(step.get());
    }

    String both = exits.get(0).output() + exits.get(1).output();
    assertThat(exits).allSatisfy(e -> assertThat(e.code()).as(e.output()).isZero());
    assertThat(both).doesNotContain("ERROR").doesNotContain("SQLITE_CONSTRAINT").doesNotContain("nothing more to import");
    assertThat(both.split("imported 3,000 backups of 1 Pi-hole", -1)).as(both).hasSize(2);
  }

  /** Started with no locale (env -i: the JVM's file names are ASCII), a record naming "ü" is skipped alone, never the import. */
  @Test
  void underAnAsciiLocaleARecordWhoseFileNameItCannotHoldIsSkippedAndTheRestImported() throws Exception {
    String umlaut = "pihole_checkpoint_küche_20250105_030000_0000000a.zip";
    try (OriginalCheckpoint original = OriginalCheckpoint.create(dir.resolve("data"), dir.resolve("backups"))) {
      long home = original.instance("Küche", "KITCHEN", "daily", "03:00:00", 0, 20, 60, true);
      Files.write(dir.resolve("backups").resolve(umlaut), Fixtures.archiveA());
      original.record(home, umlaut, "/app/backups/" + umlaut, 1, OriginalCheckpoint.sha256(Fixtures.archiveA()), "success", "", false,
          Instant.parse("2025-01-05T03:00:00Z"));
      original.failure(home, Instant.parse("2025-01-06T03:00:00Z"), false, "after it");
    }
    // chosen by the user: with no locale at all, entrypoint.sh now runs the JVMs under C.UTF-8
    Map<String, String> asciiLocale = new java.util.HashMap<>();
    asciiLocale.put("LANG", "C");
    asciiLocale.put("LC_ALL", null);
    asciiLocale.put("LC_CTYPE", null);

    RunningApp.Exit first = RunningApp.runToExit("migrate", dir.resolve("data"), dir.resolve("backups"), asciiLocale);
    RunningApp.Exit second = RunningApp.runToExit("migrate", dir.resolve("data"), dir.resolve("backups"), asciiLocale);

    assertThat(first.code()).as(first.output()).isZero();
    assertThat(first.output()).contains("backup record 1 names a file this system cannot name").contains("LANG=C.UTF-8")
        .contains("imported 1 backup of 1 Pi-hole from Pi-hole Checkpoint 1.x (1 record skipped, each named above: 1 with a file name this system's locale cannot hold");
    assertThat(second.code()).isZero();
    assertThat(second.output()).doesNotContain("cannot name").doesNotContain("imported");
  }

  private static List<JsonNode> history(InProcessApp app, long instanceId) throws Exception {
    List<JsonNode> backups = new ArrayList<>();
    JSON.readTree(app.get("/api/v1/instances/" + instanceId + "/backups?limit=100").body()).get("backups").forEach(backups::add);
    return backups;
  }

  private static String downloadSha256(InProcessApp app, JsonNode backup) throws Exception {
    var response = app.download(backup.get("downloadUrl").asText());
    assertThat(response.statusCode()).isEqualTo(200);
    return OriginalCheckpoint.sha256(response.body());
  }
}
