package io.piholecheckpoint.scheduling;

import static org.assertj.core.api.Assertions.assertThat;

import io.piholecheckpoint.core.backup.catalog.Backup;
import io.piholecheckpoint.core.instance.InstanceDefinition;
import io.piholecheckpoint.core.instance.RetentionPolicy;
import io.piholecheckpoint.core.instance.TlsTrust;
import io.piholecheckpoint.core.schedule.Schedule;
import io.piholecheckpoint.testing.Eventually;
import io.piholecheckpoint.testing.QuartzClusterNodes;
import io.piholecheckpoint.testing.TestServices;
import java.nio.file.Path;
import java.time.Clock;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A node of a cluster on the real Quartz store in PostgreSQL, finding another node dead (its check-in
 * overdue, a scheduled backup of it still executing, as a kill -9 leaves them): the node is told at
 * once, and the backup runs again at once, not at the instance's next fire hours later.
 */
class ClusterRecoveryIT {
  private static final Duration PATIENCE = Duration.ofSeconds(60);

  @TempDir
  Path dir;
  private QuartzClusterNodes cluster;

  @AfterEach
  void close() {
    if (cluster != null) {
      cluster.close();
    }
  }

  @Test
  void aDeadNodesScheduledBackupRunsAgainAtRecoveryAndTheNodeIsToldAtOnce() throws Exception {
    cluster = QuartzClusterNodes.open(dir);
    Clock clock = Clock.systemUTC(); // Quartz's check-ins tell the time by the system clock
    Instant now = clock.instant().truncatedTo(ChronoUnit.SECONDS);
    TestServices services = new TestServices(dir.resolve("backups"), clock);
    LocalTime inThreeHours = now.plus(Duration.ofHours(3)).atZone(ZoneOffset.UTC).toLocalTime().truncatedTo(ChronoUnit.MINUTES);
    services.instances.applyEnvironment(List.of(new InstanceDefinition("HOME", "Home", "http://pi.hole", TlsTrust.SYSTEM, null,
        new Schedule(Schedule.Kind.DAILY, inThreeHours, DayOfWeek.SUNDAY, null), RetentionPolicy.DEFAULT, false, true)));
    long home = services.instances.list().get(0).id();
    List<String> lost = new CopyOnWriteArrayList<>();
    TestSchedules schedules = cluster.node("node-a").onNodeLost((node, lastCheckIn) -> lost.add(node + " " + lastCheckIn))
        .start(services, clock, services.instances.list(), id -> Optional.empty());
    Instant lastOfB = now.minusSeconds(60);

    // node-b died while it ran Home's scheduled backup: its check-in and its fired trigger, as Quartz's store keeps them
    cluster.updateAtOnce(new QuartzClusterNodes.Update("INSERT INTO qrtz_scheduler_state VALUES ('checkpoint', 'node-b', ?, 1000)",
        lastOfB.toEpochMilli()), new QuartzClusterNodes.Update("INSERT INTO qrtz_fired_triggers (sched_name, entry_id, trigger_name, trigger_group,"
        + " instance_name, fired_time, sched_time, priority, state, job_name, job_group, is_nonconcurrent, requests_recovery)"
        + " VALUES ('checkpoint', 'node-b-1', ?, 'backups', 'node-b', ?, ?, 5, 'EXECUTING', ?, 'backups', TRUE, TRUE)",
        "instance-" + home, lastOfB.minusSeconds(5).toEpochMilli(), lastOfB.minusSeconds(5).toEpochMilli(), "instance-" + home));

    Eventually.until("Home backed up again by node-a", PATIENCE, () -> services.backupRepository.findByInstance(home, 10).stream()
        .anyMatch(b -> b.trigger() == Backup.Trigger.SCHEDULED && b.successful()));
    assertThat(lost).containsExactly("node-b " + lastOfB);
    assertThat(schedules.nextRun(home)).as("the schedule itself is untouched: next in hours").hasValueSatisfying(
        next -> assertThat(next).isAfter(now.plus(Duration.ofHours(2))));
  }
}
