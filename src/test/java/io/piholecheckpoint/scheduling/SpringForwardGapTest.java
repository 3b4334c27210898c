package io.piholecheckpoint.scheduling;

import static org.assertj.core.api.Assertions.assertThat;

import io.piholecheckpoint.core.instance.InstanceDefinition;
import io.piholecheckpoint.core.instance.PiholeInstance;
import io.piholecheckpoint.core.instance.RetentionPolicy;
import io.piholecheckpoint.core.instance.TlsTrust;
import io.piholecheckpoint.core.schedule.LocalTimeText;
import io.piholecheckpoint.core.schedule.Schedule;
import io.piholecheckpoint.core.schedule.Spread;
import io.piholecheckpoint.testing.TestServices;
import java.nio.file.Path;
import java.time.Clock;
import java.time.DayOfWeek;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Properties;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.io.TempDir;
import org.quartz.Scheduler;
import org.quartz.Trigger;
import org.quartz.impl.StdSchedulerFactory;

/**
 * A cron time in the spring-forward gap (02:30 on the day Berlin goes from 02:00 to 03:00) runs once right after the jump,
 * as crontab does, where Quartz's cron trigger skipped that day; no other day moves, and the fall-back runs once. Quartz
 * itself computes the fires, from the triggers the plan writes to its memory.
 */
class SpringForwardGapTest {
  private static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");
  /** Clocks go forward on 28 March 2027, back on 31 October. */
  private static final Clock BEFORE_SPRING = Clock.fixed(Instant.parse("2027-03-25T12:00:00Z"), ZoneOffset.UTC);
  private static final Clock BEFORE_FALL = Clock.fixed(Instant.parse("2027-10-29T12:00:00Z"), ZoneOffset.UTC);

  @TempDir
  Path dir;

  private Scheduler quartz;

  @AfterEach
  void close() throws Exception {
    if (quartz != null) {
      quartz.shutdown();
    }
  }

  private PiholeInstance instanceWith(Schedule schedule) {
    return instanceWith(schedule, BEFORE_SPRING);
  }

  private PiholeInstance instanceWith(Schedule schedule, Clock clock) {
    TestServices own = new TestServices(dir.resolve("backups"), clock);
    own.instances.applyEnvironment(List.of(new InstanceDefinition("HOME", "Home", "http://pi.hole", TlsTrust.SYSTEM, null,
        schedule, RetentionPolicy.DEFAULT, false, true)));
    return own.instances.list().get(0);
  }

  /** Every fire of the instance's job until {@code until}, as Quartz computes them from each of its triggers. */
  private List<ZonedDateTime> fires(PiholeInstance instance, Instant until) throws Exception {
    return fires(instance, until, BEFORE_SPRING);
  }

  private List<ZonedDateTime> fires(PiholeInstance instance, Instant until, Clock clock) throws Exception {
    quartz = answeringOnly();
    new BackupPlans(BERLIN, clock, Spread.NONE, false, Schedules.CATCH_UP_DELAY, new LocalTimeText(BERLIN)).planOne(quartz, instance);
    List<ZonedDateTime> fires = new ArrayList<>();
    for (Trigger trigger : quartz.getTriggersOfJob(BackupPlans.jobKey(instance.id()))) {
      for (Date next = trigger.getNextFireTime(); next != null && next.toInstant().isBefore(until); next = trigger.getFireTimeAfter(next)) {
        fires.add(next.toInstant().atZone(BERLIN));
      }
    }
    fires.sort(null);
    return fires;
  }

  /** A scheduler never started: nothing fires, the triggers a plan writes to its memory only answer. */
  static Scheduler answeringOnly() throws org.quartz.SchedulerException {
    Properties p = new Properties();
    p.setProperty(StdSchedulerFactory.PROP_SCHED_INSTANCE_NAME, "gap-" + UUID.randomUUID());
    p.setProperty(StdSchedulerFactory.PROP_JOB_STORE_CLASS, "org.quartz.simpl.RAMJobStore");
    p.setProperty("org.quartz.threadPool.threadCount", "1");
    p.setProperty("org.quartz.scheduler.skipUpdateCheck", "true");
    return new StdSchedulerFactory(p).getScheduler();
  }

  @Test
  void aDailyCronTimeInTheGapRunsOnceRightAfterTheJumpAndNoOtherDayMoves() throws Exception {
    Schedule at0230 = new Schedule(Schedule.Kind.CRON, LocalTime.of(3, 0), DayOfWeek.SUNDAY, "0 30 2 * * ?");

    List<ZonedDateTime> fires = fires(instanceWith(at0230), Instant.parse("2027-11-03T00:00:00Z"));

    assertThat(fires.get(0)).isEqualTo(ZonedDateTime.of(2027, 3, 26, 2, 30, 0, 0, BERLIN));
    assertThat(fires).as("one run a day from 26 March to 2 November, 28 March and 31 October included").hasSize(222)
        .extracting(ZonedDateTime::toLocalDate).doesNotHaveDuplicates();
    assertThat(fires).filteredOn(f -> f.toLocalDate().toString().equals("2027-03-28")).singleElement()
        .isEqualTo(ZonedDateTime.of(2027, 3, 28, 3, 0, 0, 0, BERLIN));
    assertThat(fires).filteredOn(f -> !f.toLocalDate().toString().equals("2027-03-28")).extracting(ZonedDateTime::toLocalTime)
        .containsOnly(LocalTime.of(2, 30));
  }

  @Test
  void aCronWhoseOnlyTimeIsInTheGapIsScheduledToRunOnceRightAfterTheJump() throws Exception {
    Schedule once = new Schedule(Schedule.Kind.CRON, LocalTime.of(3, 0), DayOfWeek.SUNDAY, "0 30 2 28 3 ? 2027");

    List<ZonedDateTime> fires = fires(instanceWith(once), Instant.parse("2030-01-01T00:00:00Z"));

    assertThat(fires).as("Quartz refused its cron trigger, which never fires: the instance was born misconfigured")
        .containsExactly(ZonedDateTime.of(2027, 3, 28, 3, 0, 0, 0, BERLIN));
    assertThat(new QuartzFireTimes(BERLIN, BEFORE_SPRING).upcoming(once, 3)).containsExactly(fires.get(0).toInstant());
  }

  @Test
  void aRefusalNamesNoneOfQuartzsTriggers() {
    org.quartz.SchedulerException quartzSays = new org.quartz.SchedulerException(
        "Based on configured schedule, the given trigger 'backups.instance-18' will never fire.");

    assertThat(BackupPlans.plain(quartzSays)).isEqualTo("it never fires again");
    assertThat(BackupPlans.plain(new org.quartz.SchedulerException("Trigger 'backups.gap-18' is odd"))).isEqualTo("Trigger its trigger is odd");
  }

  @Test
  void theNextRunsShownAreTheRunsThatFire() throws Exception {
    Schedule at0230 = new Schedule(Schedule.Kind.CRON, LocalTime.of(3, 0), DayOfWeek.SUNDAY, "30 2 * * *");
    List<ZonedDateTime> fires = fires(instanceWith(at0230), Instant.parse("2027-04-01T00:00:00Z"));

    List<Instant> shown = new QuartzFireTimes(BERLIN, BEFORE_SPRING).upcoming(at0230, 4);

    assertThat(shown).containsExactlyElementsOf(fires.subList(0, 4).stream().map(ZonedDateTime::toInstant).toList());
    assertThat(shown.get(2)).isEqualTo(Instant.parse("2027-03-28T01:00:00Z")); // 03:00 in Berlin, right after the jump
  }

  @Test
  void aCronThatHasNoTimeInTheGapAndTheOtherKindsGetNoRunOfTheirOwn() throws Exception {
    Schedule weekdays = new Schedule(Schedule.Kind.CRON, LocalTime.of(3, 0), DayOfWeek.SUNDAY, "0 30 2 ? * MON-FRI");
    Schedule daily = new Schedule(Schedule.Kind.DAILY, LocalTime.of(2, 30), DayOfWeek.SUNDAY, null);

    assertThat(GapFires.next(weekdays, BERLIN, BEFORE_SPRING.instant())).isEmpty();
    assertThat(GapFires.next(daily, BERLIN, BEFORE_SPRING.instant())).isEmpty();
    assertThat(GapFires.next(new Schedule(Schedule.Kind.CRON, LocalTime.of(3, 0), DayOfWeek.SUNDAY, "0 30 2 * * ?"), ZoneId.of("UTC"), BEFORE_SPRING.instant())).isEmpty();
    assertThat(fires(instanceWith(weekdays), Instant.parse("2027-04-01T00:00:00Z"))).extracting(ZonedDateTime::toLocalTime)
        .containsOnly(LocalTime.of(2, 30));
  }
  /**
   * In the autumn's repeated hour (02:00 to 02:59 twice on 31 October 2027 in Berlin) each schedule runs once: a daily time at
   * its first occurrence (summer time, the calendar-interval trigger), a cron time at its second (winter time: Quartz's cron
   * trigger; crontab would run the first). Measured on the triggers the plan writes, not assumed.
   */
  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {"DAILY | | 2027-10-31T02:30+02:00", "CRON | 30 2 * * * | 2027-10-31T02:30+01:00",
      "CRON | 0 30 2 * * ? | 2027-10-31T02:30+01:00"})
  void theRepeatedHourRunsADailyTimeAtItsFirstOccurrenceAndACronTimeAtItsSecond(Schedule.Kind kind, String cron, OffsetDateTime runs)
      throws Exception {
    Schedule at0230 = new Schedule(kind, LocalTime.of(2, 30), DayOfWeek.SUNDAY, cron);

    List<ZonedDateTime> fires = fires(instanceWith(at0230, BEFORE_FALL), Instant.parse("2027-11-03T00:00:00Z"), BEFORE_FALL);

    assertThat(fires).filteredOn(f -> f.toLocalDate().toString().equals("2027-10-31")).singleElement()
        .extracting(ZonedDateTime::toOffsetDateTime).isEqualTo(runs);
    assertThat(fires).extracting(ZonedDateTime::toLocalDate).doesNotHaveDuplicates();
  }

  /** What the pages show as the next runs, with the offset where the local time comes twice, is what the triggers fire. */
  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "DAILY | | FALL | 2027-10-31 02:30:00 +02:00", "CRON | 30 2 * * * | FALL | 2027-10-31 02:30:00 +01:00",
      "DAILY | | SPRING | 2027-03-28 03:30:00", "CRON | 30 2 * * * | SPRING | 2027-03-28 03:00:00"})
  void theNextRunsShownAcrossBothChangesAreTheRunsThatFire(Schedule.Kind kind, String cron, String change, String shownThatDay) throws Exception {
    Clock clock = change.equals("FALL") ? BEFORE_FALL : BEFORE_SPRING;
    Schedule at0230 = new Schedule(kind, LocalTime.of(2, 30), DayOfWeek.SUNDAY, cron);
    List<ZonedDateTime> fires = fires(instanceWith(at0230, clock), clock.instant().plus(java.time.Duration.ofDays(10)), clock);

    List<Instant> shown = new QuartzFireTimes(BERLIN, clock).upcoming(at0230, 5);

    assertThat(shown).containsExactlyElementsOf(fires.subList(0, 5).stream().map(ZonedDateTime::toInstant).toList());
    assertThat(shown.stream().map(new LocalTimeText(BERLIN)::of)).contains(shownThatDay);
  }
}
