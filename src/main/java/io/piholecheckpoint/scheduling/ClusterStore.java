package io.piholecheckpoint.scheduling;

import io.piholecheckpoint.core.health.ScheduledTriggers;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.Properties;
import java.util.UUID;
import java.util.function.BiConsumer;
import javax.sql.DataSource;
import org.quartz.impl.StdSchedulerFactory;
import org.quartz.utils.ConnectionProvider;
import org.quartz.utils.DBConnectionManager;

/**
 * Quartz's clustered JDBC job store on the catalogue's PostgreSQL database: every node runs a
 * scheduler over the same QRTZ_ tables, and each trigger fires on one node only. Quartz takes
 * its connections from a JVM-wide registry by name (the one static hand-off it forces); this
 * class alone puts the catalogue's pool there, under a name unique to this web context.
 *
 * @param node NODE_NAME: Quartz's instance id, the name /health and each backup show
 * @param dataSource Quartz's own pool (not the one web requests use); it borrows a connection per store operation
 * @param triggers the store's next fire times, read in one query rather than job by job
 * @param checkin how often the node checks in; a node silent for this long plus Quartz's 7.5 s grace is dead, and its work is recovered
 * @param onNodeLost told, on the node that recovered it, of each dead node (its name and last check-in, null when unknown)
 * @param onStopped told when this node's scheduler has shut down, its check-ins over (a graceful stop)
 * @param onCheckedIn told after each of this node's check-ins (it looks at its clock again then)
 */
public record ClusterStore(String node, DataSource dataSource, Duration checkin, ScheduledTriggers triggers, BiConsumer<String, Instant> onNodeLost,
                           Runnable onStopped, Runnable onCheckedIn) {
  /** The same on every node: the rows of one schedule are the rows with this SCHED_NAME. */
  public static final String SCHEDULER_NAME = "checkpoint";
  /**
   * How late a fire may run rather than be skipped. In a cluster a fired backup waits for a slot in
   * its Quartz thread (so that a node's death leaves it for another to recover), and the fires no
   * thread has taken wait in the store meanwhile: with a thousand Pi-holes due within minutes they
   * are late by more than Quartz's default minute, and were skipped until the next day.
   */
  static final Duration MISFIRE_THRESHOLD = Duration.ofHours(1);

  /**
   * Registers the pool for Quartz and returns the job store's properties.
   *
   * @param afterCheckIn the scheduler's own look after each check-in, after {@link #onCheckedIn} (also when that failed)
   */
  Properties properties(Runnable afterCheckIn) {
    String source = "checkpoint-" + UUID.randomUUID();
    DBConnectionManager.getInstance().addConnectionProvider(source, new ConnectionProvider() {
      @Override
      public Connection getConnection() throws SQLException {
        return dataSource.getConnection();
      }

      @Override
      public void shutdown() {
        // the pool is the catalogue's: it is closed with the database, after the scheduler
      }

      @Override
      public void initialize() {
      }
    });
    Properties p = new Properties();
    p.setProperty(StdSchedulerFactory.PROP_SCHED_INSTANCE_NAME, SCHEDULER_NAME);
    p.setProperty(StdSchedulerFactory.PROP_SCHED_INSTANCE_ID, node);
    p.setProperty(StdSchedulerFactory.PROP_JOB_STORE_CLASS, ClusterJobStore.class.getName());
    p.setProperty("org.quartz.jobStore.listeners", ClusterJobStore.register(new ClusterJobStore.Listeners(onNodeLost, onStopped, () -> {
      try {
        onCheckedIn.run();
      } finally {
        afterCheckIn.run();
      }
    })));
    p.setProperty("org.quartz.jobStore.driverDelegateClass", "org.quartz.impl.jdbcjobstore.PostgreSQLDelegate");
    p.setProperty("org.quartz.jobStore.dataSource", source);
    p.setProperty("org.quartz.jobStore.tablePrefix", "QRTZ_");
    p.setProperty("org.quartz.jobStore.isClustered", "true");
    p.setProperty("org.quartz.jobStore.misfireThreshold", String.valueOf(MISFIRE_THRESHOLD.toMillis()));
    p.setProperty("org.quartz.jobStore.clusterCheckinInterval", String.valueOf(checkin.toMillis()));
    // JobDataMaps are stored as string properties, never as serialised Java objects
    p.setProperty("org.quartz.jobStore.useProperties", "true");
    // nodes acquiring at the same moment take turns on QRTZ_LOCKS rather than both take one trigger
    p.setProperty("org.quartz.jobStore.acquireTriggersWithinLock", "true");
    return p;
  }
}
