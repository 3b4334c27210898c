package io.piholecheckpoint.scheduling;

import io.piholecheckpoint.core.schedule.LocalTimeText;
import java.time.Clock;
import java.time.Duration;
import java.util.Properties;
import java.util.UUID;
import org.quartz.Scheduler;
import org.quartz.SchedulerException;
import org.quartz.impl.SchedulerRepository;
import org.quartz.impl.StdSchedulerFactory;
import org.quartz.impl.matchers.GroupMatcher;

/**
 * How this process's one Quartz is made: its threads, its store (in memory, or a cluster's shared one), the factory that
 * builds its jobs with their collaborators, and the look at fires it missed.
 */
public final class QuartzSetup {
  private final Duration misfireThreshold;
  private final ClusterStore cluster;
  private final Clock clock;
  private final BackupPlans plans;
  private final TriggerZones zones;
  private final LocalTimeText times;

  /**
   * @param misfireThreshold {@link Schedules#MISFIRE_THRESHOLD} in the app; not a cluster's, whose store keeps its own
   * @param cluster the shared job store of a cluster's nodes (PostgreSQL); null for one node with its file lock
   * @param plans the instances as last planned, for the lines that name one
   * @param times TIME_ZONE's one {@link LocalTimeText}: the lines of late and retried backups write their times with it
   */
  public QuartzSetup(Duration misfireThreshold, ClusterStore cluster, Clock clock, BackupPlans plans, TriggerZones zones, LocalTimeText times) {
    this.times = times.inLog();
    this.misfireThreshold = misfireThreshold;
    this.cluster = cluster;
    this.clock = clock;
    this.plans = plans;
    this.zones = zones;
  }

  /** Null with SQLite: Quartz's in-memory store, the file lock and a standby. */
  ClusterStore cluster() {
    return cluster;
  }

  /** A Quartz not started yet, and what its jobs are built with. */
  record Made(Scheduler quartz, AppJobFactory factory, BackupSlots slots) {
  }

  /**
   * @param lockPoll one try of the scheduler lock by a standby, the holder's look at changes made through it
   * @param takenOver see {@link AppJobFactory.OwnJobs#takenOver}
   * @param lookAtZones after each check-in of a cluster's node
   */
  Made make(AppJobs jobs, Runnable lockPoll, AppJobFactory.TakeoverWait takenOver, Runnable lookAtZones) throws SchedulerException {
    BackupSlots slots = new BackupSlots(jobs.maxParallelBackups());
    Properties properties = quartzProperties(slots.max(), StandingJobs.lanes(jobs.offsite()).size(), misfireThreshold);
    if (cluster != null) {
      properties.putAll(cluster.properties(lookAtZones));
    }
    Scheduler quartz = new StdSchedulerFactory(properties).getScheduler();
    if (cluster != null) {
      // every node's scheduler has the cluster's one name, and Quartz's JVM-wide registry would hand a second web context this one
      SchedulerRepository.getInstance().remove(ClusterStore.SCHEDULER_NAME);
    }
    AppJobFactory factory = new AppJobFactory(jobs, new AppJobFactory.OwnJobs(lockPoll, zones, plans::planned, takenOver, times), slots, clock,
        cluster != null);
    quartz.setJobFactory(factory);
    quartz.getListenerManager().addTriggerListener(new EndedSchedules(quartz, plans::scheduleEnded),
        GroupMatcher.triggerGroupEquals(BackupPlans.GROUP));
    if (cluster == null) {
      quartz.getListenerManager().addTriggerListener(new LateFires(quartz, plans::planned, times), GroupMatcher.triggerGroupEquals(BackupPlans.GROUP));
    }
    return new Made(quartz, factory, slots);
  }

  /**
   * @param backups MAX_PARALLEL_BACKUPS: a thread for each
   * @param lanes one thread more for each: a stalled destination's copies never hold the thread a backup needs
   * @param misfireThreshold the in-memory store's; a cluster's store sets its own over it
   */
  static Properties quartzProperties(int backups, int lanes, Duration misfireThreshold) {
    Properties p = new Properties();
    // unique per context: Quartz keeps schedulers in a JVM-wide registry by name
    p.setProperty(StdSchedulerFactory.PROP_SCHED_INSTANCE_NAME, "checkpoint-" + UUID.randomUUID());
    p.setProperty(StdSchedulerFactory.PROP_JOB_STORE_CLASS, "org.quartz.simpl.RAMJobStore");
    p.setProperty("org.quartz.jobStore.misfireThreshold", String.valueOf(misfireThreshold.toMillis()));
    // the backups' slots and two more: a long off-site upload and the daily maintenance together still leave
    // the backups theirs, and a backup waiting for a slot gives its thread back (BackupSlots)
    p.setProperty("org.quartz.threadPool.class", OnDemandWorkers.class.getName()); // started when a job needs one, daemons
    p.setProperty("org.quartz.threadPool.threadCount", String.valueOf(backups + 2 + lanes));
    p.setProperty("org.quartz.scheduler.makeSchedulerThreadDaemon", "true");
    p.setProperty("org.quartz.scheduler.skipUpdateCheck", "true");
    return p;
  }
}
