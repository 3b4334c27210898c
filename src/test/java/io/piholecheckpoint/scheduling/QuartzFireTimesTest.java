package io.piholecheckpoint.scheduling;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.piholecheckpoint.core.schedule.Schedule;
import java.time.Clock;
import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneOffset;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class QuartzFireTimesTest {
  private final QuartzFireTimes fireTimes = new QuartzFireTimes(ZoneOffset.UTC, Clock.fixed(Instant.parse("2026-12-05T10:00:00Z"), ZoneOffset.UTC));

  @ParameterizedTest
  @ValueSource(strings = {"0/60 * * * * ?", "0 0/60 * * * ?", "0 0 0/24 * * ?"})
  void aStepPastItsFieldsRangeIsSaidInWordsNotOnlyInQuartzs(String cron) {
    Schedule schedule = new Schedule(Schedule.Kind.CRON, LocalTime.of(3, 0), DayOfWeek.SUNDAY, cron);

    assertThatThrownBy(() -> fireTimes.upcoming(schedule, 1)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("a step after '/' is past its field's range (Quartz: Increment")
        .hasMessageContaining("seconds and minutes step by at most 59");
  }
}
