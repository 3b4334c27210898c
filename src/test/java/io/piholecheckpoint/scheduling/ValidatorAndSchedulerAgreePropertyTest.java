package io.piholecheckpoint.scheduling;

import static org.assertj.core.api.Assertions.assertThat;

import io.piholecheckpoint.core.instance.Origin;
import io.piholecheckpoint.core.instance.PiholeInstance;
import io.piholecheckpoint.core.instance.RetentionPolicy;
import io.piholecheckpoint.core.instance.TlsTrust;
import io.piholecheckpoint.core.schedule.LocalTimeText;
import io.piholecheckpoint.core.schedule.Schedule;
import io.piholecheckpoint.core.schedule.Spread;
import io.piholecheckpoint.core.settings.InstanceRules;
import io.piholecheckpoint.testing.UnitRunTries;
import java.time.Clock;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Assume;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.lifecycle.AddLifecycleHook;
import net.jqwik.api.lifecycle.AfterContainer;
import org.quartz.Scheduler;
import org.quartz.Trigger;

/**
 * The validator (the API's 400, and the nextRuns it shows) and the scheduler ask one question, "when does this fire next":
 * whenever the validator accepts a cron, the plan schedules it without refusal, and the first fire of the triggers it writes
 * is nextRuns' first. Crons aimed at the days and hours the clocks change, with and without a year, in zones whose gaps
 * fall at 02:00, at midnight, on a half hour or at 02:45 (found: '0 30 2 28 3 ? 2027' in Berlin, accepted and then refused).
 */
@AddLifecycleHook(UnitRunTries.class)
class ValidatorAndSchedulerAgreePropertyTest {
  private static final List<String> ZONES = List.of("Europe/Berlin", "America/New_York", "Australia/Sydney", "America/Santiago",
      "America/Havana", "Pacific/Chatham", "Australia/Lord_Howe", "Europe/London", "UTC");
  private static Scheduler quartz;

  @AfterContainer
  static void close() throws Exception {
    if (quartz != null) {
      quartz.shutdown();
    }
  }

  @Property(tries = 300)
  void whatTheValidatorAcceptsTheSchedulerSchedulesAndItFiresFirstAtNextRunsFirst(@ForAll("crons") String generic,
      @ForAll("zones") String zoneId, @ForAll @IntRange(min = 0, max = 3 * 365 * 4) int quarterDays, @ForAll boolean aimed,
      @ForAll @IntRange(min = 0, max = 59) int minuteInGap, @ForAll boolean withYear) throws Exception {
    ZoneId zone = ZoneId.of(zoneId);
    Clock clock = Clock.fixed(Instant.parse("2026-01-01T00:00:00Z").plus(Duration.ofHours(6L * quarterDays)), ZoneOffset.UTC);
    String cron = aimed ? inNextGap(zone, clock.instant(), minuteInGap, withYear).orElse(generic) : generic;
    Schedule schedule = new Schedule(Schedule.Kind.CRON, LocalTime.of(3, 0), DayOfWeek.SUNDAY, cron);
    QuartzFireTimes fireTimes = new QuartzFireTimes(zone, clock);
    Assume.that(InstanceRules.firesAgain(schedule, fireTimes).isEmpty());
    List<Instant> nextRuns = fireTimes.upcoming(schedule, 3);

    List<String> refusals = new ArrayList<>();
    Optional<Instant> first = planned(schedule, zone, clock, refusals);

    assertThat(refusals).as("accepted by the validator, so scheduled").isEmpty();
    assertThat(first).as("the first fire of the triggers written is nextRuns' first").contains(nextRuns.get(0));
  }

  /** A cron for one time in the zone's next spring-forward gap: with its year, that gap is the only time it names. */
  private static Optional<String> inNextGap(ZoneId zone, Instant from, int minuteInGap, boolean withYear) {
    for (java.time.zone.ZoneOffsetTransition t = zone.getRules().nextTransition(from); t != null && t.getInstant().isBefore(
        from.plus(Duration.ofDays(800))); t = zone.getRules().nextTransition(t.getInstant())) {
      if (t.isGap()) {
        java.time.LocalDateTime at = t.getDateTimeBefore().plusMinutes(minuteInGap % t.getDuration().toMinutes());
        return Optional.of("0 %d %d %d %d ?%s".formatted(at.getMinute(), at.getHour(), at.getDayOfMonth(), at.getMonthValue(),
            withYear ? " " + at.getYear() : ""));
      }
    }
    return Optional.empty();
  }

  private static Optional<Instant> planned(Schedule schedule, ZoneId zone, Clock clock, List<String> refusals) throws Exception {
    if (quartz == null) {
      quartz = SpringForwardGapTest.answeringOnly();
    }
    quartz.clear();
    PiholeInstance instance = new PiholeInstance(1, "Home", "home", Origin.UI, null, "http://pi.hole", TlsTrust.SYSTEM, null, schedule,
        RetentionPolicy.DEFAULT, false, true, false, false, PiholeInstance.Status.UNKNOWN);
    BackupPlans plans = new BackupPlans(zone, clock, Spread.NONE, false, Schedules.CATCH_UP_DELAY, new LocalTimeText(zone));
    plans.reportUnschedulableTo((i, problem) -> refusals.add(problem));
    plans.planOne(quartz, instance);
    return quartz.getTriggersOfJob(BackupPlans.jobKey(instance.id())).stream().map(Trigger::getNextFireTime)
        .filter(java.util.Objects::nonNull).map(java.util.Date::toInstant).min(Comparator.naturalOrder());
  }

  @Provide
  Arbitrary<String> zones() {
    return Arbitraries.of(ZONES);
  }

  /** Quartz's form, mostly at the hours and on the days the clocks change; a year (past, near or far) or none. */
  @Provide
  Arbitrary<String> crons() {
    Arbitrary<String> minute = Arbitraries.of("0", "15", "30", "45", "59", "0/30", "*");
    Arbitrary<String> hour = Arbitraries.of("0", "1", "2", "3", "23", "2-3", "*");
    Arbitrary<String> days = Arbitraries.of("* * ?", "28 3 ?", "29 3 ?", "26 3 ?", "31 10 ?", "5 10 ?", "6 4 ?", "1 11 ?", "7 9 ?",
        "? 3 1L", "? 10 1L", "? 3,4,9,10,11 SUN", "L 3 ?", "31 2 ?");
    Arbitrary<String> year = Arbitraries.of("", " 2020", " 2026", " 2027", " 2028", " 2026-2027", " 2029");
    return Combinators.combine(minute, hour, days, year).as((m, h, d, y) -> "0 " + m + " " + h + " " + d + y);
  }
}
