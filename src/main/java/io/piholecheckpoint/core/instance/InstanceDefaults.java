package io.piholecheckpoint.core.instance;

import io.piholecheckpoint.core.schedule.Schedule;

/**
 * What an environment instance's schedule and retention are when its variables leave them unset:
 * ours, or for an instance carried over from Pi-hole Checkpoint 1.x the ones it had there.
 */
public record InstanceDefaults(Schedule schedule, RetentionPolicy retention) {
  public static final InstanceDefaults STANDARD = new InstanceDefaults(Schedule.DEFAULT, RetentionPolicy.DEFAULT);
}
