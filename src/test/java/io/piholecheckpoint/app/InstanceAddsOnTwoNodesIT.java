package io.piholecheckpoint.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.piholecheckpoint.testing.InProcessApp;
import io.piholecheckpoint.testing.PostgresServer;
import io.piholecheckpoint.testing.ServedApp;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two nodes on one PostgreSQL with many Pi-holes, each with its pool of 12 connections, taking many adds at once through
 * the API: every add answers 201. When each add planned every instance's schedule again, a few hundred adds at once
 * drained the pools and an add that was saved could answer 503 database_busy when it read the instance back.
 */
class InstanceAddsOnTwoNodesIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int INSTANCES = 200;
  private static final int ADDS = 140;

  @TempDir
  Path dir;

  private final List<InProcessApp> nodes = new ArrayList<>();

  @AfterEach
  void stop() {
    nodes.forEach(InProcessApp::close);
  }

  @Test
  void manyAddsAtOnceOnTwoNodesEachAnswer201() throws Exception {
    String url = PostgresServer.shared().createDatabase(null);
    Map<String, String> env = new HashMap<>();
    for (int i = 0; i < INSTANCES; i++) {
      env.put("PIHOLE_P" + i + "_URL", "http://p" + i + ".lan");
      env.put("PIHOLE_P" + i + "_PASSWORD", "labpass");
    }
    InProcessApp a = node("a", url, env);
    InProcessApp b = node("b", url, env);

    // as many at once on each node as it reads bodies at once (10, the launcher's BodyReadingLimit): more would wait for a
    // turn and, on a loaded machine, be refused 503 after 20 s by design; 10 adds at once per node still outnumber what
    // each add's own reads leave of a 12-connection pool
    Map<ServedApp, Semaphore> turns = Map.of(a, new Semaphore(10), b, new Semaphore(10));
    List<CompletableFuture<HttpResponse<String>>> adds = new ArrayList<>();
    for (int i = 0; i < ADDS; i++) {
      ServedApp node = i % 2 == 0 ? a : b;
      Semaphore turn = turns.get(node);
      turn.acquire();
      String body = JSON.createObjectNode().put("name", "Lab " + i).put("url", "http://lab-" + i + ".lan").put("password", "labpass").toString();
      adds.add(ServedApp.HTTP.sendAsync(HttpRequest.newBuilder(URI.create(node.url("/api/v1/instances"))).timeout(Duration.ofSeconds(120))
          .header("Accept", "application/json").header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
          HttpResponse.BodyHandlers.ofString()).whenComplete((answer, failure) -> turn.release()));
    }
    List<String> answers = new ArrayList<>();
    for (CompletableFuture<HttpResponse<String>> add : adds) {
      try {
        HttpResponse<String> answer = add.get(180, TimeUnit.SECONDS);
        answers.add(answer.statusCode() + (answer.statusCode() == 201 ? "" : " " + answer.body()));
      } catch (ExecutionException e) {
        answers.add("no answer: " + e.getCause()); // the connection dropped while the add waited
      }
    }

    assertThat(answers).as("every add").containsOnly("201");
    assertThat(count(url, "SELECT COUNT(*) FROM instance")).isEqualTo(INSTANCES + ADDS);
    assertThat(count(url, "SELECT COUNT(*) FROM qrtz_triggers WHERE trigger_group = 'backups'")).as("each one scheduled").isEqualTo(INSTANCES + ADDS);
  }

  /** A node with its own DATA_DIR, the shared BACKUP_DIR and the database. */
  private InProcessApp node(String name, String url, Map<String, String> more) throws Exception {
    Map<String, String> env = new HashMap<>(more);
    env.put("DATABASE_URL", url);
    env.put("DATABASE_USER", PostgresServer.USER);
    env.put("DATABASE_PASSWORD", PostgresServer.PASSWORD);
    env.put("FIELD_ENCRYPTION_KEY", "a-passphrase-every-node-shares");
    env.put("NODE_NAME", name);
    InProcessApp node = InProcessApp.start(Files.createDirectories(dir.resolve("data-" + name)), Files.createDirectories(dir.resolve("backups")), env);
    nodes.add(node);
    return node;
  }

  private static long count(String url, String query) throws Exception {
    try (Connection c = DriverManager.getConnection(url, PostgresServer.USER, PostgresServer.PASSWORD); Statement s = c.createStatement();
         ResultSet r = s.executeQuery(query)) {
      r.next();
      return r.getLong(1);
    }
  }
}
