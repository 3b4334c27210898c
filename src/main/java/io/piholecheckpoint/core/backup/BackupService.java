package io.piholecheckpoint.core.backup;

import io.piholecheckpoint.core.archive.Archive;
import io.piholecheckpoint.core.archive.ArchiveInspector;
import io.piholecheckpoint.core.archive.ArchiveFiles;
import io.piholecheckpoint.core.archive.ArchiveStorageException;
import io.piholecheckpoint.core.archive.ArchiveStore;
import io.piholecheckpoint.core.archive.work.ArchiveWork;
import io.piholecheckpoint.core.archive.InvalidArchiveException;
import io.piholecheckpoint.core.archive.OutOfSpace;
import io.piholecheckpoint.core.backup.catalog.Backup;
import io.piholecheckpoint.core.backup.catalog.BackupCatalog;
import io.piholecheckpoint.core.backup.catalog.BackupConflictException;
import io.piholecheckpoint.core.backup.catalog.BackupRepository;
import io.piholecheckpoint.core.backup.catalog.DeletionClaim;
import io.piholecheckpoint.core.backup.catalog.Suspicion;
import io.piholecheckpoint.core.backup.events.Events;
import io.piholecheckpoint.core.backup.runs.RunEnd;
import io.piholecheckpoint.core.backup.runs.RunMarkers;
import io.piholecheckpoint.core.backup.runs.RunTrail;
import io.piholecheckpoint.core.contents.ArchiveReader;
import io.piholecheckpoint.core.contents.ContentDiff;
import io.piholecheckpoint.core.download.ArchiveDownloader;
import io.piholecheckpoint.core.download.BackupProgress;
import io.piholecheckpoint.core.gateway.PiholeException;
import io.piholecheckpoint.core.instance.ConnectionStatus;
import io.piholecheckpoint.core.instance.InstanceLabel;
import io.piholecheckpoint.core.instance.PiholeInstance;
import io.piholecheckpoint.core.job.DatabaseFileGoneException;
import io.piholecheckpoint.core.job.DatabaseTrouble;
import io.piholecheckpoint.core.registry.InstanceDeletedException;
import io.piholecheckpoint.core.registry.InstanceNotFoundException;
import io.piholecheckpoint.core.registry.InstanceService;
import io.piholecheckpoint.core.schedule.LocalTimeText;
import io.piholecheckpoint.core.units.ByteSize;
import io.piholecheckpoint.core.units.LogText;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
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
   * The backup taken before a restore or sync changes the Pi-hole, as {@link #runBackup} with MANUAL, but recorded pinned in
   * the same write as its record: pinned afterwards, the retention run that ends every backup would see it unpinned, count it
   * toward MAX_BACKUPS and delete the oldest backup, which may be the very one being restored.
   */
  public Backup runSafetyBackup(long instanceId) {
    return run(instanceId, Backup.Trigger.MANUAL, false, BackupProgress.NONE, true);
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
      recordInterrupted(left, in -> LeftRun.describe(left, runner, seenHere, again, in));
    });
  }

  /** The instance's name for the line that ends its run: renamed while it ran, the new one with the old beside it. */
  private String nameAtEnd(PiholeInstance started) {
    String now = instances.lookUp(started.id()).map(PiholeInstance::name).orElse(started.name());
    return now.equals(started.name()) ? "'" + now + "'" : "'%s' (was '%s')".formatted(now, started.name());
  }

  private Backup backUp(PiholeInstance instance, Backup.Trigger trigger, BackupProgress progress, Instant started, boolean pinned) {
    List<Backup> earlier = backups.findNewestAndNewestGood(instance.id());
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
      String changes = changesSince(earlier, download.incoming());
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
    } catch (PiholeException e) {
      log.warn("Backup of Pi-hole '{}' failed: {}", instance.name(), e.getMessage());
      Backup failed = Backup.failed(instance.id(), trigger, e.failure().code(), e.getMessage(), started, clock.instant());
      if (e.failure() == PiholeException.Failure.CANCELLED) {
        return ends.write(failed, null);
      }
      return ends.write(failed, new PiholeInstance.Status(e.failure().status(), e.getMessage(), clock.instant(),
          instance.status().piholeVersion(), instance.status().seatsInUse()));
    } catch (ArchiveStorageException e) {
      if (cutOffByStop(e)) {
        return recordCancelled(instance, trigger, started);
      }
      String message = "Backup of Pi-hole '%s' could not be stored: %s".formatted(instance.name(), e.getMessage());
      log.error(message);
      if (e.outOfSpace()) {
        catalog.reportOutOfSpace(new OutOfSpace(clock.instant(), archives.usableBytes()));
      }
      return ends.write(Backup.failed(instance.id(), trigger, "storage_error", message, started, clock.instant()), null);
    } catch (RuntimeException e) {
      if (cutOffByStop(e)) {
        return recordCancelled(instance, trigger, started);
      }
      if (!(e instanceof InstanceNotFoundException) && instances.lookUp(instance.id()).isEmpty()) {
        throw deletedDuring(instance, e); // no record can name it any more (its row is gone): not an unexpected failure
      }
      return recordUnexpected(instance, trigger, started, e);
    }
  }

  private static InstanceDeletedException deletedDuring(PiholeInstance instance, RuntimeException e) {
    String message = "the backup of Pi-hole '%s' failed: the instance was deleted during the backup; nothing was kept".formatted(instance.name());
    log.warn("{} ({})", LogText.withoutControls(message), e.getClass().getSimpleName());
    InstanceDeletedException deleted = new InstanceDeletedException(instance.id(), message);
    deleted.initCause(e);
    return deleted;
  }

  /**
   * A stop interrupts the run's thread: a write, fsync or re-read of the archive under way then fails with a
   * ClosedByInterruptException or InterruptedIOException (message null). That is the stop's doing, not the disk's,
   * and must not show as a storage error telling the user to check BACKUP_DIR.
   */
  private boolean cutOffByStop(RuntimeException e) {
    if (stopping || Thread.currentThread().isInterrupted()) {
      return true;
    }
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof java.nio.channels.ClosedByInterruptException || t instanceof java.io.InterruptedIOException
          || t instanceof InterruptedException) {
        return true;
      }
    }
    return false;
  }

  /** The run cut off by a stop: recorded as cancelled (a waiting request answers 503), its temp files gone with the Download's close. */
  private Backup recordCancelled(PiholeInstance instance, Backup.Trigger trigger, Instant started) {
    String message = "the backup of Pi-hole '%s' was cancelled because Pi-hole Checkpoint is stopping; nothing was kept".formatted(instance.name());
    log.warn("Backup of Pi-hole '{}' failed: {}", LogText.withoutControls(instance.name()), message);
    return ends.write(Backup.failed(instance.id(), trigger, PiholeException.Failure.CANCELLED.code(), message, started, clock.instant()), null);
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

  /**
   * A failure nobody classified (a bug, an odd row, a library's surprise) still ends the run
   * with a failed record and the instance's status, so it shows where every other failure shows.
   * Its own text (SQL, row values, a library's internals) stays in the log: the record and the
   * status are shown by the pages and the API.
   */
  private Backup recordUnexpected(PiholeInstance instance, Backup.Trigger trigger, Instant started, RuntimeException e) {
    if (DatabaseFileGoneException.in(e).isPresent()) {
      throw e; // no record can be written until a restart (its archive is deleted already), and the log said so once
    }
    Optional<String> database = DatabaseTrouble.describe(e);
    if (database.isPresent()) {
      // not the Pi-hole's fault nor its settings': said as what it is, and what to do
      String message = "the backup of Pi-hole '%s' could not be completed: %s; nothing was kept, %s".formatted(LogText.withoutControls(instance.name()),
          database.get(), trigger == Backup.Trigger.SCHEDULED ? "and it is tried again" : "start it again then");
      log.error("Backup of Pi-hole '{}': {}", LogText.withoutControls(instance.name()), message, e);
      return ends.write(Backup.failed(instance.id(), trigger, DatabaseTrouble.code(e).orElseThrow(), message, started, clock.instant()),
          new PiholeInstance.Status(ConnectionStatus.ERROR, message, clock.instant(), instance.status().piholeVersion(),
              instance.status().seatsInUse()));
    }
    String message = ("the backup of Pi-hole '%s' failed unexpectedly (%s); nothing was kept — the server log has the details;"
        + " check its settings, and report this with the log if it happens again").formatted(instance.name(), e.getClass().getSimpleName());
    log.error("{} backup of Pi-hole '{}' failed unexpectedly", trigger.name().charAt(0) + trigger.name().substring(1).toLowerCase(Locale.ROOT),
        LogText.withoutControls(instance.name()), e);
    String shown = LogText.withoutControls(message);
    return ends.write(Backup.failed(instance.id(), trigger, "internal_error", shown, started, clock.instant()),
        new PiholeInstance.Status(ConnectionStatus.ERROR, shown, clock.instant(), instance.status().piholeVersion(), instance.status().seatsInUse()));
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
  public Optional<Backup> recordInterrupted(RunMarkers.Marker marker, Function<LocalTimeText, String> message) {
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
  public int recordInterruptedOf(String node, Instant lastCheckIn) {
    int n = 0;
    for (RunMarkers.Marker left : markers.findOf(node)) {
      if (markers.claim(left)) {
        String next = left.trigger() == Backup.Trigger.SCHEDULED ? "another node runs it again now" : "start it again";
        Function<LocalTimeText, String> message = in -> "interrupted: node %s stopped during this backup (started %s%s); %s".formatted(node,
            in.of(left.startedAt()), lastCheckIn == null ? "" : ", last checked in at " + in.of(lastCheckIn), next);
        n += recordInterrupted(left, message).isPresent() ? 1 : 0; // none when its node recorded the run's end meanwhile
      }
    }
    return n;
  }

  /** The failure code of a run that the process died in. */
  public static final String INTERRUPTED = "interrupted";

  /**
   * Adds an uploaded Teleporter archive to an instance's history, verified like any backup.
   *
   * @throws InvalidArchiveException when it is not a sound Teleporter archive
   * @throws io.piholecheckpoint.core.registry.InstanceConflictException when the instance was removed from the configuration
   */
  public Backup importArchive(long instanceId, InputStream upload) throws IOException {
    PiholeInstance instance = instances.findCurrent(instanceId);
    Instant started = clock.instant();
    List<Backup> earlier = backups.findNewestAndNewestGood(instanceId);
    try (ArchiveWork.Permit permit = work.take();
         ArchiveStore.Incoming incoming = archives.receive(instance.slug(), started, upload, 0)) {
      // flagged by the rule a downloaded archive meets: an import must not become the "last good" backup a wiped Pi-hole is compared with
      Optional<String> suspicion = Suspicion.of(earlier, incoming.inspection());
      String changes = changesSince(earlier, incoming);
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

  /** What a summary says when the archives differ only outside their lists and settings (etc/hosts, pihole.toml's comments). */
  static final String OTHER_CHANGES = "no list or setting changes; other archive content differs";

  /**
   * "+1 adlist, 2FA enabled, 2 settings" against the previous good backup, "… since backup N" when
   * suspicious ones lie between (the "unchanged" badge compares neighbours; the text must not
   * contradict it); null when there is none or it cannot be read. An archive equal to the one just before it is "no changes",
   * flagged or not: a Pi-hole that really is in that state now must not be told of the same loss at every backup.
   */
  private String changesSince(List<Backup> earlierNewestFirst, ArchiveStore.Incoming incoming) {
    if (!earlierNewestFirst.isEmpty()
        && java.util.Objects.equals(earlierNewestFirst.get(0).archive().contentHash(), incoming.inspection().contentHash())) {
      return ContentDiff.NO_CHANGES;
    }
    Optional<Backup> good = earlierNewestFirst.stream().filter(b -> !b.suspicious()).findFirst();
    String summary = good.map(g -> changesSince(g, incoming)).orElse(null);
    return summary == null || earlierNewestFirst.get(0).id() == good.get().id() ? summary : summary + " since backup " + good.get().id();
  }

  private String changesSince(Backup previous, ArchiveStore.Incoming incoming) {
    if (previous.archive().contentHash().equals(incoming.inspection().contentHash())) {
      return ContentDiff.NO_CHANGES;
    }
    // Counts only: a scheduled backup of a Pi-hole with a million domains must not hold them in the heap.
    try (ArchiveStore.PlainArchive older = archives.open(previous.archive().fileName())) {
      String summary = reader.diff(older.path(), incoming.path(), 0).summary();
      // the content hashes differ (the row gets no "unchanged" badge), so "no changes" would contradict it
      return summary.equals(ContentDiff.NO_CHANGES) ? OTHER_CHANGES : summary;
    } catch (IOException | RuntimeException e) {
      log.debug("No change summary for the new backup: {}", e.getMessage());
      return null;
    }
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
   * Deletes a backup, its file first. A pinned backup must be unpinned before: the deletion is claimed
   * in the database on condition that the row is not pinned, so a pin set meanwhile wins.
   */
  public void delete(long backupId) {
    delete(backupId, false, "on request");
  }

  /**
   * Deletes, pinned as it is, the safety backup of a restore that applied nothing (left to retention, one per refused attempt pushed
   * ordinary backups out: outsider 39); {@code why} goes in the log. One that cannot be deleted throws as {@link #delete} does, and stays.
   */
  public void discardSafetyBackup(long backupId, String why) {
    delete(backupId, true, why);
  }

  private void delete(long backupId, boolean evenPinned, String why) {
    Backup backup = catalog.find(backupId);
    DeletionClaim claim = backups.claimUnlessRestoring(List.of(backupId), evenPinned);
    claim.reader().ifPresent(reader -> {
      throw new BackupConflictException(reader.refusal());
    });
    if (claim.claimed().isEmpty()) {
      Backup now = catalog.find(backupId);
      throw new BackupConflictException(now.pinned() ? "backup " + backupId + " is pinned; unpin it before deleting it"
          : "backup " + backupId + " is being deleted already");
    }
    if (backup.successful()) {
      try {
        deleteFile(backup);
      } catch (ArchiveStorageException e) {
        backups.releaseDeletion(backupId);
        throw e;
      }
    }
    backups.delete(backupId);
    log.info("Deleted backup {} ({}) {}", backupId, backup.successful() ? backup.fileName() : "failed record", why);
    events.backupDeleted(backup); // its off-site copies go too: a backup deleted by hand must not come back by an adoption
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
        deleteFiles(backups.findSuccessful(instanceId));
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

  /** An instance's backups, claimed first: one that a restore (to another instance) reads keeps the instance and all of them. */
  private void deleteFiles(List<Backup> successful) {
    DeletionClaim claim = backups.claimUnlessRestoring(successful.stream().map(Backup::id).toList(), true);
    claim.reader().ifPresent(reader -> {
      throw new BackupConflictException(reader.refusal() + " (or delete the instance keeping its backups)");
    });
    try {
      successful.forEach(this::deleteFile);
    } catch (ArchiveStorageException e) {
      claim.claimed().forEach(backups::releaseDeletion);
      throw e;
    }
  }

  private void deleteFile(Backup backup) {
    try {
      archives.delete(backup.fileName());
    } catch (IOException e) {
      throw new ArchiveStorageException("could not delete " + backup.fileName() + ": " + ArchiveFiles.reason(e) + "; nothing was deleted", e);
    }
  }

  /** Pinned backups are never deleted by retention. */
  public Backup pin(long backupId, boolean pinned) {
    Backup backup = catalog.find(backupId);
    if (!backup.successful()) {
      throw new BackupConflictException("backup " + backupId + " failed and has no archive to keep");
    }
    if (!backups.setPinned(backupId, pinned)) {
      if (!catalog.find(backupId).deleting()) { // gone meanwhile: 404
        throw new BackupConflictException("an off-site copy of backup " + backupId + " is being deleted by its destination's retention; "
            + "the backup can be pinned once that is done (the backup itself stays)");
      }
      throw new BackupConflictException("backup " + backupId + " is being deleted (by retention or a delete request) and can no longer be "
          + (pinned ? "pinned" : "unpinned"));
    }
    log.info("Backup {} {}", backupId, pinned ? "pinned: retention will never delete it" : "unpinned");
    Backup now = catalog.find(backupId);
    events.backupPinned(now);
    return now;
  }
}
