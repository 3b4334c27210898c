package io.piholecheckpoint.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.piholecheckpoint.testing.Eventually;
import io.piholecheckpoint.testing.FakePihole;
import io.piholecheckpoint.testing.InProcessApp;
import io.piholecheckpoint.testing.PostgresServer;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The PostgreSQL server restarted while a manual backup runs, its end due while the server is down: the end is written once
 * the server is back, so the job says done (not "running" for ever, which refused every next backup as "already running"),
 * with one record of the run, and the next backup is taken.
 */
class DatabaseRestartIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration PATIENCE = Duration.ofSeconds(90);

  @TempDir
  Path dir;

  @Test
  void aBackupWhoseEndFallsInADatabaseRestartIsRecordedOnceAndItsJobEnds() throws Exception {
    try (PostgresServer postgres = PostgresServer.own(); FakePihole home = FakePihole.start("labpass")) {
      Path password = Files.writeString(dir.resolve("database-password"), PostgresServer.PASSWORD + "\n");
      String url = postgres.createDatabase(null);
      try (InProcessApp app = InProcessApp.start(dir.resolve("data"), dir.resolve("backups"), Map.of(
          "DATABASE_URL", url, "DATABASE_USER", PostgresServer.USER, "DATABASE_PASSWORD_FILE", password.toString(),
          "PIHOLE_HOME_URL", home.url(), "PIHOLE_HOME_PASSWORD", "labpass", "PIHOLE_RETRIES", "0"))) {
        long id = JSON.readTree(app.get("/api/v1/instances").body()).get("instances").get(0).get("id").asLong();
        FakePihole.Hold hold = home.holdExports();
        HttpResponse<String> asked = app.post("/api/v1/instances/" + id + "/backups");
        assertThat(asked.statusCode()).as(asked.body()).isEqualTo(202);
        String job = JSON.readTree(asked.body()).get("job").get("id").asText();
        assertThat(hold.awaitStarted()).isTrue();

        // the server goes down under the running backup, which then ends while it is down
        postgres.halt();
        hold.release();
        Eventually.until("the backup tried to record its end", PATIENCE, () -> app.output().contains("Could not record the end (success) of the backup")
            || app.output().contains("of Pi-hole 'Home' could not run"));
        postgres.resume();

        Eventually.until("the job ended", PATIENCE, () -> {
          HttpResponse<String> seen = app.get("/api/v1/jobs/" + job);
          return seen.statusCode() == 200 && JSON.readTree(seen.body()).get("state").asText().matches("done|failed");
        });
        JsonNode ended = JSON.readTree(app.get("/api/v1/jobs/" + job).body());
        assertThat(ended.get("state").asText()).as(ended.toString()).isEqualTo("done");
        assertThat(count(postgres, url, "SELECT COUNT(*) FROM backup")).as("the run recorded once").isEqualTo(1);
        assertThat(count(postgres, url, "SELECT COUNT(*) FROM backup WHERE status = 'SUCCESS'")).isEqualTo(1);
        HttpResponse<String> again = app.post("/api/v1/instances/" + id + "/backups?wait=true");
        assertThat(again.statusCode()).as("not refused as already running: " + again.body()).isEqualTo(201);
      }
    }
  }

  private static long count(PostgresServer postgres, String url, String query) throws SQLException {
    try (Connection c = DriverManager.getConnection(url, PostgresServer.USER, PostgresServer.PASSWORD); Statement s = c.createStatement();
         ResultSet r = s.executeQuery(query)) {
      r.next();
      return r.getLong(1);
    }
  }
}
