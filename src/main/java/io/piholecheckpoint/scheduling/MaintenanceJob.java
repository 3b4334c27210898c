package io.piholecheckpoint.scheduling;

import io.piholecheckpoint.core.job.JobFailures;
import io.piholecheckpoint.core.archive.work.ArchiveWork;
import io.piholecheckpoint.core.maintenance.MaintenanceService;
import io.piholecheckpoint.core.offsite.OffsiteService;
import org.quartz.DisallowConcurrentExecution;
import org.quartz.Job;
import org.quartz.JobExecutionContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The daily maintenance round: here, then at the off-site destinations (each on its own: one failing does not stop the other). */
@DisallowConcurrentExecution
final class MaintenanceJob implements Job {
  private static final Logger log = LoggerFactory.getLogger(MaintenanceJob.class);
  private final MaintenanceService maintenance;
  private final ArchiveWork work;
  private final OffsiteService offsite;

  /** @param offsite null when the application has no off-site copies */
  MaintenanceJob(MaintenanceService maintenance, ArchiveWork work, OffsiteService offsite) {
    this.maintenance = maintenance;
    this.work = work;
    this.offsite = offsite;
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
      JobFailures.log(log, e, "Daily maintenance", "it runs again tomorrow");
    }
    if (offsite != null && offsite.configured()) {
      try {
        // no archive permit: it reads the destinations, not the archives here
        offsite.runDaily();
      } catch (RuntimeException e) {
        JobFailures.log(log, e, "The daily off-site round (retention, re-check)", "it runs again tomorrow");
      }
    }
  }
}
