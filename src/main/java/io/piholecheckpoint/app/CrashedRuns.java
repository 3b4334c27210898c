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

  /**
   * @param node this process's NODE_NAME: a run another node died in says which
   */
  CrashedRuns(Application.Services services, RunMarkers markers, Clock clock, String node) {
    this.services = services;
    this.markers = markers;
    this.clock = clock;
    this.node = node;
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
    String who = marker.node() == null || marker.node().equals(node) ? "the process" : "node " + marker.node();
    try {
      // which logs it, in the words of the record, its times naming the zone there
      services.backups().recordInterrupted(marker, in -> message(marker, who, scheduled, in));
    } catch (RuntimeException e) {
      log.warn("Could not record the interrupted backup of {}: {}", InstanceLabel.of(marker.instanceId(), services.instances()::lookUp),
          e.getMessage());
    }
  }

  private static String message(RunMarkers.Marker marker, String who, Optional<Instant> scheduled, LocalTimeText times) {
    // a manual backup is not tried again by anything: its line points to the person who asked for it, not to a "next try"
    String next = marker.trigger() == Backup.Trigger.MANUAL
        ? "it is not tried again by itself: start it again" + scheduled.map(t -> " (the next scheduled backup is at " + times.of(t) + ")").orElse("")
        : scheduled.map(t -> "the next try is at the scheduled time " + times.of(t)).orElse("it is not scheduled; start the next one by hand");
    return "interrupted: " + who + " stopped during this backup (started " + times.of(marker.startedAt()) + ") — e.g. out of memory; " + next;
  }
}
