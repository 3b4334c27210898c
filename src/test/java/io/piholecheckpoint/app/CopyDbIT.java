package io.piholecheckpoint.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.piholecheckpoint.testing.FakePihole;
import io.piholecheckpoint.testing.InProcessApp;
import io.piholecheckpoint.testing.PostgresServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The way up from one node: the SQLite catalogue of a real run is copied into an empty PostgreSQL
 * database, and the same installation started on it serves the same history and goes on from it.
 */
class CopyDbIT {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir
  Path dir;

  @Test
  void aRunsHistoryIsServedFromPostgresqlAfterTheCopyAndNewRecordsFollowIt() throws Exception {
    Path data = dir.resolve("data");
    Path backups = dir.resolve("backups");
    try (FakePihole home = FakePihole.start("labpass")) {
      Map<String, String> pihole = Map.of("PIHOLE_HOME_URL", home.url(), "PIHOLE_HOME_PASSWORD", "labpass");
      List<JsonNode> before = new ArrayList<>();
      long instance;
      try (InProcessApp sqlite = InProcessApp.start(data, backups, pihole)) {
        instance = JSON.readTree(sqlite.get("/api/v1/instances").body()).get("instances").get(0).get("id").asLong();
        for (int i = 0; i < 3; i++) {
          assertThat(sqlite.post("/api/v1/instances/" + instance + "/backups?wait=true").statusCode()).isEqualTo(201);
        }
        JSON.readTree(sqlite.get("/api/v1/instances/" + instance + "/backups").body()).get("backups").forEach(before::add);
      }
      byte[] file = Files.readAllBytes(data.resolve("checkpoint.db"));
      String url = PostgresServer.shared().createDatabase(null);
      Map<String, String> settings = new HashMap<>(Map.of("DATA_DIR", data.toString(), "BACKUP_DIR", backups.toString(),
          "DATABASE_URL", url, "DATABASE_USER", PostgresServer.USER, "DATABASE_PASSWORD", PostgresServer.PASSWORD));
      List<String> report = new ArrayList<>();

      MigrateCommand.copyDb(settings, report::add);

      assertThat(report).last().asString().startsWith("Copied " + data.resolve("checkpoint.db") + " into " + url)
          .contains("backup=3").contains("instance=1").doesNotContain(PostgresServer.PASSWORD);
      assertThat(Files.readAllBytes(data.resolve("checkpoint.db"))).as("the SQLite file is only read").isEqualTo(file);
      assertThatThrownBy(() -> MigrateCommand.copyDb(settings, report::add)).as("a second copy into the now filled database")
          .hasMessageContaining("is not empty").hasMessageContaining("backup=3").hasMessageContaining("new database");

      Map<String, String> onPostgres = new HashMap<>(pihole);
      onPostgres.putAll(Map.of("DATABASE_URL", url, "DATABASE_USER", PostgresServer.USER, "DATABASE_PASSWORD", PostgresServer.PASSWORD));
      try (InProcessApp postgres = InProcessApp.start(data, backups, onPostgres)) {
        List<JsonNode> after = new ArrayList<>();
        JSON.readTree(postgres.get("/api/v1/instances/" + instance + "/backups").body()).get("backups").forEach(after::add);
        assertThat(after).isEqualTo(before);
        long newest = before.stream().mapToLong(b -> b.get("id").asLong()).max().orElseThrow();
        assertThat(postgres.get("/backups/" + newest + "/download").statusCode()).isEqualTo(200);

        JsonNode next = JSON.readTree(postgres.post("/api/v1/instances/" + instance + "/backups?wait=true").body());

        assertThat(next.get("status").asText()).isEqualTo("success");
        assertThat(next.get("id").asLong()).as("ids go on after the copied ones").isEqualTo(newest + 1);
      }
    }
  }

  @Test
  void theIdOfABackupDeletedBeforeTheCopyIsNeverGivenAgain() throws Exception {
    Path data = dir.resolve("data");
    Path backups = dir.resolve("backups");
    try (FakePihole home = FakePihole.start("labpass")) {
      Map<String, String> pihole = Map.of("PIHOLE_HOME_URL", home.url(), "PIHOLE_HOME_PASSWORD", "labpass");
      long deleted;
      try (InProcessApp sqlite = InProcessApp.start(data, backups, pihole)) {
        sqlite.post("/api/v1/instances/1/backups?wait=true");
        deleted = JSON.readTree(sqlite.post("/api/v1/instances/1/backups?wait=true").body()).get("id").asLong();
        assertThat(sqlite.send("DELETE", "/api/v1/backups/" + deleted, null).statusCode()).isEqualTo(204);
      }
      String url = PostgresServer.shared().createDatabase(null);
      Map<String, String> settings = new HashMap<>(Map.of("DATA_DIR", data.toString(), "BACKUP_DIR", backups.toString(),
          "DATABASE_URL", url, "DATABASE_USER", PostgresServer.USER, "DATABASE_PASSWORD", PostgresServer.PASSWORD));
      MigrateCommand.copyDb(settings, line -> { });

      Map<String, String> onPostgres = new HashMap<>(pihole);
      onPostgres.putAll(Map.of("DATABASE_URL", url, "DATABASE_USER", PostgresServer.USER, "DATABASE_PASSWORD", PostgresServer.PASSWORD));
      try (InProcessApp postgres = InProcessApp.start(data, backups, onPostgres)) {
        JsonNode next = JSON.readTree(postgres.post("/api/v1/instances/1/backups?wait=true").body());

        assertThat(next.get("id").asLong()).as("SQLite gave out %d before it was deleted", deleted).isEqualTo(deleted + 1);
      }
    }
  }

  @Test
  void refusesWithoutDatabaseUrlOrWithoutTheFile() {
    Map<String, String> sqliteOnly = Map.of("DATA_DIR", dir.resolve("data").toString());
    assertThatThrownBy(() -> MigrateCommand.copyDb(sqliteOnly, line -> { }))
        .isInstanceOf(AppConfig.ConfigException.class).hasMessageContaining("set DATABASE_URL");

    Map<String, String> noFile = Map.of("DATA_DIR", dir.resolve("data").toString(), "DATABASE_URL", "jdbc:postgresql://127.0.0.1:1/none");
    assertThatThrownBy(() -> MigrateCommand.copyDb(noFile, line -> { }))
        .isInstanceOf(AppConfig.ConfigException.class).hasMessageContaining("no SQLite catalogue at");
  }

  /** As the server's start does: the missing DATABASE_URL and the missing file in one refusal, not one per run. */
  @Test
  void namesEveryBadSettingItReadsInOneRefusal() {
    Map<String, String> neither = Map.of("DATA_DIR", dir.resolve("data").toString());

    assertThatThrownBy(() -> MigrateCommand.copyDb(neither, line -> { }))
        .isInstanceOf(AppConfig.ConfigException.class).hasMessageContaining("2 settings cannot be used")
        .hasMessageContaining("set DATABASE_URL").hasMessageContaining("no SQLite catalogue at");
  }

  @Test
  void aDamagedCatalogueIsNamedWithWhatToDoAndNothingIsCopied() throws Exception {
    Path data = java.nio.file.Files.createDirectories(dir.resolve("damaged"));
    byte[] garbage = "SQLite format 3\0 but nothing after it is a database".repeat(200).getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    java.nio.file.Files.write(AppConfig.databaseFile(data), garbage);
    String url = PostgresServer.shared().createDatabase(null);
    Map<String, String> settings = Map.of("DATA_DIR", data.toString(), "DATABASE_URL", url, "DATABASE_USER", PostgresServer.USER,
        "DATABASE_PASSWORD", PostgresServer.PASSWORD);

    assertThatThrownBy(() -> MigrateCommand.copyDb(settings, line -> { }))
        .hasMessageContaining(AppConfig.databaseFile(data) + " cannot be read as an SQLite catalogue")
        .hasMessageContaining("nothing was copied").hasMessageContaining("DATA_DIR");
    assertThat(java.nio.file.Files.readAllBytes(AppConfig.databaseFile(data))).isEqualTo(garbage);
  }
}
