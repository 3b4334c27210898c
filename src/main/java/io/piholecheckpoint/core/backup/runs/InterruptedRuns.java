package io.piholecheckpoint.core.backup.runs;

import io.piholecheckpoint.core.backup.catalog.Backup;
import io.piholecheckpoint.core.backup.catalog.BackupRepository;
import io.piholecheckpoint.core.instance.ConnectionStatus;
import io.piholecheckpoint.core.instance.PiholeInstance;
import io.piholecheckpoint.core.registry.InstanceService;
import io.piholecheckpoint.core.schedule.LocalTimeText;
import io.piholecheckpoint.core.units.LogText;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The records of runs that never wrote their own end: the process or node running them died, or the database was gone when
 * they ended. Found by the next run of the instance, by the start that takes the schedules, or when a cluster loses a node.
 */
public class InterruptedRuns {
  /** The failure code of a run that the process died in. */
  public static final String INTERRUPTED = "interrupted";
  private static final Logger log = LoggerFactory.getLogger(InterruptedRuns.class);

  private final InstanceService instances;
  private final BackupRepository backups;
  private final RunMarkers markers;
  private final LocalTimeText times;
  private final Clock clock;

  /** @param times TIME_ZONE's, in which a record of a run cut off says when it started */
  public InterruptedRuns(InstanceService instances, BackupRepository backups, RunMarkers markers, LocalTimeText times, Clock clock) {
    this.instances = instances;
    this.backups = backups;
    this.markers = markers;
    this.times = times;
    this.clock = clock;
  }

  /**
   * Records a run the process died in (its marker was left) as failed, with {@code message}
   * saying why and when the next try is; the instance shows it as its last error. Nothing when the
   * run's own end is on record by then: its node, taken for dead, finished it after all. Logged, as the record says it.
   *
   * @param message the record's words, its times written by the {@link LocalTimeText} given: TIME_ZONE's as the pages show
   *     them for the record, the same naming the zone for the log line (whose own stamp is UTC)
   * @return the record, or empty when the run had recorded its end
   */
  public Optional<Backup> record(RunMarkers.Marker marker, Function<LocalTimeText, String> message) {
    PiholeInstance instance = instances.find(marker.instanceId());
    Optional<Backup> recorded = writeInterrupted(instance, marker, message.apply(times));
    // in the record's words: a safety backup's say what it was and that its restore or sync changed nothing, not the message given
    recorded.ifPresent(r -> log.warn("Backup of Pi-hole '{}': {}", LogText.of(instance.name()),
        (marker.safety() ? safetyInterrupted(marker, times.inLog()) : message.apply(times.inLog()))));
    return recorded;
  }

  private Optional<Backup> writeInterrupted(PiholeInstance instance, RunMarkers.Marker marker, String message) {
    Instant now = clock.instant();
    if (marker.safety()) {
      // the process stopped, not the Pi-hole: its status stays as its last contact left it, and the record says what the run was
      return backups.insertInterrupted(Backup.failed(instance.id(), marker.trigger(), INTERRUPTED, safetyInterrupted(marker, times),
          marker.startedAt(), now).ranBy(marker.node()));
    }
    Optional<Backup> recorded = backups.insertInterrupted(Backup.failed(instance.id(), marker.trigger(), INTERRUPTED, message,
        marker.startedAt(), now).ranBy(marker.node()));
    recorded.ifPresent(r -> instances.recordStatus(instance.id(), new PiholeInstance.Status(ConnectionStatus.ERROR, message, now,
        instance.status().piholeVersion(), instance.status().seatsInUse())));
    return recorded;
  }

  /** What an interrupted safety backup was, and that the restore or sync it was taken for had changed nothing yet. */
  private static String safetyInterrupted(RunMarkers.Marker marker, LocalTimeText times) {
    String who = marker.node() == null ? "Pi-hole Checkpoint" : "node " + marker.node();
    return ("interrupted safety backup: the backup a restore or sync takes before it changes the Pi-hole was cut off when %s stopped"
        + " (started %s), so that restore or sync changed nothing on the Pi-hole (its own record says how it ended). This says"
        + " nothing about the Pi-hole; start the restore or sync again").formatted(who, times.of(marker.startedAt()));
  }

  /**
   * Records the backups a dead node of a cluster was running as interrupted, at once: those a Quartz
   * recovery runs again on another node (scheduled ones) and those that are not (manual ones, started
   * again by hand). A marker the re-run found first is recorded by it instead. Returns how many.
   *
   * @param lastCheckIn when the node last checked in; null when not known
   */
  public int recordOf(String node, Instant lastCheckIn) {
    int n = 0;
    for (RunMarkers.Marker left : markers.findOf(node)) {
      if (markers.claim(left)) {
        String next = left.trigger() == Backup.Trigger.SCHEDULED ? "another node runs it again now" : "start it again";
        Function<LocalTimeText, String> message = in -> "interrupted: node %s stopped during this backup (started %s%s); %s".formatted(node,
            in.of(left.startedAt()), lastCheckIn == null ? "" : ", last checked in at " + in.of(lastCheckIn), next);
        n += record(left, message).isPresent() ? 1 : 0; // none when its node recorded the run's end meanwhile
      }
    }
    return n;
  }
}
