package io.piholecheckpoint.scheduling;

import io.piholecheckpoint.core.instance.PiholeInstance;
import io.piholecheckpoint.core.schedule.CatchUp;
import io.piholecheckpoint.core.schedule.Schedule;
import io.piholecheckpoint.core.schedule.Spread;
import io.piholecheckpoint.core.units.LogText;
import io.piholecheckpoint.core.schedule.LocalTimeText;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.Date;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiConsumer;
import java.util.function.LongConsumer;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.quartz.JobBuilder;
import org.quartz.JobKey;
import org.quartz.Scheduler;
import org.quartz.SchedulerException;
import org.quartz.Trigger;
import org.quartz.TriggerBuilder;
import org.quartz.TriggerKey;
import org.quartz.impl.matchers.GroupMatcher;
import org.quartz.spi.OperableTrigger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The instances' backup jobs and their schedules' triggers in TIME_ZONE, on the scheduler it is handed: every instance has a
 * job, so that manual backups queue behind its scheduled ones; a scheduled one has its trigger, and a catch-up run when it
 * missed one while the application was down. Each is written only where it is not as it should be.
 */
public final class BackupPlans {
  /** The log names the scheduler, as it did before this was a class of its own. */
  private static final Logger log = LoggerFactory.getLogger(Schedules.class);
  static final String GROUP = "backups";
  /** Why a schedule is refused when it never fires again, in the user's words rather than Quartz's. */
  private static final String NEVER_FIRES = "it never fires again";
  private final ZoneId zone;
  private final Clock clock;
  private final Spread spread;
  /** Whether the triggers are a cluster's, shared: another node may have fired one, or Quartz fire an overdue one itself. */
  private final boolean clustered;
  /** How long after a start a catch-up run waits: CATCH_UP_DELAY_SECONDS, {@link Schedules#CATCH_UP_DELAY} by default. */
  private final Duration catchUpDelay;
  /** TIME_ZONE's times as the log writes them, with their offset: the next run, a catch-up's time. */
  private final LocalTimeText times;
  /**
   * The instances as last planned, deleted ones too: how the scheduler's lines name an instance they know by its id, without
   * a read of the database (often what just failed).
   */
  private final Map<Long, PiholeInstance> planned = new ConcurrentHashMap<>();
  private volatile BiConsumer<PiholeInstance, String> unschedulable = (instance, problem) ->
      log.error("Pi-hole '{}' is not scheduled: {}", LogText.of(instance.name()), LogText.of(problem));

  /** Told the id of an instance whose schedule fired for the last time ({@link EndedSchedules}). */
  private volatile LongConsumer ended = id -> { };

  /** @param times TIME_ZONE's one {@link LocalTimeText}, from the composition root */
  public BackupPlans(ZoneId zone, Clock clock, Spread spread, boolean clustered, Duration catchUpDelay, LocalTimeText times) {
    this.zone = zone;
    this.times = times.inLog();
    this.catchUpDelay = catchUpDelay;
    this.clock = clock;
    this.spread = spread;
    this.clustered = clustered;
  }

  static JobKey jobKey(long instanceId) {
    return JobKey.jobKey("instance-" + instanceId, GROUP);
  }

  static long instanceIdOf(String jobName) {
    return Long.parseLong(jobName.substring("instance-".length()));
  }

  /** The instance as it was last planned here; empty when it never was. */
  Optional<PiholeInstance> planned(long id) {
    return Optional.ofNullable(planned.get(id));
  }

  /** Where an instance that cannot be scheduled is reported (by default only logged). */
  void reportUnschedulableTo(BiConsumer<PiholeInstance, String> report) {
    this.unschedulable = report;
  }

  /** Where an instance whose schedule fired for the last time is reported (by default nowhere). */
  void reportEndedTo(LongConsumer report) {
    this.ended = report;
  }

  /** The instance's schedule fired for the last time: no trigger of it fires again. */
  void scheduleEnded(long instanceId) {
    ended.accept(instanceId);
  }

  /**
   * The plan at a start: the jobs of instances no longer listed go, each listed one is written, with a catch-up run where
   * one was missed.
   *
   * @param lastAttempt when each instance (by id) was last backed up, successfully or not
   */
  void planAll(Scheduler scheduler, List<PiholeInstance> instances, Function<Long, Optional<Instant>> lastAttempt) {
    try {
      // never all jobs deleted and added again: that takes with them the triggers of manual backups waiting their turn and
      // of catch-ups due shortly, which are then never run (a queued manual backup stayed queued for good)
      removeStale(scheduler, instances);
    } catch (SchedulerException e) {
      throw new IllegalStateException("could not schedule backups: " + e.getMessage(), e);
    }
    for (PiholeInstance instance : instances) {
      planned.put(instance.id(), instance);
      // each in its own try: one instance's data never stops the others' schedules
      try {
        if (!instance.removed()) {
          addJob(scheduler, instance);
        }
        if (instance.scheduled()) {
          schedule(scheduler, instance, lastAttempt.apply(instance.id()).orElse(null));
        }
      } catch (SchedulerException | RuntimeException e) {
        refused(instance, e);
      }
    }
  }

  /**
   * After a change of settings: each instance's job and trigger compared with what it should be, and written only where
   * they differ (a catch-up already planned stays); the jobs of instances no longer listed go. No missed runs are looked for.
   */
  void replanAll(Scheduler scheduler, List<PiholeInstance> instances) {
    try {
      Set<Long> listed = instances.stream().map(PiholeInstance::id).collect(Collectors.toSet());
      for (JobKey key : scheduler.getJobKeys(GroupMatcher.jobGroupEquals(GROUP))) {
        if (!listed.contains(instanceIdOf(key.getName()))) {
          scheduler.deleteJob(key);
        }
      }
    } catch (SchedulerException e) {
      throw new IllegalStateException("could not schedule backups: " + e.getMessage(), e);
    }
    instances.forEach(instance -> planOne(scheduler, instance));
  }

  /** The instance's job and, while it is scheduled, its trigger, each written only where it is not as it should be. */
  void planOne(Scheduler scheduler, PiholeInstance instance) {
    planned.put(instance.id(), instance);
    try {
      JobKey key = jobKey(instance.id());
      if (instance.removed()) {
        drop(scheduler, instance.id());
        return;
      }
      if (!scheduler.checkExists(key)) {
        addJob(scheduler, instance);
      }
      if (instance.scheduled()) {
        schedule(scheduler, instance, null);
      } else {
        // paused, switched off or refused by the rules: nothing of it is to run, a catch-up neither
        for (String trigger : List.of("instance-", "catch-up-", "gap-")) {
          unscheduleIfThere(scheduler, TriggerKey.triggerKey(trigger + instance.id(), GROUP));
        }
      }
    } catch (SchedulerException | RuntimeException e) {
      refused(instance, e);
    }
  }

  /** A deleted or removed instance: its job goes, with its triggers. */
  void drop(Scheduler scheduler, long id) {
    try {
      if (scheduler.checkExists(jobKey(id))) {
        scheduler.deleteJob(jobKey(id));
      }
    } catch (SchedulerException e) {
      throw new IllegalStateException("could not remove the schedule of instance " + id + ": " + e.getMessage(), e);
    }
  }

  private void schedule(Scheduler scheduler, PiholeInstance instance, Instant lastAttempt) throws SchedulerException {
    Instant now = clock.instant();
    JobKey key = jobKey(instance.id());
    // a fire at most offset ago is still to come once shifted; the trigger keeps the shifted wall-clock time
    Duration offset = spread.offset(instance.id(), instance.schedule());
    // what the trigger is made of: a node that finds the same one in the shared store leaves it as it is
    String made = "%s|%s|%s|%s".formatted(written(instance.schedule()), instance.schedule().describe(), zone, offset);
    Trigger trigger = TriggerBuilder.newTrigger().forJob(key).withIdentity("instance-" + instance.id(), GROUP).withDescription(made)
        .withSchedule(Triggers.schedule(instance.schedule(), zone))
        .startAt(Date.from(Triggers.firstFire(instance.schedule(), zone, now.minus(offset)).plus(offset))).build();
    Optional<Instant> gap = planGap(scheduler, instance, made, now, offset);
    if (((OperableTrigger) ((OperableTrigger) trigger).clone()).computeFirstFireTime(null) == null) {
      // fires only in a spring-forward gap ('0 30 2 28 3 ? 2027' in Berlin): the validator's fire times, which the API showed
      // as nextRuns, are that run alone; Quartz refuses a cron trigger that never fires, so the gap's trigger is its only one
      unscheduleIfThere(scheduler, trigger.getKey());
      Instant at = gap.orElseThrow(() -> new IllegalArgumentException(NEVER_FIRES));
      log.info("Scheduled Pi-hole '{}': {} ({}), its one run left {}", LogText.of(instance.name()), LogText.of(instance.schedule().describe()),
          zone, times.of(at));
      return;
    }
    Date first = Triggers.put(scheduler, trigger);
    log.info("Scheduled Pi-hole '{}': {} ({}), next run {}", LogText.of(instance.name()), LogText.of(instance.schedule().describe()), zone,
        times.of(first.toInstant()));
    Optional<Instant> missed = CatchUp.missedRun(lastAttempt, now, pastFires(instance.schedule(), lastAttempt, offset));
    // a shared trigger kept overdue, but within the misfire threshold, is fired by Quartz itself: a catch-up would back up twice
    boolean quartzFiresIt = clustered && first.toInstant().isBefore(now) && first.toInstant().isAfter(now.minus(ClusterStore.MISFIRE_THRESHOLD));
    if (missed.isPresent() && !quartzFiresIt && !firedSince(scheduler, trigger.getKey(), missed.get())) {
      Instant at = now.plus(catchUpDelay);
      Triggers.put(scheduler, TriggerBuilder.newTrigger().forJob(key).withIdentity("catch-up-" + instance.id(), GROUP)
          .startAt(Date.from(at)).build());
      log.info("Pi-hole '{}' missed its run of {} while Checkpoint was down; one catch-up backup runs at {}", LogText.of(instance.name()),
          times.of(missed.get()), times.of(at));
    }
  }

  /**
   * A cron schedule's next run in a spring-forward gap, which its cron trigger skips: a one-off trigger of its own at the
   * jump (see {@link GapFires}), written anew at every plan of the instance (each start, each change), and gone once fired.
   */
  private Optional<Instant> planGap(Scheduler scheduler, PiholeInstance instance, String made, Instant now, Duration offset)
      throws SchedulerException {
    TriggerKey own = TriggerKey.triggerKey("gap-" + instance.id(), GROUP);
    Optional<Instant> gap = GapFires.next(instance.schedule(), zone, now.minus(offset)).map(t -> t.plus(offset));
    if (gap.isEmpty()) {
      unscheduleIfThere(scheduler, own);
      return gap;
    }
    Triggers.put(scheduler, TriggerBuilder.newTrigger().forJob(jobKey(instance.id())).withIdentity(own)
        .withDescription(made + "|gap " + gap.get()).startAt(Date.from(gap.get())).build());
    return gap;
  }

  private static void unscheduleIfThere(Scheduler scheduler, TriggerKey key) throws SchedulerException {
    if (scheduler.checkExists(key)) {
      scheduler.unscheduleJob(key);
    }
  }

  /**
   * Whether the shared trigger has fired at or after {@code missed} already: after the whole cluster was down over a fire,
   * the node that started first fired the overdue one, and a node starting while that backup ran (not recorded yet) took
   * it for missed and added a catch-up too: the missed run was backed up twice.
   */
  private boolean firedSince(Scheduler scheduler, TriggerKey key, Instant missed) throws SchedulerException {
    if (!clustered) {
      return false;
    }
    Trigger stored = scheduler.getTrigger(key);
    return stored != null && stored.getPreviousFireTime() != null && !stored.getPreviousFireTime().toInstant().isBefore(missed);
  }

  /** The schedule's fire times after an instant, from a trigger anchored before the last attempt. */
  private Function<Instant, Instant> pastFires(Schedule schedule, Instant lastAttempt, Duration offset) {
    if (lastAttempt == null) {
      return t -> null;
    }
    Trigger probe = Triggers.forSchedule(schedule, zone, lastAttempt.minus(Duration.ofDays(8)));
    return t -> Optional.ofNullable(probe.getFireTimeAfter(Date.from(t.minus(offset)))).map(d -> d.toInstant().plus(offset)).orElse(null);
  }

  /**
   * What the list no longer has goes (an instance deleted, or no longer scheduled), the rest is replaced
   * in place, so that a manual backup queued, a catch-up, or a run under way on another node is kept.
   */
  private static void removeStale(Scheduler scheduler, List<PiholeInstance> instances) throws SchedulerException {
    Map<Long, PiholeInstance> current = new HashMap<>();
    instances.stream().filter(i -> !i.removed()).forEach(i -> current.put(i.id(), i));
    for (JobKey key : scheduler.getJobKeys(GroupMatcher.jobGroupEquals(GROUP))) {
      PiholeInstance instance = current.get(instanceIdOf(key.getName()));
      if (instance == null) {
        scheduler.deleteJob(key);
      } else if (!instance.scheduled()) {
        scheduler.unscheduleJob(TriggerKey.triggerKey(key.getName(), GROUP));
        scheduler.unscheduleJob(TriggerKey.triggerKey("gap-" + instance.id(), GROUP));
      }
    }
  }

  /** A backup a node died in runs again on another (requestRecovery). */
  private static void addJob(Scheduler scheduler, PiholeInstance instance) throws SchedulerException {
    scheduler.addJob(JobBuilder.newJob(BackupJob.class).withIdentity(jobKey(instance.id())).storeDurably().requestRecovery()
        .usingJobData(BackupJob.INSTANCE_ID, String.valueOf(instance.id())).build(), true);
  }

  private void refused(PiholeInstance instance, Exception e) {
    unschedulable.accept(instance, "the scheduler refused its schedule '%s' (%s)%s".formatted(written(instance.schedule()),
        plain(e), instance.fromEnvironment() ? " — fix " + instance.settingsPrefix() + "* and restart" : " — edit the instance"));
  }

  /** Quartz's reason without the names of its triggers ('backups.instance-18'), which mean nothing to a user. */
  static String plain(Exception e) {
    return String.valueOf(e.getMessage())
        .replaceAll("Based on configured schedule, the given trigger '[^']*' will never fire\\.?", NEVER_FIRES)
        .replaceAll("'" + GROUP + "\\.[^']*'", "its trigger");
  }

  /** The schedule as the user wrote it: this report must not fail on the expression it reports. */
  private static String written(Schedule schedule) {
    return schedule.kind() == Schedule.Kind.CRON ? schedule.cron().trim() : schedule.describe();
  }
}
