package io.piholecheckpoint.core.settings;

import io.piholecheckpoint.core.instance.PiholeInstance;
import io.piholecheckpoint.core.schedule.FireTimes;
import io.piholecheckpoint.core.schedule.Schedule;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * When schedules fire next, as the scheduler computes them, so that a person sees what a
 * schedule means: beside the saved one, while typing a new one, and in the API.
 */
public final class SchedulePreview {
  /** How many fire times are shown. */
  public static final int RUNS = 3;
  private final FireTimes fireTimes;

  public SchedulePreview(FireTimes fireTimes) {
    this.fireTimes = fireTimes;
  }

  /** The instance's next runs on its schedule; none when it is not scheduled (paused, removed, broken). */
  public List<Instant> nextRuns(PiholeInstance instance) {
    if (!instance.scheduled()) {
      return List.of();
    }
    try {
      return fireTimes.upcoming(instance.id(), instance.schedule(), RUNS);
    } catch (IllegalArgumentException e) {
      return List.of(); // such an instance carries its problem, shown instead
    }
  }

  /**
   * The next runs of a cron expression that is not saved yet, checked by the one validator.
   *
   * @throws ValidationException for the field {@code cron}, with the validator's message
   */
  public List<Instant> ofCron(String cron) {
    InstanceRules.cronText(cron).ifPresent(problem -> {
      throw new ValidationException(Map.of("cron", problem));
    });
    Schedule schedule = new Schedule(Schedule.Kind.CRON, Schedule.DEFAULT.time(), Schedule.DEFAULT.day(), cron);
    InstanceRules.schedule(schedule, fireTimes).ifPresent(problem -> {
      throw new ValidationException(Map.of("cron", problem));
    });
    return fireTimes.upcoming(schedule, RUNS);
  }
}
