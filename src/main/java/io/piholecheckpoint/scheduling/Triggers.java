package io.piholecheckpoint.scheduling;

import io.piholecheckpoint.core.schedule.Schedule;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.temporal.TemporalAdjusters;
import java.util.Date;
import java.util.TimeZone;
import org.quartz.CalendarIntervalScheduleBuilder;
import org.quartz.CronScheduleBuilder;
import org.quartz.ScheduleBuilder;
import org.quartz.Trigger;
import org.quartz.TriggerBuilder;

/**
 * Quartz triggers for our schedules. Hourly, daily and weekly use calendar intervals that keep
 * the wall-clock time across daylight-saving changes and fire once even on the day a time
 * does not exist (a cron trigger would skip 02:30 on the spring-forward day). Missed fires
 * are not replayed by Quartz: {@link io.piholecheckpoint.core.schedule.CatchUp} decides.
 */
final class Triggers {
  private Triggers() {
  }

  /**
   * @param anchor the trigger fires at the schedule's times from here on; an anchor in the
   *     past gives a trigger that can answer for past fire times too
   */
  static Trigger forSchedule(Schedule schedule, ZoneId zone, Instant anchor) {
    ScheduleBuilder<? extends Trigger> builder = switch (schedule.kind()) {
      case HOURLY -> calendar(zone).withIntervalInHours(1);
      case DAILY -> calendar(zone).withIntervalInDays(1);
      case WEEKLY -> calendar(zone).withIntervalInWeeks(1);
      case CRON -> CronScheduleBuilder.cronSchedule(schedule.cronExpression()).inTimeZone(TimeZone.getTimeZone(zone))
          .withMisfireHandlingInstructionDoNothing();
    };
    return TriggerBuilder.newTrigger().withSchedule(builder).startAt(Date.from(firstFire(schedule, zone, anchor))).build();
  }

  private static CalendarIntervalScheduleBuilder calendar(ZoneId zone) {
    return CalendarIntervalScheduleBuilder.calendarIntervalSchedule()
        .inTimeZone(TimeZone.getTimeZone(zone))
        .preserveHourOfDayAcrossDaylightSavings(true)
        .skipDayIfHourDoesNotExist(false)
        .withMisfireHandlingInstructionDoNothing();
  }

  /** The schedule's first time at or after {@code anchor}: its start, which also sets its phase. */
  static Instant firstFire(Schedule schedule, ZoneId zone, Instant anchor) {
    ZonedDateTime from = anchor.atZone(zone);
    LocalDate day = from.toLocalDate();
    ZonedDateTime first = switch (schedule.kind()) {
      case HOURLY -> from.withMinute(schedule.time().getMinute()).withSecond(0).withNano(0);
      case DAILY -> day.atTime(schedule.time()).atZone(zone);
      case WEEKLY -> day.with(TemporalAdjusters.nextOrSame(schedule.day())).atTime(schedule.time()).atZone(zone);
      case CRON -> from;
    };
    if (first.isBefore(from)) {
      first = switch (schedule.kind()) {
        case HOURLY -> first.plusHours(1);
        case DAILY -> day.plusDays(1).atTime(schedule.time()).atZone(zone);
        case WEEKLY -> day.plusWeeks(1).with(TemporalAdjusters.nextOrSame(schedule.day())).atTime(schedule.time()).atZone(zone);
        case CRON -> first;
      };
    }
    return first.toInstant();
  }
}
