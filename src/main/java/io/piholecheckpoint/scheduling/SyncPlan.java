package io.piholecheckpoint.scheduling;

import io.piholecheckpoint.core.sync.groups.SyncGroup;
import io.piholecheckpoint.core.sync.groups.SyncGroups;
import io.piholecheckpoint.core.schedule.LocalTimeText;
import java.time.Instant;
import java.time.ZoneId;
import java.util.Date;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;
import org.quartz.JobBuilder;
import org.quartz.JobExecutionContext;
import org.quartz.JobKey;
import org.quartz.ObjectAlreadyExistsException;
import org.quartz.Scheduler;
import org.quartz.SchedulerException;
import org.quartz.Trigger;
import org.quartz.TriggerBuilder;
import org.quartz.TriggerKey;
import org.quartz.impl.matchers.GroupMatcher;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The sync groups on the scheduler: a durable job per group that runs (after-backup triggers and
 * the API start it), and a trigger of its own for a group with a schedule. Planned again whenever
 * the instances change, since they decide which groups run: a group completed by an instance added
 * in the UI gets its job and trigger then, not at the next restart; one that no longer runs loses
 * its trigger. A group's trigger that exists already is kept while its WHEN is the same (its
 * description), so its phase and a run in progress are not disturbed; a WHEN changed in the UI
 * replaces it.
 */
final class SyncPlan {
  private static final Logger log = LoggerFactory.getLogger(SyncPlan.class);
  private static final String GROUP = "sync";

  private SyncPlan() {
  }

  static JobKey job(String groupId) {
    return JobKey.jobKey("sync-" + groupId, GROUP);
  }

  private static TriggerKey trigger(String groupId) {
    return TriggerKey.triggerKey("sync-" + groupId, GROUP);
  }

  /** @param times the log's times: "next run 2026-12-06 03:00:00 +01:00" */
  static void plan(Scheduler scheduler, SyncGroups groups, ZoneId zone, Instant now, LocalTimeText times) throws SchedulerException {
    Set<TriggerKey> wanted = new HashSet<>();
    for (SyncGroup group : groups.groups()) {
      JobKey key = job(group.id());
      if (!scheduler.checkExists(key)) {
        try {
          scheduler.addJob(JobBuilder.newJob(SyncJob.class).withIdentity(key).storeDurably().usingJobData(SyncJob.GROUP, group.id()).build(), false);
        } catch (ObjectAlreadyExistsException e) {
          // another node of the cluster, starting or planning at the same moment, added it first: it is the same job
        }
      }
      if (group.when() == null) {
        continue;
      }
      TriggerKey trigger = trigger(group.id());
      wanted.add(trigger);
      String plan = group.when().toString();
      Trigger existing = scheduler.getTrigger(trigger);
      if (existing == null || !plan.equals(existing.getDescription()) || !Triggers.inZone(existing, zone)) {
        // a group changed in the UI runs on its new WHEN from now on; one planned the same way by another node is kept
        Date first = Triggers.put(scheduler, TriggerBuilder.newTrigger().forJob(key).withIdentity(trigger).withDescription(plan)
            .withSchedule(Triggers.schedule(group.when(), zone))
            .startAt(Date.from(Triggers.firstFire(group.when(), zone, now))).build());
        log.info("Scheduled sync group {}: {} ({}), next run {}", group.id(), group.when().describe(), zone, times.of(first.toInstant()));
      }
    }
    for (TriggerKey trigger : scheduler.getTriggerKeys(GroupMatcher.triggerGroupEquals(GROUP))) {
      if (!wanted.contains(trigger)) {
        scheduler.unscheduleJob(trigger);
        log.info("Sync group {} no longer runs on its schedule: it is disabled now (GET /api/v1/sync says why)", trigger.getName().substring("sync-".length()));
      }
    }
  }

  /**
   * A fire of a group that does not run (any more) where it fired: deleted or disabled on another
   * node, whose plan this node's store had not caught up with, or a trigger left by a node that
   * stopped before it planned again. It does nothing, and takes its stale trigger out; the job of a
   * group no node knows goes with all its triggers.
   *
   * @param disabled whether the group is still configured (disabled: the plan schedules it again once it can run)
   */
  static void dropStale(JobExecutionContext fired, String groupId, boolean disabled) throws SchedulerException {
    Scheduler scheduler = fired.getScheduler();
    if (!disabled && scheduler.deleteJob(job(groupId))) {
      log.info("Sync group {} fired here but no longer exists (deleted, on this node or another): its job and triggers are removed, nothing ran",
          groupId);
      return;
    }
    TriggerKey own = fired.getTrigger().getKey();
    if (GROUP.equals(own.getGroup()) && scheduler.unscheduleJob(own)) {
      log.info("Sync group {} fired here but does not run now (disabled, on this node or another): its stale trigger is removed, nothing ran",
          groupId);
    }
  }

  /** When the group's own schedule fires next; empty for a group that syncs after backups, or does not run. */
  static Optional<Instant> next(Scheduler scheduler, String groupId) throws SchedulerException {
    return Optional.ofNullable(scheduler.getTrigger(trigger(groupId))).map(Trigger::getNextFireTime).map(Date::toInstant);
  }
}
