package io.piholecheckpoint.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.piholecheckpoint.testing.InProcessApp;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * SQLite: another connection — another process, a sqlite3 shell, a long writer — holds the catalogue's file locked. After its
 * busy wait the app answers as with PostgreSQL's locks: a write 503 {@code database_busy} with nothing written; with reads
 * stopped too, /health 503 {@code unavailable} "database busy" and /metrics 200 with {@code checkpoint_database_busy 1}.
 */
class SqliteBusyIT {
  /** SQLite's busy wait (5 s) and room for a loaded machine; the lock is held far longer than this. */
  private static final Duration ANSWERED_WITHIN = Duration.ofSeconds(25);
  private static final String GARAGE = "{\"name\":\"Garage\",\"url\":\"http://127.0.0.1:9\",\"password\":\"labpass\"}";

  @TempDir
  Path dir;

  /** BEGIN EXCLUSIVE on a WAL database: reads pass, every write waits for the file's write lock. */
  @Test
  void aWriteWhileAnotherConnectionHoldsTheFileIs503DatabaseBusyAndWritesNothing() throws Exception {
    try (InProcessApp app = InProcessApp.start(dir.resolve("data"), dir.resolve("backups"), Map.of());
         Connection holder = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("data/checkpoint.db"));
         Statement hold = holder.createStatement()) {
      assertThat(app.get("/api/v1/instances").statusCode()).isEqualTo(200);
      hold.execute("BEGIN EXCLUSIVE");

      HttpResponse<String> added = within(app, "POST", "/api/v1/instances", GARAGE);
      HttpResponse<String> listed = within(app, "GET", "/api/v1/instances", null);
      hold.execute("ROLLBACK");

      assertThat(added.statusCode()).as(added.body()).isEqualTo(503);
      assertThat(added.body()).contains("\"database_busy\"").contains("a write waited").contains("nothing was written")
          .doesNotContain("pg_stat_activity");
      assertThat(added.headers().firstValue("Retry-After")).hasValue("5");
      assertThat(listed.statusCode()).as("reads pass a write lock in WAL mode: " + listed.body()).isEqualTo(200);
      assertThat(app.get("/api/v1/instances").body()).as("nothing half-written").doesNotContain("Garage");
      assertThat(app.send("POST", "/api/v1/instances", GARAGE).statusCode()).as("added once the lock is let go").isEqualTo(201);
    }
  }

  /** An exclusive locking mode: the holder keeps the whole file, reads wait too, and the node cannot read its catalogue. */
  @Test
  void healthIsUnavailableSayingBusyAndMetricsSayBusyWhileAnotherConnectionHoldsTheFileForReadsToo() throws Exception {
    try (InProcessApp app = InProcessApp.start(dir.resolve("data"), dir.resolve("backups"), Map.of());
         Connection holder = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("data/checkpoint.db"));
         Statement hold = holder.createStatement()) {
      assertThat(app.get("/health").statusCode()).isEqualTo(200);
      hold.execute("PRAGMA locking_mode=EXCLUSIVE");
      hold.execute("BEGIN EXCLUSIVE");
      hold.execute("UPDATE changelog SET description = description"); // the exclusive lock is taken at the first write

      HttpResponse<String> health = within(app, "GET", "/health", null);
      HttpResponse<String> metrics = within(app, "GET", "/metrics", null);
      HttpResponse<String> listed = within(app, "GET", "/api/v1/instances", null);
      hold.execute("ROLLBACK");
      hold.execute("PRAGMA locking_mode=NORMAL");
      hold.execute("SELECT 1"); // the lock goes at the next access in normal mode

      assertThat(health.statusCode()).as(health.body()).isEqualTo(503);
      assertThat(health.body()).contains("\"status\":\"unavailable\"").contains("database busy");
      assertThat(metrics.statusCode()).as(metrics.body()).isEqualTo(200);
      assertThat(metrics.body()).contains("checkpoint_database_busy 1").contains("checkpoint_database_up 1");
      assertThat(listed.statusCode()).as(listed.body()).isEqualTo(503);
      assertThat(listed.body()).contains("\"database_busy\"").contains("a read waited").doesNotContain("written");
      holder.close();
      assertThat(app.get("/health").statusCode()).as("healthy again once the lock is let go").isEqualTo(200);
    }
  }

  /** A request that fails (HttpTimeoutException) rather than hang with the app: the lock is let go only after it. */
  private static HttpResponse<String> within(InProcessApp app, String method, String path, String json) throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(app.url(path))).timeout(ANSWERED_WITHIN).header("Accept", "application/json");
    request = json == null ? request.GET()
        : request.header("Content-Type", "application/json").method(method, HttpRequest.BodyPublishers.ofString(json));
    try {
      return InProcessApp.HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    } catch (HttpTimeoutException e) {
      throw new AssertionError(method + " " + path + " did not answer within " + ANSWERED_WITHIN.toSeconds() + " s while another connection holds the file", e);
    }
  }
}
