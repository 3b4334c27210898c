package io.piholecheckpoint.core.backup;

import io.piholecheckpoint.core.archive.Archive;
import io.piholecheckpoint.core.archive.ArchiveInspector;
import io.piholecheckpoint.core.archive.ArchiveFiles;
import io.piholecheckpoint.core.archive.ArchiveStore;
import io.piholecheckpoint.core.archive.work.ArchiveWork;
import io.piholecheckpoint.core.archive.InvalidArchiveException;
import io.piholecheckpoint.core.backup.catalog.Backup;
import io.piholecheckpoint.core.backup.catalog.BackupCatalog;
import io.piholecheckpoint.core.backup.catalog.BackupConflictException;
import io.piholecheckpoint.core.backup.catalog.BackupRepository;
import io.piholecheckpoint.core.backup.catalog.Suspicion;
import io.piholecheckpoint.core.backup.events.Events;
import io.piholecheckpoint.core.backup.runs.InterruptedRuns;
import io.piholecheckpoint.core.backup.runs.RunEnd;
import io.piholecheckpoint.core.backup.runs.RunMarkers;
import io.piholecheckpoint.core.backup.runs.RunTrail;
import io.piholecheckpoint.core.backup.trust.Acceptance;
import io.piholecheckpoint.core.contents.ArchiveReader;
import io.piholecheckpoint.core.download.ArchiveDownloader;
import io.piholecheckpoint.core.download.BackupProgress;
import io.piholecheckpoint.core.instance.ConnectionStatus;
import io.piholecheckpoint.core.instance.InstanceLabel;
import io.piholecheckpoint.core.instance.PiholeInstance;
import io.piholecheckpoint.core.registry.InstanceService;
import io.piholecheckpoint.core.schedule.LocalTimeText;
import io.piholecheckpoint.core.units.ByteSize;
import java.io.IOException;
import java.io.InputStream;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs, imports, pins and deletes backups (the reads are {@link BackupCatalog}'s). Backups of one
 * instance never overlap: a manual run while another is in progress is refused, a scheduled one
 * waits its turn.
 */
public class BackupService {
  private volatile boolean stopping;
  private static final Logger log = LoggerFactory.getLogger(BackupService.class);
  /** How long a deletion waits for an instance's turn another node holds: that node's own deletion of it lets go in a moment. */
  static final java.time.Duration DELETION_WAIT = java.time.Duration.ofSeconds(5);

  private final InstanceService instances;
  private final BackupRepository backups;
  private final ArchiveDownloader downloader;
  private final ArchiveReader reader;
  private final Retention retention;
  private final Clock clock;
  private final Events events;
  private final RunMarkers markers;
  private final RunEnd ends;
  private final LocalTimeText times;
  private final InstanceTurns turns;
  private final Map<Long, ReentrantLock> locks = new ConcurrentHashMap<>();
  /** The runs of this process whose end the database did not take (their markers stayed), by instance: when each started. */
  private final Map<Long, Instant> unrecorded = new ConcurrentHashMap<>();
  /** What holds an instance's lock other than a backup ("a restore to 'Home'"), so a refusal can say which work runs. */
  private final Map<Long, String> holders = new ConcurrentHashMap<>();
  private final ArchiveWork work;
  private final BackupCatalog catalog;
  private final ArchiveStore archives;
  private final ChangeSummary summaries;
  private final FailedRuns failures;
  private final InterruptedRuns interrupted;
  private final BackupDeletions deletions;
  private final Acceptance acceptance;

  /** @param times TIME_ZONE's, in which a record of a run cut off says when it started */
  public BackupService(BackupCatalog catalog, InstanceService instances, BackupRepository backups, ArchiveDownloader downloader,
      ArchiveStore archives, ArchiveReader reader, Retention retention, Clock clock, Events events, LocalTimeText times) {
    this(catalog, instances, backups, downloader, archives, reader, retention, clock, events, times, RunMarkers.NONE);
  }

  /** @param markers where each run leaves a trace while it is in progress, to tell a crash at the next start */
  public BackupService(BackupCatalog catalog, InstanceService instances, BackupRepository backups, ArchiveDownloader downloader,
      ArchiveStore archives, ArchiveReader reader, Retention retention, Clock clock, Events events, LocalTimeText times,
      RunMarkers markers) {
    this(catalog, instances, backups, downloader, archives, reader, retention, clock, events,
        new RunTrail(markers, RunEnd.separately(backups, instances, markers), times), ArchiveWork.unbounded());
  }

  /**
   * @param catalog answers the reads and learns of a lack of space
   * @param trail each run's marker, the write of its end (one transaction in a database), and TIME_ZONE's times for its record
   * @param work held over a whole import, so that its inspection and change summary take one turn
   */
  public BackupService(BackupCatalog catalog, InstanceService instances, BackupRepository backups, ArchiveDownloader downloader,
      ArchiveStore archives, ArchiveReader reader, Retention retention, Clock clock, Events events, RunTrail trail, ArchiveWork work) {
    this(catalog, instances, backups, downloader, archives, reader, retention, clock, events, trail, work, InstanceTurns.LOCAL);
  }

  /** @param turns each instance's turn across the nodes of a cluster ({@link InstanceTurns#LOCAL} with one node) */
  public BackupService(BackupCatalog catalog, InstanceService instances, BackupRepository backups, ArchiveDownloader downloader,
      ArchiveStore archives, ArchiveReader reader, Retention retention, Clock clock, Events events, RunTrail trail, ArchiveWork work,
      InstanceTurns turns) {
    this.turns = turns;
    this.catalog = catalog;
    this.archives = archives;
    this.work = work;
    this.markers = trail.markers();
    this.ends = trail.ends();
    this.times = trail.times();
    this.instances = instances;
    this.backups = backups;
    this.downloader = downloader;
    this.reader = reader;
    this.retention = retention;
    this.clock = clock;
    this.events = events;
    this.summaries = new ChangeSummary(archives, reader);
    this.failures = new FailedRuns(instances, catalog, archives, ends, clock, this::stopping);
    this.interrupted = new InterruptedRuns(instances, backups, markers, times, clock);
    this.deletions = new BackupDeletions(catalog, backups, archives, events);
    this.acceptance = new Acceptance(catalog, backups, events);
  }

  /**
   * Backs up the instance now and returns the record written, successful or failed (or, for
   * an unchanged Pi-hole with SKIP_UNCHANGED, the previous backup, now marked still current).
   *
   * @throws BackupConflictException for a manual run while another backup of it runs, or of
   *     an instance that was removed
   */
  public Backup runBackup(long instanceId, Backup.Trigger trigger) {
    return run(instanceId, trigger, trigger == Backup.Trigger.SCHEDULED, BackupProgress.NONE, false);
  }

  /**
   * The backup taken before a restore or sync changes the Pi-hole, as {@link #runBackup} with SAFETY, recorded pinned in
   * the same write as its record: pinned afterwards, the retention run that ends every backup would see it unpinned, count it
   * toward MAX_BACKUPS and delete the oldest backup, which may be the very one being restored.
   */
  public Backup runSafetyBackup(long instanceId) {
    return run(instanceId, Backup.Trigger.SAFETY, false, BackupProgress.NONE, true);
  }

  /** A manual backup queued earlier: it waits for a running one, then reports its progress. */
  public Backup runQueuedBackup(long instanceId, BackupProgress progress) {
    return run(instanceId, Backup.Trigger.MANUAL, true, progress, false);
  }

  /**
   * Runs {@code work} while no backup of the instance can run (a scheduled one waits).
   *
   * @param what the work, as a refused backup or deletion names it meanwhile: "a restore to 'Home'", "a sync of 'Office'"
   */
  public <T> T exclusively(long instanceId, String what, java.util.function.Supplier<T> work) {
    ReentrantLock lock = locks.computeIfAbsent(instanceId, id -> new ReentrantLock());
    lock.lock();
    String outer = holders.put(instanceId, what);
    try (InstanceTurns.Turn turn = turns.take(instanceId); ArchiveWork.Doing doing = this.work.doing(what)) {
      return work.get();
    } finally {
      if (outer == null) {
        holders.remove(instanceId);
      } else {
        holders.put(instanceId, outer);
      }
      lock.unlock();
    }
  }

  /** The instance as a log line names it ("Pi-hole 'Office'"), read only when the line is written. */
  public Object named(long instanceId) {
    return InstanceLabel.of(instanceId, instances::lookUp);
  }

  /**
   * What holds the instance's turn now: "a sync of 'Office'", or "a backup of 'Office'" when a backup does (a restore waiting
   * behind it named nothing, and said "started" while it waited); empty when nothing does.
   */
  public Optional<String> heldBy(long instanceId) {
    if (!running(instanceId)) {
      return Optional.empty();
    }
    return Optional.ofNullable(holders.get(instanceId)).or(() -> Optional.of("a backup of " + instances.lookUp(instanceId)
        .map(instance -> "'" + instance.name() + "'").orElse("Pi-hole #" + instanceId)));
  }

  /**
   * At shutdown: ends the downloads of running backups; each records itself as cancelled,
   * deletes its temp file and logs out of its Pi-hole on its way out.
   */
  public void cancelRunning() {
    stopping = true;
    downloader.cancelDownloads();
  }

  /** Whether {@link #cancelRunning} was called: the server is stopping, and what fails now may fail for that alone. */
  public boolean stopping() {
    return stopping;
  }

  /** Whether a backup of the instance runs at this moment. */
  public boolean running(long instanceId) {
    ReentrantLock lock = locks.get(instanceId);
    return lock != null && lock.isLocked();
  }

  /**
   * Refuses a manual backup that cannot start: the one check of "removed" and "already running",
   * for a backup asked for now and for one queued to run later.
   *
   * @param queued whether a manual backup of the instance is queued already
   * @throws BackupConflictException when the instance was removed, or a backup of it runs or is queued
   */
  public void requireStartable(long instanceId, boolean queued) {
    requireStartable(instanceId, queued ? Optional.of("") : Optional.empty());
  }

  /**
   * As {@link #requireStartable(long, boolean)}, naming the node a queued one runs on in a cluster.
   *
   * @param queuedOn the node of the manual backup queued already (blank: not known); empty when none is
   */
  public void requireStartable(long instanceId, Optional<String> queuedOn) {
    PiholeInstance instance = instances.find(instanceId);
    if (queuedOn.isPresent() && !queuedOn.get().isBlank() && turns != InstanceTurns.LOCAL && !instance.removed()) {
      throw new BackupConflictException("a backup of '%s' is already running on node %s; try again when it has finished"
          .formatted(instance.name(), queuedOn.get()));
    }
    refuseIf(instance, queuedOn.isPresent() || running(instanceId));
    if (turns.heldElsewhere(instanceId)) {
      throw elsewhere(instance);
    }
  }

  /** The instance's turn is held on another node: the node is named where its running backup's marker tells it. */
  private BackupConflictException elsewhere(PiholeInstance instance) {
    Optional<String> node = markers.find(instance.id()).map(RunMarkers.Marker::node);
    return new BackupConflictException(node.map(n -> "a backup of '%s' is already running on node %s; try again when it has finished"
            .formatted(instance.name(), n))
        .orElse("a backup, restore or sync of '%s' is running on another node; try again when it has finished".formatted(instance.name())));
  }

  private void refuseIf(PiholeInstance instance, boolean busy) {
    if (instance.removed()) {
      throw new BackupConflictException(InstanceService.removedMessage(instance.name()));
    }
    String holder = busy ? holders.get(instance.id()) : null;
    if (holder != null) {
      throw new BackupConflictException("%s is running; back it up when it has finished".formatted(holder));
    }
    if (busy) {
      throw new BackupConflictException("a backup of '%s' is already running; try again when it has finished".formatted(instance.name()));
    }
  }

  /**
   * The instance is read once its turn has come: what it is then (settings, removed or not) is what
   * the run follows, and a run that waited for one that removed it is refused.
   */
  private Backup run(long instanceId, Backup.Trigger trigger, boolean waitTurn, BackupProgress progress, boolean pinned) {
    ReentrantLock lock = locks.computeIfAbsent(instanceId, id -> new ReentrantLock());
    if (waitTurn) {
      lock.lock();
    } else if (!lock.tryLock()) {
      refuseIf(instances.find(instanceId), true);
    }
    try (InstanceTurns.Turn turn = clusterTurn(instanceId, waitTurn)) {
      recordLeftover(instanceId);
      PiholeInstance current = instances.find(instanceId);
      refuseIf(current, false);
      events.backupStarted(current, trigger);
      Instant started = clock.instant();
      markers.started(instanceId, trigger, started, pinned); // only a safety backup is stored pinned as it is taken
      Backup backup;
      try (ArchiveWork.Doing doing = work.doing((pinned ? "the safety backup of '%s'" : "a backup of '%s'").formatted(current.name()))) {
        backup = backUp(current, trigger, progress, started, pinned); // ends the marker with the run's record
      } catch (RuntimeException e) {
        endMarker(instanceId, started, e);
        throw e;
      } // an Error (out of memory) leaves the marker: the run counts as one the process died in
      // the listeners need its name and settings, which the run does not change: no second read
      events.backupFinished(current, backup, Duration.between(backup.startedAt(), backup.finishedAt()));
      return backup;
    } finally {
      lock.unlock();
    }
  }

  /**
   * A run that failed ends its marker. When even that cannot be written (the database is gone), the marker stays, and the
   * next run of the instance here records the run as one whose end the database did not take, not as one this node died in.
   */
  private void endMarker(long instanceId, Instant started, RuntimeException failure) {
    try {
      markers.ended(instanceId);
    } catch (RuntimeException e) {
      unrecorded.put(instanceId, started);
      failure.addSuppressed(e);
    }
  }

  private InstanceTurns.Turn clusterTurn(long instanceId, boolean wait) {
    if (wait) {
      return turns.take(instanceId);
    }
    return turns.tryTake(instanceId).orElseThrow(() -> elsewhere(instances.find(instanceId)));
  }

  /**
   * A marker found by the run that holds the instance's turn is a run that never recorded its end: its node died (another
   * node of a cluster recovering that run records it here, before its own run writes its marker), or it could not reach
   * the database when the run ended.
   */
  private void recordLeftover(long instanceId) {
    markers.find(instanceId).filter(markers::claim).ifPresent(left -> {
      Instant failedEnd = unrecorded.remove(instanceId);
      boolean seenHere = failedEnd != null && failedEnd.truncatedTo(ChronoUnit.MILLIS).equals(left.startedAt().truncatedTo(ChronoUnit.MILLIS));
      Instant again = clock.instant();
      RunMarkers.Runner runner = markers.runnerOf(left);
      interrupted.record(left, in -> LeftRun.describe(left, runner, seenHere, again, in));
    });
  }

  /** The instance's name for the line that ends its run: renamed while it ran, the new one with the old beside it. */
  private String nameAtEnd(PiholeInstance started) {
    String now = instances.nameOf(started.id()).orElse(started.name());
    return now.equals(started.name()) ? "'" + now + "'" : "'%s' (was '%s')".formatted(now, started.name());
  }

  private Backup backUp(PiholeInstance instance, Backup.Trigger trigger, BackupProgress progress, Instant started, boolean pinned) {
    List<Backup> recent = backups.findBaselines(instance.id());
    // judged against what the Pi-hole held, never an upload: an archive from elsewhere would flag every real backup after it
    List<Backup> earlier = recent.stream().filter(Backup::takenFromThePihole).toList();
    long expectedBytes = earlier.isEmpty() ? 0 : earlier.get(0).archive().sizeBytes();
    try (ArchiveDownloader.Download download = downloader.download(instance, started, expectedBytes, progress)) {
      PiholeInstance.Status reached = new PiholeInstance.Status(ConnectionStatus.OK, null, clock.instant(),
          download.versions().ftl(), download.seatsInUse());
      ArchiveInspector.Inspection inspection = download.incoming().inspection();
      Optional<Backup> unchanged = earlier.stream().findFirst().filter(b -> b.archive().contentHash().equals(inspection.contentHash()));
      if (instance.skipUnchanged() && trigger == Backup.Trigger.SCHEDULED && unchanged.isPresent()) {
        instances.recordStatus(instance.id(), reached);
        backups.markStillCurrent(unchanged.get().id(), clock.instant());
        markers.ended(instance.id());
        log.info("Pi-hole '{}' is unchanged since backup {}; kept no new file (SKIP_UNCHANGED)", instance.name(), unchanged.get().id());
        return backups.findById(unchanged.get().id()).orElseThrow();
      }
      Optional<String> suspicion = Suspicion.of(earlier, inspection);
      String changes = summaries.since(recent, earlier, download.incoming());
      Backup backup = recordSuccess(instance, trigger, download.incoming().keep(download.versions()).withChanges(changes), suspicion.isPresent(),
          started, reached, pinned);
      if (suspicion.isPresent()) {
        warnSuspicious(backup, instance, suspicion.get());
      } else {
        log.info("Backed up Pi-hole {} ({}): {} ({}; {})", nameAtEnd(instance), pinned ? "safety backup" : trigger.name().toLowerCase(Locale.ROOT),
            backup.fileName(), ByteSize.format(backup.archive().sizeBytes()), inspection.summary().describe());
      }
      catalog.reportOutOfSpace(null);
      pruneAfter(instance, backup);
      return backup;
    } catch (RuntimeException e) {
      return failures.record(instance, trigger, started, e);
    }
  }

  /**
   * The backup is recorded: retention failing now (the database gone a moment, a file that cannot be deleted) must not record
   * the run a second time as failed. It runs again after the next backup.
   */
  private void pruneAfter(PiholeInstance instance, Backup backup) {
    try {
      retention.prune(instance, clock.instant());
    } catch (RuntimeException e) {
      log.error("Retention of Pi-hole '{}' did not run after backup {}, which is kept; it runs again after the next backup", instance.name(),
          backup.id(), e);
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

  /**
   * Adds an uploaded Teleporter archive to an instance's history, verified like any backup.
   *
   * @throws InvalidArchiveException when it is not a sound Teleporter archive
   * @throws io.piholecheckpoint.core.registry.InstanceConflictException when the instance was removed from the configuration
   */
  public Backup importArchive(long instanceId, InputStream upload) throws IOException {
    PiholeInstance instance = instances.findCurrent(instanceId);
    Instant started = clock.instant();
    List<Backup> earlier = backups.findBaselines(instanceId);
    try (ArchiveWork.Permit permit = work.take();
         ArchiveStore.Incoming incoming = archives.receive(instance.slug(), started, upload, 0)) {
      // flagged by the rule a downloaded archive meets: an import must not become the "last good" backup a wiped Pi-hole is compared with
      Optional<String> suspicion = Suspicion.of(earlier, incoming.inspection());
      String changes = summaries.since(earlier, earlier, incoming);
      Backup backup = recordSuccess(instance, Backup.Trigger.IMPORTED, incoming.keep(incoming.inspection().versions()).withChanges(changes),
          suspicion.isPresent(), started, null, false);
      if (suspicion.isPresent()) {
        warnSuspicious(backup, instance, suspicion.get());
      } else {
        log.info("Imported an uploaded archive into the history of '{}' as backup {}", instance.name(), backup.id());
      }
      return backup;
    }
  }

  private static void warnSuspicious(Backup backup, PiholeInstance instance, String why) {
    log.warn("{} {} of Pi-hole '{}' {}; it is kept but flagged suspicious, and does not push older backups out",
        backup.trigger() == Backup.Trigger.IMPORTED ? "Imported backup" : "Backup", backup.id(), instance.name(), why);
  }

  /**
   * The record is written only once the file is in place; if that fails, the file goes too. An
   * import is no run: it has no marker and leaves the instance's status as it is.
   */
  private Backup recordSuccess(PiholeInstance instance, Backup.Trigger trigger, Archive archive, boolean suspicious, Instant started,
      PiholeInstance.Status status, boolean pinned) {
    try {
      Backup succeeded = Backup.succeeded(instance.id(), trigger, archive, suspicious, started, clock.instant());
      Backup record = pinned ? succeeded.asPinned() : succeeded;
      return trigger == Backup.Trigger.IMPORTED ? backups.insert(record) : ends.write(record, status);
    } catch (RuntimeException e) {
      deleteQuietly(archive.fileName());
      throw e;
    }
  }

  private void deleteQuietly(String fileName) {
    try {
      archives.delete(fileName);
    } catch (IOException e) {
      log.error("Could not delete unrecorded archive {}: {} — delete it by hand", fileName, ArchiveFiles.reason(e));
    }
  }

  /**
   * Deletes a backup, its file first ({@link BackupDeletions}). A pinned backup must be unpinned before: a pin set meanwhile wins.
   */
  public void delete(long backupId) {
    deletions.delete(backupId);
  }

  /** Deletes, pinned as it is, the safety backup of a restore that applied nothing ({@link BackupDeletions}). */
  public void discardSafetyBackup(long backupId, String why) {
    deletions.discardSafetyBackup(backupId, why);
  }

  /** Pinned backups are never deleted by retention. */
  public Backup pin(long backupId, boolean pinned) {
    return deletions.pin(backupId, pinned);
  }

  /** A suspicious backup accepted by a person as a good one, or ({@code false}) suspicious again ({@link BackupDeletions}). */
  public Backup accept(long backupId, boolean accepted) {
    return accepted ? acceptance.accept(backupId) : acceptance.unaccept(backupId);
  }

  /**
   * Deletes an instance; with its backups (files first), or keeping them visible, marked removed.
   * Holds the instance's turn meanwhile: a backup or restore that runs would otherwise write
   * records of an instance that is gone, so the deletion is refused until it has finished.
   *
   * @throws BackupConflictException while a backup or restore of the instance runs
   */
  public void deleteInstance(long instanceId, boolean withBackups) {
    PiholeInstance instance = instances.find(instanceId);
    instances.requireDeletable(instanceId);
    ReentrantLock lock = locks.computeIfAbsent(instanceId, id -> new ReentrantLock());
    if (!lock.tryLock()) {
      throw new BackupConflictException("%s is running; delete it when it has finished"
          .formatted(holders.getOrDefault(instanceId, "a backup of '%s'".formatted(instance.name()))));
    }
    // another node deleting it at the same moment holds its turn for a moment: once it lets go, the instance is gone (404), not busy (409)
    try (InstanceTurns.Turn turn = turns.tryTake(instanceId, DELETION_WAIT).orElseThrow(() -> elsewhere(instance))) {
      requireNoRunOfTheOtherProcess(instance);
      if (withBackups) {
        deletions.deleteFiles(backups.findSuccessful(instanceId));
      }
      instances.delete(instanceId, withBackups);
    } finally {
      lock.unlock();
    }
    log.info("Deleted instance '{}' ({})", instance.name(), withBackups ? "with its backups" : "its backups stay");
  }

  /**
   * With one node, the turns are this process's alone, and the other process on its DATA_DIR (the one running the
   * schedules, when this is a standby) may back the instance up now: its run's marker, in the shared database, tells.
   * A marker left by a dead run is taken at the start of the process that runs the schedules, so one found is a live run.
   */
  private void requireNoRunOfTheOtherProcess(PiholeInstance instance) {
    if (turns != InstanceTurns.LOCAL) {
      return; // a cluster's turns are held across its nodes, and a dead node's marker waits to be recovered
    }
    markers.find(instance.id()).ifPresent(marker -> {
      throw new BackupConflictException("%s is running in the Pi-hole Checkpoint process that runs the schedules (started %s); delete it when it has finished"
          .formatted((marker.safety() ? "the safety backup of '%s'" : "a backup of '%s'").formatted(instance.name()),
          times.of(marker.startedAt())));
    });
  }
}
