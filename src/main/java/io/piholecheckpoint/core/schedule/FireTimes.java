package io.piholecheckpoint.core.schedule;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * When a schedule fires next, as the scheduler will compute it (in TIME_ZONE, from now). The
 * core cannot see Quartz; this port lets the one validator ask the same question that
 * scheduling will ask later, so that nothing is stored that the scheduler then refuses.
 */
public interface FireTimes {

  /**
   * @return the next fire time, or empty when the schedule never fires again (e.g. 31 February)
   * @throws IllegalArgumentException when the schedule cannot be read, with the reason
   */
  default Optional<Instant> next(Schedule schedule) {
    return upcoming(schedule, 1).stream().findFirst();
  }

  /**
   * @return the next {@code count} fire times, fewer when the schedule stops firing before
   * @throws IllegalArgumentException when the schedule cannot be read, with the reason
   */
  List<Instant> upcoming(Schedule schedule, int count);

  /** The next fire times of this instance's schedule, after its offset within SCHEDULE_SPREAD (see {@link Spread}). */
  default List<Instant> upcoming(long instanceId, Schedule schedule, int count) {
    return upcoming(schedule, count);
  }
}
