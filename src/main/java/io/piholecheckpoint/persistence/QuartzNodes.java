package io.piholecheckpoint.persistence;

import io.piholecheckpoint.core.download.Pause;
import io.piholecheckpoint.core.health.ClusterStatus;
import io.piholecheckpoint.core.health.ScheduledTriggers;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.apache.ibatis.session.SqlSession;

/**
 * The nodes of a cluster as Quartz's job store in PostgreSQL knows them: each one's last check-in and the jobs it runs;
 * the nodes found dead lately, which Quartz forgets once it has recovered them; and the next fire times of its jobs, in one query.
 */
public final class QuartzNodes implements Supplier<ClusterStatus>, ScheduledTriggers {
  /** How long a node found dead is still listed, as down: long enough for an operator to see what happened overnight. */
  public static final Duration LISTED_DOWN = Duration.ofHours(24);

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
      SchedulerStateMapper mapper = session.getMapper(SchedulerStateMapper.class);
      List<ClusterStatus.Node> nodes = new ArrayList<>(mapper.findNodes(scheduler).stream()
          .map(row -> {
            Instant last = Instant.ofEpochMilli(row.lastCheckinTime());
            return new ClusterStatus.Node(row.instanceName(), last, ClusterStatus.alive(last, Duration.ofMillis(row.checkinInterval()), now),
                row.running());
          }).toList());
      Set<String> checkingIn = nodes.stream().map(ClusterStatus.Node::name).collect(Collectors.toSet());
      // a node back since is listed by its check-ins
      mapper.findDownSince(now.minus(LISTED_DOWN)).stream().filter(row -> !checkingIn.contains(row.instanceName()))
          .forEach(row -> nodes.add(new ClusterStatus.Node(row.instanceName(),
              row.lastCheckinTime() == 0 ? null : Instant.ofEpochMilli(row.lastCheckinTime()), false, 0)));
      nodes.sort(Comparator.comparing(ClusterStatus.Node::name));
      return new ClusterStatus("cluster", node, List.copyOf(nodes), null);
    }
  }

  /** Keeps a node found dead listed as down, with its last check-in (null: unknown), for {@link #LISTED_DOWN}. */
  public void recordDown(String name, Instant lastCheckIn) {
    try (SqlSession session = database.sessions().openSession(false)) {
      session.getMapper(SchedulerStateMapper.class).upsertDown(name, lastCheckIn, clock.instant());
      session.commit();
    }
  }

  /**
   * This node has stopped gracefully: its check-in row goes, and a "down" kept from an earlier death of its name, so that
   * /health no longer lists it and no other node takes it for dead a moment later (listed down for a day). Only when
   * nothing it fired is left (its scheduler waited for its jobs): otherwise the row stays, and the others recover that work.
   *
   * @return whether it was taken off the list
   */
  public boolean recordStopped() {
    try (SqlSession session = database.sessions().openSession(false)) {
      SchedulerStateMapper mapper = session.getMapper(SchedulerStateMapper.class);
      boolean idle = mapper.deleteIdleCheckIn(scheduler, node) == 1;
      if (idle) {
        mapper.deleteDown(node);
      }
      session.commit();
      return idle;
    }
  }

  /** The named node's last check-in in Quartz's store; empty when it has none (never started, or recovered as dead). */
  public Optional<Instant> lastCheckIn(String name) {
    try (SqlSession session = database.sessions().openSession(true)) {
      return Optional.ofNullable(session.getMapper(SchedulerStateMapper.class).findCheckIn(scheduler, name)).map(Instant::ofEpochMilli);
    }
  }

  @Override
  public Map<String, Optional<Instant>> nextFires(String jobGroup) {
    return nextFires(jobGroup, null);
  }

  @Override
  public Map<String, Optional<Instant>> nextFires(String jobGroup, Collection<String> jobs) {
    Map<String, Optional<Instant>> fires = new HashMap<>();
    if (jobs != null && jobs.isEmpty()) {
      return fires; // IN () is no SQL
    }
    try (SqlSession session = database.sessions().openSession(true)) {
      session.getMapper(SchedulerStateMapper.class).findNextFires(scheduler, jobGroup, jobs == null ? null : List.copyOf(jobs))
          .forEach(row -> fires.put(row.jobName(), Optional.ofNullable(row.nextFireTime()).map(Instant::ofEpochMilli)));
      return fires;
    }
  }

  @Override
  public List<Stored> storedInOtherZone(String zoneId) {
    try (SqlSession session = database.sessions().openSession(true)) {
      return session.getMapper(SchedulerStateMapper.class).findInOtherZone(scheduler, zoneId);
    }
  }

  @Override
  public Summary summary(String jobGroup) {
    try (SqlSession session = database.sessions().openSession(true)) {
      TriggerSummaryRow row = session.getMapper(SchedulerStateMapper.class).summarizeTriggers(scheduler, jobGroup);
      return new Summary(row.jobs(), Optional.ofNullable(row.earliest()).map(Instant::ofEpochMilli));
    }
  }

  /**
   * Returns once no other live process checks in under this node's name: at once when the name has no
   * fresh check-in; otherwise after watching it for a check-in interval and the grace, the time in which
   * a live process checks in again (while the last process under the name, which died, does not).
   *
   * @throws IllegalStateException when another process checked in under the name meanwhile: this one must not start
   */
  public void requireNameFree(Duration checkin, Pause pause) throws InterruptedException {
    Optional<Instant> first = lastCheckIn(node);
    Duration silentFor = checkin.plus(ClusterStatus.GRACE);
    for (Optional<Instant> seen = first; seen.isPresent(); seen = lastCheckIn(node)) {
      if (seen.get().isAfter(first.get())) {
        throw new IllegalStateException(("NODE_NAME %s is in use: another Pi-hole Checkpoint process of this cluster checked in under that name"
            + " at %s, while this one waited to see whether it was gone. Two nodes with one name would each take the other's work for a"
            + " dead node's and delete its downloads in progress. Give this node its own NODE_NAME, or stop the other process first")
            .formatted(node, seen.get()));
      }
      if (clock.instant().isAfter(seen.get().plus(silentFor))) {
        return; // the last process under the name is gone
      }
      pause.pause(Duration.ofMillis(Math.max(100, Math.min(500, checkin.toMillis() / 4))));
    }
  }

  /** Whether the named node still checks in. */
  public boolean alive(String name) {
    return get().nodes().stream().anyMatch(n -> n.name().equals(name) && n.alive());
  }
}
