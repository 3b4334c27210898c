package io.piholecheckpoint.scheduling;

import io.piholecheckpoint.core.schedule.LocalTimeText;
import java.util.concurrent.TimeUnit;
import io.piholecheckpoint.core.instance.PiholeInstance;
import java.time.Clock;
import java.util.Optional;
import java.util.function.LongFunction;
import org.quartz.Job;
import org.quartz.Scheduler;
import org.quartz.SchedulerException;
import org.quartz.spi.JobFactory;
import org.quartz.spi.TriggerFiredBundle;

/** Builds jobs with their collaborators, so jobs need no lookups in the SchedulerContext. */
final class AppJobFactory implements JobFactory {
  private final AppJobs jobs;
  private final OwnJobs own;
  private final BackupSlots slots;
  private final Clock clock;
  private final boolean clustered;

  /**
   * What the scheduler's own jobs do, beside the application's.
   *
   * @param lockPoll one try of the scheduler lock by a standby, the holder's look at changes made through it
   * @param zones the replan of triggers found in another zone than TIME_ZONE
   * @param planned an instance as the scheduler last planned it, for the lines that name it
   */
  /** @param takenOver waits at most the time given for the start's takeover; false when it did not come in that time */
  /** @param times the log's times, TIME_ZONE's with their offset */
  record OwnJobs(Runnable lockPoll, TriggerZones zones, LongFunction<Optional<PiholeInstance>> planned, TakeoverWait takenOver, LocalTimeText times) {
  }

  /** See {@link OwnJobs#takenOver}. */
  @FunctionalInterface
  interface TakeoverWait {
    boolean await(long amount, TimeUnit unit) throws InterruptedException;
  }

  /** @param clustered whether this Quartz is a node of a cluster (its backups wait for their slot where they fired) */
  AppJobFactory(AppJobs jobs, OwnJobs own, BackupSlots slots, Clock clock, boolean clustered) {
    this.clustered = clustered;
    this.jobs = jobs;
    this.own = own;
    this.slots = slots;
    this.clock = clock;
  }

  @Override
  public Job newJob(TriggerFiredBundle bundle, Scheduler scheduler) throws SchedulerException {
    Class<? extends Job> type = bundle.getJobDetail().getJobClass();
    if (type == BackupJob.class) {
      return backupJob();
    }
    if (type == MaintenanceJob.class) {
      return new MaintenanceJob(jobs.maintenance(), jobs.work(), jobs.offsite());
    }
    if (type == LockPollJob.class) {
      return new LockPollJob(own.lockPoll());
    }
    if (type == ZoneReplanJob.class) {
      return new ZoneReplanJob(own.zones());
    }
    if (type == OffsiteJob.class) {
      return new OffsiteJob(jobs.offsite(), own.takenOver());
    }
    if (type == OffsiteCopyJob.class) {
      return new OffsiteCopyJob(jobs.offsite());
    }
    if (type == SyncJob.class) {
      return new SyncJob(jobs.sync(), jobs.work());
    }
    if (type == ConditionsJob.class) {
      return new ConditionsJob(jobs.conditions());
    }
    throw new SchedulerException("no factory for job class " + type.getName());
  }

  BackupJob backupJob() {
    return new BackupJob(jobs.backups(), jobs.tickets(), jobs.work(), slots, clock, clustered, jobs.unstarted(), jobs.firstDatabaseRetry(),
        own.planned(), own.times());
  }
}
