package io.piholecheckpoint.core.health;

import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/**
 * The next fire times of a group of scheduled jobs, read at once from a cluster's shared job store:
 * the scheduler's own API loads them job by job, and with a thousand Pi-holes the dashboard, /health
 * and /metrics each waited seconds for it.
 */
public interface ScheduledTriggers {
  /** Each job of the group that has a trigger, with its earliest next fire time (empty when none fires again). */
  Map<String, Optional<Instant>> nextFires(String jobGroup);
}
