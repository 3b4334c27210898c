package io.piholecheckpoint.offsite;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.piholecheckpoint.testing.Eventually;
import io.piholecheckpoint.testing.FakePihole;
import io.piholecheckpoint.testing.InProcessApp;
import io.piholecheckpoint.testing.PostgresServer;
import io.piholecheckpoint.testing.ServedApp;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two nodes of a cluster (one PostgreSQL database, one BACKUP_DIR, one file:// destination): while one node's Check again of a
 * destination runs, the other node's answers 409 check_running, and once it has ended the other node may check. The first
 * check is held on a condition, not a sleep: the damaged copy at the destination is a named pipe, which the check's read-back
 * opens and waits on until the test writes the bytes that were sent into it.
 */
class CheckAgainAcrossNodesIT {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir
  Path dir;

  private final List<InProcessApp> nodes = new ArrayList<>();

  @AfterEach
  void stop() {
    nodes.forEach(InProcessApp::close);
  }

  @Test
  void aSecondNodesCheckOfTheSameDestinationIsRefusedWhileTheFirstRunsAndAllowedAfter() throws Exception {
    String database = PostgresServer.shared().createDatabase(null);
    Path nas = Files.createDirectories(dir.resolve("nas"));
    try (FakePihole pihole = FakePihole.start("labpass")) {
      Map<String, String> env = Map.of("PIHOLE_HOME_URL", pihole.url(), "PIHOLE_HOME_PASSWORD", "labpass",
          "BACKUP_ENCRYPTION_PASSPHRASE", "a passphrase for checks across nodes", "OFFSITE_NAS_URL", nas.toUri().toString());
      InProcessApp a = node("a", database, env);
      InProcessApp b = node("b", database, env);
      long id = json(a.post("/api/v1/instances/1/backups?wait=true")).get("id").asLong();
      Eventually.until("the copy is verified", Duration.ofSeconds(60),
          () -> json(a.get("/api/v1/backups/" + id)).at("/offsite/0/state").asText().equals("verified"));
      JsonNode backup = json(a.get("/api/v1/backups/" + id));
      Path copy = nas.resolve(backup.at("/offsite/0/remoteKey").asText());
      byte[] sent = Files.readAllBytes(copy);
      Files.delete(dir.resolve("backups").resolve(backup.get("fileName").asText()));
      byte[] tampered = sent.clone();
      tampered[tampered.length / 2] ^= 1;
      Files.write(copy, tampered);
      assertThat(json(a.get("/api/v1/backups/" + id + "/verify")).get("ok").asBoolean()).isFalse();
      assertThat(json(b.get("/api/v1/backups/" + id)).at("/offsite/0/damagedAt").isNull()).as("marked damaged, as both nodes see").isFalse();
      Files.delete(copy);
      mkfifo(copy);

      CompletableFuture<HttpResponse<String>> first = post(a, "/api/v1/offsite/NAS/check");
      // opening the pipe to write returns once the check has opened it to read it back: from then on node a's check runs
      OutputStream into = CompletableFuture.supplyAsync(() -> open(copy)).get(60, TimeUnit.SECONDS);
      HttpResponse<String> second;
      try (into) {
        second = post(b, "/api/v1/offsite/NAS/check").get(30, TimeUnit.SECONDS);
        // what the check reads once it is done with the pipe (its backup fetched back from the copy): the bytes sent, as a file
        Path file = Files.write(copy.resolveSibling("put-right"), sent);
        Files.move(file, copy, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        into.write(sent);
      }

      assertThat(second.statusCode()).as(second.body()).isEqualTo(409);
      assertThat(json(second).at("/error/code").asText()).isEqualTo("check_running");
      assertThat(json(second).at("/error/message").asText()).contains("a check of the damaged off-site copies at NAS is running");
      HttpResponse<String> done = first.get(60, TimeUnit.SECONDS);
      assertThat(done.statusCode()).as(done.body()).isEqualTo(200);
      assertThat(json(done).at("/verifiedAgain/0/backupId").asLong()).isEqualTo(id);
      HttpResponse<String> after = post(b, "/api/v1/offsite/NAS/check").get(30, TimeUnit.SECONDS);
      assertThat(after.statusCode()).as(after.body()).isEqualTo(200);
      assertThat(json(after).get("message").asText()).contains("no copy at NAS is marked damaged");
    }
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

  /** A request that may wait (the first check): answered on another thread, with a limit so that a check held for good fails the test. */
  private static CompletableFuture<HttpResponse<String>> post(ServedApp node, String path) {
    return ServedApp.HTTP.sendAsync(HttpRequest.newBuilder(URI.create(node.url(path))).timeout(Duration.ofSeconds(90))
        .header("Accept", "application/json").POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
  }

  private static void mkfifo(Path path) throws Exception {
    Process mkfifo = new ProcessBuilder("mkfifo", path.toString()).inheritIO().start();
    assertThat(mkfifo.waitFor(10, TimeUnit.SECONDS) && mkfifo.exitValue() == 0).as("mkfifo " + path).isTrue();
  }

  private static OutputStream open(Path pipe) {
    try {
      return Files.newOutputStream(pipe);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private static JsonNode json(HttpResponse<String> response) throws Exception {
    return JSON.readTree(response.body());
  }
}
