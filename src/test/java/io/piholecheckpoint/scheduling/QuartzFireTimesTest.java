package io.piholecheckpoint.scheduling;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.piholecheckpoint.core.schedule.Schedule;
import java.time.Clock;
import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneOffset;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

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
}
