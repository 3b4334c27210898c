package io.piholecheckpoint.core.backup.catalog;

import io.piholecheckpoint.core.archive.ArchiveStore;
import io.piholecheckpoint.core.archive.BackupNotFoundException;
import io.piholecheckpoint.core.archive.OutOfSpace;
import io.piholecheckpoint.core.instance.InstanceLabel;
import io.piholecheckpoint.core.instance.PiholeInstance;
import io.piholecheckpoint.core.registry.InstanceService;
import java.io.IOException;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What pages, the API, metrics and health ask about backups: histories, statistics, single
 * records and their archives. It only reads; running, importing, pinning and deleting backups
 * are {@code BackupService}'s. The one thing it holds that is not in the repository is the last
 * write that failed for lack of space, which the runs report to it.
 */
public class BackupCatalog {
  private final InstanceService instances;
  private final BackupRepository backups;
  private final ArchiveStore archives;
  /** Set when an archive could not be written for lack of space, cleared by the next one written. */
  private volatile OutOfSpace outOfSpace;

  public BackupCatalog(InstanceService instances, BackupRepository backups, ArchiveStore archives) {
    this.instances = instances;
    this.backups = backups;
    this.archives = archives;
  }

  /**
   * An instance with its backup statistics and its most recent attempts.
   *
   * @param recentSizes sizes of the newest successful archives, newest first (the sparkline)
   * @param listless those of the recent backups flagged suspicious because their archive holds no gravity.db: a row must say so,
   *     and offer no "Accept" that can only be refused
   */
  public record InstanceHistory(PiholeInstance instance, BackupRepository.Stats stats, List<Backup> recent, List<Long> recentSizes,
                                java.util.Set<Long> listless) {
    public Optional<Instant> lastSuccessAt() {
      return Optional.ofNullable(stats.lastSuccessAt());
    }
  }

  /**
   * The given instances (one page of the dashboard) with their last {@code rows} attempts and the
   * sizes of their last {@code sizes} archives: two queries, whatever the number of instances.
   *
   * @param stats every instance's, as {@link #statsPerInstance()} read them
   */
  public List<InstanceHistory> overviewOf(List<PiholeInstance> page, Map<Long, BackupRepository.Stats> stats, int rows, int sizes) {
    List<Long> ids = page.stream().map(PiholeInstance::id).toList();
    Map<Long, List<Backup>> recent = backups.findRecentPerInstance(ids, rows);
    Map<Long, List<Long>> recentSizes = backups.recentSizesPerInstance(ids, sizes);
    return page.stream()
        .map(i -> new InstanceHistory(i, stats.getOrDefault(i.id(), new BackupRepository.Stats(i.id(), 0, 0, null)),
            recent.getOrDefault(i.id(), List.of()), recentSizes.getOrDefault(i.id(), List.of()), listless(recent.getOrDefault(i.id(), List.of()))))
        .toList();
  }

  /** Stats of every instance that has a successful backup, by instance id: one query. */
  public Map<Long, BackupRepository.Stats> statsPerInstance() {
    return backups.statsPerInstance();
  }

  /** One instance as the overview shows it, with the given rows. */
  public InstanceHistory historyOf(PiholeInstance instance, List<Backup> rows) {
    return new InstanceHistory(instance, backups.stats(instance.id()), rows,
        rows.stream().filter(Backup::successful).map(b -> b.archive().sizeBytes()).toList(), listless(rows));
  }

  /**
   * Of these rows, the suspicious backups whose archive holds no gravity.db. Only the flagged ones with their file on this disk are
   * opened (a page fetches nothing from off-site); one that cannot be read is left out, and its Accept is refused with the reason.
   */
  private java.util.Set<Long> listless(List<Backup> rows) {
    java.util.Set<Long> listless = new java.util.HashSet<>();
    for (Backup b : rows) {
      if (b.successful() && b.suspicious() && !b.fileMissing() && !b.deleting() && countsNoLists(b)) {
        try {
          if (!holdsLists(b.id())) {
            listless.add(b.id());
          }
        } catch (RuntimeException e) {
          // unreadable now: shown as flagged, without the reason
        }
      }
    }
    return listless;
  }

  /**
   * Whether the record counts no group, adlist, domain or client, as an archive without gravity.db does: only those are opened
   * (a page must not read, or decrypt, the archive of every flagged row; one with lists is never listless).
   */
  private static boolean countsNoLists(Backup b) {
    var summary = b.archive().summary();
    return summary == null || summary.groups() + summary.adlists() + summary.domains() + summary.clients() == 0;
  }

  /** One page of an instance's history; see {@link BackupRepository.Page}. */
  public List<Backup> history(long instanceId, BackupRepository.Page page) {
    instances.find(instanceId);
    return backups.findPage(instanceId, page);
  }

  /** The instance's newest {@code limit} attempts as chart points, newest first. */
  public List<BackupRepository.SizePoint> sizeHistory(long instanceId, int limit) {
    return backups.sizeHistory(instanceId, limit);
  }

  /** The instance as a log line names it ("Pi-hole 'Office'"), read only when the line is written. */
  public Object named(long instanceId) {
    return InstanceLabel.of(instanceId, instances::lookUp);
  }

  public Backup find(long backupId) {
    return backups.findById(backupId).orElseThrow(() -> new BackupNotFoundException("no backup with id " + backupId));
  }

  /**
   * {@link #find}, its file's presence as the disk has it now (one look, no read): an archive removed
   * by hand is missing at once (or remote only), not at the next check of the backup directory.
   */
  public Backup findAsOnDisk(long backupId) {
    Backup backup = find(backupId);
    if (!backup.successful() || backup.fileName() == null) {
      return backup;
    }
    boolean gone = archives.find(backup.fileName()).isEmpty();
    if (gone == backup.fileMissing()) {
      return backup;
    }
    backups.setFileMissing(backupId, gone);
    return find(backupId);
  }

  /**
   * When the instance's schedule was last served, for the catch-up at start: the most recent attempt,
   * successful or not, but not a scheduled run cancelled because Pi-hole Checkpoint was stopping —
   * that fire was not backed up, so it counts as missed and the next start's catch-up runs it. A stop
   * is asked for: this cannot loop as a crash would (a run the process died in leaves its marker,
   * and counts as an attempt at the next start, see Takeover).
   */
  public Optional<Instant> scheduleLastServed(long instanceId) {
    List<Backup> recent = backups.findByInstance(instanceId, STOPPED_RUNS_LOOKED_PAST + 1);
    // a SKIP_UNCHANGED run that found the Pi-hole unchanged served it too, when it marked an older backup still current
    Optional<Instant> served = recent.stream().filter(b -> !stoppedScheduledRun(b)).map(Backup::currentAsOf).max(Instant::compareTo);
    if (served.isPresent()) {
      return served;
    }
    Backup stopped = recent.isEmpty() ? null : recent.get(recent.size() - 1);
    // only stopped runs, or more than are looked past: before the oldest of them, so that its fire is the one found missed
    return Optional.ofNullable(stopped).map(b -> b.startedAt().minus(java.time.Duration.ofDays(1)));
  }

  private static final int STOPPED_RUNS_LOOKED_PAST = 20;

  private static boolean stoppedScheduledRun(Backup b) {
    return b.trigger() == Backup.Trigger.SCHEDULED && b.status() == Backup.Status.FAILED && "cancelled".equals(b.errorCode());
  }

  /** The size of the instance's newest successful backup, for a caller that has just read the instance: the instance is not looked at again. */
  public java.util.OptionalLong latestSuccessSize(long instanceId) {
    return backups.latestSuccessSize(instanceId);
  }

  /** The instance's most recent attempt, successful or not. */
  public Optional<Backup> latestAttempt(long instanceId) {
    return backups.findByInstance(instanceId, 1).stream().findFirst();
  }

  /** The last write that failed for lack of space, unless an archive was written since. */
  public Optional<OutOfSpace> outOfSpace() {
    return Optional.ofNullable(outOfSpace);
  }

  /** A run could not write its archive for lack of space ({@code null}: one was written since). */
  public void reportOutOfSpace(OutOfSpace latest) {
    outOfSpace = latest;
  }

  /** Usable bytes in the backup directory, or -1 when unknown. */
  public long freeBytes() {
    return archives.usableBytes();
  }

  public BackupRepository.Stats stats(long instanceId) {
    return backups.stats(instanceId);
  }

  /** Aggregates of every instance's history, for metrics. */
  public Map<Long, BackupRepository.Totals> totals() {
    return backups.totalsPerInstance();
  }

  /** Successful backups whose file is missing, and those whose file failed its last check. */
  public BackupRepository.FileProblems fileProblems() {
    return backups.countFileProblems();
  }

  public Optional<Backup> latest() {
    return backups.findLatest();
  }

  /** {@link BackupRepository#findLastVerdict}: the newest backup that says how this instance's Pi-hole is now. */
  public Optional<Backup> lastVerdict(long instanceId) {
    return backups.findLastVerdict(instanceId);
  }

  /** When each instance last backed up successfully, by instance id: one query, whatever the number of instances. */
  public Map<Long, Instant> lastSuccessPerInstance() {
    Map<Long, Instant> last = new HashMap<>();
    backups.statsPerInstance().forEach((id, s) -> last.put(id, s.lastSuccessAt()));
    return last;
  }

  /** The archive of a successful backup, as a plain ZIP (decrypted if it is stored encrypted); close it when done. */
  public ArchiveStore.PlainArchive archiveOf(long backupId) throws IOException {
    Backup backup = find(backupId);
    if (!backup.successful()) {
      throw new BackupNotFoundException("backup " + backupId + " failed and has no archive");
    }
    if (backup.deleting()) {
      throw new BackupConflictException("backup " + backupId + " is being deleted (by retention or a delete request); its archive is no longer opened");
    }
    try {
      return archives.open(backup.fileName()); // fetched back first when a destination holds a verified copy
    } catch (BackupNotFoundException e) {
      throw BackupNotFoundException.archiveMissing(backupId, backup.fileName());
    }
  }

  /** Whether a successful backup's archive holds gravity.db: without it, its lists may not be imported anywhere (restore, sync). */
  public boolean holdsLists(long backupId) {
    try (ArchiveStore.PlainArchive archive = archiveOf(backupId)) {
      return io.piholecheckpoint.core.archive.GravityEntry.in(archive.path());
    } catch (IOException e) {
      throw new java.io.UncheckedIOException("could not read backup " + backupId + "'s archive (" + e.getMessage() + ")", e);
    }
  }
}
