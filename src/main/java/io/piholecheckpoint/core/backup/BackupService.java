package io.piholecheckpoint.core.backup;

import io.piholecheckpoint.core.archive.ArchiveInspector;
import io.piholecheckpoint.core.archive.work.ArchiveWork;
import io.piholecheckpoint.core.backup.catalog.Backup;
import io.piholecheckpoint.core.backup.runs.RunRecords;
import io.piholecheckpoint.core.backup.catalog.BackupCatalog;
import io.piholecheckpoint.core.backup.catalog.BackupConflictException;
import io.piholecheckpoint.core.backup.catalog.Suspicion;
import io.piholecheckpoint.core.backup.events.Events;
import io.piholecheckpoint.core.download.ArchiveDownloader;
import io.piholecheckpoint.core.download.BackupProgress;
import io.piholecheckpoint.core.instance.ConnectionStatus;
import io.piholecheckpoint.core.instance.PiholeInstance;
import io.piholecheckpoint.core.job.JobFailures;
import io.piholecheckpoint.core.units.ByteSize;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs backups: scheduled, manual, queued and the safety backups of restores and syncs. Backups of one instance never
 * overlap ({@link InstanceLocks}): a manual run while another is in progress is refused, a scheduled one waits its turn.
 * What a run writes is {@link RunRecords}'; imports are {@link ArchiveImports}, deletions {@link BackupDeletions} and
 * {@link InstanceDeletion}, the reads {@link BackupCatalog}'s.
 */
public class BackupService {
  private static final Logger log = LoggerFactory.getLogger(BackupService.class);

  private final InstanceLocks locks;
  private final RunRecords records;
  private final ArchiveDownloader downloader;
  private final ChangeSummary changes;
  private final Retention retention;
  private final Events events;
  private final Clock clock;

  /**
   * @param changes what a new archive changed, which its record carries
   * @param retention run after each backup kept
   */
  public BackupService(InstanceLocks locks, RunRecords records, ArchiveDownloader downloader, ChangeSummary changes, Retention retention,
      Events events, Clock clock) {
    this.locks = locks;
    this.records = records;
    this.downloader = downloader;
    this.changes = changes;
    this.retention = retention;
    this.events = events;
    this.clock = clock;
  }

  /**
   * Backs up the instance now and returns the record written, successful or failed (or, for
   * an unchanged Pi-hole with SKIP_UNCHANGED, the previous backup, now marked still current).
   *
   * @throws BackupConflictException for a manual run while another backup of it runs, or of
   *     an instance that was removed
   */
  public Backup runBackup(long instanceId, Backup.Trigger trigger) {
    return run(instanceId, trigger, trigger == Backup.Trigger.SCHEDULED, BackupProgress.NONE, false, b -> { });
  }

  /**
   * The backup taken before a restore or sync changes the Pi-hole, as {@link #runBackup} with SAFETY, recorded pinned in
   * the same write as its record: pinned afterwards, the retention run that ends every backup would see it unpinned, count it
   * toward MAX_BACKUPS and delete the oldest backup, which may be the very one being restored.
   */
  public Backup runSafetyBackup(long instanceId) {
    return run(instanceId, Backup.Trigger.SAFETY, false, BackupProgress.NONE, true, b -> { });
  }

  /**
   * A manual backup queued earlier: it waits for a running one, then reports its progress.
   *
   * @param recorded told the run's record once it is durable and its listeners have run, before the retention that follows
   *     it: the one who waits for the backup is answered then, while the instance's turn is still held for its retention
   */
  public Backup runQueuedBackup(long instanceId, BackupProgress progress, Consumer<Backup> recorded) {
    return run(instanceId, Backup.Trigger.MANUAL, true, progress, false, recorded);
  }

  /**
   * At shutdown: ends the downloads of running backups; each records itself as cancelled,
   * deletes its temp file and logs out of its Pi-hole on its way out.
   */
  public void cancelRunning() {
    records.stop();
    downloader.cancelDownloads();
  }

  /** Whether {@link #cancelRunning} was called: the server is stopping, and what fails now may fail for that alone. */
  public boolean stopping() {
    return records.stopping();
  }

  /**
   * The instance is read once its turn has come: what it is then (settings, removed or not) is what
   * the run follows, and a run that waited for one that removed it is refused.
   */
  private Backup run(long instanceId, Backup.Trigger trigger, boolean waitTurn, BackupProgress progress, boolean pinned,
      Consumer<Backup> recorded) {
    try (InstanceLocks.Held turn = locks.forRun(instanceId, waitTurn)) {
      records.recordLeftover(instanceId);
      PiholeInstance current = locks.runnable(instanceId);
      events.backupStarted(current, trigger);
      Instant started = records.started(instanceId, trigger, pinned);
      Ran ran;
      try (ArchiveWork.Doing doing = locks.naming((pinned ? "the safety backup of '%s'" : "a backup of '%s'").formatted(current.name()))) {
        ran = backUp(current, trigger, progress, started, pinned); // ends the marker with the run's record
      } catch (RuntimeException e) {
        records.endMarker(instanceId, started, e);
        throw e;
      } // an Error (out of memory) leaves the marker: the run counts as one the process died in
      Backup backup = ran.backup();
      // the listeners need its name and settings, which the run does not change: no second read
      events.backupFinished(current, ran.run(), Duration.between(ran.run().startedAt(), ran.run().finishedAt()));
      // marked before the waiter is told: the backup it may ask for next is queued behind this run's end, not refused as running
      locks.finishing(instanceId);
      try {
        recorded.accept(backup);
      } finally {
        if (ran.kept()) {
          pruneAfter(current, backup); // the turn is still held: the instance's next run finds the history pruned as before
        }
      }
      return backup;
    }
  }

  /**
   * A run's record, and whether it kept a new archive (the one outcome retention follows); {@code run} is what its listeners
   * (metrics, pings, notifications) are told: the record, or for an unchanged Pi-hole the backup it found still current
   * with this run's trigger and times, so that a scheduled re-confirmation counts as a scheduled run of its own length.
   */
  private record Ran(Backup backup, Backup run, boolean kept) {
    Ran(Backup backup, boolean kept) {
      this(backup, backup, kept);
    }
  }

  private Ran backUp(PiholeInstance instance, Backup.Trigger trigger, BackupProgress progress, Instant started, boolean pinned) {
    List<Backup> recent = records.baselines(instance.id());
    // judged against what the Pi-hole held, never an upload: an archive from elsewhere would flag every real backup after it
    List<Backup> earlier = recent.stream().filter(Backup::takenFromThePihole).toList();
    long expectedBytes = earlier.isEmpty() ? 0 : earlier.get(0).archive().sizeBytes();
    try (ArchiveDownloader.Download download = downloader.download(instance, started, expectedBytes, progress)) {
      PiholeInstance.Status reached = new PiholeInstance.Status(ConnectionStatus.OK, null, clock.instant(),
          download.versions().ftl(), download.seatsInUse());
      ArchiveInspector.Inspection inspection = download.incoming().inspection();
      Optional<Backup> unchanged = earlier.stream().findFirst().filter(b -> b.archive().contentHash().equals(inspection.contentHash()));
      if (instance.skipUnchanged() && trigger == Backup.Trigger.SCHEDULED && unchanged.isPresent()) {
        Backup current = records.stillCurrent(instance, unchanged.get(), reached);
        log.info("Pi-hole '{}' is unchanged since backup {}; kept no new file (SKIP_UNCHANGED)", instance.name(), unchanged.get().id());
        return new Ran(current, current.reconfirmedBy(trigger, started), false);
      }
      Optional<String> suspicion = Suspicion.of(earlier, inspection);
      String changed = changes.since(recent, earlier, download.incoming());
      Backup backup = records.succeeded(instance, trigger, download.incoming().keep(download.versions()).withChanges(changed), suspicion.isPresent(),
          started, reached, pinned);
      if (suspicion.isPresent()) {
        ArchiveImports.warnSuspicious(backup, instance, suspicion.get());
      } else {
        log.info("Backed up Pi-hole {} ({}): {} ({}; {})", records.nameAtEnd(instance), pinned ? "safety backup" : trigger.name().toLowerCase(Locale.ROOT),
            backup.fileName(), ByteSize.format(backup.archive().sizeBytes()), inspection.summary().describe());
      }
      return new Ran(backup, true);
    } catch (RuntimeException e) {
      return new Ran(records.failed(instance, trigger, started, e), false);
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
      JobFailures.log(log, e, "Retention of Pi-hole '%s' after backup %d (which is kept)".formatted(instance.name(), backup.id()),
          "it runs again after the next backup");
    }
  }
}
