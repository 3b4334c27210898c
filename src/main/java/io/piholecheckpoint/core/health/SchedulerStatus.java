package io.piholecheckpoint.core.health;

import java.time.Instant;

/**
 * @param state "started", "standby", "shut down" or "not started"
 * @param reason why the scheduler is not running, or null
 */
public record SchedulerStatus(String state, int jobs, Instant nextFireTime, String reason) {

  public boolean running() {
    return "started".equals(state);
  }
}
