package io.piholecheckpoint.scheduling;

import static org.assertj.core.api.Assertions.assertThat;

import io.piholecheckpoint.core.schedule.Spread;
import io.piholecheckpoint.persistence.Database;
import io.piholecheckpoint.persistence.Dialect;
import io.piholecheckpoint.persistence.QuartzNodes;
import io.piholecheckpoint.testing.Eventually;
import io.piholecheckpoint.testing.FaultProxy;
import io.piholecheckpoint.testing.MigratedDatabase;
import io.piholecheckpoint.testing.PostgresServer;
import io.piholecheckpoint.testing.TestServices;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A node of a cluster on the real Quartz store, cut off from PostgreSQL (as a restart of the server does) while another
 * node, cut off too, last checked in a little before it: once back, the node does not take the other for dead by the
 * check-ins it missed while neither could reach the database.
 */
class ClusterCheckInAfterOutageIT {
  private static final Duration PATIENCE = Duration.ofSeconds(90);
  /** node-b's check-in interval, as its row in the store says. */
  private static final long B_INTERVAL = 20_000;

  @TempDir
  Path dir;
  private Database database;
  private Database proxied;
  private FaultProxy proxy;
  private TestSchedules schedules;

  @AfterEach
  void close() {
    if (proxy != null) {
      proxy.forward();
    }
    if (schedules != null) {
      schedules.close();
    }
    if (proxied != null) {
      proxied.close();
    }
    if (proxy != null) {
      proxy.close();
    }
    if (database != null) {
      database.close();
    }
  }

  @Test
  void aNodeBackFromAnOutageDoesNotTakeAnotherForDeadByTheCheckInsMissedMeanwhile() throws Exception {
    database = MigratedDatabase.open(Dialect.POSTGRESQL, dir);
    proxy = FaultProxy.to("127.0.0.1", PostgresServer.shared().port());
    proxied = Database.openPostgres(database.describe().replaceFirst(":" + PostgresServer.shared().port() + "/", ":" + proxy.port() + "/"),
        PostgresServer.USER, PostgresServer.PASSWORD);
    Clock clock = Clock.systemUTC(); // Quartz's check-ins tell the time by the system clock
    TestServices services = new TestServices(dir.resolve("backups"), clock);
    try (Connection c = MigratedDatabase.connectOutside(database);
         PreparedStatement s = c.prepareStatement("INSERT INTO qrtz_scheduler_state VALUES ('checkpoint', 'node-b', ?, ?)")) {
      s.setLong(1, clock.millis());
      s.setLong(2, B_INTERVAL);
      s.executeUpdate();
    }
    List<String> lost = new CopyOnWriteArrayList<>();
    ClusterStore store = new ClusterStore("node-a", proxied.schedulerPool(), Duration.ofSeconds(1),
        new QuartzNodes(database, ClusterStore.SCHEDULER_NAME, "node-a", clock), (node, lastCheckIn) -> lost.add(node), () -> { }, () -> { });
    schedules = new TestSchedules(dir.resolve("scheduler.lock"), ZoneOffset.UTC, clock, Duration.ofSeconds(1), Duration.ofHours(1), Spread.NONE, store)
        .start(new AppJobs(services.backups.runs(), services.tickets, services.maintenance), s -> { });
    Eventually.until("node-a checked in", PATIENCE, () -> checkIn("node-a") > 0);

    // the database goes away; node-b's last check-in came 19 s before node-a's, within its 20 s interval: it is alive
    proxy.refuse();
    proxy.dropConnections();
    Eventually.until("node-a failing its check-ins", PATIENCE, () -> clock.millis() - checkIn("node-a") > 2_000);
    long lastOfA = checkIn("node-a");
    long lastOfB = lastOfA - 19_000;
    setCheckIn("node-b", lastOfB);
    // out past node-b's interval and grace, reckoned by the clock alone
    Eventually.until("the outage outlasting node-b's grace", PATIENCE, () -> clock.millis() > lastOfB + B_INTERVAL + 7_500 + 1_000);

    proxy.forward();
    Eventually.until("node-a back", PATIENCE, () -> checkIn("node-a") > lastOfA);
    long back = checkIn("node-a");
    Eventually.until("node-a checked in again", PATIENCE, () -> checkIn("node-a") > back);
    assertThat(lost).as("node-b missed its check-ins only while the database was out of reach").isEmpty();
    assertThat(checkIn("node-b")).as("node-b still listed").isEqualTo(lastOfB);
  }

  private long checkIn(String node) throws SQLException {
    try (Connection c = MigratedDatabase.connectOutside(database);
         PreparedStatement s = c.prepareStatement("SELECT last_checkin_time FROM qrtz_scheduler_state WHERE instance_name = ?")) {
      s.setString(1, node);
      try (ResultSet r = s.executeQuery()) {
        return r.next() ? r.getLong(1) : 0;
      }
    }
  }

  private void setCheckIn(String node, long at) throws SQLException {
    try (Connection c = MigratedDatabase.connectOutside(database);
         PreparedStatement s = c.prepareStatement("UPDATE qrtz_scheduler_state SET last_checkin_time = ? WHERE instance_name = ?")) {
      s.setLong(1, at);
      s.setString(2, node);
      s.executeUpdate();
    }
  }
}
