package io.piholecheckpoint.core.health;

import java.time.Instant;
import java.util.Collection;
import java.util.List;
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

  /**
   * {@link #nextFires(String)} of the named jobs only, in one query: the scheduler's own API takes a
   * connection and four statements for each, and the dashboard shows twenty on a page.
   */
  Map<String, Optional<Instant>> nextFires(String jobGroup, Collection<String> jobs);

  /**
   * How many jobs of the group have a trigger, and the earliest next fire of them all: what the
   * scheduler's status shows on every dashboard request, without a row per job (with a thousand
   * Pi-holes, mapping their rows was a quarter of the dashboard's time).
   */
  Summary summary(String jobGroup);

  /**
   * The triggers of the store that fire in another zone than {@code zoneId} (as Quartz keeps it: {@code UTC} for {@code Z}),
   * or by the calendar without keeping their hour across daylight-saving changes: one query, looked at after each check-in.
   */
  List<Stored> storedInOtherZone(String zoneId);

  /** A trigger of the store by its group and name, with the zone it is kept in (null: none, the JVM's). */
  record Stored(String group, String name, String zone) {
  }

  /** @param earliest empty when none fires again */
  record Summary(int jobs, Optional<Instant> earliest) {
  }
}
