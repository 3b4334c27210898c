package io.piholecheckpoint.scheduling;

import static org.assertj.core.api.Assertions.assertThat;

import io.piholecheckpoint.core.instance.InstanceDefinition;
import io.piholecheckpoint.core.instance.RetentionPolicy;
import io.piholecheckpoint.core.instance.TlsTrust;
import io.piholecheckpoint.core.registry.InstanceService;
import io.piholecheckpoint.core.schedule.Schedule;
import io.piholecheckpoint.persistence.MyBatisInstanceRepository;
import io.piholecheckpoint.testing.CapturedOutput;
import io.piholecheckpoint.testing.Eventually;
import io.piholecheckpoint.testing.QuartzClusterNodes;
import io.piholecheckpoint.testing.TestInstances;
import io.piholecheckpoint.testing.TestServices;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Clock;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A trigger kept in Quartz's clustered store in another zone than TIME_ZONE (written by a build that lost the zone, or a
 * node whose JVM has another TZ) is found after a check-in, warned about, and planned again in TIME_ZONE.
 */
class ClusterTimeZoneIT {
  private static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");

  @TempDir
  Path dir;

  private QuartzClusterNodes cluster;
  private TestSchedules schedules;

  @AfterEach
  void close() {
    if (cluster != null) {
      cluster.close();
    }
  }

  @Test
  void aTriggerKeptInAnotherZoneIsWarnedAboutAndPlannedAgainInTimeZoneAfterACheckIn() throws Exception {
    cluster = QuartzClusterNodes.open(dir);
    InstanceService instances = TestInstances.service(new MyBatisInstanceRepository(cluster.database(), Clock.systemUTC()));
    instances.applyEnvironment(List.of(new InstanceDefinition("HOME", "Home", "http://pi.hole", TlsTrust.SYSTEM, null,
        new Schedule(Schedule.Kind.DAILY, LocalTime.of(3, 0), DayOfWeek.SUNDAY, null), RetentionPolicy.DEFAULT, false, true)));
    long id = instances.list().get(0).id();
    start(instances);
    assertThat(kept("instance-" + id)).isEqualTo("Europe/Berlin true");

    try (CapturedOutput output = CapturedOutput.start()) {
      // as an earlier build left them: one in the JVM's zone of another node, one without its daylight-saving rule
      assertThat(cluster.update("UPDATE qrtz_simprop_triggers SET str_prop_2 = 'America/New_York' WHERE trigger_name = ?", "instance-" + id))
          .isEqualTo(1);
      assertThat(cluster.update("UPDATE qrtz_simprop_triggers SET bool_prop_1 = false WHERE trigger_group = 'maintenance' AND trigger_name = 'daily'"))
          .isEqualTo(1);

      Eventually.until("both planned again in TIME_ZONE", Duration.ofSeconds(30),
          () -> kept("instance-" + id).equals("Europe/Berlin true") && kept("daily").equals("Europe/Berlin true"));

      // by a one-off job on one of Quartz's workers: neither the check-in thread, which must not wait for the writes, nor one of its own
      assertThat(output.text()).containsPattern("\\[checkpoint_Worker-\\d+\\] WARN io.piholecheckpoint.scheduling.Schedules - The schedule"
          + " of Pi-hole 'Home' \\(instance " + id + "\\) was kept in time zone America/New_York, not in TIME_ZONE Europe/Berlin")
          .contains("The trigger maintenance.daily was kept in TIME_ZONE Europe/Berlin but without keeping its hour across daylight-saving changes");
    }
    assertThat(schedules.nextRun(id)).hasValueSatisfying(at -> assertThat(at.atZone(BERLIN).toLocalTime()).isEqualTo(LocalTime.of(3, 0)));
  }

  @Test
  void aTriggerKeptInAnotherZoneFoundAtAStartIsWarnedAboutAsItIsPlannedAgain() throws Exception {
    cluster = QuartzClusterNodes.open(dir);
    InstanceService instances = TestInstances.service(new MyBatisInstanceRepository(cluster.database(), Clock.systemUTC()));
    instances.applyEnvironment(List.of(new InstanceDefinition("HOME", "Home", "http://pi.hole", TlsTrust.SYSTEM, null,
        new Schedule(Schedule.Kind.DAILY, LocalTime.of(3, 0), DayOfWeek.SUNDAY, null), RetentionPolicy.DEFAULT, false, true)));
    long id = instances.list().get(0).id();
    start(instances);
    cluster.stop(schedules);
    // as a node whose JVM ran in New York left it while the cluster was down
    assertThat(cluster.update("UPDATE qrtz_simprop_triggers SET str_prop_2 = 'America/New_York' WHERE trigger_name = ?", "instance-" + id))
        .isEqualTo(1);

    try (CapturedOutput output = CapturedOutput.start()) {
      start(instances);

      assertThat(kept("instance-" + id)).as("the start planned it again").isEqualTo("Europe/Berlin true");
      // by the start itself (on its own thread), which replans it before any check-in could find it
      assertThat(output.text()).containsPattern("\\[main\\] WARN io.piholecheckpoint.scheduling.Schedules - The schedule of Pi-hole 'Home'"
          + " \\(instance " + id + "\\) was kept in time zone America/New_York, not in TIME_ZONE Europe/Berlin");
    }
  }

  /** As Application starts a node of a cluster: every instance planned at the start, checking in every second. */
  private void start(InstanceService instances) {
    schedules = cluster.node("node-a").zone(BERLIN)
        .start(new TestServices(dir.resolve("backups"), Clock.systemUTC()), Clock.systemUTC(), instances.list(), i -> Optional.empty());
    schedules.planInstancesWith(new Planning.InstancePlan(instances::changes, instances::list, instances::lookUp));
  }

  /** The zone a calendar trigger is kept in, and whether it keeps its hour across daylight-saving changes. */
  private String kept(String trigger) throws SQLException {
    return cluster.first("SELECT str_prop_2, bool_prop_1 FROM qrtz_simprop_triggers WHERE trigger_name = ?",
        r -> r.getString(1) + " " + r.getBoolean(2), trigger).orElse("none");
  }
}
