package io.piholecheckpoint.scheduling;

import static org.assertj.core.api.Assertions.assertThat;

import io.piholecheckpoint.core.instance.InstanceDefinition;
import io.piholecheckpoint.core.instance.RetentionPolicy;
import io.piholecheckpoint.core.instance.TlsTrust;
import io.piholecheckpoint.core.schedule.Schedule;
import io.piholecheckpoint.testing.QuartzClusterNodes;
import io.piholecheckpoint.testing.TestServices;
import java.nio.file.Path;
import java.time.Clock;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole cluster was down over a scheduled time: the node that starts first has Quartz fire the overdue run, and a node
 * starting while that backup runs (not recorded yet) must not add a catch-up of the same run: it would be backed up twice.
 */
class ClusterCatchUpIT {
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
  void aNodeStartingAfterTheMissedRunFiredOnAnotherAddsNoCatchUp() throws Exception {
    cluster = QuartzClusterNodes.open(dir);
    Clock clock = Clock.systemUTC(); // Quartz's store tells the time by the system clock
    Instant now = clock.instant();
    Instant due = now.minus(Duration.ofMinutes(10)).truncatedTo(ChronoUnit.MINUTES);
    TestServices services = new TestServices(dir.resolve("backups"), clock);
    services.instances.applyEnvironment(List.of(new InstanceDefinition("HOME", "Home", "http://pi.hole", TlsTrust.SYSTEM, null,
        new Schedule(Schedule.Kind.DAILY, due.atZone(ZoneOffset.UTC).toLocalTime(), DayOfWeek.SUNDAY, null), RetentionPolicy.DEFAULT, false, true)));
    long home = services.instances.list().get(0).id();
    cluster.stop(start(services, clock, "node-a", id -> Optional.empty()));

    // node-a's Quartz fired the run due 10 minutes ago (the cluster was down then); its backup is not recorded yet
    assertThat(cluster.update("UPDATE qrtz_triggers SET prev_fire_time = ? WHERE trigger_name = ?", due.toEpochMilli(), "instance-" + home))
        .isEqualTo(1);
    start(services, clock, "node-b", id -> Optional.of(now.minus(Duration.ofHours(2))));

    assertThat(triggers("catch-up-" + home)).as("a catch-up of the run Quartz fired already").isZero();
    assertThat(triggers("instance-" + home)).isEqualTo(1);
  }

  private TestSchedules start(TestServices services, Clock clock, String node, Function<Long, Optional<Instant>> lastAttempt) {
    return cluster.node(node).checkIn(Duration.ofSeconds(10)).start(services, clock, services.instances.list(), lastAttempt);
  }

  private int triggers(String name) throws Exception {
    return cluster.first("SELECT COUNT(*) FROM qrtz_triggers WHERE trigger_name = ?", r -> r.getInt(1), name).orElseThrow();
  }
}
