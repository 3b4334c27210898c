package io.piholecheckpoint.persistence;

import io.piholecheckpoint.core.health.ClusterStatus;
import io.piholecheckpoint.core.health.ScheduledTriggers;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import org.apache.ibatis.session.SqlSession;

/**
 * The nodes of a cluster as Quartz's job store in PostgreSQL knows them: each one's last check-in and the jobs it runs;
 * and the next fire times of its jobs, in one query.
 */
public final class QuartzNodes implements Supplier<ClusterStatus>, ScheduledTriggers {
  private final Database database;
  private final String scheduler;
  private final String node;
  private final Clock clock;

  /** @param scheduler Quartz's scheduler name, the same on every node */
  public QuartzNodes(Database database, String scheduler, String node, Clock clock) {
    this.database = database;
    this.scheduler = scheduler;
    this.node = node;
    this.clock = clock;
  }

  @Override
  public ClusterStatus get() {
    Instant now = clock.instant();
    try (SqlSession session = database.sessions().openSession(true)) {
      List<ClusterStatus.Node> nodes = session.getMapper(SchedulerStateMapper.class).findNodes(scheduler).stream()
          .map(row -> {
            Instant last = Instant.ofEpochMilli(row.lastCheckinTime());
            return new ClusterStatus.Node(row.instanceName(), last, ClusterStatus.alive(last, Duration.ofMillis(row.checkinInterval()), now),
                row.running());
          }).toList();
      return new ClusterStatus("cluster", node, nodes);
    }
  }

  @Override
  public Map<String, Optional<Instant>> nextFires(String jobGroup) {
    try (SqlSession session = database.sessions().openSession(true)) {
      Map<String, Optional<Instant>> fires = new HashMap<>();
      session.getMapper(SchedulerStateMapper.class).findNextFires(scheduler, jobGroup)
          .forEach(row -> fires.put(row.jobName(), Optional.ofNullable(row.nextFireTime()).map(Instant::ofEpochMilli)));
      return fires;
    }
  }

  @Override
  public Summary summary(String jobGroup) {
    try (SqlSession session = database.sessions().openSession(true)) {
      TriggerSummaryRow row = session.getMapper(SchedulerStateMapper.class).summarizeTriggers(scheduler, jobGroup);
      return new Summary(row.jobs(), Optional.ofNullable(row.earliest()).map(Instant::ofEpochMilli));
    }
  }

  /** Whether the named node still checks in. */
  public boolean alive(String name) {
    return get().nodes().stream().anyMatch(n -> n.name().equals(name) && n.alive());
  }
}
