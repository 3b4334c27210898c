package io.piholecheckpoint.scheduling;

import static org.assertj.core.api.Assertions.assertThat;

import io.piholecheckpoint.core.instance.InstanceDefinition;
import io.piholecheckpoint.core.instance.RetentionPolicy;
import io.piholecheckpoint.core.instance.TlsTrust;
import io.piholecheckpoint.core.schedule.Schedule;
import io.piholecheckpoint.core.schedule.Spread;
import io.piholecheckpoint.persistence.Database;
import io.piholecheckpoint.persistence.Dialect;
import io.piholecheckpoint.persistence.QuartzNodes;
import io.piholecheckpoint.testing.MigratedDatabase;
import io.piholecheckpoint.testing.TestServices;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
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
  private Database database;
  private Schedules schedules;

  @AfterEach
  void close() {
    if (schedules != null) {
      schedules.close();
    }
    if (database != null) {
      database.close();
    }
  }

  @Test
  void aNodeStartingAfterTheMissedRunFiredOnAnotherAddsNoCatchUp() throws Exception {
    database = MigratedDatabase.open(Dialect.POSTGRESQL, dir);
    Clock clock = Clock.systemUTC(); // Quartz's store tells the time by the system clock
    Instant now = clock.instant();
    Instant due = now.minus(Duration.ofMinutes(10)).truncatedTo(ChronoUnit.MINUTES);
    TestServices services = new TestServices(dir.resolve("backups"), clock);
    services.instances.applyEnvironment(List.of(new InstanceDefinition("HOME", "Home", "http://pi.hole", TlsTrust.SYSTEM, null,
        new Schedule(Schedule.Kind.DAILY, due.atZone(ZoneOffset.UTC).toLocalTime(), DayOfWeek.SUNDAY, null), RetentionPolicy.DEFAULT, false, true)));
    long home = services.instances.list().get(0).id();
    schedules = start(services, clock, "node-a", id -> Optional.empty());
    schedules.close();
    schedules = null;

    // node-a's Quartz fired the run due 10 minutes ago (the cluster was down then); its backup is not recorded yet
    try (Connection c = MigratedDatabase.connectOutside(database);
         PreparedStatement s = c.prepareStatement("UPDATE qrtz_triggers SET prev_fire_time = ? WHERE trigger_name = ?")) {
      s.setLong(1, due.toEpochMilli());
      s.setString(2, "instance-" + home);
      assertThat(s.executeUpdate()).isEqualTo(1);
    }
    schedules = start(services, clock, "node-b", id -> Optional.of(now.minus(Duration.ofHours(2))));

    assertThat(triggers("catch-up-" + home)).as("a catch-up of the run Quartz fired already").isZero();
    assertThat(triggers("instance-" + home)).isEqualTo(1);
  }

  private Schedules start(TestServices services, Clock clock, String node, Function<Long, Optional<Instant>> lastAttempt) {
    ClusterStore store = new ClusterStore(node, database.pool(), Duration.ofSeconds(10),
        new QuartzNodes(database, ClusterStore.SCHEDULER_NAME, node, clock), (name, at) -> { }, () -> { }, () -> { });
    return new Schedules(dir.resolve(node + ".lock"), ZoneOffset.UTC, clock, Duration.ofSeconds(1), Duration.ofHours(1), Spread.NONE, store)
        .start(new Schedules.AppJobs(services.backups, services.tickets, services.maintenance),
            s -> s.scheduleAll(services.instances.list(), lastAttempt));
  }

  private int triggers(String name) throws Exception {
    try (Connection c = MigratedDatabase.connectOutside(database);
         PreparedStatement s = c.prepareStatement("SELECT COUNT(*) FROM qrtz_triggers WHERE trigger_name = ?")) {
      s.setString(1, name);
      try (ResultSet r = s.executeQuery()) {
        r.next();
        return r.getInt(1);
      }
    }
  }
}
