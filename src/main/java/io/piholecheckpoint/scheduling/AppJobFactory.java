package io.piholecheckpoint.scheduling;

import io.piholecheckpoint.core.backup.BackupService;
import io.piholecheckpoint.core.maintenance.MaintenanceService;
import org.quartz.Job;
import org.quartz.Scheduler;
import org.quartz.SchedulerException;
import org.quartz.spi.JobFactory;
import org.quartz.spi.TriggerFiredBundle;

/** Builds jobs with their collaborators, so jobs need no lookups in the SchedulerContext. */
final class AppJobFactory implements JobFactory {
  private final BackupService backups;
  private final MaintenanceService maintenance;

  AppJobFactory(BackupService backups, MaintenanceService maintenance) {
    this.backups = backups;
    this.maintenance = maintenance;
  }

  @Override
  public Job newJob(TriggerFiredBundle bundle, Scheduler scheduler) throws SchedulerException {
    Class<? extends Job> type = bundle.getJobDetail().getJobClass();
    if (type == BackupJob.class) {
      return new BackupJob(backups);
    }
    if (type == MaintenanceJob.class) {
      return new MaintenanceJob(maintenance);
    }
    throw new SchedulerException("no factory for job class " + type.getName());
  }
}
