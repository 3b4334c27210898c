package io.piholecheckpoint.scheduling;

import io.piholecheckpoint.core.health.ScheduledTriggers;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.quartz.JobBuilder;
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
 * The look for triggers that fire in another zone than TIME_ZONE, or by the calendar without keeping their hour across
 * daylight-saving changes: written by a build that lost the zone (see {@link Triggers#schedule}), or by a node whose JVM has
 * another TZ, they moved the backups by the difference, and by an hour at each change of the clocks. A cluster's node looks
 * after each of its check-ins, one query on Quartz's check-in thread, which must not wait for the writes: what is found is
 * left to a one-off Quartz job ({@link ZoneReplanJob}), as periodic and one-off work is, never a thread of its own. One node
 * alone looks at Quartz's memory once at its start.
 */
public final class TriggerZones {
  private static final Logger log = LoggerFactory.getLogger(TriggerZones.class);
  private static final TriggerKey TRIGGER = TriggerKey.triggerKey(ZoneReplanJob.KEY.getName(), ZoneReplanJob.KEY.getGroup());

  private final ZoneId zone;
  /** A cluster's shared store; null: Quartz's memory, looked at trigger by trigger. */
  private final ScheduledTriggers store;
  private final Consumer<List<ScheduledTriggers.Stored>> replan;

  public TriggerZones(ZoneId zone, ScheduledTriggers store, Consumer<List<ScheduledTriggers.Stored>> replan) {
    this.zone = zone;
    this.store = store;
    this.replan = replan;
  }

  /** Looks at the running scheduler's triggers and, if some are in another zone, fires the replan's job now. */
  void look(Scheduler running) {
    try {
      if (find(running).isEmpty()) {
        return;
      }
      try {
        fireReplan(running);
      } catch (ObjectAlreadyExistsException e) {
        replaceIfStuck(running);
      }
    } catch (SchedulerException | RuntimeException e) {
      log.debug("Could not look for triggers kept in another time zone than {}: {}", zone, e.getMessage());
      // the database out of reach: the next check-in looks again
    }
  }

  private static void fireReplan(Scheduler running) throws SchedulerException {
    running.scheduleJob(JobBuilder.newJob(ZoneReplanJob.class).withIdentity(ZoneReplanJob.KEY).build(),
        TriggerBuilder.newTrigger().forJob(ZoneReplanJob.KEY).withIdentity(TRIGGER).startNow().build());
  }

  /**
   * A replan is queued or under way, on this node or another: it looks again when it runs. One Quartz could not run (a node
   * of an older build, without the job's class, took its fire: the trigger is in error for good) would stop every later one:
   * it is replaced.
   */
  private static void replaceIfStuck(Scheduler running) throws SchedulerException {
    Trigger.TriggerState state = running.getTriggerState(TRIGGER);
    if (state == Trigger.TriggerState.ERROR || state == Trigger.TriggerState.NONE) {
      running.deleteJob(ZoneReplanJob.KEY);
      try {
        fireReplan(running);
      } catch (ObjectAlreadyExistsException e) {
        // another node replaced it at the same moment: its replan serves
      }
    }
  }

  /**
   * The job's run: the triggers are looked at again, as another node may have written them meanwhile, and those still in
   * another zone are written again in TIME_ZONE (writing one already right leaves it as it is: see {@link Triggers#put}).
   */
  void replan(Scheduler running) {
    List<ScheduledTriggers.Stored> found;
    try {
      found = find(running);
    } catch (SchedulerException | RuntimeException e) {
      log.warn("Could not look for triggers kept in another time zone than {}: {}; the next check-in looks again", zone, e.getMessage());
      return;
    }
    if (!found.isEmpty()) {
      replan.accept(found);
    }
  }

  private List<ScheduledTriggers.Stored> find(Scheduler running) throws SchedulerException {
    return store != null ? store.storedInOtherZone(Triggers.storedId(zone)) : inMemory(running);
  }

  /** Quartz's memory holds no table to ask: each trigger is looked at (a few dozen, once at the start). */
  private List<ScheduledTriggers.Stored> inMemory(Scheduler running) throws SchedulerException {
    String wanted = Triggers.storedId(zone);
    List<ScheduledTriggers.Stored> found = new ArrayList<>();
    for (TriggerKey key : running.getTriggerKeys(GroupMatcher.anyTriggerGroup())) {
      Trigger trigger = running.getTrigger(key);
      if (trigger != null && !Triggers.inZone(trigger, wanted)) {
        found.add(new ScheduledTriggers.Stored(key.getGroup(), key.getName(), Triggers.storedZone(trigger).orElse(null)));
      }
    }
    return found;
  }
}
