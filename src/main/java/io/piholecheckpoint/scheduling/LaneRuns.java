package io.piholecheckpoint.scheduling;

import org.quartz.JobKey;
import org.quartz.Scheduler;
import org.quartz.SchedulerException;

/**
 * Starts a job that never runs twice at once ({@code @DisallowConcurrentExecution}, as a destination's lane of off-site
 * copies) now, or, while it runs, once more right after it: a wake during a run (a pin, a deletion, a new backup's copies)
 * was dropped and left to the next off-site run, up to a minute later. Never more than one run waits: any number of wakes
 * during one run are one run after it, which finds all their work.
 */
final class LaneRuns {
  private LaneRuns() {
  }

  static void startOrQueue(Scheduler scheduler, JobKey job) throws SchedulerException {
    // a waiting one-shot trigger still has its fire time; the one firing the run under way has none left
    boolean oneWaits = scheduler.getTriggersOfJob(job).stream().anyMatch(t -> t.getNextFireTime() != null);
    if (!oneWaits) {
      scheduler.triggerJob(job);
    }
  }
}
