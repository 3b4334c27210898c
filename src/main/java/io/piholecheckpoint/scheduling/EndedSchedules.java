package io.piholecheckpoint.scheduling;

import java.util.function.LongConsumer;
import org.quartz.JobExecutionContext;
import org.quartz.Scheduler;
import org.quartz.SchedulerException;
import org.quartz.Trigger;
import org.quartz.TriggerKey;
import org.quartz.listeners.TriggerListenerSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A schedule that has just fired for the last time (a cron whose only or last year, day or date is now past: Quartz has no
 * next fire time for its trigger, nor for the instance's gap trigger) is reported at that fire, so that the instance is
 * marked as a start marks it, instead of showing ok with no next run until the next restart: the rules see it ended from
 * that fire on, but nothing asks them until an edit or a start. Catch-ups, retries and runs out of the line are one-off
 * triggers of their own and say nothing of the schedule.
 */
final class EndedSchedules extends TriggerListenerSupport {
  private static final Logger log = LoggerFactory.getLogger(EndedSchedules.class);

  private final Scheduler scheduler;
  private final LongConsumer ended;

  /** @param ended told the instance's id */
  EndedSchedules(Scheduler scheduler, LongConsumer ended) {
    this.scheduler = scheduler;
    this.ended = ended;
  }

  @Override
  public String getName() {
    return "ended-backup-schedules";
  }

  /** @param trigger the fired trigger, moved on already: its next fire time is the one after this fire */
  @Override
  public void triggerFired(Trigger trigger, JobExecutionContext context) {
    if (trigger.getNextFireTime() != null || !ofSchedule(trigger.getKey())) {
      return;
    }
    try {
      if (scheduler.getTriggersOfJob(trigger.getJobKey()).stream().noneMatch(t -> ofSchedule(t.getKey()) && t.getNextFireTime() != null)) {
        ended.accept(BackupPlans.instanceIdOf(trigger.getJobKey().getName()));
      }
    } catch (SchedulerException | RuntimeException e) {
      // only the mark waits: the next start finds the schedule ended by the rules
      log.warn("Could not tell whether the schedule of {} has ended after its fire ({}); if it has, it shows as misconfigured after the"
          + " next restart", trigger.getJobKey().getName(), e.getMessage());
    }
  }

  /** The instance's own schedule: its cron or daily/weekly trigger, and the one-off of a time in a spring-forward gap. */
  private static boolean ofSchedule(TriggerKey key) {
    return key.getName().startsWith("instance-") || key.getName().startsWith("gap-");
  }
}
