package io.piholecheckpoint.core.backup.runs;

import io.piholecheckpoint.core.archive.Archive;
import io.piholecheckpoint.core.archive.ArchiveFiles;
import io.piholecheckpoint.core.archive.ArchiveStore;
import io.piholecheckpoint.core.backup.catalog.Backup;
import io.piholecheckpoint.core.backup.catalog.BackupCatalog;
import io.piholecheckpoint.core.backup.catalog.BackupRepository;
import io.piholecheckpoint.core.instance.PiholeInstance;
import io.piholecheckpoint.core.registry.InstanceService;
import io.piholecheckpoint.core.schedule.LocalTimeText;
import java.io.IOException;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a backup run (or an import) writes on record: its marker while it runs, the record it ends with (a success once its
 * file is in place, the previous backup still current, or a failure), and the records of runs whose end never came.
 */
public final class RunRecords {
  private static final Logger log = LoggerFactory.getLogger(RunRecords.class);

  private final InstanceService instances;
  private final BackupRepository backups;
  private final BackupCatalog catalog;
  private final ArchiveStore archives;
  private final RunMarkers markers;
  private final RunEnd ends;
  private final Clock clock;
  private final FailedRuns failures;
  private final InterruptedRuns interrupted;
  private volatile boolean stopping;
  /** The runs of this process whose end the database did not take (their markers stayed), by instance: when each started. */
  private final Map<Long, Instant> unrecorded = new ConcurrentHashMap<>();

  /**
   * @param catalog learns of a lack of space, and that it is over
   * @param archives where the file of a record that could not be written is deleted again
   * @param trail each run's marker, the write of its end (one transaction in a database), and TIME_ZONE's times for its record
   */
  public RunRecords(InstanceService instances, BackupRepository backups, BackupCatalog catalog, ArchiveStore archives, RunTrail trail,
      Clock clock) {
    this.instances = instances;
    this.backups = backups;
    this.catalog = catalog;
    this.archives = archives;
    this.markers = trail.markers();
    this.ends = trail.ends();
    this.clock = clock;
    this.failures = new FailedRuns(instances, catalog, archives, ends, clock, () -> stopping);
    this.interrupted = new InterruptedRuns(instances, backups, trail.markers(), trail.times(), clock);
  }

  /** At shutdown: what fails from now on is recorded as cut off by the stop. */
  public void stop() {
    stopping = true;
  }

  /** Whether the server is stopping, and what fails now may fail for that alone. */
  public boolean stopping() {
    return stopping;
  }

  /**
   * A run that holds the instance's turn starts: its marker is written ({@link #recordLeftover} first).
   *
   * @return when it started
   */
  public Instant started(long instanceId, Backup.Trigger trigger, boolean pinned) {
    Instant started = clock.instant();
    markers.started(instanceId, trigger, started, pinned); // only a safety backup is stored pinned as it is taken
    return started;
  }

  /**
   * A run that failed ends its marker. When even that cannot be written (the database is gone), the marker stays, and the
   * next run of the instance here records the run as one whose end the database did not take, not as one this node died in.
   */
  public void endMarker(long instanceId, Instant started, RuntimeException failure) {
    try {
      markers.ended(instanceId);
    } catch (RuntimeException e) {
      unrecorded.put(instanceId, started);
      failure.addSuppressed(e);
    }
  }

  /**
   * A marker found by the run that holds the instance's turn is a run that never recorded its end: its node died (another
   * node of a cluster recovering that run records it here, before its own run writes its marker), or it could not reach
   * the database when the run ended.
   */
  public void recordLeftover(long instanceId) {
    markers.find(instanceId).filter(markers::claim).ifPresent(left -> {
      Instant failedEnd = unrecorded.remove(instanceId);
      boolean seenHere = failedEnd != null && failedEnd.truncatedTo(ChronoUnit.MILLIS).equals(left.startedAt().truncatedTo(ChronoUnit.MILLIS));
      Instant again = clock.instant();
      RunMarkers.Runner runner = markers.runnerOf(left);
      interrupted.record(left, in -> LeftRun.describe(left, runner, seenHere, again, in));
    });
  }

  /** What a new archive is compared with: {@link io.piholecheckpoint.core.backup.catalog.BackupRepository#findBaselines}. */
  public List<Backup> baselines(long instanceId) {
    return backups.findBaselines(instanceId);
  }

  /** A Pi-hole unchanged since {@code unchanged}: no new file, that backup marked still current, the run's marker ended. */
  public Backup stillCurrent(PiholeInstance instance, Backup unchanged, PiholeInstance.Status reached) {
    instances.recordStatus(instance.id(), reached);
    backups.markStillCurrent(unchanged.id(), clock.instant());
    markers.ended(instance.id());
    return backups.findById(unchanged.id()).orElseThrow();
  }

  /**
   * The record is written only once the file is in place; if that fails, the file goes too. An
   * import is no run: it has no marker and leaves the instance's status as it is.
   */
  public Backup succeeded(PiholeInstance instance, Backup.Trigger trigger, Archive archive, boolean suspicious, Instant started,
      PiholeInstance.Status status, boolean pinned) {
    Backup record;
    try {
      Backup succeeded = Backup.succeeded(instance.id(), trigger, archive, suspicious, started, clock.instant());
      Backup kept = pinned ? succeeded.asPinned() : succeeded;
      record = trigger == Backup.Trigger.IMPORTED ? backups.insert(kept) : ends.write(kept, status);
    } catch (RuntimeException e) {
      deleteQuietly(archive.fileName());
      throw e;
    }
    if (trigger != Backup.Trigger.IMPORTED) {
      catalog.reportOutOfSpace(null);
    }
    return record;
  }

  /** {@link FailedRuns#record}: the record of a run that kept no archive. */
  public Backup failed(PiholeInstance instance, Backup.Trigger trigger, Instant started, RuntimeException e) {
    return failures.record(instance, trigger, started, e);
  }

  /** The instance's name for the line that ends its run: renamed while it ran, the new one with the old beside it. */
  public String nameAtEnd(PiholeInstance started) {
    String now = instances.nameOf(started.id()).orElse(started.name());
    return now.equals(started.name()) ? "'" + now + "'" : "'%s' (was '%s')".formatted(now, started.name());
  }

  private void deleteQuietly(String fileName) {
    try {
      archives.delete(fileName);
    } catch (IOException e) {
      log.error("Could not delete unrecorded archive {}: {} — delete it by hand", fileName, ArchiveFiles.reason(e));
    }
  }

  /** {@link InterruptedRuns#record}: the start that takes the schedules records so the runs a stopped process left. */
  public Optional<Backup> recordInterrupted(RunMarkers.Marker marker, Function<LocalTimeText, String> message) {
    return interrupted.record(marker, message);
  }

  /** {@link InterruptedRuns#recordOf}: the runs a dead node of a cluster left. */
  public int recordInterruptedOf(String node, Instant lastCheckIn) {
    return interrupted.recordOf(node, lastCheckIn);
  }
}
