package io.piholecheckpoint.app;

import io.piholecheckpoint.core.backup.runs.RunMarkers;
import io.piholecheckpoint.core.backup.catalog.Backup;
import io.piholecheckpoint.core.instance.InstanceLabel;
import io.piholecheckpoint.core.schedule.LocalTimeText;
import io.piholecheckpoint.core.job.Jobs;
import io.piholecheckpoint.core.restore.record.Restore;
import io.piholecheckpoint.persistence.MyBatisRestoreRepository;
import io.piholecheckpoint.scheduling.Schedules;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the process holding the scheduler lock does once, when it gets it (at its start, or
 * later as a standby taking over): stores its environment's instances, clears what a stopped
 * process left half done, then schedules the backups. Only the lock holder may: in a process
 * next to a running one, those "leftovers" are the other's downloads and restores in flight,
 * and the instances stored are the ones the other runs.
 */
final class Takeover implements Consumer<Schedules> {
  private static final Logger log = LoggerFactory.getLogger(Takeover.class);

  private final Application.Services services;
  private final InstancesFromEnvironment environment;
  private final MyBatisRestoreRepository restores;
  private final RunMarkers markers;
  private final Jobs jobs;
  private final Clock clock;
  private final String node;
  private final BooleanSupplier othersAlive;
  private final LocalTimeText times;
  private final Path uploads;

  /**
   * @param node this process's NODE_NAME
   * @param othersAlive whether other nodes of a cluster run now: then the temp files and running restores in the shared
   *     places are perhaps theirs, and are left alone; the runs they died in are told by their markers' node
   * @param times TIME_ZONE's, in which the record of a run cut short says when it started and runs next, as its page does
   * @param uploads BACKUP_DIR/.uploads, where each process buffers its uploads in a folder it holds
   */
  Takeover(Application.Services services, InstancesFromEnvironment environment, MyBatisRestoreRepository restores, RunMarkers markers, Jobs jobs,
           Clock clock, String node, BooleanSupplier othersAlive, LocalTimeText times, Path uploads) {
    this.times = times;
    this.uploads = uploads;
    this.environment = environment;
    this.node = node;
    this.othersAlive = othersAlive;
    this.services = services;
    this.restores = restores;
    this.markers = markers;
    this.jobs = jobs;
    this.clock = clock;
  }

  @Override
  public void accept(Schedules schedules) {
    environment.apply(); // first: the clean-up and the schedules below are of the instances as this process's environment has them
    boolean joining = othersAlive.getAsBoolean();
    if (joining) {
      log.info("Other nodes of the cluster are running: their downloads and restores in progress are left alone; the backups a dead node left"
          + " are recorded as interrupted");
      // only the files no live process holds: a killed node's, never a running one's
      int abandoned = services.archives().removeAbandoned();
      if (abandoned > 0) {
        log.info("Removed {} partial download(s) left by a process that was killed", abandoned);
      }
    } else {
      clearLeftovers();
    }
    UploadFolder.removeAbandoned(uploads); // only folders no live process holds, a cluster's nodes' included
    // on PostgreSQL only this node's own jobs: another node's are its to finish
    int jobsLeft = jobs.interruptLeftovers();
    if (jobsLeft > 0) {
      log.warn("{} backup or sync job(s) asked for before the last shutdown were still queued or running; they are marked interrupted", jobsLeft);
    }
    // alone, every run left is this process's predecessor's; beside live nodes only this node's own (a dead one's are recovered for it)
    int syncsLeft = services.sync().interruptLeft(joining ? node : null, in -> "the process stopped");
    if (syncsLeft > 0) {
      log.warn("{} sync run(s) were under way at the last shutdown; their replicas are recorded as interrupted — run those groups again", syncsLeft);
    }
    Map<Long, RunMarkers.Marker> crashed = markers.takeAll().stream().collect(Collectors.toMap(RunMarkers.Marker::instanceId, m -> m));
    // a run the process died in counts as this moment's attempt: no catch-up retries it (and
    // perhaps crashes again, in a loop); the next try is at the scheduled time
    Instant now = clock.instant();
    schedules.reportUnschedulableTo((instance, problem) -> services.instances().markUnschedulable(instance.id(), problem));
    // a node joining running ones missed nothing: they ran the schedules meanwhile
    schedules.scheduleAll(services.instances().list(), id -> crashed.containsKey(id) || joining ? Optional.of(now)
        : services.catalog().scheduleLastServed(id));
    crashed.values().forEach(marker -> recordCrash(marker, schedules));
  }

  /** What a stopped process left half done, when no other node may be doing it now. */
  private void clearLeftovers() {
    int incomplete = services.archives().removeIncomplete();
    if (incomplete > 0) {
      log.info("Removed {} incomplete download(s) left by a process that stopped mid-backup", incomplete);
    }
    // one line each, as interrupted backups get: which restore, of which backup, to which Pi-hole, and what to do
    restores.interrupt(null, "Pi-hole Checkpoint stopped", clock.instant()).forEach(restore -> log.warn("{}",
        interruptedLine(restore, InstanceLabel.of(restore.targetId(), services.instances()::lookUp))));
    int cutShort = services.retention().finishCutShort();
    if (cutShort > 0) {
      log.info("Completed {} backup deletion(s) that the last process had begun", cutShort);
    }
    services.offsite().releaseClaimsOfDestinationsGone();
    services.maintenance().reconcile();
  }

  /** "Restore 4 of backup 12 to Pi-hole 'Home' (safety backup 13): interrupted: … — restore …": the record's words, with whom it concerns. */
  static String interruptedLine(Restore restore, Object target) {
    return "Restore %d of backup %d to %s%s: %s".formatted(restore.id(), restore.backupId(), target,
        restore.snapshotId() == null ? "" : " (safety backup " + restore.snapshotId() + ")", restore.message());
  }

  private void recordCrash(RunMarkers.Marker marker, Schedules schedules) {
    Optional<Instant> scheduled = schedules.nextRun(marker.instanceId());
    String who = marker.node() == null || marker.node().equals(node) ? "the process" : "node " + marker.node();
    try {
      // which logs it, in the words of the record, its times naming the zone there
      services.backups().recordInterrupted(marker, in -> crashMessage(marker, who, scheduled, in));
    } catch (RuntimeException e) {
      log.warn("Could not record the interrupted backup of {}: {}", InstanceLabel.of(marker.instanceId(), services.instances()::lookUp),
          e.getMessage());
    }
  }

  private static String crashMessage(RunMarkers.Marker marker, String who, Optional<Instant> scheduled, LocalTimeText times) {
    // a manual backup is not tried again by anything: its line points to the person who asked for it, not to a "next try"
    String next = marker.trigger() == Backup.Trigger.MANUAL
        ? "it is not tried again by itself: start it again" + scheduled.map(t -> " (the next scheduled backup is at " + times.of(t) + ")").orElse("")
        : scheduled.map(t -> "the next try is at the scheduled time " + times.of(t)).orElse("it is not scheduled; start the next one by hand");
    return "interrupted: " + who + " stopped during this backup (started " + times.of(marker.startedAt()) + ") — e.g. out of memory; " + next;
  }
}
