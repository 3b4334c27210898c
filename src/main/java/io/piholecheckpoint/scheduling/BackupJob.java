package io.piholecheckpoint.scheduling;

import io.piholecheckpoint.core.job.JobFailures;
import io.piholecheckpoint.core.archive.work.ArchiveWork;
import io.piholecheckpoint.core.backup.catalog.Backup;
import io.piholecheckpoint.core.backup.catalog.BackupConflictException;
import io.piholecheckpoint.core.manual.BackupTickets;
import io.piholecheckpoint.core.registry.InstanceNotFoundException;
import io.piholecheckpoint.core.backup.BackupService;
import io.piholecheckpoint.core.backup.runs.UnstartedRuns;
import io.piholecheckpoint.core.instance.InstanceLabel;
import io.piholecheckpoint.core.instance.PiholeInstance;
import io.piholecheckpoint.core.secrets.SecretBox;
import io.piholecheckpoint.core.job.DatabaseFileGoneException;
import io.piholecheckpoint.core.job.DatabaseTrouble;
import io.piholecheckpoint.core.schedule.LocalTimeText;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.Optional;
import java.util.function.LongFunction;
import org.quartz.DisallowConcurrentExecution;
import org.quartz.InterruptableJob;
import org.quartz.JobDataMap;
import org.quartz.JobExecutionContext;
import org.quartz.SchedulerException;
import org.quartz.Trigger;
import org.quartz.TriggerBuilder;
import org.quartz.TriggerKey;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the scheduled or queued manual backup of one instance, when one of the MAX_PARALLEL_BACKUPS
 * slots is free; otherwise it waits in line ({@link BackupSlots}) and the backup that frees a slot
 * fires it again. Interruptible: at shutdown the running download is cut off (its thread
 * interrupted), so that its temp file is deleted and its Pi-hole session logged out before the
 * JVM exits.
 */
@DisallowConcurrentExecution
final class BackupJob implements InterruptableJob {
  static final String INSTANCE_ID = "instanceId";
  /** Set when a person or script queued the run; absent for a scheduled run. */
  static final String TICKET_ID = "ticketId";
  /** Set when the run comes out of the line: the slot was handed to it by the backup that finished. */
  static final String SLOT_HELD = "slotHeld";
  /** Set on a run tried again because the database was busy or out of reach: how many tries failed so, before this one. */
  static final String DATABASE_RETRY = "databaseRetry";
  static final Duration LONGEST_RETRY = Duration.ofMinutes(30);
  private static final String RETRY_GROUP = "database-retries";
  private static final Logger log = LoggerFactory.getLogger(BackupJob.class);

  private final BackupService backups;
  private final BackupTickets tickets;
  private final ArchiveWork work;
  private final BackupSlots slots;
  private final Clock clock;
  private final boolean clustered;
  private final UnstartedRuns unstarted;
  /** Reads an instance for the lines that name it; empty once it is deleted. */
  private final LongFunction<Optional<PiholeInstance>> instances;
  /** The wait before the first try again after the database failed a scheduled run; doubled at each failure, up to {@link #LONGEST_RETRY}. */
  private final Duration firstRetry;
  /** The log's times, TIME_ZONE's with their offset: a skipped fire's, a retry's. */
  private final LocalTimeText times;
  private volatile Thread runner;

  /**
   * @param clustered on a node of a cluster: a backup waits here for its slot, it is not fired again (perhaps on another node)
   * @param unstarted where a scheduled run that failed before writing any record is shown, as the log alone said so
   * @param firstRetry DATABASE_RETRY_SECONDS: when a scheduled run the database failed is first tried again
   * @param instances reads an instance, for the lines that name it
   * @param times the log's times
   */
  BackupJob(BackupService backups, BackupTickets tickets, ArchiveWork work, BackupSlots slots, Clock clock, boolean clustered,
            UnstartedRuns unstarted, Duration firstRetry, LongFunction<Optional<PiholeInstance>> instances, LocalTimeText times) {
    this.times = times;
    this.instances = instances;
    this.clustered = clustered;
    this.firstRetry = firstRetry;
    this.unstarted = unstarted;
    this.backups = backups;
    this.tickets = tickets;
    this.work = work;
    this.slots = slots;
    this.clock = clock;
  }

  @Override
  public void execute(JobExecutionContext context) {
    try {
      fire(context);
    } catch (InstanceNotFoundException e) {
      dropStale(context, context.getMergedJobDataMap().getLongValue(INSTANCE_ID));
    }
  }

  /**
   * A scheduled fire of an instance deleted since (on another node, whose change this one's store
   * had not caught up with, or one that stopped before it planned again): nothing ran, and its job
   * goes with its triggers.
   */
  private void dropStale(JobExecutionContext context, long instanceId) {
    try {
      context.getScheduler().deleteJob(context.getJobDetail().getKey());
      log.info("Backup of {} fired here, but the instance no longer exists (deleted, on this node or another): nothing ran,"
          + " and its stale job and triggers are removed", named(instanceId));
    } catch (SchedulerException e) {
      log.warn("Backup of {} fired here, but the instance no longer exists; its stale job could not be removed: {}", named(instanceId),
          e.getMessage());
    }
  }

  /** The instance as a log line names it: "Pi-hole 'Office'". */
  private Object named(long instanceId) {
    return InstanceLabel.of(instanceId, instances);
  }

  private void fire(JobExecutionContext context) {
    JobDataMap data = context.getMergedJobDataMap();
    long instanceId = data.getLongValue(INSTANCE_ID); // a string: the clustered store keeps JobDataMaps as properties
    String ticket = data.getString(TICKET_ID);
    if (clustered) {
      Date next = context.getNextFireTime();
      if (ticket == null && !context.isRecovering() && next != null && next.toInstant().isBefore(clock.instant())) {
        // late past its next fire too (fires may wait up to ClusterStore.MISFIRE_THRESHOLD): that one makes up for this
        log.info("Backup of {} due at {} is skipped: its next run, due at {}, is late already and takes its place", named(instanceId),
            times.of(context.getScheduledFireTime().toInstant()), times.of(next.toInstant()));
        return;
      }
      runHere(context, instanceId, ticket);
      return;
    }
    if (!data.containsKey(SLOT_HELD) && !slots.tryTake(instanceId, ticket, clock.instant())) {
      log.debug("Backup of {} waits for one of {} slots", named(instanceId), slots.max());
      return;
    }
    try {
      run(context, instanceId, ticket);
    } finally {
      handOn(context);
    }
  }

  /** Runs the backup on this node once a slot is free, waiting for it in this thread. */
  void runHere(long instanceId, String ticket) {
    runHere(null, instanceId, ticket);
  }

  /** @param context the fire of the job; null for a manual run started outside Quartz, which is not tried again by itself */
  private void runHere(JobExecutionContext context, long instanceId, String ticket) {
    try {
      slots.take(instanceId, ticket, clock.instant());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt(); // stopping: a run that never started is dropped, as at a shutdown of one node
      if (ticket != null) {
        tickets.abandon(ticket, "the backup could not start (this node is stopping); start it again");
      }
      return;
    }
    try {
      run(context, instanceId, ticket);
    } finally {
      slots.release();
    }
  }

  private void run(JobExecutionContext context, long instanceId, String ticket) {
    runner = Thread.currentThread();
    unstarted.starting(instanceId);
    try {
      // runs are serialised already; waiting for an interactive diff to finish beats failing the backup
      Backup done = work.patiently(() -> {
        if (ticket != null) {
          tickets.run(ticket);
          return null;
        }
        return backups.runBackup(instanceId, Backup.Trigger.SCHEDULED);
      });
      if (done != null && DatabaseTrouble.isCode(done.errorCode())) {
        retryLater(context, instanceId, "failed because of the database", done.errorMessage());
      }
    } catch (InstanceNotFoundException e) {
      if (ticket == null) {
        throw e; // a stale schedule: execute removes it
      }
      log.warn("Manual backup of {} did not run: {}", named(instanceId), e.getMessage());
    } catch (RuntimeException e) {
      // a failed Pi-hole is a failed record already; this is our own fault, e.g. the database
      if (backups.stopping()) {
        // cut off while it waited for its turn or its connection: a node of a cluster left the run to the others
        log.info("Backup of {} did not start: Pi-hole Checkpoint is stopping ({})", named(instanceId), e.getMessage());
      } else if (ticket != null) {
        manualFailed(instanceId, ticket, e);
      } else if (DatabaseFileGoneException.in(e).isPresent()) {
        // refused before it wrote anything (its start could not be recorded, so no archive either); logged once, when the file
        // was found gone: a line and a trace at every scheduled run would bury that one
        unstarted.failed(instanceId, e.getMessage(), clock.instant());
      } else if (DatabaseTrouble.describe(e).isPresent()) {
        // one line, retryLater's: what failed, for which instance, and when it runs again; the SQL of the refused statement says no more
        unstarted.failed(instanceId, DatabaseTrouble.describe(e).get(), clock.instant());
        retryLater(context, instanceId, "could not run: it failed because of the database", DatabaseTrouble.describe(e).get());
      } else {
        log.error("Scheduled backup of {} could not run; it will be tried at its next time", named(instanceId), e);
        unstarted.failed(instanceId, e instanceof SecretBox.SecretUnavailableException ? "its settings could not be read: " + e.getMessage()
            : "an unexpected error (" + e.getClass().getSimpleName() + "); the server log has the details", clock.instant());
      }
    } finally {
      runner = null;
      Thread.interrupted(); // a cancellation ends with the job; the pooled thread goes on clean
    }
  }

  /**
   * The one line of a manual backup that could not run (its ticket says so too, without the internals): a gone database file
   * without a trace, as it was said with what to do when it was found; another run of the instance that came first, without a
   * trace either; a busy database as every job's.
   */
  private void manualFailed(long instanceId, String ticket, RuntimeException e) {
    Optional<DatabaseFileGoneException> gone = DatabaseFileGoneException.in(e);
    if (gone.isPresent()) {
      log.warn("Manual backup of {} (job {}) could not run: {}; start it again then", named(instanceId), ticket, gone.get().getMessage());
      return;
    }
    for (Throwable cause = e; cause != null; cause = cause.getCause()) {
      if (cause instanceof BackupConflictException conflict) { // another run of it came first: expected, the job says so
        log.warn("Manual backup of {} (job {}) did not run: {}", named(instanceId), ticket, conflict.getMessage());
        return;
      }
    }
    JobFailures.log(log, e, "Manual backup of " + named(instanceId) + " (job " + ticket + ")", "start it again");
  }

  /**
   * A scheduled run the database failed (busy with a lock another session holds, or out of reach) is not left to the next
   * scheduled time, which may be a day away: a one-shot trigger runs it again, after the first retry (30 s unless
   * DATABASE_RETRY_SECONDS says otherwise), then twice as long each time up to
   * 30 min, while the database keeps failing it. Planned only when it comes before the instance's next scheduled run, which
   * makes up for it otherwise.
   */
  private void retryLater(JobExecutionContext context, long instanceId, String failed, String why) {
    if (context == null) {
      log.warn("Scheduled backup of {} {} ({}); it runs at its next scheduled time", named(instanceId), failed, why);
      return;
    }
    int failures = context.getMergedJobDataMap().containsKey(DATABASE_RETRY)
        ? Integer.parseInt(context.getMergedJobDataMap().getString(DATABASE_RETRY)) + 1 : 1;
    Duration wait = firstRetry;
    for (int i = 1; i < failures && wait.compareTo(LONGEST_RETRY) < 0; i++) {
      wait = wait.multipliedBy(2);
    }
    wait = wait.compareTo(LONGEST_RETRY) > 0 ? LONGEST_RETRY : wait;
    Instant at = clock.instant().plus(wait);
    try {
      Optional<Instant> next = context.getScheduler().getTriggersOfJob(BackupPlans.jobKey(instanceId)).stream()
          .filter(t -> !RETRY_GROUP.equals(t.getKey().getGroup())).map(Trigger::getNextFireTime).filter(d -> d != null)
          .map(Date::toInstant).min(Instant::compareTo);
      if (next.isPresent() && !next.get().isAfter(at)) {
        log.warn("Scheduled backup of {} {} ({}); its next scheduled run at {} takes its place", named(instanceId), failed, why, times.of(next.get()));
        return;
      }
      // a key of its own: the retry that fired this run is deleted by Quartz when it completes, and must not take this one along
      TriggerKey key = TriggerKey.triggerKey("retry-" + instanceId + "-" + at.toEpochMilli(), RETRY_GROUP);
      context.getScheduler().scheduleJob(TriggerBuilder.newTrigger().withIdentity(key).forJob(BackupPlans.jobKey(instanceId))
          .startAt(Date.from(at)).usingJobData(DATABASE_RETRY, Integer.toString(failures)).build());
      log.warn("Scheduled backup of {} {} ({}); it is tried again at {} (failed {} time(s) so far)."
          + " Nothing needs doing if the database answers by then", named(instanceId), failed, why, times.of(at), failures);
    } catch (SchedulerException | RuntimeException e) {
      log.error("Scheduled backup of {} {} ({}), and a try again could not be planned ({}): it runs at its next scheduled time, or as"
          + " a catch-up at the next start; start it by hand once the database answers", named(instanceId), failed, why, e.getMessage());
    }
  }

  /** Gives the slot to the first backup in line and fires its job; one that cannot be fired (shutting down) passes it on. */
  private void handOn(JobExecutionContext context) {
    for (Optional<BackupSlots.Waiting> next = slots.release(); next.isPresent(); next = slots.release()) {
      BackupSlots.Waiting w = next.get();
      JobDataMap data = new JobDataMap();
      data.put(SLOT_HELD, "true");
      if (w.ticketId() != null) {
        data.put(TICKET_ID, w.ticketId());
      }
      try {
        context.getScheduler().triggerJob(BackupPlans.jobKey(w.instanceId()), data);
        return;
      } catch (SchedulerException e) {
        // a scheduled run is caught up at the next start; a manual one is ended, so that it can be asked for again
        log.warn("The waiting backup of {} could not start: {}", named(w.instanceId()), e.getMessage());
        if (w.ticketId() != null) {
          tickets.abandon(w.ticketId(), "the backup could not start (the scheduler is stopping, or the instance was removed); start it again");
        }
      }
    }
  }

  @Override
  public void interrupt() {
    Thread running = runner;
    if (running != null) {
      running.interrupt();
    }
  }
}
