package io.piholecheckpoint.testing;

import io.piholecheckpoint.scheduling.AppJobs;
import io.piholecheckpoint.core.instance.PiholeInstance;
import io.piholecheckpoint.core.schedule.Spread;
import io.piholecheckpoint.persistence.Database;
import io.piholecheckpoint.persistence.Dialect;
import io.piholecheckpoint.persistence.QuartzNodes;
import io.piholecheckpoint.scheduling.ClusterStore;
import io.piholecheckpoint.scheduling.TestSchedules;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.BiConsumer;
import java.util.function.Function;

/**
 * Nodes of a cluster on Quartz's real clustered store in one migrated PostgreSQL database, each started as
 * {@code Application} starts a node ({@link ClusterStore} with its {@link QuartzNodes}, {@link TestSchedules} planning
 * every instance at the start), and SQL from outside the app to see or change what the store keeps, as another node
 * or an earlier build would have left it. The cluster tests that are about one node's start, its check-ins and what it
 * finds of the others share this setup; {@link #close} stops the nodes still running, then the database.
 */
public final class QuartzClusterNodes implements AutoCloseable {
  private final Path dir;
  private final Database database;
  private final List<TestSchedules> running = new ArrayList<>();

  private QuartzClusterNodes(Path dir, Database database) {
    this.dir = dir;
    this.database = database;
  }

  /** A migrated PostgreSQL database of its own in the JVM's test cluster; the nodes' lock files go under {@code dir}. */
  public static QuartzClusterNodes open(Path dir) {
    return new QuartzClusterNodes(dir, MigratedDatabase.open(Dialect.POSTGRESQL, dir));
  }

  public Database database() {
    return database;
  }

  /** A node to start, with the settings the cluster tests vary; by default in UTC, checking in every second, told of no lost node. */
  public Node node(String name) {
    return new Node(name, ZoneOffset.UTC, Duration.ofSeconds(1), (node, at) -> { });
  }

  /** The node's settings. */
  public final class Node {
    private final String name;
    private final ZoneId zone;
    private final Duration checkIn;
    private final BiConsumer<String, Instant> onNodeLost;

    private Node(String name, ZoneId zone, Duration checkIn, BiConsumer<String, Instant> onNodeLost) {
      this.name = name;
      this.zone = zone;
      this.checkIn = checkIn;
      this.onNodeLost = onNodeLost;
    }

    /** TIME_ZONE of the node. */
    public Node zone(ZoneId zone) {
      return new Node(name, zone, checkIn, onNodeLost);
    }

    /** How often it checks in, and so looks for nodes that stopped checking in (CLUSTER_CHECKIN_SECONDS). */
    public Node checkIn(Duration checkIn) {
      return new Node(name, zone, checkIn, onNodeLost);
    }

    /** Told of each node it finds dead, with that node's last check-in. */
    public Node onNodeLost(BiConsumer<String, Instant> onNodeLost) {
      return new Node(name, zone, checkIn, onNodeLost);
    }

    /**
     * Starts it on the jobs of {@code services}, planning {@code instances} at the start with their last attempts; the
     * system clock is Quartz's (its store tells the time by it), so the node gets {@code clock} for the rest.
     */
    public TestSchedules start(TestServices services, Clock clock, List<PiholeInstance> instances, Function<Long, Optional<Instant>> lastAttempt) {
      ClusterStore store = new ClusterStore(name, database.pool(), checkIn, new QuartzNodes(database, ClusterStore.SCHEDULER_NAME, name, clock),
          onNodeLost, () -> { }, () -> { });
      TestSchedules schedules = new TestSchedules(dir.resolve(name + ".lock"), zone, clock, Duration.ofSeconds(1), Duration.ofHours(1), Spread.NONE, store)
          .start(new AppJobs(services.backups.runs(), services.tickets, services.maintenance), s -> s.scheduleAll(instances, lastAttempt));
      running.add(schedules);
      return schedules;
    }
  }

  /** Stops a node, as its process stopping gracefully. */
  public void stop(TestSchedules node) {
    running.remove(node);
    node.close();
  }

  /** An INSERT, UPDATE or DELETE from outside the app; the rows it changed. */
  public int update(String sql, Object... parameters) throws SQLException {
    try (Connection c = MigratedDatabase.connectOutside(database); PreparedStatement s = prepared(c, sql, parameters)) {
      return s.executeUpdate();
    }
  }

  /** One INSERT, UPDATE or DELETE of {@link #updateAtOnce}. */
  public record Update(String sql, Object... parameters) {
  }

  /**
   * Several writes from outside the app in one transaction: another node sees all of them or none. A node's check-in
   * runs every second; written one by one, a dead node's check-in could be found (and the node taken off) before the
   * run it left executing is there to be recovered.
   */
  public void updateAtOnce(Update... updates) throws SQLException {
    try (Connection c = MigratedDatabase.connectOutside(database)) {
      c.setAutoCommit(false);
      for (Update update : updates) {
        try (PreparedStatement s = prepared(c, update.sql(), update.parameters())) {
          s.executeUpdate();
        }
      }
      c.commit();
    }
  }

  /** A query from outside the app: its first row read by {@code row}, or empty when it has none. */
  public <T> Optional<T> first(String sql, Row<T> row, Object... parameters) throws SQLException {
    try (Connection c = MigratedDatabase.connectOutside(database); PreparedStatement s = prepared(c, sql, parameters);
         ResultSet r = s.executeQuery()) {
      return r.next() ? Optional.of(row.read(r)) : Optional.empty();
    }
  }

  /** Reads one row of a result. */
  @FunctionalInterface
  public interface Row<T> {
    T read(ResultSet row) throws SQLException;
  }

  private static PreparedStatement prepared(Connection c, String sql, Object... parameters) throws SQLException {
    PreparedStatement s = c.prepareStatement(sql);
    for (int i = 0; i < parameters.length; i++) {
      s.setObject(i + 1, parameters[i]);
    }
    return s;
  }

  @Override
  public void close() {
    try {
      for (TestSchedules node : List.copyOf(running)) {
        stop(node);
      }
    } finally {
      database.close();
    }
  }
}
