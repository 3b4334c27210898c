package io.piholecheckpoint.core.health;

import java.time.Instant;

/**
 * @param state "started"; "standby" while another process on the same DATA_DIR holds the
 *     scheduler lock (this one takes over when it is released); "stopping" or "shut down"
 * @param reason why the scheduler is not running, or null
 */
public record SchedulerStatus(String state, int jobs, Instant nextFireTime, String reason) {

  public boolean running() {
    return "started".equals(state);
  }

  /** Waiting for the scheduler lock: serving, but backing up nothing until the other process stops. */
  public boolean standby() {
    return "standby".equals(state);
  }
}
