package io.piholecheckpoint.app;

import io.piholecheckpoint.core.backup.catalog.Backup;
import io.piholecheckpoint.core.backup.runs.RunMarkers;
import io.piholecheckpoint.core.instance.InstanceLabel;
import io.piholecheckpoint.core.schedule.LocalTimeText;
import io.piholecheckpoint.scheduling.Schedules;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The backups a process died in (their run markers), scheduled and recorded by the process that takes the scheduler lock: a
 * run the process died in counts as that moment's attempt, so no catch-up retries it (and perhaps crashes again, in a loop);
 * the next try is at the scheduled time, which its record says.
 */
final class CrashedRuns {
  private static final Logger log = LoggerFactory.getLogger(CrashedRuns.class);

  private final Application.Services services;
  private final RunMarkers markers;
  private final Clock clock;
  private final String node;
  private final LocalTimeText times;

  /**
   * @param node this process's NODE_NAME: a run another node died in says which
   * @param times TIME_ZONE's, in which the record of a run cut short says when it started and runs next, as its page does
   */
  CrashedRuns(Application.Services services, RunMarkers markers, Clock clock, String node, LocalTimeText times) {
    this.services = services;
    this.markers = markers;
    this.clock = clock;
    this.node = node;
    this.times = times;
  }

  /** @param joining whether other nodes run now: a node joining running ones missed nothing, they ran the schedules meanwhile */
  void scheduleAll(Schedules schedules, boolean joining) {
    Map<Long, RunMarkers.Marker> crashed = markers.takeAll().stream().collect(Collectors.toMap(RunMarkers.Marker::instanceId, m -> m));
    Instant now = clock.instant();
    schedules.reportUnschedulableTo((instance, problem) -> services.instances().markUnschedulable(instance.id(), problem));
    schedules.scheduleAll(services.instances().list(), id -> crashed.containsKey(id) || joining ? Optional.of(now)
        : services.catalog().scheduleLastServed(id));
    crashed.values().forEach(marker -> record(marker, schedules));
  }

  private void record(RunMarkers.Marker marker, Schedules schedules) {
    Optional<Instant> scheduled = schedules.nextRun(marker.instanceId());
    // a manual backup is not tried again by anything: its line points to the person who asked for it, not to a "next try"
    String next = marker.trigger() == Backup.Trigger.MANUAL
        ? "it is not tried again by itself: start it again" + scheduled.map(t -> " (the next scheduled backup is at " + times.of(t) + ")").orElse("")
        : scheduled.map(t -> "the next try is at the scheduled time " + times.of(t)).orElse("it is not scheduled; start the next one by hand");
    String who = marker.node() == null || marker.node().equals(node) ? "the process" : "node " + marker.node();
    String message = "interrupted: " + who + " stopped during this backup (started " + times.of(marker.startedAt())
        + ") — e.g. out of memory; " + next;
    try {
      services.backups().recordInterrupted(marker, message); // which logs it, in the words of the record
    } catch (RuntimeException e) {
      log.warn("Could not record the interrupted backup of {}: {}", InstanceLabel.of(marker.instanceId(), services.instances()::lookUp),
          e.getMessage());
    }
  }
}
