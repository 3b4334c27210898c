package io.piholecheckpoint.scheduling;

import static org.assertj.core.api.Assertions.assertThat;

import io.piholecheckpoint.core.backup.catalog.Backup;
import io.piholecheckpoint.core.instance.InstanceDefinition;
import io.piholecheckpoint.core.instance.Origin;
import io.piholecheckpoint.core.instance.PiholeInstance;
import io.piholecheckpoint.core.instance.RetentionPolicy;
import io.piholecheckpoint.core.instance.TlsTrust;
import io.piholecheckpoint.core.schedule.Schedule;
import io.piholecheckpoint.core.schedule.Spread;
import io.piholecheckpoint.testing.CapturedOutput;
import io.piholecheckpoint.testing.Eventually;
import io.piholecheckpoint.testing.ScheduledSoon;
import io.piholecheckpoint.testing.TestServices;
import java.nio.file.Path;
import java.time.Clock;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import io.piholecheckpoint.core.schedule.LocalTimeText;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real Quartz scheduler's fires, in wall time: each case waits seconds for a cron second to come and, for a late fire, for
 * Quartz's misfire threshold to pass on the wall clock, which no clock of ours can move. Integration tests, so the unit phase
 * does not wait them out (bench/RESULTS.md, "Suite time, unit phase", r45); the rest of the scheduler is {@link SchedulesTest}.
 */
class ScheduledFiresIT {
  /** The services' time, fixed at the case's start: a cron second is set a few seconds after it. */
  private final Clock clock = Clock.fixed(Instant.now().truncatedTo(ChronoUnit.SECONDS), ZoneOffset.UTC);
  @TempDir
  Path dir;
  private TestSchedules schedules;
  private TestServices services;

  @BeforeEach
  void setUp() {
    services = new TestServices(dir.resolve("backups"), clock);
    services.instances.applyEnvironment(List.of(new InstanceDefinition("HOME", "Home", "http://pi.hole", TlsTrust.SYSTEM, null,
        Schedule.DEFAULT, RetentionPolicy.DEFAULT, false, true)));
  }

  @AfterEach
  void tearDown() {
    if (schedules != null) {
      schedules.close();
    }
  }

  @Test
  void aScheduledFireOfAnInstanceThatNoLongerExistsRunsNothingAndRemovesItsJob() throws Exception {
    // scheduled by a plan read before it was deleted (on another node, say): it is in no repository now
    // once, a moment from now: a backup runs at most once a minute
    String soon = ScheduledSoon.daily(ScheduledSoon.in(clock, ZoneOffset.UTC, 2));
    PiholeInstance gone = new PiholeInstance(99, "Gone", "gone", Origin.UI, null, "http://gone.lan", TlsTrust.SYSTEM, null,
        new Schedule(Schedule.Kind.CRON, LocalTime.of(3, 0), DayOfWeek.SUNDAY, soon), RetentionPolicy.DEFAULT, false, true, false, false,
        PiholeInstance.Status.UNKNOWN);
    schedules = TestSchedules.start(new AppJobs(services.backups.runs(), services.tickets, services.maintenance), dir.resolve("scheduler.lock"),
        ZoneOffset.UTC, clock, Duration.ofMillis(100), s -> { });
    try (CapturedOutput output = CapturedOutput.start()) {
      schedules.scheduleAll(List.of(gone), id -> Optional.empty()); // its first fire is due at once

      Eventually.until("its first fire said so", Duration.ofSeconds(20), () -> output.text().contains("Backup of Pi-hole 'Gone' fired here, but the"
          + " instance no longer exists (deleted, on this node or another): nothing ran, and its stale job and triggers are removed"));

      assertThat(schedules.nextRun(99)).isEmpty();
      assertThat(schedules.status().jobs()).isZero();
      assertThat(services.backupRepository.findByInstance(99, 10)).as("nothing ran").isEmpty();
    }
  }

  /**
   * Backups of one instance never overlap, so Quartz holds back a fire that comes during a run; held past its RAM store's 5 s
   * misfire threshold, it was dropped without a word (outsider round 37: a 12:55 run never came after a 12:53 one that ran late).
   */
  @Test
  void aScheduledFireThatComesWhileTheInstancesRunIsGoingRunsAfterIt() throws Exception {
    ZonedDateTime first = ScheduledSoon.in(clock, ZoneOffset.UTC, 3);
    // two seconds apart: a first fire late past the misfire threshold on a busy machine still leaves the second to come
    ZonedDateTime second = first.plusSeconds(2);
    // one trigger with both times (the other combinations of its fields are a minute or more away)
    PiholeInstance home = withCron("%d,%d %d,%d %d,%d * * ?".formatted(first.getSecond(), second.getSecond(), first.getMinute(),
        second.getMinute(), first.getHour(), second.getHour()));

    assertSecondFireRunsAfterTheFirst(() -> schedules.scheduleAll(List.of(home), id -> Optional.empty()), () -> second);
  }

  @Test
  void aFireOfAScheduleChangedDuringTheInstancesRunRunsAfterIt() throws Exception {
    ZonedDateTime first = ScheduledSoon.in(clock, ZoneOffset.UTC, 3);

    assertSecondFireRunsAfterTheFirst(() -> schedules.scheduleAll(List.of(withCron(ScheduledSoon.daily(first))), id -> Optional.empty()), () -> {
      // timed from the change, not from the start: however long the first run took to reach the gate, the new time is still to come
      ZonedDateTime second = ScheduledSoon.in(Clock.systemUTC(), ZoneOffset.UTC, 2);
      schedules.reschedule(List.of(withCron(ScheduledSoon.daily(second))));
      return second;
    });
  }

  private PiholeInstance withCron(String cron) {
    PiholeInstance h = services.instances.list().get(0);
    return new PiholeInstance(h.id(), h.name(), h.slug(), h.origin(), h.envPrefix(), h.url(), h.tls(), h.timeoutSeconds(),
        new Schedule(Schedule.Kind.CRON, LocalTime.of(3, 0), DayOfWeek.SUNDAY, cron), h.retention(), h.skipUnchanged(), h.active(), h.paused(),
        h.removed(), h.status());
  }

  /**
   * The app's 5 s misfire threshold had each case wait it out; a scheduler of its own here has a 1 s one, which Quartz applies
   * as it does 5 s: a fire held back past it is a misfire.
   *
   * @param duringTheFirst what happens while the first run is held, and when the second fire is due
   */
  private void assertSecondFireRunsAfterTheFirst(Runnable plan, Supplier<ZonedDateTime> duringTheFirst) throws Exception {
    Duration threshold = Duration.ofSeconds(1);
    schedules = new TestSchedules(dir.resolve("scheduler.lock"), ZoneOffset.UTC, clock, Duration.ofMillis(100), Schedules.OFFSITE_FIRST,
        Spread.NONE, null, Schedules.OFFSITE_EVERY, Schedules.CATCH_UP_DELAY, threshold)
        .start(new AppJobs(services.backups.runs(), services.tickets, services.maintenance), s -> { });
    long id = services.instances.list().get(0).id();
    services.gateway.closeGate();
    try (CapturedOutput output = CapturedOutput.start()) {
      plan.run();
      Eventually.until("the first fire's export is held at the gate", Duration.ofSeconds(30), () -> services.gateway.exportsInProgress() == 1);
      ZonedDateTime second = duringTheFirst.get();
      // Quartz's misfire is a matter of the wall clock: the second fire held back past its threshold
      Eventually.until("the second fire is more than its threshold overdue", Duration.ofSeconds(30),
          () -> Instant.now().isAfter(second.toInstant().plus(threshold).plusMillis(500)));
      services.gateway.openGate();

      Eventually.until("a second backup ran after the first", Duration.ofSeconds(30),
          () -> services.backupRepository.findByInstance(id, 10).size() == 2);

      assertThat(services.backupRepository.findByInstance(id, 10)).extracting(Backup::trigger).containsOnly(Backup.Trigger.SCHEDULED);
      assertThat(output.text()).contains("The scheduled backup of Pi-hole 'Home' due at "
          + new LocalTimeText(ZoneOffset.UTC).inLog().of(second.toInstant()) + " came while its previous run was still going (or the process was held up): it runs now instead");
    }
  }
}
