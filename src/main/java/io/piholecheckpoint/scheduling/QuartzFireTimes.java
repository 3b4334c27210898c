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
      for (Optional<Instant> gap = GapFires.next(schedule, zone, from);
          gap.isPresent() && (times.size() < count || gap.get().isBefore(times.get(times.size() - 1)));
          gap = GapFires.next(schedule, zone, gap.get())) {
        times.add(gap.get());
      }
      return times.stream().sorted().limit(count).map(t -> t.plus(offset)).toList();
    } catch (RuntimeException e) {
      // Quartz's cron arithmetic has corners that throw instead of answering; its exception's text means nothing to a user
      throw new IllegalArgumentException("the scheduler (Quartz) cannot compute when it fires; " + QuartzCron.EXAMPLES, e);
    }
  }

  /**
   * Why Quartz refused the expression. {@link QuartzCron} reads the 6 or 7 fields of Quartz's form against the grammar Quartz
   * reads as written and names the field, so this is its reason; what Quartz's own parser still refuses is said in its
   * words ("Illegal characters for this position: 'FOO'") unless those are a Java exception's, which mean nothing to a user.
   */
  private static String reason(RuntimeException e) {
    if (!(e.getCause() instanceof ParseException p)) {
      return e.getMessage();
    }
    String quartz = p.getMessage();
    return quartz == null || quartz.contains("Exception") || quartz.contains("java.") ? "the scheduler (Quartz) cannot read it; " + QuartzCron.EXAMPLES
        : "the scheduler (Quartz) cannot read it: " + quartz + "; " + QuartzCron.EXAMPLES;
  }
}
