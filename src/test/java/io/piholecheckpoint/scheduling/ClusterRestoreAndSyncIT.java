package io.piholecheckpoint.scheduling;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.piholecheckpoint.testing.Eventually;
import io.piholecheckpoint.testing.FakePihole;
import io.piholecheckpoint.testing.InProcessApp;
import io.piholecheckpoint.testing.PostgresServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A restore and a sync on the nodes of a cluster, each taking its safety backup of the Pi-hole it changes
 * while it holds that Pi-hole's turn across the nodes: the backup is its own and runs, on either node. The nodes are two
 * apps in the test's JVM, each with its own web app (its own Quartz, pool and turns) on the one database: what is tested is
 * their work across the cluster, not their processes (ClusterIT forks and kills nodes).
 */
class ClusterRestoreAndSyncIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
  private static final String ONCE_A_YEAR = "0 0 0 1 1 ?";
  private static final Duration PATIENCE = Duration.ofSeconds(90);

  @TempDir
  Path dir;

  private final List<InProcessApp> nodes = new ArrayList<>();
  private final List<FakePihole> piholes = new ArrayList<>();

  @AfterEach
  void stop() {
    nodes.forEach(InProcessApp::close); // their output is this JVM's, in the test's report already
    piholes.forEach(FakePihole::close);
  }

  @Test
  void aRestoreAndASyncWithItsSafetySnapshotRunOnEitherNode() throws Exception {
    FakePihole primary = pihole();
    FakePihole replica = pihole();
    Map<String, String> env = new HashMap<>();
    env.put("DATABASE_URL", PostgresServer.shared().createDatabase(null));
    env.put("DATABASE_USER", PostgresServer.USER);
    env.put("DATABASE_PASSWORD", PostgresServer.PASSWORD);
    env.put("FIELD_ENCRYPTION_KEY", "a-passphrase-every-node-shares");
    env.put("CLUSTER_CHECKIN_SECONDS", "1");
    instanceEnv(env, "MAIN", primary);
    instanceEnv(env, "REP", replica);
    env.put("SYNC_LAB_PRIMARY", "MAIN");
    env.put("SYNC_LAB_REPLICAS", "REP");
    env.put("SYNC_LAB_WHEN", ONCE_A_YEAR); // run by hand here; SNAPSHOT stays its default, first
    InProcessApp a = node("node-a", env);
    InProcessApp b = node("node-b", env);
    long mainId = instanceId(a, "Main");

    HttpResponse<String> backedUp = send(a, "/api/v1/instances/" + mainId + "/backups?wait=true", "");
    assertThat(backedUp.statusCode()).as(backedUp.body()).isEqualTo(201);
    long backupId = JSON.readTree(backedUp.body()).get("id").asLong();

    // a restore asked for on the other node: its safety backup of Main is taken under its own turn, then the import is sent
    HttpResponse<String> asked = send(b, "/api/v1/backups/" + backupId + "/restore", "{\"mode\":\"lists\"}");
    assertThat(asked.statusCode()).as(asked.body()).isEqualTo(202);
    long restoreId = JSON.readTree(asked.body()).get("restore").get("id").asLong();
    JsonNode restore = eventually(() -> JSON.readTree(get(a, "/api/v1/restores/" + restoreId).body()),
        r -> !List.of("queued", "running").contains(r.get("state").asText()), "the restore ended");
    assertThat(restore.get("state").asText()).as(restore.toString()).isIn("verified", "different");
    assertThat(restore.get("snapshotId").isNull()).as("its safety backup").isFalse();
    assertThat(primary.lastImport()).as("the import sent to the Pi-hole").isNotNull();

    // a sync whose first run takes a safety snapshot of the replica, on each node
    for (InProcessApp node : List.of(a, b)) {
      HttpResponse<String> ran = send(node, "/api/v1/sync/lab/run?wait=true", "");
      assertThat(ran.statusCode()).as(ran.body()).isEqualTo(200);
      JsonNode run = JSON.readTree(ran.body()).get("runs").get(0);
      assertThat(run.get("outcome").asText()).as(run.toString()).isIn("synced", "in_sync");
    }
    JsonNode runs = JSON.readTree(get(b, "/api/v1/sync/lab/runs").body()).get("runs");
    assertThat(runs.findValues("snapshotId").stream().filter(s -> !s.isNull())).as("the first run's snapshot").isNotEmpty();
  }

  private FakePihole pihole() throws Exception {
    FakePihole pihole = FakePihole.start("labpass");
    piholes.add(pihole);
    return pihole;
  }

  private static void instanceEnv(Map<String, String> env, String name, FakePihole pihole) {
    String prefix = "PIHOLE_" + name + "_";
    env.put(prefix + "URL", pihole.url());
    env.put(prefix + "PASSWORD", "labpass");
    env.put(prefix + "NAME", name.charAt(0) + name.substring(1).toLowerCase(java.util.Locale.ROOT));
    env.put(prefix + "SCHEDULE", "cron");
    env.put(prefix + "CRON", ONCE_A_YEAR);
  }

  /** A node with its own DATA_DIR and the shared BACKUP_DIR. */
  private InProcessApp node(String name, Map<String, String> shared) throws Exception {
    Map<String, String> env = new HashMap<>(shared);
    env.put("NODE_NAME", name);
    InProcessApp node = InProcessApp.start(Files.createDirectories(dir.resolve(name)), Files.createDirectories(dir.resolve("backups")), env);
    nodes.add(node);
    return node;
  }

  private static long instanceId(InProcessApp node, String name) throws Exception {
    for (JsonNode instance : JSON.readTree(get(node, "/api/v1/instances").body()).get("instances")) {
      if (instance.get("name").asText().equals(name)) {
        return instance.get("id").asLong();
      }
    }
    throw new AssertionError("no instance " + name);
  }

  private interface Probe {
    JsonNode look() throws Exception;
  }

  /** Waits for what the nodes make true; fails naming what did not happen, with the nodes' output. */
  private JsonNode eventually(Probe probe, java.util.function.Predicate<JsonNode> done, String what) throws Exception {
    AtomicReference<JsonNode> seen = new AtomicReference<>();
    try {
      Eventually.until(what, PATIENCE, () -> {
        seen.set(probe.look());
        return done.test(seen.get());
      });
    } catch (AssertionError e) {
      throw new AssertionError(e.getMessage() + " (last seen " + seen.get() + ")"
          + (nodes.isEmpty() ? "" : "\n----\n" + nodes.get(0).output()), e); // each node's capture holds both nodes' lines
    }
    return seen.get();
  }

  private static HttpResponse<String> get(InProcessApp node, String path) throws Exception {
    return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + node.port() + path)).timeout(Duration.ofSeconds(30)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static HttpResponse<String> send(InProcessApp node, String path, String json) throws Exception {
    return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + node.port() + path)).timeout(Duration.ofMinutes(5))
        .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(json)).build(), HttpResponse.BodyHandlers.ofString());
  }
}
