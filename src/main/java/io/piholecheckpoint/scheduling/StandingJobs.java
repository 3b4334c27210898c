package io.piholecheckpoint.scheduling;

import io.piholecheckpoint.core.offsite.OffsiteService;
import io.piholecheckpoint.core.schedule.Schedule;
import java.time.Clock;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.Date;
import java.util.List;
import java.util.Set;
import org.quartz.DateBuilder;
import org.quartz.JobBuilder;
import org.quartz.JobDetail;
import org.quartz.JobKey;
import org.quartz.Scheduler;
import org.quartz.SchedulerException;
import org.quartz.SimpleScheduleBuilder;
import org.quartz.Trigger;
import org.quartz.TriggerBuilder;

/**
 * The scheduler's own jobs that repeat, beside the instances' backups: the daily maintenance in TIME_ZONE, the look at
 * conditions, the off-site run and a lane per destination, and with SQLite the holder's look at changes made through the
 * standby. Each is replaced, not added: the nodes of a cluster each write the same jobs at their start.
 */
public final class StandingJobs {
  static final String MAINTENANCE_GROUP = "maintenance";
  /** Stale backups and low disk are states, not events: looked at this often. */
  static final Duration CONDITIONS_EVERY = Duration.ofMinutes(5);
  static final JobKey OFFSITE = JobKey.jobKey("offsite", MAINTENANCE_GROUP);
  /** The lock holder's look at what was changed through a standby (the same job class: the process's look at the other one). */
  private static final JobKey LOOK_FOR_CHANGES = JobKey.jobKey("changes", "standby");
  private static final Schedule MAINTENANCE = new Schedule(Schedule.Kind.DAILY, LocalTime.of(4, 15), DayOfWeek.SUNDAY, null);

  private final ZoneId zone;
  private final Clock clock;
  private final Duration pollInterval;
  private final Duration offsiteFirst;
  private final Duration offsiteEvery;
  private final boolean clustered;

  /**
   * @param pollInterval how often a standby tries the lock, and the holder looks at what was changed through it
   * @param offsiteFirst how long after the start the first off-site run (catch-up and adoption) comes
   * @param offsiteEvery how often the off-site run looks for due copies after that ({@link Schedules#OFFSITE_EVERY})
   * @param clustered whether the nodes share their triggers (no standby, no look at its changes)
   */
  public StandingJobs(ZoneId zone, Clock clock, Duration pollInterval, Duration offsiteFirst, Duration offsiteEvery, boolean clustered) {
    this.zone = zone;
    this.clock = clock;
    this.pollInterval = pollInterval;
    this.offsiteFirst = offsiteFirst;
    this.offsiteEvery = offsiteEvery;
    this.clustered = clustered;
  }

  /** Every one of them, before the scheduler starts. */
  void scheduleAll(Scheduler scheduler, OffsiteService offsite) throws SchedulerException {
    scheduleMaintenance(scheduler);
    scheduleConditions(scheduler);
    scheduleOffsite(scheduler, offsite);
    scheduleLookForChanges(scheduler);
  }

  void scheduleMaintenance(Scheduler scheduler) throws SchedulerException {
    JobKey key = JobKey.jobKey("daily", MAINTENANCE_GROUP);
    JobDetail job = JobBuilder.newJob(MaintenanceJob.class).withIdentity(key).build();
    scheduler.scheduleJob(job, Set.of(TriggerBuilder.newTrigger().forJob(key).withIdentity("daily", MAINTENANCE_GROUP)
        .withSchedule(Triggers.schedule(MAINTENANCE, zone))
        .startAt(Date.from(Triggers.firstFire(MAINTENANCE, zone, clock.instant()))).build()), true);
  }

  /** Only when destinations are configured: otherwise Quartz has nothing more to do than before. */
  void scheduleOffsite(Scheduler scheduler, OffsiteService offsite) throws SchedulerException {
    if (offsite == null || !offsite.configured()) {
      return;
    }
    for (String destination : lanes(offsite)) {
      addOffsiteLane(scheduler, destination);
    }
    JobDetail job = JobBuilder.newJob(OffsiteJob.class).withIdentity(OFFSITE).storeDurably().build();
    // the first run picks up what a previous process left queued: the catch-up after a restart
    scheduler.scheduleJob(job, Set.of(TriggerBuilder.newTrigger().forJob(OFFSITE).withIdentity("offsite", MAINTENANCE_GROUP)
        .withSchedule(SimpleScheduleBuilder.simpleSchedule().withIntervalInMilliseconds(offsiteEvery.toMillis()).repeatForever()
            .withMisfireHandlingInstructionNextWithRemainingCount())
        .startAt(Date.from(clock.instant().plus(offsiteFirst))).build()), true);
  }

  /** How often a standby tries the lock, and the holder looks at what was changed through it. */
  Duration pollInterval() {
    return pollInterval;
  }

  /** How often the off-site run looks for due copies. */
  Duration offsiteEvery() {
    return offsiteEvery;
  }

  static void addOffsiteLane(Scheduler scheduler, String destination) throws SchedulerException {
    scheduler.addJob(JobBuilder.newJob(OffsiteCopyJob.class).withIdentity(OffsiteCopyJob.key(destination)).storeDurably()
        .usingJobData(OffsiteCopyJob.DESTINATION, destination).build(), true);
  }

  /** The destinations whose copies run in a lane (a job) of their own. */
  static List<String> lanes(OffsiteService offsite) {
    return offsite == null ? List.of() : offsite.targets().stream().map(t -> t.name()).toList();
  }

  /** A {@link LockPollJob}'s trigger: every {@code pollInterval}, the first one interval from now. */
  Trigger everyPoll(JobKey key) {
    return TriggerBuilder.newTrigger().forJob(key).withIdentity(key.getName(), key.getGroup())
        .withSchedule(SimpleScheduleBuilder.simpleSchedule().withIntervalInMilliseconds(pollInterval.toMillis()).repeatForever()
            .withMisfireHandlingInstructionNextWithRemainingCount())
        .startAt(DateBuilder.futureDate((int) pollInterval.toMillis(), DateBuilder.IntervalUnit.MILLISECOND)).build();
  }

  private void scheduleConditions(Scheduler scheduler) throws SchedulerException {
    JobKey key = JobKey.jobKey("conditions", MAINTENANCE_GROUP);
    JobDetail job = JobBuilder.newJob(ConditionsJob.class).withIdentity(key).build();
    scheduler.scheduleJob(job, Set.of(TriggerBuilder.newTrigger().forJob(key).withIdentity("conditions", MAINTENANCE_GROUP)
        .withSchedule(SimpleScheduleBuilder.simpleSchedule().withIntervalInMilliseconds(CONDITIONS_EVERY.toMillis()).repeatForever()
            .withMisfireHandlingInstructionNextWithRemainingCount())
        .startAt(Date.from(clock.instant().plus(CONDITIONS_EVERY))).build()), true);
  }

  /** With SQLite, the look at the standby's changes every {@code pollInterval}; a cluster's nodes share their triggers instead. */
  private void scheduleLookForChanges(Scheduler scheduler) throws SchedulerException {
    if (clustered) {
      return;
    }
    scheduler.scheduleJob(JobBuilder.newJob(LockPollJob.class).withIdentity(LOOK_FOR_CHANGES).build(), everyPoll(LOOK_FOR_CHANGES));
  }
}
