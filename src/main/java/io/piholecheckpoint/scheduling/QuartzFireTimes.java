package io.piholecheckpoint.scheduling;

import io.piholecheckpoint.core.schedule.FireTimes;
import io.piholecheckpoint.core.schedule.QuartzCron;
import io.piholecheckpoint.core.schedule.Schedule;
import java.text.ParseException;
import io.piholecheckpoint.core.schedule.Spread;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Optional;
import org.quartz.spi.OperableTrigger;

/**
 * Answers "when does this schedule fire next" with the trigger {@link Schedules} will build and
 * the computation {@code Scheduler.scheduleJob} runs before it accepts one (it refuses a trigger
 * whose first fire time is null), so the validator and the scheduler cannot disagree.
 */
public final class QuartzFireTimes implements FireTimes {
  private final ZoneId zone;
  private final Clock clock;
  private final Spread spread;

  public QuartzFireTimes(ZoneId zone, Clock clock) {
    this(zone, clock, Spread.NONE);
  }

  /** @param spread SCHEDULE_SPREAD, as {@link Schedules} applies it */
  public QuartzFireTimes(ZoneId zone, Clock clock, Spread spread) {
    this.zone = zone;
    this.clock = clock;
    this.spread = spread;
  }

  @Override
  public List<Instant> upcoming(Schedule schedule, int count) {
    return upcoming(schedule, count, Duration.ZERO);
  }

  @Override
  public List<Instant> upcoming(long instanceId, Schedule schedule, int count) {
    return upcoming(schedule, count, spread.offset(instanceId, schedule));
  }

  /** A schedule's time that is at most {@code offset} past is still to come once shifted by it. */
  private List<Instant> upcoming(Schedule schedule, int count, Duration offset) {
    Instant from = clock.instant().minus(offset);
    OperableTrigger trigger;
    try {
      trigger = (OperableTrigger) Triggers.forSchedule(schedule, zone, from);
    } catch (RuntimeException e) {
      throw new IllegalArgumentException(reason(e), e);
    }
    try {
      List<Instant> times = new ArrayList<>();
      for (Date next = trigger.computeFirstFireTime(null); next != null && times.size() < count; next = trigger.getFireTimeAfter(next)) {
        times.add(next.toInstant());
      }
      // the runs of a time in a spring-forward gap, which Schedules fires with a trigger of their own (GapFires)
      for (Optional<Instant> gap = GapFires.next(schedule, zone, from.minusMillis(1));
          gap.isPresent() && (times.size() < count || gap.get().isBefore(times.get(times.size() - 1)));
          gap = GapFires.next(schedule, zone, gap.get())) {
        times.add(gap.get());
      }
      return times.stream().sorted().limit(count).map(t -> t.plus(offset)).toList();
    } catch (RuntimeException e) {
      // Quartz's cron arithmetic has corners that throw instead of answering (e.g. with L-n offsets)
      throw new IllegalArgumentException("Quartz cannot compute its fire times: " + e + "; " + QuartzCron.EXAMPLES, e);
    }
  }

  /**
   * Quartz wraps the parser's message ("Illegal characters for this position: 'FOO'") in its own. Its parser reads only the
   * 6 or 7 fields of its own form, not knowing what was meant, so both forms are named; crontab's 5 fields were read by
   * {@link QuartzCron}, whose reasons name the field and say the forms only when the count of fields is wrong.
   */
  private static String reason(RuntimeException e) {
    if (!(e.getCause() instanceof ParseException p)) {
      return e.getMessage();
    }
    String quartz = p.getMessage();
    // Quartz says only "Increment >= 60 : 60" of a step past its field's range (0/60 in the seconds)
    return quartz != null && quartz.startsWith("Increment") ? "a step after '/' is past its field's range (Quartz: " + quartz
        + "): seconds and minutes step by at most 59, hours by 23, days of the month by 30, months by 11, weekdays by 6; " + QuartzCron.EXAMPLES
        : quartz + "; " + QuartzCron.EXAMPLES;
  }
}
