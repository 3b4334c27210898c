package io.piholecheckpoint.scheduling;

import io.piholecheckpoint.core.instance.InstanceLabel;
import io.piholecheckpoint.core.instance.PiholeInstance;
import io.piholecheckpoint.core.schedule.LocalTimeText;
import java.util.Optional;
import java.util.function.LongFunction;
import org.quartz.Scheduler;
import org.quartz.SchedulerException;
import org.quartz.SimpleTrigger;
import org.quartz.Trigger;
import org.quartz.listeners.TriggerListenerSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A scheduled backup whose time came while the same instance's run was still going is not skipped: Quartz holds such a fire
 * back ({@link BackupJob} never runs twice at once), and when the run ends finds it later than the RAM store's misfire
 * threshold ({@link Schedules#MISFIRE_THRESHOLD}), where our schedule triggers say "do nothing" and Quartz would drop it without a word. It is fired once now,
 * and said so. The same holds for fires a held-up process (a suspended host) slept through: one run on waking, as after a stop.
 * One-off triggers (catch-up, gap, retries, runs out of the line) fire late by themselves. Not on a cluster's node, whose store
 * fires up to an hour late and whose {@link BackupJob} skips a fire when its next one is late too.
 */
final class LateFires extends TriggerListenerSupport {
  private static final Logger log = LoggerFactory.getLogger(LateFires.class);

  private final Scheduler scheduler;
  private final LongFunction<Optional<PiholeInstance>> planned;
  private final LocalTimeText times;

  /**
   * @param planned an instance as the scheduler last planned it: the lines name it
   * @param times the log's times, TIME_ZONE's with their offset
   */
  LateFires(Scheduler scheduler, LongFunction<Optional<PiholeInstance>> planned, LocalTimeText times) {
    this.times = times;
    this.scheduler = scheduler;
    this.planned = planned;
  }

  @Override
  public String getName() {
    return "late-backup-fires";
  }

  /** @param trigger a copy taken before Quartz moved it on: its next fire time is the one missed */
  @Override
  public void triggerMisfired(Trigger trigger) {
    if (trigger instanceof SimpleTrigger) {
      return;
    }
    Object instance = InstanceLabel.of(BackupPlans.instanceIdOf(trigger.getJobKey().getName()), planned);
    try {
      scheduler.triggerJob(trigger.getJobKey());
      log.info("The scheduled backup of {} due at {} came while its previous run was still going (or the process was held up):"
          + " it runs now instead", instance, times.of(trigger.getNextFireTime().toInstant()));
    } catch (SchedulerException e) {
      log.warn("The scheduled backup of {} due at {} came while its previous run was still going (or the process was held up),"
          + " and could not be started ({}): the next run is at its next scheduled time", instance, times.of(trigger.getNextFireTime().toInstant()),
          e.getMessage());
    }
  }
}
