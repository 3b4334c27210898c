package io.piholecheckpoint.scheduling;

import io.piholecheckpoint.core.archive.ArchiveWork;
import io.piholecheckpoint.core.maintenance.MaintenanceService;
import org.quartz.DisallowConcurrentExecution;
import org.quartz.Job;
import org.quartz.JobExecutionContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The daily maintenance round. */
@DisallowConcurrentExecution
final class MaintenanceJob implements Job {
  private static final Logger log = LoggerFactory.getLogger(MaintenanceJob.class);
  private final MaintenanceService maintenance;
  private final ArchiveWork work;

  MaintenanceJob(MaintenanceService maintenance, ArchiveWork work) {
    this.maintenance = maintenance;
    this.work = work;
  }

  @Override
  public void execute(JobExecutionContext context) {
    try {
      // integrity checks read every archive: they wait their turn rather than fail
      work.patiently(() -> {
        maintenance.runDaily();
        return null;
      });
    } catch (RuntimeException e) {
      log.error("Daily maintenance failed; it runs again tomorrow", e);
    }
  }
}
