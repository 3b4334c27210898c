package io.piholecheckpoint.scheduling;

import io.piholecheckpoint.core.archive.work.ArchiveWork;
import io.piholecheckpoint.core.backup.BackupService;
import io.piholecheckpoint.core.backup.runs.UnstartedRuns;
import io.piholecheckpoint.core.maintenance.MaintenanceService;
import io.piholecheckpoint.core.manual.BackupTickets;
import io.piholecheckpoint.core.offsite.OffsiteService;
import io.piholecheckpoint.core.sync.SyncTickets;
import java.time.Duration;

/**
 * What the jobs run.
 *
 * @param work the permits for archive work; jobs wait for one as long as it takes, they are not a person waiting
 * @param conditions the look at states that are no events (stale backups, low disk space), every {@link StandingJobs#CONDITIONS_EVERY}
 * @param maxParallelBackups backups run at once (MAX_PARALLEL_BACKUPS); the others wait in {@link BackupSlots}
 * @param unstarted where scheduled runs that failed before writing any record are kept for /health and /metrics
 * @param firstDatabaseRetry when a scheduled run the database failed is first tried again (DATABASE_RETRY_SECONDS)
 */
public record AppJobs(BackupService backups, BackupTickets tickets, MaintenanceService maintenance, ArchiveWork work, Runnable conditions,
                      OffsiteService offsite, SyncTickets sync, int maxParallelBackups, UnstartedRuns unstarted, Duration firstDatabaseRetry) {
  /** MAX_PARALLEL_BACKUPS's default. */
  public static final int PARALLEL_BACKUPS = 4;
  /** DATABASE_RETRY_SECONDS's default: a scheduled run the database failed is tried again this long after, then twice as long each time. */
  public static final Duration FIRST_DATABASE_RETRY = Duration.ofSeconds(30);

  public AppJobs(BackupService backups, BackupTickets tickets, MaintenanceService maintenance, ArchiveWork work, Runnable conditions,
                 OffsiteService offsite, SyncTickets sync, int maxParallelBackups, UnstartedRuns unstarted) {
    this(backups, tickets, maintenance, work, conditions, offsite, sync, maxParallelBackups, unstarted, FIRST_DATABASE_RETRY);
  }

  public AppJobs(BackupService backups, BackupTickets tickets, MaintenanceService maintenance, ArchiveWork work, Runnable conditions,
                 OffsiteService offsite, SyncTickets sync, int maxParallelBackups) {
    this(backups, tickets, maintenance, work, conditions, offsite, sync, maxParallelBackups, new UnstartedRuns(UnstartedRuns.Listener.NONE));
  }

  public AppJobs(BackupService backups, BackupTickets tickets, MaintenanceService maintenance, ArchiveWork work, Runnable conditions,
                 OffsiteService offsite, SyncTickets sync) {
    this(backups, tickets, maintenance, work, conditions, offsite, sync, PARALLEL_BACKUPS);
  }

  public AppJobs(BackupService backups, BackupTickets tickets, MaintenanceService maintenance) {
    this(backups, tickets, maintenance, ArchiveWork.unbounded(), () -> { }, null, null, PARALLEL_BACKUPS);
  }
}
