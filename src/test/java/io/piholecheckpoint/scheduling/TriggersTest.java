package io.piholecheckpoint.scheduling;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.piholecheckpoint.core.schedule.Schedule;
import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.quartz.Trigger;

class TriggersTest {
  private static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");

  private static Schedule daily(int hour, int minute) {
    return new Schedule(Schedule.Kind.DAILY, LocalTime.of(hour, minute), DayOfWeek.SUNDAY, null);
  }

  /** Fire times of the trigger from {@code from} (exclusive) up to {@code to}, in the zone. */
  private static List<ZonedDateTime> fires(Trigger trigger, Instant from, Instant to, ZoneId zone) {
    List<ZonedDateTime> fires = new ArrayList<>();
    Date next = trigger.getFireTimeAfter(Date.from(from));
    while (next != null && next.toInstant().isBefore(to)) {
      fires.add(next.toInstant().atZone(zone));
      next = trigger.getFireTimeAfter(next);
    }
    return fires;
  }

  @Test
  void runsADaily0230BackupOnceOnTheDayTheClocksSpringForward() {
    Trigger trigger = Triggers.forSchedule(daily(2, 30), BERLIN, Instant.parse("2026-03-20T00:00:00Z"));

    List<ZonedDateTime> fires = fires(trigger, Instant.parse("2026-03-27T00:00:00Z"), Instant.parse("2026-04-01T00:00:00Z"), BERLIN);

    assertThat(fires).extracting(ZonedDateTime::toLocalDate).containsExactly(
        LocalDate.of(2026, 3, 27), LocalDate.of(2026, 3, 28), LocalDate.of(2026, 3, 29), LocalDate.of(2026, 3, 30), LocalDate.of(2026, 3, 31));
    assertThat(fires.get(3).toLocalTime()).as("back to 02:30 after the jump").isEqualTo(LocalTime.of(2, 30));
  }

  @Test
  void runsADaily0230BackupOnceOnTheDayTheClocksFallBack() {
    Trigger trigger = Triggers.forSchedule(daily(2, 30), BERLIN, Instant.parse("2026-10-20T00:00:00Z"));

    List<ZonedDateTime> fires = fires(trigger, Instant.parse("2026-10-24T12:00:00Z"), Instant.parse("2026-10-26T12:00:00Z"), BERLIN);

    assertThat(fires).extracting(ZonedDateTime::toLocalDate).containsExactly(LocalDate.of(2026, 10, 25), LocalDate.of(2026, 10, 26));
    assertThat(fires).extracting(ZonedDateTime::toLocalTime).containsOnly(LocalTime.of(2, 30));
  }

  @Test
  void runsWeeklyOnTheDayAndTimeInTheZone() {
    Schedule weekly = new Schedule(Schedule.Kind.WEEKLY, LocalTime.of(4, 0), DayOfWeek.WEDNESDAY, null);

    Trigger trigger = Triggers.forSchedule(weekly, BERLIN, Instant.parse("2026-11-27T10:00:00Z"));

    assertThat(trigger.getStartTime().toInstant().atZone(BERLIN))
        .isEqualTo(ZonedDateTime.of(2026, 12, 2, 4, 0, 0, 0, BERLIN));
    assertThat(trigger.getFireTimeAfter(trigger.getStartTime()).toInstant().atZone(BERLIN))
        .isEqualTo(ZonedDateTime.of(2026, 12, 9, 4, 0, 0, 0, BERLIN));
  }

  @Test
  void runsHourlyAtItsMinute() {
    Schedule hourly = new Schedule(Schedule.Kind.HOURLY, LocalTime.of(0, 15), DayOfWeek.SUNDAY, null);

    Trigger trigger = Triggers.forSchedule(hourly, ZoneId.of("UTC"), Instant.parse("2026-11-27T10:20:00Z"));

    assertThat(trigger.getStartTime().toInstant()).isEqualTo(Instant.parse("2026-11-27T11:15:00Z"));
  }

  @Test
  void rejectsAnInvalidCronExpression() {
    Schedule cron = new Schedule(Schedule.Kind.CRON, LocalTime.of(3, 0), DayOfWeek.SUNDAY, "every day at three");

    assertThatThrownBy(() -> Triggers.forSchedule(cron, BERLIN, Instant.now())).isInstanceOf(RuntimeException.class);
  }
}
