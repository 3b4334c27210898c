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
    List<InstanceHealth> instances) {

  /** The most recent backup attempt of any instance. */
  public record LastBackup(Instant at, long ageSeconds, String instance, String status) {
  }

  public record InstanceHealth(long id, String name, String status, Instant lastSuccessAt) {
  }

  public boolean healthy() {
    return "ok".equals(status);
  }
}
