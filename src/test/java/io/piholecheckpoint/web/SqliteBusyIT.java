package io.piholecheckpoint.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.piholecheckpoint.testing.HttpAgent;
import io.piholecheckpoint.testing.InProcessApp;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * SQLite: another connection — another process, a sqlite3 shell, a long writer — holds the catalogue's file locked. After its
 * busy wait the app answers as with PostgreSQL's locks: a write 503 {@code database_busy} with nothing written, not a 500.
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
    try (AppAndHolder held = AppAndHolder.start(dir, Map.of())) {
      InProcessApp app = held.app();
      assertThat(app.get("/api/v1/instances").statusCode()).isEqualTo(200);
      held.holdTheFile();

      HttpResponse<String> added = within(app, "POST", "/api/v1/instances", GARAGE);
      HttpResponse<String> listed = within(app, "GET", "/api/v1/instances", null);
      held.letGo();

      assertThat(added.statusCode()).as(added.body()).isEqualTo(503);
      assertThat(added.body()).contains("\"database_busy\"").contains("a write waited").contains("nothing was written")
          .doesNotContain("pg_stat_activity");
      assertThat(added.headers().firstValue("Retry-After")).hasValue("5");
      assertThat(listed.statusCode()).as("reads pass a write lock in WAL mode: " + listed.body()).isEqualTo(200);
      assertThat(app.get("/api/v1/instances").body()).as("nothing half-written").doesNotContain("Garage");
      assertThat(app.send("POST", "/api/v1/instances", GARAGE).statusCode()).as("added once the lock is let go").isEqualTo(201);
    }
  }

  /**
   * WAL: a writer's lock stops no read, so the node still reads its catalogue — /health, /metrics and the lists answer as
   * with PostgreSQL's SHARE lock (reads pass, writes wait), not as busy. (A file held for reads too, which SQLite grants
   * another connection only while none of the app's is open, is answered busy: BusySessionsTest, DatabaseProbeBusyTest.)
   */
  @Test
  void readsHealthAndMetricsGoOnAnsweringWhileAnotherConnectionHoldsTheWriteLock() throws Exception {
    try (AppAndHolder held = AppAndHolder.start(dir, Map.of())) {
      InProcessApp app = held.app();
      assertThat(app.get("/health").statusCode()).isEqualTo(200);
      held.holdTheFile();

      HttpResponse<String> health = within(app, "GET", "/health", null);
      HttpResponse<String> metrics = within(app, "GET", "/metrics", null);
      held.letGo();

      assertThat(health.statusCode()).as(health.body()).isEqualTo(200);
      assertThat(metrics.statusCode()).as(metrics.body()).isEqualTo(200);
      assertThat(metrics.body()).contains("checkpoint_database_busy 0").contains("checkpoint_database_up 1");
    }
  }

  /**
   * A sign-in while another connection holds the file: its session cannot be written, so the person gets the styled 503 page
   * saying the database is busy (an outsider got a 500 "Something went wrong on our side"), and can sign in once it is let go.
   */
  @Test
  void aSignInWhileAnotherConnectionHoldsTheFileIsA503PageNotA500() throws Exception {
    String password = "correct horse battery";
    try (AppAndHolder held = AppAndHolder.start(dir, Map.of("APP_PASSWORD", password))) {
      InProcessApp app = held.app();
      HttpAgent browser = new HttpAgent(app);
      assertThat(browser.get("/login").statusCode()).isEqualTo(200);
      held.holdTheFile();

      HttpResponse<String> refused = browser.postForm("/login", Map.of("password", password, "_csrf", browser.csrfToken()));
      held.letGo();

      assertThat(refused.statusCode()).as(refused.body()).isEqualTo(503);
      assertThat(refused.body()).contains("The database is busy").doesNotContain("Something went wrong");
      HttpResponse<String> signedIn = browser.postForm("/login", Map.of("password", password, "_csrf", browser.csrfToken()));
      assertThat(signedIn.statusCode()).as("signed in once the lock is let go: " + signedIn.body()).isEqualTo(303);
    }
  }

  /** The app on its SQLite file, and another connection to that file, which holds it between {@link #holdTheFile} and {@link #letGo}. */
  private record AppAndHolder(InProcessApp app, Connection holder, Statement hold) implements AutoCloseable {
    static AppAndHolder start(Path dir, Map<String, String> env) throws Exception {
      InProcessApp app = InProcessApp.start(dir.resolve("data"), dir.resolve("backups"), env);
      try {
        Connection holder = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("data/checkpoint.db"));
        return new AppAndHolder(app, holder, holder.createStatement());
      } catch (SQLException | RuntimeException e) {
        app.close();
        throw e;
      }
    }

    void holdTheFile() throws SQLException {
      hold.execute("BEGIN EXCLUSIVE");
    }

    void letGo() throws SQLException {
      hold.execute("ROLLBACK");
    }

    /** The statement, the connection, then the app, each even when one before it fails to close. */
    @Override
    public void close() throws SQLException {
      try (app; holder) {
        hold.close();
      }
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
