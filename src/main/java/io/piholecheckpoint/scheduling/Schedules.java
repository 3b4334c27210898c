package io.piholecheckpoint.scheduling;

import io.piholecheckpoint.core.backup.BackupService;
import io.piholecheckpoint.core.health.SchedulerStatus;
import io.piholecheckpoint.core.instance.PiholeInstance;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.Date;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Properties;
import java.util.TimeZone;
import java.util.UUID;
import org.quartz.CronScheduleBuilder;
import org.quartz.JobBuilder;
import org.quartz.JobDetail;
import org.quartz.JobKey;
import org.quartz.Scheduler;
import org.quartz.SchedulerException;
import org.quartz.Trigger;
import org.quartz.TriggerBuilder;
import org.quartz.impl.StdSchedulerFactory;
import org.quartz.impl.matchers.GroupMatcher;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one Quartz scheduler of this web context: one cron job per scheduled instance, in
 * TIME_ZONE. Runs only while it holds the scheduler lock in DATA_DIR.
 */
public final class Schedules implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Schedules.class);
  private static final String GROUP = "backups";
  private static final Duration SHUTDOWN_WAIT = Duration.ofSeconds(8);

  private final Scheduler scheduler;
  private final SchedulerLock lock;
  private final String notRunningReason;
  private final ZoneId zone;

  private Schedules(Scheduler scheduler, SchedulerLock lock, String notRunningReason, ZoneId zone) {
    this.scheduler = scheduler;
    this.lock = lock;
    this.notRunningReason = notRunningReason;
    this.zone = zone;
  }

  /** Starts the scheduler, or, when another process holds the lock, a stand-in that says so. */
  public static Schedules start(BackupService backups, Path lockFile, ZoneId zone) {
    Optional<SchedulerLock> lock;
    try {
      lock = SchedulerLock.tryAcquire(lockFile);
    } catch (IOException e) {
      throw new IllegalStateException("cannot open the scheduler lock " + lockFile + ": " + e.getMessage() + " — check that DATA_DIR is writable", e);
    }
    if (lock.isEmpty()) {
      String reason = "another Pi-hole Checkpoint process holds " + lockFile + " and runs the schedules for this DATA_DIR; this one runs none";
      log.warn("Scheduler not started: {}. Stop the other process, or give this one its own DATA_DIR.", reason);
      return new Schedules(null, null, reason, zone);
    }
    try {
      Scheduler scheduler = new StdSchedulerFactory(quartzProperties()).getScheduler();
      scheduler.setJobFactory(new AppJobFactory(backups));
      scheduler.start();
      return new Schedules(scheduler, lock.get(), null, zone);
    } catch (SchedulerException e) {
      closeQuietly(lock.get());
      throw new IllegalStateException("the Quartz scheduler did not start: " + e.getMessage(), e);
    }
  }

  private static Properties quartzProperties() {
    Properties p = new Properties();
    // unique per context: Quartz keeps schedulers in a JVM-wide registry by name
    p.setProperty(StdSchedulerFactory.PROP_SCHED_INSTANCE_NAME, "checkpoint-" + UUID.randomUUID());
    p.setProperty(StdSchedulerFactory.PROP_JOB_STORE_CLASS, "org.quartz.simpl.RAMJobStore");
    p.setProperty("org.quartz.threadPool.threadCount", "2");
    p.setProperty("org.quartz.threadPool.makeThreadsDaemons", "true");
    p.setProperty("org.quartz.scheduler.makeSchedulerThreadDaemon", "true");
    p.setProperty("org.quartz.scheduler.skipUpdateCheck", "true");
    return p;
  }

  /** Replaces all backup jobs by one for each scheduled instance. */
  public void scheduleAll(List<PiholeInstance> instances) {
    if (scheduler == null) {
      return;
    }
    try {
      scheduler.deleteJobs(List.copyOf(scheduler.getJobKeys(GroupMatcher.jobGroupEquals(GROUP))));
      instances.stream().filter(PiholeInstance::scheduled).forEach(this::schedule);
    } catch (SchedulerException e) {
      throw new IllegalStateException("could not schedule backups: " + e.getMessage(), e);
    }
  }

  private void schedule(PiholeInstance instance) {
    String cron = instance.schedule().cronExpression();
    JobDetail job = JobBuilder.newJob(BackupJob.class)
        .withIdentity("instance-" + instance.id(), GROUP)
        .usingJobData(BackupJob.INSTANCE_ID, instance.id())
        .build();
    try {
      Trigger trigger = TriggerBuilder.newTrigger()
          .withIdentity("instance-" + instance.id(), GROUP)
          .withSchedule(CronScheduleBuilder.cronSchedule(cron).inTimeZone(TimeZone.getTimeZone(zone))
              .withMisfireHandlingInstructionFireAndProceed())
          .build();
      scheduler.scheduleJob(job, trigger);
      log.info("Scheduled Pi-hole '{}': {} ({}), next run {}", instance.name(), instance.schedule().describe(), zone, trigger.getNextFireTime().toInstant());
    } catch (RuntimeException | SchedulerException e) {
      log.error("Pi-hole '{}' is not scheduled: its schedule '{}' is not a valid Quartz cron expression ({}) — fix its CRON setting",
          instance.name(), cron, e.getMessage());
    }
  }

  public SchedulerStatus status() {
    if (scheduler == null) {
      return new SchedulerStatus("not started", 0, null, notRunningReason);
    }
    try {
      if (scheduler.isShutdown()) {
        return new SchedulerStatus("shut down", 0, null, "the scheduler has been shut down");
      }
      List<? extends Trigger> triggers = scheduler.getJobKeys(GroupMatcher.jobGroupEquals(GROUP)).stream()
          .flatMap(key -> triggersOf(key).stream()).toList();
      Instant next = triggers.stream().map(Trigger::getNextFireTime).filter(Objects::nonNull)
          .min(Date::compareTo).map(Date::toInstant).orElse(null);
      String state = scheduler.isInStandbyMode() ? "standby" : "started";
      return new SchedulerStatus(state, triggers.size(), next, state.equals("standby") ? "the scheduler is in standby" : null);
    } catch (SchedulerException e) {
      return new SchedulerStatus("unknown", 0, null, "the scheduler did not answer: " + e.getMessage());
    }
  }

  private List<? extends Trigger> triggersOf(JobKey key) {
    try {
      return scheduler.getTriggersOfJob(key);
    } catch (SchedulerException e) {
      return List.of();
    }
  }

  /** Stops new runs, waits a bounded time for a running backup, then shuts Quartz down. */
  @Override
  public void close() {
    if (scheduler == null) {
      return;
    }
    try {
      scheduler.standby();
      Instant deadline = Instant.now().plus(SHUTDOWN_WAIT);
      while (!scheduler.getCurrentlyExecutingJobs().isEmpty() && Instant.now().isBefore(deadline)) {
        Thread.sleep(50);
      }
      if (!scheduler.getCurrentlyExecutingJobs().isEmpty()) {
        log.warn("A backup was still running after {} s at shutdown; it is abandoned and leaves no file", SHUTDOWN_WAIT.toSeconds());
      }
      scheduler.shutdown(false);
    } catch (SchedulerException e) {
      log.warn("Quartz did not shut down cleanly: {}", e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      closeQuietly(lock);
    }
  }

  private static void closeQuietly(SchedulerLock lock) {
    try {
      lock.close();
    } catch (IOException e) {
      log.warn("Could not release the scheduler lock: {}", e.getMessage());
    }
  }
}
