package io.piholecheckpoint.core.retention;

import io.piholecheckpoint.core.archive.ArchiveStore;
import io.piholecheckpoint.core.backup.BackupsInUse;
import io.piholecheckpoint.core.backup.catalog.Backup;
import io.piholecheckpoint.core.backup.catalog.BackupRepository;
import io.piholecheckpoint.core.backup.events.Events;
import io.piholecheckpoint.core.backup.Retention;
import io.piholecheckpoint.core.instance.PiholeInstance;
import io.piholecheckpoint.core.instance.RetentionPolicy;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Deletes the backups that an instance's {@link RetentionPolicy} no longer keeps, and failed
 * records older than FAILED_RECORD_DAYS (but never an instance's latest failure).
 */
public class RetentionService implements Retention {
  private static final Logger log = LoggerFactory.getLogger(RetentionService.class);

  /**
   * A backup retention would delete now, and the rule that says so.
   *
   * @param rule for metrics: max_backups, max_age or failed_records
   */
  public record Deletion(Doomed backup, String rule, String reason) {
  }

  /** What the deletion, its log line and the preview need of a backup that goes (the claim checks it is still unpinned). */
  public record Doomed(long id, boolean successful, String fileName, Instant finishedAt) {
    static Doomed of(Backup backup) {
      return new Doomed(backup.id(), backup.successful(), backup.fileName(), backup.finishedAt());
    }

    static Doomed of(BackupRepository.Expired expired) {
      return new Doomed(expired.id(), true, expired.fileName(), expired.finishedAt());
    }
  }

  private final BackupRepository backups;
  private final ArchiveStore files;
  private final ZoneId zone;
  private final int failedRecordDays;
  private final Events events;
  private final BackupsInUse inUse;

  public RetentionService(BackupRepository backups, ArchiveStore files, ZoneId zone, int failedRecordDays, Events events) {
    this(backups, files, zone, failedRecordDays, events, BackupsInUse.NONE);
  }

  /** @param inUse the backups restores are about to read: each run keeps them, whatever the policy says */
  public RetentionService(BackupRepository backups, ArchiveStore files, ZoneId zone, int failedRecordDays, Events events, BackupsInUse inUse) {
    this.inUse = inUse;
    this.backups = backups;
    this.files = files;
    this.zone = zone;
    this.failedRecordDays = failedRecordDays;
    this.events = events;
  }

  /** What {@link #prune} would delete now, and why; deletes nothing. */
  public List<Deletion> preview(PiholeInstance instance, Instant now) {
    RetentionPolicy policy = instance.retention();
    Instant cutoff = policy.maxAgeDays() == 0 ? null : now.minus(Duration.ofDays(policy.maxAgeDays()));
    List<Deletion> plan = new ArrayList<>();
    if (RetentionRules.withoutKeepers(policy)) {
      // each backup's rank and age decide it: the database finds the ones that go, and the ten or so kept are not read
      for (BackupRepository.Expired expired : backups.findExpiredWithoutKeepers(instance.id(), policy.maxBackups(), cutoff)) {
        plan.add(expired.beyondMaxBackups() ? RetentionRules.beyondMaxBackups(Doomed.of(expired), policy)
            : RetentionRules.olderThanMaxAge(Doomed.of(expired), policy));
      }
    } else {
      // the rules decide each backup from the newer ones, so the rows down to the oldest that may go are enough
      plan.addAll(RetentionRules.expired(backups.findUpToOldestExpirable(instance.id(), policy.maxBackups(), cutoff), policy, now, zone));
    }
    for (Backup failed : backups.findExpiredFailures(instance.id(), now.minus(Duration.ofDays(failedRecordDays)))) {
      plan.add(new Deletion(Doomed.of(failed), "failed_records", "failed record older than FAILED_RECORD_DAYS=" + failedRecordDays));
    }
    return plan;
  }

  /**
   * Deletes what {@link #preview} lists. The rows are claimed first, in one transaction that skips any
   * pinned since they were read (a pin wins over this run; a claimed row can no longer be pinned); then
   * a file is deleted before its record. A file that cannot be deleted gives its claim back and keeps
   * its record, so the next run tries again. A backup a restore is about to read stays for this run:
   * the restore's safety backup runs retention, and would otherwise delete what it restores. (A restore
   * recorded after this read finds its backup gone and fails before it changes anything.)
   */
  public List<Deletion> prune(PiholeInstance instance, Instant now) {
    List<Deletion> plan = new ArrayList<>(preview(instance, now));
    if (plan.isEmpty()) {
      return List.of();
    }
    Set<Long> restoring = inUse.ids();
    plan.removeIf(deletion -> {
      boolean kept = restoring.contains(deletion.backup().id());
      if (kept) {
        log.info("Retention for '{}' keeps backup {} for now ({}): a restore is about to read it", instance.name(), deletion.backup().id(),
            deletion.reason());
      }
      return kept;
    });
    Set<Long> claimed = backups.claimForDeletion(plan.stream().map(d -> d.backup().id()).toList());
    List<Deletion> done = new ArrayList<>();
    for (Deletion deletion : plan) {
      Doomed backup = deletion.backup();
      if (!claimed.contains(backup.id())) {
        log.info("Retention for '{}' keeps backup {}: it was pinned (or is being deleted) since retention read it", instance.name(), backup.id());
      } else if (deleteClaimed(backup, "Retention for '" + instance.name() + "'")) {
        log.info("Retention for '{}' deleted backup {} ({}): {}", instance.name(), backup.id(),
            backup.successful() ? backup.fileName() : "failed record", deletion.reason());
        done.add(deletion);
        events.retentionDeleted(instance, deletion.rule());
      }
    }
    return done;
  }

  /**
   * At start: completes the deletions a process claimed and did not finish (it stopped between the
   * claim and the record's deletion); a file that cannot be deleted gives its backup back.
   *
   * @return how many were completed
   */
  public int finishCutShort() {
    int finished = 0;
    for (Backup backup : backups.findClaimedForDeletion()) {
      if (deleteClaimed(Doomed.of(backup), "A deletion cut short")) {
        log.info("Completed the deletion of backup {} that the last run had begun ({})", backup.id(),
            backup.successful() ? backup.fileName() : "failed record");
        finished++;
      }
    }
    return finished;
  }

  /** File, then record, of a backup this process claimed; false (and the claim given back) when its file stays. */
  private boolean deleteClaimed(Doomed backup, String who) {
    if (backup.successful()) { // a failed record has no file
      try {
        files.delete(backup.fileName());
      } catch (IOException | RuntimeException e) {
        backups.releaseDeletion(backup.id());
        log.warn("{} could not delete {}: {}; its record stays and the next run tries again", who, backup.fileName(), e.getMessage());
        return false;
      }
    }
    backups.delete(backup.id());
    return true;
  }
}
