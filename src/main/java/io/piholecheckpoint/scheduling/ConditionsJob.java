package io.piholecheckpoint.scheduling;

import io.piholecheckpoint.core.job.JobFailures;
import org.quartz.DisallowConcurrentExecution;
import org.quartz.Job;
import org.quartz.JobExecutionContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The regular look at states that are no events: stale backups, low disk space. */
@DisallowConcurrentExecution
final class ConditionsJob implements Job {
  private static final Logger log = LoggerFactory.getLogger(ConditionsJob.class);
  private final Runnable conditions;

  ConditionsJob(Runnable conditions) {
    this.conditions = conditions;
  }

  @Override
  public void execute(JobExecutionContext context) {
    try {
      conditions.run();
    } catch (RuntimeException e) {
      JobFailures.log(log, e, "The check for stale backups and low disk space",
          "it runs again in " + StandingJobs.CONDITIONS_EVERY.toMinutes() + " minutes");
    }
  }
}
