package io.piholecheckpoint.scheduling;

import io.piholecheckpoint.core.job.JobFailures;
import io.piholecheckpoint.core.health.ScheduledTriggers;
import io.piholecheckpoint.core.instance.InstanceLabel;
import io.piholecheckpoint.core.instance.PiholeInstance;
import io.piholecheckpoint.core.units.LogText;
import io.piholecheckpoint.core.schedule.LocalTimeText;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Optional;
import java.util.function.BiConsumer;
import java.util.function.LongConsumer;
import java.util.function.Function;
import java.util.function.LongFunction;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import org.quartz.Scheduler;
import org.quartz.SchedulerException;
import org.quartz.Trigger;
import org.quartz.TriggerKey;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What is planned on the running Quartz, and planned again: the instances' backups at the start (with the catch-up of runs
 * missed while down) and after each change, here or through the other process on this DATA_DIR; the sync groups with them;
 * the triggers found kept in another zone than TIME_ZONE. Nothing where Quartz does not run (yet): it plans all at its start.
 */
public final class Planning {
  private static final Logger log = LoggerFactory.getLogger(Schedules.class);
  private static final String GROUP = BackupPlans.GROUP;

  private final RunningQuartz running;
  private final BackupPlans plans;
  private final StandingJobs standing;
  private final ZoneId zone;
  private final Clock clock;
  private final boolean clustered;
  /** TIME_ZONE's times as the log writes them: a sync group's next run. */
  private final LocalTimeText times;
  /** The count of changes of the sync groups added in the UI when they were last planned here. */
  private volatile long syncPlanned = -1;
  /** Where the instances' schedules come from, and their count of changes when they were last planned here (-1: not yet). */
  private volatile InstancePlan instances;
  private volatile long instancesPlanned = -1;
  /** Held while one instance is planned after a change here. */
  private final Object planning = new Object();

  /** @param clustered whether the nodes share their triggers: no other process on this DATA_DIR to count changes with */
  public Planning(RunningQuartz running, BackupPlans plans, StandingJobs standing, ZoneId zone, Clock clock, boolean clustered,
      LocalTimeText times) {
    this.running = running;
    this.times = times.inLog();
    this.plans = plans;
    this.standing = standing;
    this.zone = zone;
    this.clock = clock;
    this.clustered = clustered;
  }

  /**
   * Where the instances' schedules are planned from after a change: the count of their changes (through any process sharing
   * the database), every instance (the look at a change made through the other process, which does not say which one), and
   * one instance by its id (empty once it is deleted).
   */
  public record InstancePlan(LongSupplier changes, Supplier<List<PiholeInstance>> all, LongFunction<Optional<PiholeInstance>> one) {
  }

  /** The scheduler's own jobs and the sync groups, before Quartz starts: it shows as running only once they are in. */
  void planStanding(Scheduler started) throws SchedulerException {
    standing.scheduleAll(started, running.jobs().offsite());
    scheduleSync(started);
  }

  /**
   * One backup job for each instance and its schedule's trigger (the others' jobs removed), and one catch-up
   * run for each instance whose scheduled run was missed while the application was down: the plan at a start
   * (a change of one instance is {@link #planInstance}).
   *
   * @param lastAttempt when each instance (by id) was last backed up, successfully or not
   */
  public void scheduleAll(List<PiholeInstance> instances, Function<Long, Optional<Instant>> lastAttempt) {
    Scheduler quartz = running.quartz();
    if (quartz == null) {
      return;
    }
    InstancePlan plan = this.instances;
    if (plan != null) {
      // a standby's plan came before its takeover (this plan of all): its first look would plan (and log) every instance again
      instancesPlanned = plan.changes().getAsLong();
    }
    warnOfOtherZones(quartz, instances);
    plans.planAll(quartz, instances, lastAttempt);
    rescheduleSync();
  }

  /**
   * The start writes each instance's trigger again in TIME_ZONE before any check-in looks for those kept in another zone:
   * without this look first, a schedule that ran at another hour was mended silently, with none of the warning the README
   * promises (and that a replan after a check-in logs).
   */
  private void warnOfOtherZones(Scheduler quartz, List<PiholeInstance> instances) {
    for (PiholeInstance instance : instances) {
      try {
        Trigger kept = instance.scheduled() ? quartz.getTrigger(TriggerKey.triggerKey("instance-" + instance.id(), GROUP)) : null;
        if (kept != null && !Triggers.inZone(kept, zone)) {
          warnKeptElsewhere(instance.name(), instance.id(), kept(new ScheduledTriggers.Stored(GROUP, "instance-" + instance.id(),
              Triggers.storedZone(kept).orElse(null))));
        }
      } catch (SchedulerException | RuntimeException e) {
        log.debug("Could not look at the zone of the trigger of {}: {}; it is planned in {} all the same", InstanceLabel.of(instance), e.getMessage(),
            zone);
      }
    }
  }

  /** Where an instance that cannot be scheduled is reported (by default only logged). */
  public void reportUnschedulableTo(BiConsumer<PiholeInstance, String> report) {
    plans.reportUnschedulableTo(report);
  }

  /** Where an instance whose schedule fired for the last time is reported, to be marked as a start would mark it. */
  public void reportEndedTo(LongConsumer report) {
    plans.reportEndedTo(report);
  }

  /**
   * After a change of settings: each instance's job and trigger compared with what it should be, and written only where
   * they differ (a catch-up already planned stays); the jobs of instances no longer listed go. No missed runs are looked for.
   */
  public void reschedule(List<PiholeInstance> instances) {
    Scheduler quartz = running.quartz();
    if (quartz == null) {
      return;
    }
    plans.replanAll(quartz, instances);
    rescheduleSync();
  }

  /** From now on the instances are planned with this after a change here, and after one through the standby on this DATA_DIR. */
  public void planInstancesWith(InstancePlan plan) {
    this.instances = plan;
    if (running.quartz() != null) {
      // the start has just planned every instance: the first look plans again only after a change
      instancesPlanned = plan.changes().getAsLong();
    }
  }

  /**
   * The instances' schedules again, after a change through the other process on this DATA_DIR: each trigger is compared
   * with its instance and only those that differ are written. The count is read before the instances, so that a change
   * committed meanwhile is planned at the next look.
   */
  public void planInstances() {
    InstancePlan plan = instances;
    if (plan == null) {
      return;
    }
    long changes = plan.changes().getAsLong();
    reschedule(plan.all().get());
    if (running.quartz() != null) {
      instancesPlanned = changes;
    }
  }

  /**
   * One instance's job and triggers again, after it was added, changed or deleted here; the other instances' are left as
   * they are. Planning every instance at each change wrote a thousand jobs per add in a cluster of a thousand Pi-holes,
   * and concurrent adds drained the connection pool. The other nodes of a cluster share the triggers; the other process
   * on a SQLite DATA_DIR sees the count of changes move and compares (see {@link #planInstances()}).
   */
  public void planInstance(long id) {
    InstancePlan plan = instances;
    Scheduler quartz = running.quartz();
    if (plan == null || quartz == null) {
      return; // a standby plans nothing: the process that runs the schedules does, at its next look
    }
    // one change at a time per node: each write below takes Quartz's lock row in the shared store while it holds a pooled
    // connection, and many adds at once waiting for that row in the database held every connection of the pool
    synchronized (planning) {
      plan.one().apply(id).ifPresentOrElse(i -> plans.planOne(quartz, i), () -> plans.drop(quartz, id));
      rescheduleSync(); // the instance may complete a sync group, or end one
    }
    if (!clustered) {
      // committed before this read: a count one past the last plan is this change alone, and the next look has nothing to compare
      long changes = plan.changes().getAsLong();
      if (changes == instancesPlanned + 1) {
        instancesPlanned = changes;
      }
    }
  }

  /**
   * The process holding the lock plans the sync groups again once a group was changed through the
   * other process on this DATA_DIR (a standby serves the UI and the API too, and planned nothing):
   * otherwise a group added there with a schedule of its own never fired here until a restart.
   */
  void lookForChanges() {
    try {
      InstancePlan plan = instances;
      if (plan != null && plan.changes().getAsLong() != instancesPlanned) {
        if (instancesPlanned != -1) {
          log.info("Instances were changed through another process on this DATA_DIR: their schedules are compared with them here,"
              + " and those that differ written again");
        }
        planInstances(); // the sync groups with them
      }
      AppJobs jobs = running.jobs();
      if (jobs.sync() != null && jobs.sync().groups().changes() != syncPlanned) {
        log.info("Sync groups were changed through another process on this DATA_DIR: planned again here");
        rescheduleSync();
      }
    } catch (RuntimeException e) {
      // the database is out of reach: what is planned stays, and the next look tries again (health and pages say it is unreachable)
      log.debug("Could not look for changes made through another process: {}", e.getMessage());
    }
  }

  /** A durable job per sync group that runs, which after-backup triggers start; a trigger of its own for a group with a schedule. */
  private void scheduleSync(Scheduler quartz) throws SchedulerException {
    AppJobs jobs = running.jobs();
    if (jobs.sync() != null) {
      long changes = jobs.sync().groups().changes(); // before the plan: a change committed meanwhile is planned at the next look
      SyncPlan.plan(quartz, jobs.sync().groups(), zone, clock.instant(), times);
      syncPlanned = changes;
    }
  }

  /**
   * The sync groups again, after a change of the instances or of a group added in the UI: one may
   * have begun or stopped running, or run on another schedule. Nothing to do where the scheduler
   * does not run (yet): it plans them when it starts.
   */
  public void rescheduleSync() {
    Scheduler quartz = running.quartz();
    if (quartz == null) {
      return;
    }
    try {
      scheduleSync(quartz);
    } catch (SchedulerException | RuntimeException e) {
      // the plan's change count stays where it was: the next change, or the next look for changes, plans them again
      JobFailures.log(log, e, "Planning the sync groups again after a change of the instances or of a group",
          "they are planned again at the next change of a group or an instance, or at the next start");
    }
  }

  /** Each trigger found in another zone written again in TIME_ZONE, one change at a time with the plans after a change here. */
  public void replan(List<ScheduledTriggers.Stored> found) {
    synchronized (planning) {
      boolean sync = false;
      for (ScheduledTriggers.Stored stored : found) {
        try {
          sync |= replanOne(stored);
        } catch (SchedulerException | RuntimeException e) {
          JobFailures.log(log, e, "Planning the trigger " + stored.group() + "." + stored.name() + " again in time zone " + zone,
              "the next check-in looks again");
        }
      }
      if (sync) {
        rescheduleSync();
      }
    }
  }

  /** @return whether it is a sync group's, planned again with the others after the loop */
  private boolean replanOne(ScheduledTriggers.Stored stored) throws SchedulerException {
    String kept = kept(stored);
    InstancePlan plan = instances;
    Scheduler quartz = running.quartz();
    if (GROUP.equals(stored.group()) && stored.name().startsWith("instance-") && plan != null) {
      long id = BackupPlans.instanceIdOf(stored.name());
      Optional<PiholeInstance> instance = plan.one().apply(id);
      warnKeptElsewhere(instance.map(PiholeInstance::name).orElse(null), id, kept);
      instance.ifPresentOrElse(i -> plans.planOne(quartz, i), () -> plans.drop(quartz, id));
      return false;
    }
    log.warn("The trigger {}.{} {} (written by an earlier build, or by a node whose JVM runs in another TZ); it is planned again in {};"
        + " nothing to do", stored.group(), stored.name(), kept, zone);
    if (StandingJobs.MAINTENANCE_GROUP.equals(stored.group()) && stored.name().equals("daily")) {
      standing.scheduleMaintenance(quartz);
      return false;
    }
    return true; // a sync group's (or one no plan writes: the sync plan leaves what it does not know)
  }

  /** How the trigger was kept, in the words of the warnings. */
  private String kept(ScheduledTriggers.Stored stored) {
    return stored.zone() == null ? "was kept in the JVM's default zone, not in TIME_ZONE " + zone
        : stored.zone().equals(Triggers.storedId(zone)) ? "was kept in TIME_ZONE " + zone + " but without keeping its hour across daylight-saving changes"
        : "was kept in time zone " + stored.zone() + ", not in TIME_ZONE " + zone;
  }

  /** @param name the instance's name; null when it was deleted */
  private void warnKeptElsewhere(String name, long id, String kept) {
    log.warn("The schedule of Pi-hole '{}' (instance {}) {} (written by an earlier build, or by a node whose JVM runs in another TZ): its"
        + " backups ran at another hour. It is planned again in {}; nothing to do", name == null ? "(deleted)" : LogText.of(name), id, kept, zone);
  }
}
