package io.piholecheckpoint.scheduling;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.piholecheckpoint.persistence.Database;
import io.piholecheckpoint.persistence.Dialect;
import io.piholecheckpoint.testing.Eventually;
import io.piholecheckpoint.testing.FakePihole;
import io.piholecheckpoint.testing.MigratedDatabase;
import io.piholecheckpoint.testing.PostgresServer;
import io.piholecheckpoint.testing.RunningApp;
import io.piholecheckpoint.testing.ScheduledSoon;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two nodes of a cluster, as users run them: two launchers in processes of their own (so that a
 * kill -9 is one), one PostgreSQL, one shared BACKUP_DIR, the same FIELD_ENCRYPTION_KEY. A schedule
 * fires once per fire time across both; the node holding a scheduled and a manual backup is
 * killed and the other records the interrupted attempt, runs the instance again, marks the manual
 * backup's job interrupted naming the dead node and takes the next one; the node left after a
 * graceful stop keeps every schedule; the UI and the API answer on both.
 * <p>
 * Forked, not in process: a kill -9 of a node is what it tests. The nodes run the server step alone ({@code entrypoint.sh
 * serve}) on a database the migration scripts made in this JVM ({@link MigratedDatabase}): the migration step is not what is
 * tested here (StartupIT and OriginalHistoryIT test it), and it ran in a JVM of its own before each of the three starts.
 */
class ClusterIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
  /**
   * A backup runs at most once a minute: each fire is set a few seconds ahead once the one before has run. A backup starts within
   * this much of its fire time (late on a loaded machine), so the fire time before a backup's start names it.
   */
  private static final long PERIOD_MS = 5000;
  private static final Duration PATIENCE = Duration.ofSeconds(90);

  @TempDir
  Path dir;

  private final List<RunningApp> nodes = new ArrayList<>();
  private final List<FakePihole> piholes = new ArrayList<>();
  private String url;

  @AfterEach
  void stop() {
    nodes.forEach(RunningApp::close);
    nodes.forEach(node -> System.out.println("---- node output\n" + node.output())); // in the failsafe report, for a failure's story
    piholes.forEach(FakePihole::close);
  }

  @Test
  void twoNodesRunEachFireOnceRecoverADeadNodesBackupAndKeepTheSchedulesWhenOneStops() throws Exception {
    url = migrated();
    FakePihole fast = pihole();
    FakePihole slow = pihole();
    FakePihole manual = pihole();
    FakePihole.Hold hold = slow.holdExports();
    Map<String, String> env = env();
    env.putAll(instanceEnv("MANUAL", manual, "0 0 0 1 1 ?")); // once a year: only backed up by hand here
    RunningApp a = node("node-a", env);
    RunningApp b = node("node-b", env);
    // added once both are up, in the shared database, so that each fire can be set a few seconds ahead through the API
    added(a, "Fast", fast);
    added(b, "Slow", slow);
    long fastId = instanceId("Fast");
    long slowId = instanceId("Slow");
    long manualId = instanceId("Manual");

    // both nodes answer, and each sees the two nodes alive
    for (RunningApp node : List.of(a, b)) {
      assertThat(get(node, "/").statusCode()).isEqualTo(200);
      assertThat(JSON.readTree(get(node, "/api/v1/instances").body()).get("instances")).hasSize(3);
      JsonNode cluster = eventually(() -> health(node).filter(h -> h.get("cluster").get("aliveNodes").asInt() == 2), "two nodes alive")
          .get("cluster");
      assertThat(cluster.get("mode").asText()).isEqualTo("cluster");
      assertThat(Math.abs(cluster.get("clockSkewMillis").asLong())).as("one machine's clock against its database server's").isLessThan(3750);
      assertThat(get(node, "/metrics").body()).containsPattern("(?m)^checkpoint_cluster_nodes 2(\\.0)?$");
      assertThat(get(node, "/settings").body()).contains("cluster: this is node " + cluster.get("node").asText()).doesNotContain(PostgresServer.PASSWORD);
    }

    // the slow instance's backup is held on one node; the other refuses a second backup of it
    fireSoon(a, slowId);
    assertThat(hold.awaitStarted()).isTrue();
    String holder = eventually(() -> runningOn(slowId), "the held backup's marker");
    RunningApp holding = holder.equals("node-a") ? a : b;
    RunningApp survivor = holding == a ? b : a;
    String survivorName = holding == a ? "node-b" : "node-a";
    HttpResponse<String> second = post(survivor, "/api/v1/instances/" + slowId + "/backups");
    assertThat(second.statusCode()).as(second.body()).isEqualTo(409);
    assertThat(second.body()).contains("already running on node " + holder);

    // a manual backup asked for on the node that is about to die, held at its download
    FakePihole.Hold manualHold = manual.holdExports();
    HttpResponse<String> asked = post(holding, "/api/v1/instances/" + manualId + "/backups");
    assertThat(asked.statusCode()).as(asked.body()).isEqualTo(202);
    String manualJob = JSON.readTree(asked.body()).get("job").get("id").asText();
    assertThat(manualHold.awaitStarted()).isTrue();
    HttpResponse<String> meanwhile = post(survivor, "/api/v1/instances/" + manualId + "/backups");
    assertThat(meanwhile.statusCode()).as(meanwhile.body()).isEqualTo(409);
    assertThat(meanwhile.body()).contains("already running on node " + holder);

    // N fire times of the fast schedule: N backups, none twice, whichever node fired them (each starts within a period of its
    // fire time, so the fire time before a backup's start names it). A move answered after its time may have fired at it too
    // (ScheduledSoon.mayHaveFired): that time is a fire time as well, run at most once, and the test waits for the one planned.
    List<Long> fireTimes = new ArrayList<>();
    List<Long> planned = new ArrayList<>();
    for (int n = 1; n <= 5; n++) {
      ScheduledSoon soon = fireSoon(n % 2 == 0 ? a : b, fastId);
      soon.mayHaveFired().forEach(late -> fireTimes.add(late.toInstant().toEpochMilli()));
      fireTimes.add(soon.at().toInstant().toEpochMilli());
      long index = fireTimes.size() - 1;
      planned.add(index);
      eventually(() -> Optional.of(scheduledStarts(fastId)).filter(s -> s.stream().anyMatch(start -> fireOf(fireTimes, start) == index)),
          "fast backup " + n);
    }
    List<Long> fires = scheduledStarts(fastId).stream().map(start -> fireOf(fireTimes, start)).toList();
    assertThat(fires).as("the fire time of each backup, by its index in %s", fireTimes).doesNotContain(-1L).doesNotHaveDuplicates()
        .containsAll(planned);

    // kill -9 the node that holds the backup: the other records the attempt as interrupted and runs the instance again
    Instant killed = Instant.now();
    holding.kill();
    hold.release();
    manualHold.release();
    String interrupted = eventually(() -> interruptedMessage(slowId), "the interrupted attempt recorded");
    assertThat(interrupted).contains("node " + holder + " stopped during this backup");

    // the dead node's manual backup: its job interrupted by the survivor, naming the node; the next one is taken there
    JsonNode job = eventually(() -> Optional.of(JSON.readTree(get(survivor, "/api/v1/jobs/" + manualJob).body()))
        .filter(j -> j.get("state").asText().equals("failed")), "the dead node's manual backup job interrupted");
    assertThat(job.get("errorCode").asText()).isEqualTo("interrupted");
    assertThat(job.get("error").asText()).startsWith("interrupted: node " + holder + " stopped checking in at ").endsWith("; start it again");
    assertThat(Duration.between(killed, Instant.now())).as("interrupted within the check-in and Quartz's grace, not a restart").isLessThan(PATIENCE);
    assertThat(interruptedMessage(manualId)).hasValueSatisfying(m -> assertThat(m).contains("node " + holder + " stopped during this backup"));
    HttpResponse<String> again = post(survivor, "/api/v1/instances/" + manualId + "/backups?wait=true");
    assertThat(again.statusCode()).as(again.body()).isEqualTo(201);
    JsonNode down = eventually(() -> health(survivor).flatMap(h -> java.util.stream.StreamSupport.stream(h.get("cluster").get("nodes").spliterator(), false)
        .filter(n -> n.get("name").asText().equals(holder)).findFirst()), "the dead node listed");
    assertThat(down.get("alive").asBoolean()).isFalse();
    eventually(() -> Optional.of(successesSince(slowId, killed)).filter(nodesRan -> nodesRan.contains(survivorName)),
        "a backup of the slow instance by " + survivorName);
    JsonNode history = JSON.readTree(get(survivor, "/api/v1/instances/" + slowId + "/backups").body()).get("backups");
    assertThat(history.findValuesAsText("node")).as("the node of each backup, in the API").contains(survivorName, holder);

    // the killed node comes back; the survivor stops gracefully: the one left keeps every schedule
    RunningApp back = node(holder, env);
    eventually(() -> health(survivor).filter(h -> h.get("cluster").get("aliveNodes").asInt() == 2), "the node back");
    assertThat(survivor.stop()).isIn(0, 143); // the JVM's exit on SIGTERM, after the shutdown hooks
    Instant stopped = Instant.now();
    fireSoon(back, fastId);
    fireSoon(back, slowId);
    eventually(() -> Optional.of(successesSince(fastId, stopped)).filter(ran -> ran.contains(holder)), "a fast backup after the stop");
    eventually(() -> Optional.of(successesSince(slowId, stopped)).filter(ran -> ran.contains(holder)), "a slow backup after the stop");
    JsonNode scheduler = health(back).orElseThrow().get("scheduler");
    assertThat(scheduler.get("jobs").asInt()).isEqualTo(3);
    assertThat(get(back, "/instances/" + slowId).statusCode()).isEqualTo(200);
  }

  private FakePihole pihole() throws Exception {
    FakePihole pihole = FakePihole.start("labpass");
    piholes.add(pihole);
    return pihole;
  }

  private Map<String, String> env() {
    Map<String, String> env = new HashMap<>();
    env.put("DATABASE_URL", url);
    env.put("DATABASE_USER", PostgresServer.USER);
    env.put("DATABASE_PASSWORD", PostgresServer.PASSWORD);
    env.put("FIELD_ENCRYPTION_KEY", "a-passphrase-every-node-shares");
    env.put("CLUSTER_CHECKIN_SECONDS", "1");
    return env;
  }

  /** An instance added through {@code node}'s API, on a once-a-year schedule until {@link #fireSoon} moves it. */
  private static void added(RunningApp node, String name, FakePihole pihole) throws Exception {
    HttpResponse<String> added = node.send("POST", "/api/v1/instances", JSON.createObjectNode().put("name", name).put("url", pihole.url())
        .put("password", "labpass").put("scheduleKind", "cron").put("cron", "0 0 0 1 1 ?")
        .put("maxBackups", 100).toString()); // retention deleting records would hide what is counted
    assertThat(added.statusCode()).as(added.body()).isEqualTo(201);
  }

  /**
   * The instance moved to fire once at the next whole second (or later, if the move itself came late: ScheduledSoon sets it again
   * further ahead); when. A lead of two seconds waited 1–2 s for each of the eight fires the test waits for.
   */
  private static ScheduledSoon fireSoon(RunningApp node, long instanceId) throws Exception {
    return new ScheduledSoon(instanceId, null).again(node, 1);
  }

  /** A database the migration scripts made, as the migration step would have: each node runs only the server step. */
  private String migrated() {
    Database database = MigratedDatabase.open(Dialect.POSTGRESQL, dir);
    database.close();
    return database.describe();
  }

  /** The index of the last fire time at or before {@code start}, -1 when it started before the first or a period after its fire. */
  private static long fireOf(List<Long> fireTimes, long start) {
    for (int i = fireTimes.size() - 1; i >= 0; i--) {
      if (fireTimes.get(i) <= start) {
        return start - fireTimes.get(i) < PERIOD_MS ? i : -1;
      }
    }
    return -1;
  }

  private static Map<String, String> instanceEnv(String name, FakePihole pihole, String cron) {
    Map<String, String> env = new HashMap<>();
    String prefix = "PIHOLE_" + name + "_";
    env.put(prefix + "URL", pihole.url());
    env.put(prefix + "PASSWORD", "labpass");
    env.put(prefix + "NAME", name.charAt(0) + name.substring(1).toLowerCase(java.util.Locale.ROOT));
    env.put(prefix + "SCHEDULE", "cron");
    env.put(prefix + "CRON", cron);
    env.put(prefix + "MAX_BACKUPS", "100"); // retention deleting records would hide what is counted
    return env;
  }

  /** A node with its own DATA_DIR and the shared BACKUP_DIR. */
  private RunningApp node(String name, Map<String, String> shared) throws Exception {
    Map<String, String> env = new HashMap<>(shared);
    env.put("NODE_NAME", name);
    RunningApp node = RunningApp.startWith("serve", dir.resolve(name + "-" + nodes.size()), dir.resolve("backups"), env);
    nodes.add(node);
    return node;
  }

  private long instanceId(String name) throws SQLException {
    return query("SELECT id FROM instance WHERE name = ?", name, rs -> rs.getLong(1)).get(0);
  }

  private Optional<String> runningOn(long instanceId) throws SQLException {
    return query("SELECT node FROM backup_run WHERE instance_id = ?", instanceId, rs -> rs.getString(1)).stream().findFirst();
  }

  private List<Long> scheduledStarts(long instanceId) throws SQLException {
    return query("SELECT started_at FROM backup WHERE instance_id = ? AND trigger_kind = 'SCHEDULED' AND status = 'SUCCESS' ORDER BY started_at",
        instanceId, rs -> rs.getLong(1));
  }

  private Optional<String> interruptedMessage(long instanceId) throws SQLException {
    return query("SELECT error_message FROM backup WHERE instance_id = ? AND error_code = 'interrupted'", instanceId, rs -> rs.getString(1))
        .stream().findFirst();
  }

  /** The nodes that ran a successful backup of the instance started after {@code since}. */
  private List<String> successesSince(long instanceId, Instant since) throws SQLException {
    return query("SELECT node FROM backup WHERE instance_id = ? AND status = 'SUCCESS' AND started_at > " + since.toEpochMilli(), instanceId,
        rs -> rs.getString(1));
  }

  private interface Column<T> {
    T read(ResultSet rs) throws SQLException;
  }

  private <T> List<T> query(String sql, Object parameter, Column<T> column) throws SQLException {
    try (Connection c = DriverManager.getConnection(url, PostgresServer.USER, PostgresServer.PASSWORD);
         PreparedStatement statement = c.prepareStatement(sql)) {
      statement.setObject(1, parameter);
      List<T> values = new ArrayList<>();
      try (ResultSet rs = statement.executeQuery()) {
        while (rs.next()) {
          values.add(column.read(rs));
        }
      }
      return values;
    }
  }

  private interface Probe<T> {
    Optional<T> look() throws Exception;
  }

  /** Waits for what the nodes make true; fails naming what did not happen, with the nodes' output. */
  private <T> T eventually(Probe<T> probe, String what) throws Exception {
    AtomicReference<T> seen = new AtomicReference<>();
    try {
      Eventually.until(what, PATIENCE, () -> {
        probe.look().ifPresent(seen::set);
        return seen.get() != null;
      });
    } catch (AssertionError e) {
      throw new AssertionError(e.getMessage() + nodes.stream().map(RunningApp::output).reduce("", (x, y) -> x + "\n----\n" + y), e);
    }
    return seen.get();
  }

  private Optional<JsonNode> health(RunningApp node) throws Exception {
    HttpResponse<String> response = get(node, "/health");
    return response.statusCode() == 200 ? Optional.of(JSON.readTree(response.body())) : Optional.empty();
  }

  private static HttpResponse<String> get(RunningApp node, String path) throws Exception {
    return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + node.port() + path)).timeout(Duration.ofSeconds(30)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static HttpResponse<String> post(RunningApp node, String path) throws Exception {
    return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + node.port() + path)).timeout(Duration.ofSeconds(30))
        .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
  }
}
