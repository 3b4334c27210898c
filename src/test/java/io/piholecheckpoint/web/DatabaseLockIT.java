package io.piholecheckpoint.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.piholecheckpoint.testing.FakePihole;
import io.piholecheckpoint.testing.InProcessApp;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Another database session holds a lock on a table every page reads (a LOCK TABLE by hand, a long migration): /health and
 * the API answer within their read limit, saying the database is busy, instead of hanging for as long as the lock is held.
 * A lock that lets reads pass but stops writes: a write answers within DATABASE_LOCK_WAIT_SECONDS, busy, with nothing written.
 */
class DatabaseLockIT {
  /** The read limit (10 s) and room for a loaded machine; the lock below is held far longer than this. */
  private static final Duration ANSWERED_WITHIN = Duration.ofSeconds(25);

  @TempDir
  Path dir;

  @Test
  void healthAndTheApiAnswerThatTheDatabaseIsBusyWhileAnotherSessionLocksATable() throws Exception {
    try (AppBesideALock fixture = AppBesideALock.startWithHome(dir)) {
      InProcessApp app = fixture.app();
      assertThat(app.get("/health").statusCode()).isEqualTo(200);
      fixture.lock("instance", "ACCESS EXCLUSIVE");

      // asked side by side under the one lock: each waits out the read limit on a connection of its own, and the test
      // waits for the limit once, not once per request
      CompletableFuture<Timed> apiAsked = CompletableFuture.supplyAsync(() -> timedGet(app, "/api/v1/instances"),
          request -> new Thread(request, "api-under-the-lock").start());
      Timed health = timedGet(app, "/health");
      Timed api = apiAsked.join();
      fixture.letGo();

      assertThat(health.took()).as("/health answered while the lock is held").isLessThan(ANSWERED_WITHIN);
      assertThat(health.response().statusCode()).as("a node that cannot read its catalogue is not healthy: " + health.response().body())
          .isEqualTo(503);
      assertThat(health.response().body()).contains("\"status\":\"unavailable\"").contains("database busy");
      assertThat(api.took()).isLessThan(ANSWERED_WITHIN);
      assertThat(api.response().statusCode()).as(api.response().body()).isEqualTo(503);
      assertThat(api.response().body()).contains("\"database_busy\"");
      assertThat(api.response().headers().firstValue("Retry-After")).hasValue("5");
      assertThat(app.get("/api/v1/instances").statusCode()).as("answered again once the lock is let go").isEqualTo(200);
    }
  }

  /** DATABASE_LOCK_WAIT_SECONDS below the read limit bounds a read's wait for a lock too (README): it says a read waited. */
  @Test
  void aReadRefusedAtALockWaitBelowTheReadLimitSaysAReadWaitedNotAWrite() throws Exception {
    try (AppBesideALock fixture = AppBesideALock.start(dir, Map.of("DATABASE_LOCK_WAIT_SECONDS", "2"))) {
      InProcessApp app = fixture.app();
      assertThat(app.get("/health").statusCode()).isEqualTo(200); // not the list: read once per commit, it would be answered unread
      fixture.lock("instance", "ACCESS EXCLUSIVE"); // reads wait too

      HttpResponse<String> api = getWithin(app, "/api/v1/instances");
      fixture.letGo();

      assertThat(api.statusCode()).as(api.body()).isEqualTo(503);
      assertThat(api.body()).contains("\"database_busy\"").contains("a read waited").doesNotContain("a write").doesNotContain("written");
      assertThat(api.headers().firstValue("Retry-After")).hasValue("5");
    }
  }

  @Test
  void aWriteBlockedByALockAnswersThatTheDatabaseIsBusyWithinTheLockWaitAndWritesNothing() throws Exception {
    try (FakePihole garage = FakePihole.start("labpass");
         AppBesideALock fixture = AppBesideALock.start(dir, Map.of("DATABASE_LOCK_WAIT_SECONDS", "2"))) {
      InProcessApp app = fixture.app();
      String garageJson = "{\"name\":\"Garage\",\"url\":\"" + garage.url() + "\",\"password\":\"labpass\"}";
      assertThat(app.get("/api/v1/instances").statusCode()).isEqualTo(200);
      fixture.lock("instance", "SHARE"); // reads pass, writes wait

      Instant asked = Instant.now();
      HttpResponse<String> added = sendWithin(app, "POST", "/api/v1/instances", garageJson);
      Duration took = Duration.between(asked, Instant.now());
      HttpResponse<String> listed = getWithin(app, "/api/v1/instances");
      fixture.letGo();

      assertThat(took).as("answered within the lock wait, not when the lock was let go").isLessThan(ANSWERED_WITHIN);
      assertThat(added.statusCode()).as(added.body()).isEqualTo(503);
      assertThat(added.body()).contains("\"database_busy\"").contains("nothing was written");
      assertThat(added.headers().firstValue("Retry-After")).hasValue("5");
      assertThat(listed.statusCode()).as("reads pass this lock").isEqualTo(200);
      assertThat(app.get("/api/v1/instances").body()).as("nothing half-written").doesNotContain("Garage");
      assertThat(app.send("POST", "/api/v1/instances", garageJson).statusCode()).as("added once the lock is let go").isEqualTo(201);
    }
  }

  private static HttpResponse<String> sendWithin(InProcessApp app, String method, String path, String json) throws Exception {
    try {
      return InProcessApp.HTTP.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(app.url(path))).timeout(ANSWERED_WITHIN)
          .header("Accept", "application/json").header("Content-Type", "application/json")
          .method(method, java.net.http.HttpRequest.BodyPublishers.ofString(json)).build(), HttpResponse.BodyHandlers.ofString());
    } catch (java.net.http.HttpTimeoutException e) {
      throw new AssertionError(method + " " + path + " did not answer within " + ANSWERED_WITHIN.toSeconds() + " s while another session locks a table", e);
    }
  }

  private record Timed(HttpResponse<String> response, Duration took) {
  }

  /** {@link #getWithin}, and how long it took to answer. */
  private static Timed timedGet(InProcessApp app, String path) {
    Instant asked = Instant.now();
    try {
      HttpResponse<String> response = getWithin(app, path);
      return new Timed(response, Duration.between(asked, Instant.now()));
    } catch (Exception e) {
      throw new CompletionException(e);
    }
  }

  /** A request that fails (HttpTimeoutException) rather than hang with the app: the lock is let go only after both. */
  private static HttpResponse<String> getWithin(InProcessApp app, String path) throws Exception {
    try {
      return InProcessApp.HTTP.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(app.url(path))).timeout(ANSWERED_WITHIN).GET().build(),
          HttpResponse.BodyHandlers.ofString());
    } catch (java.net.http.HttpTimeoutException e) {
      throw new AssertionError(path + " did not answer within " + ANSWERED_WITHIN.toSeconds() + " s while another session locks a table", e);
    }
  }
}
