package io.piholecheckpoint.core.retention;

import io.piholecheckpoint.core.backup.ArchiveStore;
import io.piholecheckpoint.core.backup.Backup;
import io.piholecheckpoint.core.backup.BackupRepository;
import io.piholecheckpoint.core.instance.PiholeInstance;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Deletes successful backups that an instance's {@link RetentionPolicy} no longer keeps. */
public class RetentionService {
  private static final Logger log = LoggerFactory.getLogger(RetentionService.class);

  private final BackupRepository backups;
  private final ArchiveStore files;

  public RetentionService(BackupRepository backups, ArchiveStore files) {
    this.backups = backups;
    this.files = files;
  }

  /** Returns the backups deleted. The newest successful backup is never among them. */
  public List<Backup> prune(PiholeInstance instance, Instant now) {
    List<Backup> expired = expired(backups.findSuccessful(instance.id()), instance.retention(), now);
    for (Backup backup : expired) {
      // record first: a crash between the two leaves an orphan file, never a record without its file
      backups.delete(backup.id());
      try {
        files.delete(backup.fileName());
      } catch (java.io.IOException e) {
        log.warn("Pruned backup {} of '{}' but could not delete {}: {} — delete it by hand",
            backup.id(), instance.name(), backup.fileName(), e.getMessage());
      }
    }
    if (!expired.isEmpty()) {
      log.info("Retention for '{}' ({}) deleted {} backup(s)", instance.name(), instance.retention().describe(), expired.size());
    }
    return expired;
  }

  static List<Backup> expired(List<Backup> newestFirst, RetentionPolicy policy, Instant now) {
    Instant cutoff = policy.maxAgeDays() == 0 ? Instant.MIN : now.minus(Duration.ofDays(policy.maxAgeDays()));
    List<Backup> expired = new ArrayList<>();
    for (int i = 1; i < newestFirst.size(); i++) {
      Backup b = newestFirst.get(i);
      boolean beyondCount = policy.maxBackups() > 0 && i >= policy.maxBackups();
      if (beyondCount || b.finishedAt().isBefore(cutoff)) {
        expired.add(b);
      }
    }
    return expired;
  }
}
