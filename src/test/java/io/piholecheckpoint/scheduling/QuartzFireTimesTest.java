package io.piholecheckpoint.scheduling;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.piholecheckpoint.core.schedule.Schedule;
import java.time.Clock;
import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.util.Date;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.quartz.spi.OperableTrigger;

class QuartzFireTimesTest {
  private final QuartzFireTimes fireTimes = new QuartzFireTimes(ZoneOffset.UTC, Clock.fixed(Instant.parse("2026-12-05T10:00:00Z"), ZoneOffset.UTC));

  /** The step is refused before Quartz reads it (Quartz only says "Increment > 60 : 60"), naming the field. */
  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {"0/60 * * * * ? | second", "0 0/60 * * * ? | minute", "0 0 0/24 * * ? | hour"})
  void aStepPastItsFieldsRangeIsSaidInWordsNotOnlyInQuartzs(String cron, String field) {
    Schedule schedule = new Schedule(Schedule.Kind.CRON, LocalTime.of(3, 0), DayOfWeek.SUNDAY, cron);

    assertThatThrownBy(() -> fireTimes.upcoming(schedule, 1)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("its " + field + " field ").hasMessageContaining("a step after '/' is past its field's range")
        .hasMessageContaining("seconds and minutes step by at most 59");
  }

  /**
   * A fire whose time has come is not still to come, even within its second: Quartz counts a cron's fire less than a second
   * past as due, so an edit right after a cron's last fire was taken as valid (the instance shown inactive, not misconfigured).
   */
  @ParameterizedTest
  @CsvSource({"2026-12-05T10:00:00Z", "2026-12-05T10:00:00.400Z", "2026-12-05T10:00:00.999Z"})
  void aCronsLastFireWhoseTimeHasComeIsNotStillToCome(Instant now) {
    Schedule once = new Schedule(Schedule.Kind.CRON, LocalTime.of(3, 0), DayOfWeek.SUNDAY, "0 0 10 5 12 ? 2026");

    assertThat(new QuartzFireTimes(ZoneOffset.UTC, Clock.fixed(now, ZoneOffset.UTC)).upcoming(once, 3)).isEmpty();
  }

  @Test
  void aCronsFireASecondAfterNowIsStillToCome() {
    Schedule once = new Schedule(Schedule.Kind.CRON, LocalTime.of(3, 0), DayOfWeek.SUNDAY, "1 0 10 5 12 ? 2026");

    assertThat(new QuartzFireTimes(ZoneOffset.UTC, Clock.fixed(Instant.parse("2026-12-05T10:00:00.999Z"), ZoneOffset.UTC)).upcoming(once, 3))
        .containsExactly(Instant.parse("2026-12-05T10:00:01Z"));
  }

  /** A daily time that is now has come: its next run is tomorrow's, for the rules as for the trigger the scheduler is given. */
  @Test
  void aDailyTimeThatIsNowRunsNextTomorrowForTheRulesAndTheScheduler() {
    Schedule daily = new Schedule(Schedule.Kind.DAILY, LocalTime.of(10, 0), DayOfWeek.SUNDAY, null);

    assertThat(fireTimes.next(daily)).contains(Instant.parse("2026-12-06T10:00:00Z"));
    assertThat(Triggers.forSchedule(daily, ZoneOffset.UTC, Instant.parse("2026-12-05T10:00:00Z")).getStartTime())
        .isEqualTo(Date.from(Instant.parse("2026-12-06T10:00:00Z")));
  }

  /** The trigger the scheduler is given agrees with the rules: a cron fire in the second it is planned in does not fire. */
  @Test
  void aCronTriggerPlannedWithinItsLastFiresSecondHasNoFire() {
    Schedule once = new Schedule(Schedule.Kind.CRON, LocalTime.of(3, 0), DayOfWeek.SUNDAY, "0 0 10 5 12 ? 2026");

    assertThat(((OperableTrigger) Triggers.forSchedule(once, ZoneOffset.UTC, Instant.parse("2026-12-05T10:00:00.400Z")))
        .computeFirstFireTime(null)).isNull();
  }
}
