package io.piholecheckpoint.testing;

import io.piholecheckpoint.core.archive.ArchiveStore;
import io.piholecheckpoint.core.archive.work.ArchiveWork;
import io.piholecheckpoint.core.backup.ArchiveImports;
import io.piholecheckpoint.core.backup.BackupDeletions;
import io.piholecheckpoint.core.backup.BackupService;
import io.piholecheckpoint.core.backup.ChangeSummary;
import io.piholecheckpoint.core.backup.InstanceDeletion;
import io.piholecheckpoint.core.backup.InstanceLocks;
import io.piholecheckpoint.core.backup.InstanceTurns;
import io.piholecheckpoint.core.backup.Retention;
import io.piholecheckpoint.core.backup.runs.RunRecords;
import io.piholecheckpoint.core.backup.SafeChanges;
import io.piholecheckpoint.core.backup.catalog.Backup;
import io.piholecheckpoint.core.backup.catalog.BackupCatalog;
import io.piholecheckpoint.core.backup.catalog.BackupRepository;
import io.piholecheckpoint.core.backup.events.Events;
import io.piholecheckpoint.core.backup.runs.RunEnd;
import io.piholecheckpoint.core.backup.runs.RunMarkers;
import io.piholecheckpoint.core.backup.runs.RunTrail;
import io.piholecheckpoint.core.backup.trust.Acceptance;
import io.piholecheckpoint.core.contents.ArchiveReader;
import io.piholecheckpoint.core.download.ArchiveDownloader;
import io.piholecheckpoint.core.download.BackupProgress;
import io.piholecheckpoint.core.registry.InstanceService;
import io.piholecheckpoint.core.schedule.LocalTimeText;
import java.io.IOException;
import java.io.InputStream;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The backup use cases over one set of collaborators, wired as {@code app.Application} wires them: the runs, the instances'
 * turns, the records of runs, imports, deletions and acceptance. Tests of any of them, or of what sits on them, build it once.
 */
public record BackupGraph(BackupService runs, InstanceLocks locks, RunRecords records, ArchiveImports imports, BackupDeletions deletions,
                          Acceptance acceptance, InstanceDeletion instanceDeletion, SafeChanges safeChanges) {

  public static BackupGraph of(BackupCatalog catalog, InstanceService instances, BackupRepository backups, ArchiveDownloader downloader,
      ArchiveStore archives, ArchiveReader reader, Retention retention, Clock clock, Events events, LocalTimeText times) {
    return of(catalog, instances, backups, downloader, archives, reader, retention, clock, events, times, RunMarkers.NONE);
  }

  /** @param markers where each run leaves a trace while it is in progress */
  public static BackupGraph of(BackupCatalog catalog, InstanceService instances, BackupRepository backups, ArchiveDownloader downloader,
      ArchiveStore archives, ArchiveReader reader, Retention retention, Clock clock, Events events, LocalTimeText times, RunMarkers markers) {
    return of(catalog, instances, backups, downloader, archives, reader, retention, clock, events,
        new RunTrail(markers, RunEnd.separately(backups, instances, markers), times), ArchiveWork.unbounded());
  }

  public static BackupGraph of(BackupCatalog catalog, InstanceService instances, BackupRepository backups, ArchiveDownloader downloader,
      ArchiveStore archives, ArchiveReader reader, Retention retention, Clock clock, Events events, RunTrail trail, ArchiveWork work) {
    return of(catalog, instances, backups, downloader, archives, reader, retention, clock, events, trail, work, InstanceTurns.LOCAL);
  }

  public static BackupGraph of(BackupCatalog catalog, InstanceService instances, BackupRepository backups, ArchiveDownloader downloader,
      ArchiveStore archives, ArchiveReader reader, Retention retention, Clock clock, Events events, RunTrail trail, ArchiveWork work,
      InstanceTurns turns) {
    InstanceLocks locks = new InstanceLocks(instances, turns, trail.markers(), work, trail.times());
    RunRecords records = new RunRecords(instances, backups, catalog, archives, trail, clock);
    ChangeSummary changes = new ChangeSummary(archives, reader);
    BackupService runs = new BackupService(locks, records, downloader, changes, retention, events, clock);
    BackupDeletions deletions = new BackupDeletions(catalog, backups, archives, events);
    return new BackupGraph(runs, locks, records, new ArchiveImports(instances, records, archives, changes, work, clock), deletions,
        new Acceptance(catalog, backups, events), new InstanceDeletion(instances, locks, deletions, backups), new SafeChanges(locks, runs, deletions));
  }

  /** A graph whose runs are {@code runs} (a test's own subclass), over the same parts. */
  public BackupGraph withRuns(BackupService other) {
    return new BackupGraph(other, locks, records, imports, deletions, acceptance, instanceDeletion, new SafeChanges(locks, other, deletions));
  }

  // the calls tests make, each to the part that answers it

  public Backup runBackup(long instanceId, Backup.Trigger trigger) {
    return runs.runBackup(instanceId, trigger);
  }

  public Backup runSafetyBackup(long instanceId) {
    return runs.runSafetyBackup(instanceId);
  }

  public Backup runQueuedBackup(long instanceId, BackupProgress progress) {
    return runs.runQueuedBackup(instanceId, progress, backup -> { });
  }

  public void cancelRunning() {
    runs.cancelRunning();
  }

  public boolean stopping() {
    return runs.stopping();
  }

  public <T> T exclusively(long instanceId, String what, Supplier<T> work) {
    return locks.exclusively(instanceId, what, work);
  }

  public Optional<String> heldBy(long instanceId) {
    return locks.heldBy(instanceId);
  }

  public boolean running(long instanceId) {
    return locks.running(instanceId);
  }

  public void requireStartable(long instanceId, boolean queued) {
    locks.requireStartable(instanceId, queued);
  }

  public void requireStartable(long instanceId, Optional<String> queuedOn) {
    locks.requireStartable(instanceId, queuedOn);
  }

  public Optional<Backup> recordInterrupted(RunMarkers.Marker marker, Function<LocalTimeText, String> message) {
    return records.recordInterrupted(marker, message);
  }

  public int recordInterruptedOf(String node, Instant lastCheckIn) {
    return records.recordInterruptedOf(node, lastCheckIn);
  }

  public Backup importArchive(long instanceId, InputStream upload) throws IOException {
    return imports.importArchive(instanceId, upload);
  }

  public void delete(long backupId) {
    deletions.delete(backupId);
  }

  public void discardSafetyBackup(long backupId, String why) {
    deletions.discardSafetyBackup(backupId, why);
  }

  public Backup pin(long backupId, boolean pinned) {
    return deletions.pin(backupId, pinned);
  }

  public Backup accept(long backupId, boolean accepted) {
    return accepted ? acceptance.accept(backupId) : acceptance.unaccept(backupId);
  }

  public void deleteInstance(long instanceId, boolean withBackups) {
    instanceDeletion.deleteInstance(instanceId, withBackups);
  }
}
