package io.piholecheckpoint.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.piholecheckpoint.testing.FakePihole;
import io.piholecheckpoint.testing.Fixtures;
import io.piholecheckpoint.testing.InProcessApp;
import io.piholecheckpoint.testing.PostgresServer;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * DATABASE_URL moves the catalogue to PostgreSQL: the migration step migrates it, backups are
 * recorded there and read back by the API, the dashboard and /health, no SQLite file appears in
 * DATA_DIR, and the database password is never printed.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PostgresCatalogueIT {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir
  static Path dir;

  private FakePihole home;
  private InProcessApp app;
  private String url;

  @BeforeAll
  void start() throws Exception {
    url = PostgresServer.shared().createDatabase(null);
    home = FakePihole.start("labpass");
    Path password = Files.writeString(dir.resolve("database-password"), PostgresServer.PASSWORD + "\n");
    app = InProcessApp.start(dir.resolve("data"), dir.resolve("backups"), Map.of(
        "DATABASE_URL", url,
        "DATABASE_USER", PostgresServer.USER,
        "DATABASE_PASSWORD_FILE", password.toString(),
        "PIHOLE_HOME_URL", home.url(),
        "PIHOLE_HOME_PASSWORD", "labpass"));
  }

  @AfterAll
  void stop() {
    app.close();
    home.close();
  }

  @Test
  void recordsBackupsInPostgresqlAndServesThemFromThere() throws Exception {
    long id = JSON.readTree(app.get("/api/v1/instances").body()).get("instances").get(0).get("id").asLong();

    HttpResponse<String> backup = app.post("/api/v1/instances/" + id + "/backups?wait=true");

    assertThat(backup.statusCode()).isEqualTo(201);
    JsonNode record = JSON.readTree(backup.body());
    assertThat(record.get("status").asText()).isEqualTo("success");
    assertThat(record.get("size").asLong()).isEqualTo(Fixtures.archiveA().length);
    try (Connection c = DriverManager.getConnection(url, PostgresServer.USER, PostgresServer.PASSWORD); Statement s = c.createStatement();
         ResultSet rows = s.executeQuery("SELECT id, sha256 FROM backup")) {
      assertThat(rows.next()).isTrue();
      assertThat(rows.getLong(1)).isEqualTo(record.get("id").asLong());
      assertThat(rows.getString(2)).isEqualTo(record.get("sha256").asText());
    }
    assertThat(JSON.readTree(app.get("/api/v1/instances/" + id + "/backups").body()).get("backups")).hasSize(1);
    assertThat(app.get("/").statusCode()).isEqualTo(200);
    assertThat(app.get("/instances/" + id).statusCode()).isEqualTo(200);
  }

  @Test
  void healthAsksPostgresql() throws Exception {
    HttpResponse<String> health = app.get("/health");

    assertThat(health.statusCode()).isEqualTo(200);
    JsonNode database = JSON.readTree(health.body()).get("database");
    assertThat(database.get("reachable").asBoolean()).isTrue();
    assertThat(database.get("schemaVersion").asText()).startsWith("2026");
  }

  @Test
  void keepsNoSqliteFileAndNeverPrintsThePassword() {
    assertThat(dir.resolve("data/checkpoint.db")).doesNotExist();
    assertThat(app.output()).contains(url).doesNotContain(PostgresServer.PASSWORD);
  }
}
