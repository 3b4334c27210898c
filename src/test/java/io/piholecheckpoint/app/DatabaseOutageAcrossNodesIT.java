package io.piholecheckpoint.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.piholecheckpoint.core.backup.catalog.Backup;
import io.piholecheckpoint.persistence.Database;
import io.piholecheckpoint.persistence.Dialect;
import io.piholecheckpoint.testing.Eventually;
import io.piholecheckpoint.testing.FakePihole;
import io.piholecheckpoint.testing.FaultProxy;
import io.piholecheckpoint.testing.MigratedDatabase;
import io.piholecheckpoint.testing.PostgresServer;
import java.net.URI;
import java.nio.file.Files;
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
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two nodes of a cluster in one JVM, both reaching the real PostgreSQL through a proxy that cuts them off from it, as a
 * database outage does, while a backup runs on one of them. Neither node stopped, and neither is taken for one that did:
 * no node is found dead once the database is back, and the backup whose end fell in the outage waits for the database and
 * is recorded once, as it ended, not as one its node "stopped during" nor as one that "did not record how it ended".
 */
class DatabaseOutageAcrossNodesIT {
  private static final String KEY = "a-passphrase-every-node-shares";
  /** Past Quartz's retry of a failed check-in (15 s) and a node's grace: long enough that each node failed to check in twice. */
  private static final Duration OUTAGE = Duration.ofSeconds(25);
  private static final Duration PATIENCE = Duration.ofSeconds(90);

  @TempDir
  Path dir;

  private final List<Application> nodes = new ArrayList<>();
  private FakePihole pihole;
  private FaultProxy proxy;
  private String url;

  @AfterEach
  void stop() {
    if (proxy != null) {
      proxy.forward();
    }
    nodes.forEach(Application::close);
    if (pihole != null) {
      pihole.close();
    }
    if (proxy != null) {
      proxy.close();
    }
  }

  @Test
  void aBackupEndingInADatabaseOutageIsRecordedOnceTheDatabaseIsBackAndNoNodeIsTakenForDead() throws Exception {
    url = migrated();
    proxy = FaultProxy.to("127.0.0.1", PostgresServer.shared().port());
    pihole = FakePihole.start("labpass");
    Application a = node("a");
    Application b = node("b");
    long home = a.services().instances().list().get(0).id();
    FakePihole.Hold hold = pihole.holdExports();
    CompletableFuture<Backup> cut = CompletableFuture.supplyAsync(() -> a.services().backups().runBackup(home, Backup.Trigger.MANUAL));
    assertThat(hold.awaitStarted()).isTrue();

    // the database goes away while the backup downloads, and stays away past both nodes' grace
    proxy.refuse();
    proxy.dropConnections();
    hold.release();
    Eventually.until("both nodes' check-ins " + OUTAGE.toSeconds() + " s old", PATIENCE,
        () -> checkIns().values().stream().allMatch(at -> at.isBefore(Instant.now().minus(OUTAGE))));
    assertThat(cut).as("its end waits for the database").isNotDone();
    proxy.forward();
    Backup ended = cut.get(PATIENCE.toSeconds(), java.util.concurrent.TimeUnit.SECONDS);

    // each node has checked in twice since: had the first one back taken the other for dead, it would have said so by then
    Map<String, Instant> back = awaitCheckInsAfter(Instant.now());
    awaitCheckInsAfter(back.values().stream().max(Instant::compareTo).orElseThrow());
    assertThat(names("SELECT name FROM cluster_node")).as("no node listed as down").isEmpty();
    assertThat(a.health().check().cluster().aliveNodes()).isEqualTo(2);

    Backup again = b.services().backups().runBackup(home, Backup.Trigger.MANUAL);

    assertThat(ended.successful()).as(String.valueOf(ended.errorMessage())).isTrue();
    assertThat(again.successful()).isTrue();
    assertThat(names("SELECT status FROM backup ORDER BY id")).as("each run recorded once, as it ended").containsExactly("SUCCESS", "SUCCESS");
  }

  private Map<String, Instant> awaitCheckInsAfter(Instant since) throws Exception {
    Eventually.until("both nodes checked in after " + since, PATIENCE,
        () -> checkIns().size() == 2 && checkIns().values().stream().allMatch(at -> at.isAfter(since)));
    return checkIns();
  }

  /** Each node's last check-in in Quartz's store, read past the proxy. */
  private Map<String, Instant> checkIns() throws SQLException {
    Map<String, Instant> checkIns = new HashMap<>();
    try (Connection c = DriverManager.getConnection(url, PostgresServer.USER, PostgresServer.PASSWORD);
         PreparedStatement s = c.prepareStatement("SELECT instance_name, last_checkin_time FROM qrtz_scheduler_state");
         ResultSet r = s.executeQuery()) {
      while (r.next()) {
        checkIns.put(r.getString(1), Instant.ofEpochMilli(r.getLong(2)));
      }
    }
    return checkIns;
  }

  private List<String> names(String query) throws SQLException {
    try (Connection c = DriverManager.getConnection(url, PostgresServer.USER, PostgresServer.PASSWORD);
         PreparedStatement s = c.prepareStatement(query); ResultSet r = s.executeQuery()) {
      List<String> names = new ArrayList<>();
      while (r.next()) {
        names.add(r.getString(1));
      }
      return names;
    }
  }

  private String migrated() {
    Database database = MigratedDatabase.open(Dialect.POSTGRESQL, dir);
    database.close();
    return database.describe();
  }

  /** A node with its own DATA_DIR, the shared BACKUP_DIR, and the database behind the proxy; one Pi-hole, backed up by hand only. */
  private Application node(String name) throws Exception {
    Map<String, String> env = new HashMap<>();
    env.put("DATA_DIR", Files.createDirectories(dir.resolve("data-" + name)).toString());
    env.put("BACKUP_DIR", Files.createDirectories(dir.resolve("backups")).toString());
    env.put("DATABASE_URL", "jdbc:postgresql://127.0.0.1:" + proxy.port() + URI.create(url.substring("jdbc:".length())).getPath());
    env.put("DATABASE_USER", PostgresServer.USER);
    env.put("DATABASE_PASSWORD", PostgresServer.PASSWORD);
    env.put("FIELD_ENCRYPTION_KEY", KEY);
    env.put("NODE_NAME", name);
    env.put("CLUSTER_CHECKIN_SECONDS", "1");
    env.put("PIHOLE_RETRIES", "0");
    env.put("PIHOLE_HOME_URL", pihole.url());
    env.put("PIHOLE_HOME_PASSWORD", "labpass");
    env.put("PIHOLE_HOME_SCHEDULE", "cron");
    env.put("PIHOLE_HOME_CRON", "0 0 0 1 1 ?");
    Application node = Application.start(AppConfig.from(env));
    nodes.add(node);
    return node;
  }
}
