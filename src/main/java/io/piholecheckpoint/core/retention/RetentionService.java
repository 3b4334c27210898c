package io.piholecheckpoint.core.retention;

import io.piholecheckpoint.core.archive.ArchiveStore;
import io.piholecheckpoint.core.backup.Backup;
import io.piholecheckpoint.core.backup.BackupRepository;
import io.piholecheckpoint.core.backup.Events;
import io.piholecheckpoint.core.backup.Retention;
import io.piholecheckpoint.core.instance.PiholeInstance;
import io.piholecheckpoint.core.instance.RetentionPolicy;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Deletes the backups that an instance's {@link RetentionPolicy} no longer keeps, and failed
 * records older than FAILED_RECORD_DAYS (but never an instance's latest failure).
 */
public class RetentionService implements Retention {
  private static final Logger log = LoggerFactory.getLogger(RetentionService.class);

  /** A backup retention would delete now, and the rule that says so. */
  /** @param rule for metrics: max_backups, max_age or failed_records */
  public record Deletion(Backup backup, String rule, String reason) {
  }

  private final BackupRepository backups;
  private final ArchiveStore files;
  private final ZoneId zone;
  private final int failedRecordDays;
  private final Events events;

  public RetentionService(BackupRepository backups, ArchiveStore files, ZoneId zone, int failedRecordDays, Events events) {
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
    // the rules decide each backup from the newer ones, so the rows down to the oldest that may go are enough
    List<Backup> newestFirst = backups.findUpToOldestExpirable(instance.id(), policy.maxBackups(), cutoff);
    List<Deletion> plan = new ArrayList<>(RetentionRules.expired(newestFirst, policy, now, zone));
    for (Backup failed : backups.findExpiredFailures(instance.id(), now.minus(Duration.ofDays(failedRecordDays)))) {
      plan.add(new Deletion(failed, "failed_records", "failed record older than FAILED_RECORD_DAYS=" + failedRecordDays));
    }
    return plan;
  }

  /**
   * Deletes what {@link #preview} lists. A file is deleted before its record; a file that
   * cannot be deleted keeps its record, so the next run tries again.
   */
  public List<Deletion> prune(PiholeInstance instance, Instant now) {
    List<Deletion> done = new ArrayList<>();
    for (Deletion deletion : preview(instance, now)) {
      Backup backup = deletion.backup();
      try {
        files.delete(backup.fileName());
      } catch (IOException e) {
        log.warn("Retention for '{}' could not delete {} ({}): {}; its record stays and the next run tries again",
            instance.name(), backup.fileName(), deletion.reason(), e.getMessage());
        continue;
      }
      backups.delete(backup.id());
      log.info("Retention for '{}' deleted backup {} ({}): {}", instance.name(), backup.id(),
          backup.successful() ? backup.fileName() : "failed record", deletion.reason());
      done.add(deletion);
      events.retentionDeleted(instance, deletion.rule());
    }
    return done;
  }
}
