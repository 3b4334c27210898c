package io.piholecheckpoint.scheduling;

import io.piholecheckpoint.core.schedule.Schedule;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.time.temporal.TemporalAdjusters;
import java.util.Date;
import java.util.Optional;
import java.util.TimeZone;
import org.quartz.CalendarIntervalScheduleBuilder;
import org.quartz.CalendarIntervalTrigger;
import org.quartz.CronScheduleBuilder;
import org.quartz.CronTrigger;
import org.quartz.ObjectAlreadyExistsException;
import org.quartz.ScheduleBuilder;
import org.quartz.Scheduler;
import org.quartz.SchedulerException;
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
    return TriggerBuilder.newTrigger().withSchedule(schedule(schedule, zone)).startAt(Date.from(firstFire(schedule, zone, anchor))).build();
  }

  /**
   * The schedule in the zone, for a trigger of our own. Never a built trigger's {@code getScheduleBuilder()}: Quartz's
   * calendar-interval trigger answers it without its zone and its daylight-saving rule, and the trigger built from that
   * fired at the time of the JVM's zone (a node with another TZ, or the day the clocks change, moved the backups).
   */
  static ScheduleBuilder<? extends Trigger> schedule(Schedule schedule, ZoneId zone) {
    return switch (schedule.kind()) {
      case HOURLY -> calendar(zone).withIntervalInHours(1);
      case DAILY -> calendar(zone).withIntervalInDays(1);
      case WEEKLY -> calendar(zone).withIntervalInWeeks(1);
      case CRON -> CronScheduleBuilder.cronSchedule(schedule.cronExpression()).inTimeZone(TimeZone.getTimeZone(zone))
          .withMisfireHandlingInstructionDoNothing();
    };
  }

  /**
   * Whether the trigger fires in the zone as {@link #schedule} builds it: a calendar interval in the zone that keeps its
   * hour across daylight-saving changes, a cron trigger in the zone; any other kind (a one-off, a repeat) has no zone.
   * Compared by the zone's id as Quartz stores it ({@code Z} is stored as {@code UTC}).
   */
  static boolean inZone(Trigger trigger, ZoneId zone) {
    return inZone(trigger, storedId(zone));
  }

  /** {@link #inZone(Trigger, ZoneId)} with the zone's id as Quartz stores it. */
  static boolean inZone(Trigger trigger, String zoneId) {
    return storedZone(trigger).map(stored -> stored.equals(zoneId)
        && (!(trigger instanceof CalendarIntervalTrigger c) || c.isPreserveHourOfDayAcrossDaylightSavings())).orElse(true);
  }

  /** The zone's id as Quartz stores a trigger's: {@code Europe/Berlin}, {@code UTC} for {@code Z}, {@code GMT+02:00} for an offset. */
  static String storedId(ZoneId zone) {
    return TimeZone.getTimeZone(zone).getID();
  }

  /** The zone's id as the trigger holds it, for a trigger that has one. */
  static Optional<String> storedZone(Trigger trigger) {
    if (trigger instanceof CalendarIntervalTrigger c) {
      return Optional.of(c.getTimeZone() == null ? TimeZone.getDefault().getID() : c.getTimeZone().getID());
    }
    if (trigger instanceof CronTrigger c) {
      return Optional.of(c.getTimeZone().getID());
    }
    return Optional.empty();
  }

  private static CalendarIntervalScheduleBuilder calendar(ZoneId zone) {
    return CalendarIntervalScheduleBuilder.calendarIntervalSchedule()
        .inTimeZone(TimeZone.getTimeZone(zone))
        .preserveHourOfDayAcrossDaylightSavings(true)
        .skipDayIfHourDoesNotExist(false)
        .withMisfireHandlingInstructionDoNothing();
  }

  /**
   * The schedule's start after {@code anchor} (not at it), which also sets its phase: a time that has come is not still to
   * come. For a cron, the next whole second, as Quartz counts any fire in its start's second as due (an edit within a
   * second of a cron's last fire took it for one to come); the validator's fire times and the scheduler's trigger both
   * start here, so they agree.
   */
  static Instant firstFire(Schedule schedule, ZoneId zone, Instant anchor) {
    ZonedDateTime from = anchor.atZone(zone);
    LocalDate day = from.toLocalDate();
    ZonedDateTime first = switch (schedule.kind()) {
      case HOURLY -> from.withMinute(schedule.time().getMinute()).withSecond(0).withNano(0);
      case DAILY -> day.atTime(schedule.time()).atZone(zone);
      case WEEKLY -> day.with(TemporalAdjusters.nextOrSame(schedule.day())).atTime(schedule.time()).atZone(zone);
      case CRON -> from.truncatedTo(ChronoUnit.SECONDS).plusSeconds(1);
    };
    if (!first.isAfter(from)) {
      first = switch (schedule.kind()) {
        case HOURLY -> first.plusHours(1);
        case DAILY -> day.plusDays(1).atTime(schedule.time()).atZone(zone);
        case WEEKLY -> day.plusWeeks(1).with(TemporalAdjusters.nextOrSame(schedule.day())).atTime(schedule.time()).atZone(zone);
        case CRON -> first;
      };
    }
    return first.toInstant();
  }

  /**
   * Adds the trigger, or replaces the one of its name made otherwise. One made the same way (a node
   * starting beside others, the same settings saved again) is kept as it is: a replacement would
   * fire again a time the kept one has just fired, perhaps on another node. Two nodes starting at
   * the same moment both find none and both add it: the second finds the first's, and goes on from there.
   */
  static Date put(Scheduler scheduler, Trigger trigger) throws SchedulerException {
    Trigger existing = scheduler.getTrigger(trigger.getKey());
    if (existing == null) {
      try {
        return scheduler.scheduleJob(trigger);
      } catch (ObjectAlreadyExistsException e) {
        existing = scheduler.getTrigger(trigger.getKey());
        if (existing == null) {
          return scheduler.scheduleJob(trigger); // added and removed again meanwhile
        }
      }
    }
    if (trigger.getDescription() != null && trigger.getDescription().equals(existing.getDescription()) && existing.getNextFireTime() != null
        && sameZone(existing, trigger)) {
      return existing.getNextFireTime();
    }
    return scheduler.rescheduleJob(trigger.getKey(), trigger);
  }

  /**
   * Whether the stored trigger fires in the zone of the one made now: a trigger written by a build that lost the zone (see
   * {@link #schedule}) has the description of a right one, and kept, it went on firing at the hour of the JVM's zone.
   */
  private static boolean sameZone(Trigger existing, Trigger made) {
    return Triggers.storedZone(made).map(zone -> Triggers.inZone(existing, zone)).orElse(true);
  }
}
