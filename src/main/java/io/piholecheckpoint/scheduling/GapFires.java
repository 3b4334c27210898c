package io.piholecheckpoint.scheduling;

import io.piholecheckpoint.core.schedule.Schedule;
import java.text.ParseException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.zone.ZoneOffsetTransition;
import java.time.zone.ZoneRules;
import java.util.Date;
import java.util.Optional;
import java.util.TimeZone;
import org.quartz.CronExpression;

/**
 * The runs of a cron schedule whose time falls in a spring-forward gap (02:30 on the day Europe/Berlin goes from 02:00 to
 * 03:00): Quartz's cron trigger skips them, crontab (and the user) expect the run right after the jump. Each such day gives
 * one fire at the instant of the jump (03:00 local), however many of the schedule's times fell in the gap. The fall-back
 * needs nothing: Quartz fires a repeated local time once. Hourly, daily and weekly schedules are calendar intervals that
 * keep their day already ({@link Triggers}).
 */
final class GapFires {
  /** How far ahead a gap is looked for: every zone with daylight saving has one within a year. */
  static final Duration HORIZON = Duration.ofDays(400);

  private GapFires() {
  }

  /** The first gap fire of the schedule after {@code after} (not at it), within {@link #HORIZON}; empty for other kinds. */
  static Optional<Instant> next(Schedule schedule, ZoneId zone, Instant after) {
    if (schedule.kind() != Schedule.Kind.CRON) {
      return Optional.empty();
    }
    ZoneRules rules = zone.getRules();
    Instant end = after.plus(HORIZON);
    // the transition at exactly `after` is one whose fire is at `after`: not after it
    for (ZoneOffsetTransition t = rules.nextTransition(after); t != null && t.getInstant().isBefore(end); t = rules.nextTransition(t.getInstant())) {
      if (t.isGap() && firesWithin(schedule, t)) {
        return Optional.of(t.getInstant());
      }
    }
    return Optional.empty();
  }

  /**
   * Whether the schedule has a time in the gap: read on the offset before the jump, on which the gap's local times exist
   * (02:00 to 02:59:59 there are the instants from the jump on, an hour long).
   */
  private static boolean firesWithin(Schedule schedule, ZoneOffsetTransition gap) {
    CronExpression cron;
    try {
      cron = new CronExpression(schedule.cronExpression());
    } catch (ParseException e) {
      throw new IllegalArgumentException(e.getMessage(), e);
    }
    cron.setTimeZone(TimeZone.getTimeZone(gap.getOffsetBefore()));
    Date first = cron.getTimeAfter(Date.from(gap.getInstant().minusMillis(1)));
    return first != null && first.toInstant().isBefore(gap.getInstant().plus(gap.getDuration()));
  }
}
