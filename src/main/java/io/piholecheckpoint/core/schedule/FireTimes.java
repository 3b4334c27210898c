package io.piholecheckpoint.core.schedule;

import java.time.Duration;
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

  /**
   * How far apart two fires of the schedule less than a minute apart are, or empty when it fires at most once a minute: the
   * one limit of a backup's and a sync group's schedule, each run signing in to and exporting a Pi-hole. A cron fires at
   * every second of its seconds field in each minute it fires in, so its fires come a minute apart or more exactly when that
   * field names one second. The first of those minutes may be cut short by now, the next is whole: three fire times tell.
   *
   * @throws IllegalArgumentException when the schedule cannot be read, with the reason
   */
  default Optional<Duration> underAMinuteApart(Schedule schedule) {
    List<Instant> next = upcoming(schedule, 3);
    for (int i = 1; i < next.size(); i++) {
      Duration apart = Duration.between(next.get(i - 1), next.get(i));
      if (apart.compareTo(Duration.ofMinutes(1)) < 0) {
        return Optional.of(apart);
      }
    }
    return Optional.empty();
  }

  /** The next fire times of this instance's schedule, after its offset within SCHEDULE_SPREAD (see {@link Spread}). */
  default List<Instant> upcoming(long instanceId, Schedule schedule, int count) {
    return upcoming(schedule, count);
  }
}
