package io.piholecheckpoint.core.schedule;

import java.time.Duration;

/**
 * SCHEDULE_SPREAD: each instance's hourly, daily and weekly runs start a fixed offset after the
 * schedule's time, somewhere within the window, so that a thousand instances set to 03:00 do not
 * all start at 03:00. The offset comes from the instance's id alone: the same on every start and
 * on every node sharing the database, and kept when the instance is renamed. A cron schedule is a
 * precise wish and runs as written.
 */
public record Spread(Duration window) {
  public static final Spread NONE = new Spread(Duration.ZERO);

  public Spread {
    if (window.isNegative()) {
      throw new IllegalArgumentException("a spread cannot be negative");
    }
  }

  /** From zero to less than the window, and less than the schedule's period (an hourly run stays hourly). */
  public Duration offset(long instanceId, Schedule schedule) {
    Duration period = switch (schedule.kind()) {
      case HOURLY -> Duration.ofHours(1);
      case DAILY -> Duration.ofDays(1);
      case WEEKLY -> Duration.ofDays(7);
      case CRON -> Duration.ZERO;
    };
    long seconds = Math.min(window.toSeconds(), period.toSeconds());
    return seconds == 0 ? Duration.ZERO : Duration.ofSeconds(Math.floorMod(mix(instanceId), seconds));
  }

  /**
   * SplitMix64's finaliser: consecutive ids land far apart across the window (the id itself would
   * put instance 7 seven seconds after instance 0). Written out so no library's change moves a schedule.
   */
  private static long mix(long id) {
    long z = id + 0x9E3779B97F4A7C15L;
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }
}
