package io.piholecheckpoint.scheduling;

import io.piholecheckpoint.core.health.ScheduledTriggers;
import java.time.Instant;
import java.util.Collection;
import java.util.Date;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.quartz.JobKey;
import org.quartz.Scheduler;
import org.quartz.SchedulerException;
import org.quartz.Trigger;
import org.quartz.TriggerKey;
import org.quartz.impl.matchers.GroupMatcher;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * When the backups fire next, as pages, the API and /health show it: from Quartz's memory job by job, or from a cluster's
 * shared store in one query (Quartz's own API takes a connection and four statements for each job).
 */
public final class BackupFires {
  /** The log names the scheduler, as it did before this was a class of its own. */
  private static final Logger log = LoggerFactory.getLogger(Schedules.class);
  private static final String GROUP = BackupPlans.GROUP;

  /** A cluster's shared store; null: Quartz's memory. */
  private final ScheduledTriggers store;

  public BackupFires(ScheduledTriggers store) {
    this.store = store;
  }

  /** Whether {@link #next(Collection)} reads them all at once. */
  boolean shared() {
    return store != null;
  }

  /** The next time the instance's job fires (its schedule or a catch-up). */
  Optional<Instant> next(Scheduler scheduler, long instanceId) {
    return earliest(triggersOf(scheduler, BackupPlans.jobKey(instanceId)));
  }

  /** From a cluster's store in one query; unreadable, none is shown, as {@link #next(Scheduler, long)} shows none then. */
  Map<Long, Instant> next(Collection<Long> instanceIds) {
    Map<Long, Instant> next = new HashMap<>();
    try {
      store.nextFires(GROUP, instanceIds.stream().map(id -> BackupPlans.jobKey(id).getName()).toList())
          .forEach((job, at) -> at.ifPresent(t -> next.put(BackupPlans.instanceIdOf(job), t)));
    } catch (RuntimeException e) {
      log.warn("The next runs could not be read from the scheduler's tables: {}", e.getMessage());
    }
    return next;
  }

  /** When each scheduled instance's next backup runs, by instance id. */
  Map<Long, Instant> all(Scheduler scheduler) {
    Map<Long, Instant> next = new HashMap<>();
    try {
      nextFires(scheduler).forEach((job, at) -> at.ifPresent(t -> next.put(BackupPlans.instanceIdOf(job), t)));
    } catch (SchedulerException e) {
      log.warn("The next runs could not be read from the scheduler: {}", e.getMessage());
    }
    return next;
  }

  /** How many backup jobs have a trigger, and the earliest next fire among them. */
  ScheduledTriggers.Summary summary(Scheduler scheduler) throws SchedulerException {
    if (store != null) {
      return store.summary(GROUP);
    }
    Map<String, Optional<Instant>> fires = nextFires(scheduler);
    return new ScheduledTriggers.Summary(fires.size(), fires.values().stream().flatMap(Optional::stream).min(Instant::compareTo));
  }

  /** The instance's own schedule's trigger as Quartz keeps it. */
  static Optional<Trigger> scheduleTrigger(Scheduler scheduler, long instanceId) {
    try {
      return Optional.ofNullable(scheduler.getTrigger(TriggerKey.triggerKey("instance-" + instanceId, GROUP)));
    } catch (SchedulerException e) {
      throw new IllegalStateException("could not read the trigger of instance " + instanceId + ": " + e.getMessage(), e);
    }
  }

  /** The backup jobs that have a trigger, by job name, with their next fire: from a cluster's store in one query. */
  private Map<String, Optional<Instant>> nextFires(Scheduler scheduler) throws SchedulerException {
    if (store != null) {
      return store.nextFires(GROUP);
    }
    Map<String, Optional<Instant>> fires = new HashMap<>();
    for (JobKey key : scheduler.getJobKeys(GroupMatcher.jobGroupEquals(GROUP))) {
      List<? extends Trigger> triggers = triggersOf(scheduler, key);
      if (!triggers.isEmpty()) {
        fires.put(key.getName(), earliest(triggers));
      }
    }
    return fires;
  }

  private static Optional<Instant> earliest(List<? extends Trigger> triggers) {
    return triggers.stream().map(Trigger::getNextFireTime).filter(Objects::nonNull).min(Date::compareTo).map(Date::toInstant);
  }

  private static List<? extends Trigger> triggersOf(Scheduler scheduler, JobKey key) {
    try {
      return scheduler.getTriggersOfJob(key);
    } catch (SchedulerException e) {
      return List.of();
    }
  }
}
