package io.piholecheckpoint.scheduling;

import io.piholecheckpoint.core.health.ScheduledTriggers;
import io.piholecheckpoint.core.health.SchedulerStatus;
import io.piholecheckpoint.core.health.SchedulerView;
import java.time.Instant;
import java.util.Collection;
import java.util.Map;
import java.util.Optional;
import org.quartz.Scheduler;
import org.quartz.SchedulerException;
import org.quartz.Trigger;

/**
 * The Quartz that runs the schedules in this process, or why none does (a standby, not started yet, stopping), and what
 * it says of the schedules. {@link Schedules} starts it and stops it; {@link Planning} and {@link Launches} write to it
 * only while it runs, and read here whether it does.
 */
public final class RunningQuartz implements SchedulerView {
  private final BackupFires fires;
  private volatile Scheduler scheduler;
  private volatile AppJobs jobs;
  private volatile AppJobFactory factory;
  private volatile BackupSlots slots = new BackupSlots(AppJobs.PARALLEL_BACKUPS);
  private volatile String notRunningReason = "the scheduler has not started yet";
  private volatile boolean closed;

  public RunningQuartz(BackupFires fires) {
    this.fires = fires;
  }

  /** The started Quartz; null on a standby, before the start and once it is shut down. */
  Scheduler quartz() {
    return scheduler;
  }

  /** What its jobs run; null before the start. */
  AppJobs jobs() {
    return jobs;
  }

  AppJobFactory factory() {
    return factory;
  }

  boolean closed() {
    return closed;
  }

  void startingWith(AppJobs jobs) {
    this.jobs = jobs;
  }

  void made(AppJobFactory factory, BackupSlots slots) {
    this.factory = factory;
    this.slots = slots;
  }

  /** Known before Quartz starts: a job that fires at once (OFFSITE_FIRST_RUN_SECONDS=0) starts other jobs through it. */
  void running(Scheduler started) {
    this.scheduler = started;
    this.notRunningReason = null;
  }

  void notRunning(String reason) {
    this.scheduler = null;
    this.notRunningReason = reason;
  }

  void closing() {
    closed = true;
  }

  /**
   * Whether this process does not run the schedules (yet): a standby, whose environment's Pi-hole secrets are not those
   * the instances run with, or one not started so far. The same as {@link #status()} says, without reading the triggers.
   */
  public boolean standby() {
    return scheduler == null && !closed;
  }

  @Override
  public SchedulerStatus status() {
    Scheduler running = scheduler;
    if (running == null) {
      return new SchedulerStatus(closed ? "shut down" : "standby", 0, null, closed ? "the application is stopping" : notRunningReason);
    }
    try {
      if (running.isShutdown()) {
        return new SchedulerStatus("shut down", 0, null, "the scheduler has been shut down");
      }
      ScheduledTriggers.Summary triggers = fires.summary(running);
      String state = running.isInStandbyMode() ? "stopping" : "started";
      return new SchedulerStatus(state, triggers.jobs(), triggers.earliest().orElse(null),
          state.equals("stopping") ? "the application is stopping" : null);
    } catch (SchedulerException e) {
      return new SchedulerStatus("unknown", 0, null, "the scheduler did not answer: " + e.getMessage());
    }
  }

  /** The next time the instance's job fires (its schedule or a catch-up), if it is scheduled here. */
  @Override
  public Optional<Instant> nextRun(long instanceId) {
    Scheduler running = scheduler;
    return running == null ? Optional.empty() : fires.next(running, instanceId);
  }

  /** The instance's own schedule's trigger as Quartz keeps it, if it is scheduled here. */
  Optional<Trigger> scheduleTrigger(long instanceId) {
    Scheduler running = scheduler;
    return running == null ? Optional.empty() : BackupFires.scheduleTrigger(running, instanceId);
  }

  /** In a cluster, one query for them all (see {@link BackupFires}). */
  @Override
  public Map<Long, Instant> nextRuns(Collection<Long> instanceIds) {
    if (scheduler == null || !fires.shared()) {
      return SchedulerView.super.nextRuns(instanceIds);
    }
    return fires.next(instanceIds);
  }

  /** When each scheduled instance's next backup runs, by instance id. */
  public Map<Long, Instant> nextRuns() {
    Scheduler running = scheduler;
    return running == null ? Map.of() : fires.all(running);
  }

  /** Since when the instance's backup waits for one of the MAX_PARALLEL_BACKUPS slots, if it does. */
  @Override
  public Optional<Instant> waitingSince(long instanceId) {
    return slots.waitingSince(instanceId);
  }

  /** When the sync group's own schedule fires next, if it has one and runs here. */
  public Optional<Instant> nextSync(String groupId) {
    Scheduler running = scheduler;
    if (running == null) {
      return Optional.empty();
    }
    try {
      return SyncPlan.next(running, groupId);
    } catch (SchedulerException e) {
      return Optional.empty();
    }
  }
}
