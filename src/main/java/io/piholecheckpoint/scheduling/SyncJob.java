package io.piholecheckpoint.scheduling;

import io.piholecheckpoint.core.job.JobFailures;
import io.piholecheckpoint.core.archive.work.ArchiveWork;
import io.piholecheckpoint.core.backup.catalog.BackupConflictException;
import io.piholecheckpoint.core.sync.SyncConflictException;
import io.piholecheckpoint.core.sync.groups.SyncGroupNotFoundException;
import io.piholecheckpoint.core.sync.SyncTickets;
import org.quartz.DisallowConcurrentExecution;
import org.quartz.Job;
import org.quartz.JobExecutionContext;
import org.quartz.SchedulerException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** One sync group's run, on its schedule or after a backup of its primary; never two of a group at once. */
@DisallowConcurrentExecution
final class SyncJob implements Job {
  static final String GROUP = "syncGroup";
  /** The ticket of a run asked for through the API; absent for one after a backup or on the schedule. */
  static final String TICKET = "syncTicket";
  private static final Logger log = LoggerFactory.getLogger(SyncJob.class);
  private final SyncTickets sync;
  private final ArchiveWork work;

  SyncJob(SyncTickets sync, ArchiveWork work) {
    this.sync = sync;
    this.work = work;
  }

  @Override
  public void execute(JobExecutionContext context) {
    String group = context.getMergedJobDataMap().getString(GROUP);
    String ticket = context.getMergedJobDataMap().getString(TICKET);
    try {
      // its safety backups, live exports and plans wait for their turn as a backup's do: nobody waits on its answer, and
      // refused after ARCHIVE_BUSY_WAIT_SECONDS a replica's run failed as "unexpected" while archive work was busy
      work.patiently(() -> {
        sync.runQueued(group, ticket); // each replica's outcome is recorded and logged by the run
        return null;
      });
    } catch (SyncGroupNotFoundException e) {
      if (sync.groups().groups().stream().anyMatch(g -> g.id().equals(group))) {
        log.warn("Sync group {} did not run: {}", group, e.getMessage()); // a Pi-hole of it went during the run
        return;
      }
      try {
        SyncPlan.dropStale(context, group, sync.groups().disabledById().containsKey(group));
      } catch (SchedulerException s) {
        log.warn("Sync group {} did not run ({}), and its stale trigger could not be removed: {}", group, e.getMessage(), s.getMessage());
      }
    } catch (SyncConflictException | BackupConflictException e) {
      log.warn("Sync group {} did not run: {}", group, e.getMessage());
    } catch (RuntimeException e) {
      JobFailures.log(log, e, "Sync group " + group, "it runs again at its next trigger");
    }
  }
}
