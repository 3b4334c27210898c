package io.piholecheckpoint.core.health;

import static org.assertj.core.api.Assertions.assertThat;

import io.piholecheckpoint.core.backup.Backup;
import io.piholecheckpoint.core.instance.Schedule;
import io.piholecheckpoint.testing.Fixtures;
import io.piholecheckpoint.testing.MovableClock;
import io.piholecheckpoint.testing.TestInstances;
import io.piholecheckpoint.testing.TestServices;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HealthServiceTest {
  private final MovableClock clock = new MovableClock(Instant.parse("2026-11-27T03:00:00Z"));
  private SchedulerStatus scheduler = new SchedulerStatus("started", 1, null, null);
  private TestServices services;
  private long home;

  @TempDir
  Path dir;

  @BeforeEach
  void setUp() {
    services = new TestServices(dir, clock);
    services.instances.applyEnvironment(List.of(TestInstances.aDefinition("HOME", "http://pi.hole")));
    home = services.instances.list().get(0).id();
    services.gateway.answer(Fixtures.archiveA());
  }

  private HealthService health(Optional<Duration> staleAfter) {
    return new HealthService(new HealthProbes() {
      @Override
      public SchedulerStatus scheduler() {
        return scheduler;
      }

      @Override
      public DatabaseStatus database() {
        return new DatabaseStatus(true, "3", null);
      }
    }, services.instances, services.backups, services.archives, clock,
        new Staleness(staleAfter, s -> s.kind() == Schedule.Kind.DAILY ? Duration.ofDays(1) : Duration.ofHours(1)));
  }

  @Test
  void aDailyInstanceGoesStaleAfterTwoDaysWithoutSuccessAndRecovers() {
    HealthService health = health(Optional.empty());
    services.backups.runBackup(home, Backup.Trigger.SCHEDULED);

    clock.advance(Duration.ofHours(47));
    assertThat(health.check().status()).isEqualTo("ok");

    clock.advance(Duration.ofHours(2));
    HealthReport degraded = health.check();
    assertThat(degraded.status()).isEqualTo("degraded");
    assertThat(degraded.available()).as("a stale Pi-hole is no reason to restart the container").isTrue();
    assertThat(degraded.instances().get(0).stale()).isTrue();
    assertThat(degraded.instances().get(0).staleAfterSeconds()).isEqualTo(Duration.ofDays(2).toSeconds());

    services.backups.runBackup(home, Backup.Trigger.MANUAL);
    assertThat(health.check().status()).isEqualTo("ok");
  }

  @Test
  void anUnschedulableInstanceMakesHealthDegradedAndNamesItWithItsProblem() {
    HealthService health = health(Optional.empty());

    services.instances.markUnschedulable(home, "the scheduler refused its schedule '0 0 0 31 2 ?'");
    HealthReport report = health.check();

    assertThat(report.status()).isEqualTo("degraded");
    assertThat(report.available()).isTrue();
    assertThat(report.instances()).singleElement().satisfies(i -> {
      assertThat(i.name()).isEqualTo("Pi-hole HOME");
      assertThat(i.status()).isEqualTo("misconfigured");
      assertThat(i.message()).contains("0 0 0 31 2 ?");
      assertThat(i.stale()).as("an unscheduled instance cannot go stale").isFalse();
    });

    services.instances.recheck();
    assertThat(health.check().status()).as("a recheck that finds nothing wrong clears the mark").isEqualTo("ok");
  }

  @Test
  void neverSucceedingCountsFromTheStartAndStaleAfterOverridesTheSchedule() {
    HealthService health = health(Optional.of(Duration.ofHours(6)));

    clock.advance(Duration.ofHours(5));
    assertThat(health.check().status()).isEqualTo("ok");
    clock.advance(Duration.ofHours(2));
    assertThat(health.check().status()).isEqualTo("degraded");
  }

  @Test
  void aDeadSchedulerIsUnavailableWhateverTheInstances() {
    HealthService health = health(Optional.empty());
    scheduler = new SchedulerStatus("shut down", 0, null, "stopped");

    assertThat(health.check().status()).isEqualTo("unavailable");
    assertThat(health.check().available()).isFalse();
  }
}
