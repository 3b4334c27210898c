package io.piholecheckpoint.core.health;

import java.time.Instant;
import java.util.List;

/** The state behind {@code /health}: healthy when the scheduler runs and the database answers. */
public record HealthReport(
    String status,
    Instant checkedAt,
    SchedulerStatus scheduler,
    DatabaseStatus database,
    LastBackup lastBackup,
    Storage storage,
    List<InstanceHealth> instances) {

  /**
   * @param freeBytes usable bytes in BACKUP_DIR, -1 if unknown
   * @param lowSpace too little room for the next backup: backups fail until space is freed
   */
  public record Storage(String backupDir, long freeBytes, boolean lowSpace, int missingFiles, int damagedFiles) {
  }

  /** The most recent backup attempt of any instance. */
  public record LastBackup(Instant at, long ageSeconds, String instance, String status) {
  }

  public record InstanceHealth(long id, String name, String status, String message, Instant lastSuccessAt) {
  }

  public boolean healthy() {
    return "ok".equals(status);
  }
}
