package io.piholecheckpoint.scheduling;

import java.util.concurrent.TimeUnit;
import io.piholecheckpoint.core.job.JobFailures;
import io.piholecheckpoint.core.offsite.OffsiteService;
import io.piholecheckpoint.core.offsite.copy.RunTicks;
import java.time.Duration;
import org.quartz.DisallowConcurrentExecution;
import org.quartz.Job;
import org.quartz.JobExecutionContext;
import org.quartz.SimpleTrigger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Off-site copies that are due: new ones, retries whose backoff ran out, those a previous process left. */
@DisallowConcurrentExecution
final class OffsiteJob implements Job {
  private static final Logger log = LoggerFactory.getLogger(OffsiteJob.class);
  /** A takeover that takes longer than this (a database out of reach at the start) does not hold the copies back. */
  private static final long TAKEOVER_WAIT_SECONDS = 60;
  private final OffsiteService offsite;
  private final AppJobFactory.TakeoverWait takenOver;

  OffsiteJob(OffsiteService offsite, AppJobFactory.TakeoverWait takenOver) {
    this.offsite = offsite;
    this.takenOver = takenOver;
  }

  @Override
  public void execute(JobExecutionContext context) {
    try {
      if (!takenOver.await(TAKEOVER_WAIT_SECONDS, TimeUnit.SECONDS)) {
        log.warn("The off-site run goes on before the start has stored the environment's instances ({} s): a copy of an instance"
            + " not stored yet is adopted at a later run", TAKEOVER_WAIT_SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return; // stopping
    }
    try {
      // the standing run's own time and period, not the clock's: a retry then falls on a run, and is said at its time (a run
      // asked for once, as when a destination is added, tells nothing of when the next ones fire)
      if (context.getTrigger() instanceof SimpleTrigger standing && standing.getRepeatInterval() > 0) {
        offsite.runDue(new RunTicks(context.getScheduledFireTime().toInstant(), Duration.ofMillis(standing.getRepeatInterval())));
      } else {
        offsite.runDue();
      }
    } catch (RuntimeException e) {
      // a copy's own failures are recorded on it; this is the database or a bug: the next run tries again
      JobFailures.log(log, e, "The off-site copy run", "it runs again within a minute");
    }
  }
}
