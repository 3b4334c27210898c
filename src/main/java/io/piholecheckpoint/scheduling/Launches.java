package io.piholecheckpoint.scheduling;

import io.piholecheckpoint.core.backup.catalog.BackupConflictException;
import io.piholecheckpoint.core.instance.InstanceLabel;
import io.piholecheckpoint.core.manual.BackupLauncher;
import io.piholecheckpoint.core.sync.SyncConflictException;
import io.piholecheckpoint.core.sync.SyncLauncher;
import java.util.Map;
import org.quartz.JobDataMap;
import org.quartz.JobKey;
import org.quartz.Scheduler;
import org.quartz.SchedulerException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs asked for now on the running Quartz: a manual backup, a sync group's run, the off-site copies after a backup, a
 * destination's lane. Only in the process that runs the schedules: a standby refuses what a person asked for, and leaves
 * the rest to that process.
 */
public final class Launches implements BackupLauncher, SyncLauncher, AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Schedules.class);

  private final RunningQuartz running;
  private final StandingJobs standing;
  private final BackupPlans plans;
  private final boolean clustered;
  /** A cluster's node's manual backups, run where they were asked for. */
  private final ManualRuns manualRuns = new ManualRuns();

  /**
   * @param plans the instances as last planned, for the lines that name one
   * @param clustered whether this is a node of a cluster, whose manual backups run on the node they were asked on
   */
  public Launches(RunningQuartz running, StandingJobs standing, BackupPlans plans, boolean clustered) {
    this.running = running;
    this.standing = standing;
    this.plans = plans;
    this.clustered = clustered;
  }

  /** Runs a queued manual backup as soon as the instance's job is free; only in the process that runs the schedules. */
  @Override
  public void launch(long instanceId, String ticketId) {
    Scheduler quartz = running.quartz();
    if (quartz != null && clustered) {
      runHere(instanceId, ticketId);
      return;
    }
    if (quartz == null) {
      // a standby's reason names the other process: without it, "try again" would never work
      String reason = running.status().reason();
      throw new BackupConflictException("backups cannot start here: the scheduler is not running in this process"
          + (reason == null ? "" : " (" + reason + ")") + "; back up from the Pi-hole Checkpoint process that runs the schedules");
    }
    try {
      quartz.triggerJob(BackupPlans.jobKey(instanceId), new JobDataMap(Map.of(BackupJob.TICKET_ID, ticketId)));
    } catch (SchedulerException e) {
      // Quartz's text names its job store and rows: the log keeps it, the caller gets a plain sentence
      log.error("Could not queue the manual backup of {}", InstanceLabel.of(instanceId, plans::planned), e);
      throw new BackupConflictException("the backup could not be queued because of an unexpected error; the server log has the details");
    }
  }

  private synchronized void runHere(long instanceId, String ticketId) {
    if (running.closed()) {
      throw new BackupConflictException("backups cannot start here: this node is stopping; back up from another node");
    }
    manualRuns.run(running.factory().backupJob(), instanceId, ticketId);
  }

  /**
   * Runs a sync group's job now (after a backup of its primary, or asked for with a ticket). A run
   * of it in progress is not doubled: the job does not run concurrently, and this one follows it.
   */
  @Override
  public void launch(String groupId, String ticketId) {
    Scheduler quartz = running.quartz();
    if (quartz == null && ticketId == null) {
      return; // a standby syncs nothing after a backup: its backups are not the scheduled ones
    }
    if (quartz == null) {
      String reason = running.status().reason();
      throw new SyncConflictException("syncs cannot start here: the scheduler is not running in this process"
          + (reason == null ? "" : " (" + reason + ")") + "; sync from the Pi-hole Checkpoint process that runs the schedules (a dry run too: it logs in to the Pi-holes)");
    }
    try {
      JobDataMap data = new JobDataMap();
      if (ticketId != null) {
        data.put(SyncJob.TICKET, ticketId);
      }
      quartz.triggerJob(SyncPlan.job(groupId), data);
    } catch (SchedulerException e) {
      log.warn("Could not start sync group {}: {}", groupId, e.getMessage());
      if (ticketId != null) {
        throw new SyncConflictException("the sync could not be queued because of an unexpected error; the server log has the details");
      }
    }
  }

  /**
   * Runs the off-site copy job now (after a backup queued copies) instead of at its next minute. A
   * run in progress is not doubled: the job does not run concurrently, and this one follows it.
   */
  public void wakeOffsiteCopies() {
    Scheduler quartz = running.quartz();
    if (quartz == null) {
      return; // a standby copies nothing; the process that runs the schedules picks the queue up
    }
    try {
      if (!quartz.checkExists(StandingJobs.OFFSITE)) {
        standing.scheduleOffsite(quartz, running.jobs().offsite()); // the first destination was added in Settings: from now on the job runs every OFFSITE_EVERY
      }
      if (!quartz.checkExists(StandingJobs.OFFSITE)) {
        return;
      }
      quartz.triggerJob(StandingJobs.OFFSITE);
    } catch (SchedulerException e) {
      log.warn("Could not start the off-site copies now ({}); they start within {} s", e.getMessage(), standing.offsiteEvery().toSeconds());
    }
  }

  /**
   * Starts the destination's copies in their own job (see {@link io.piholecheckpoint.core.offsite.lanes.CopyLanes}), or, while
   * they run still, once more right after them ({@link LaneRuns}).
   *
   * @return 0: the copies run on in their job
   */
  public int startOffsiteLane(String destination) {
    Scheduler quartz = running.quartz();
    if (quartz == null || running.closed()) {
      return 0;
    }
    JobKey key = OffsiteCopyJob.key(destination);
    try {
      if (!quartz.checkExists(key)) {
        StandingJobs.addOffsiteLane(quartz, destination); // added in Settings since the start
      }
      LaneRuns.startOrQueue(quartz, key);
    } catch (SchedulerException e) {
      log.warn("Could not start the off-site copies to {} ({}); the next run within {} s tries again", destination, e.getMessage(),
          standing.offsiteEvery().toSeconds());
    }
    return 0;
  }

  /** After Quartz stopped, which cut their downloads off: a manual backup still waiting for its slot or turn ends. */
  @Override
  public void close() {
    manualRuns.close();
  }
}
