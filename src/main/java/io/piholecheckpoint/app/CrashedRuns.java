package io.piholecheckpoint.app;

import io.piholecheckpoint.core.backup.catalog.Backup;
import io.piholecheckpoint.core.backup.runs.RunMarkers;
import io.piholecheckpoint.core.instance.InstanceLabel;
import io.piholecheckpoint.core.schedule.LocalTimeText;
import io.piholecheckpoint.core.health.SchedulerView;
import io.piholecheckpoint.scheduling.Planning;
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
  private final SchedulerView scheduler;
  private final Clock clock;
  private final String node;

  /**
   * @param scheduler when each instance's next run is, for the record of the run it died in
   * @param node this process's NODE_NAME: a run another node died in says which
   */
  CrashedRuns(Application.Services services, RunMarkers markers, SchedulerView scheduler, Clock clock, String node) {
    this.services = services;
    this.markers = markers;
    this.scheduler = scheduler;
    this.clock = clock;
    this.node = node;
  }

  /** @param joining whether other nodes run now: a node joining running ones missed nothing, they ran the schedules meanwhile */
  void scheduleAll(Planning planning, boolean joining) {
    Map<Long, RunMarkers.Marker> crashed = markers.takeAll().stream().collect(Collectors.toMap(RunMarkers.Marker::instanceId, m -> m));
    Instant now = clock.instant();
    planning.reportUnschedulableTo((instance, problem) -> services.instances().markUnschedulable(instance.id(), problem));
    planning.reportEndedTo(services.instances()::scheduleEnded);
    planning.scheduleAll(services.instances().list(), id -> crashed.containsKey(id) || joining ? Optional.of(now)
        : services.catalog().scheduleLastServed(id));
    crashed.values().forEach(this::record);
  }

  private void record(RunMarkers.Marker marker) {
    Optional<Instant> scheduled = scheduler.nextRun(marker.instanceId());
    String who = marker.node() == null || marker.node().equals(node) ? "the process" : "node " + marker.node();
    try {
      // which logs it, in the words of the record, its times naming the zone there
      services.backupCases().records().recordInterrupted(marker, in -> message(marker, who, scheduled, in));
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
