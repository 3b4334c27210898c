package io.piholecheckpoint.scheduling;

import io.piholecheckpoint.core.job.JobFailures;
import io.piholecheckpoint.core.offsite.OffsiteService;
import org.quartz.DisallowConcurrentExecution;
import org.quartz.InterruptableJob;
import org.quartz.JobExecutionContext;
import org.quartz.JobKey;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One destination's due copies, in a job of its own (its lane): a destination that is slow or
 * stalls holds up only its own copies. The off-site job starts it every run; never two at once.
 */
@DisallowConcurrentExecution
final class OffsiteCopyJob implements InterruptableJob {
  static final String DESTINATION = "destination";
  static final String GROUP = "offsite-copies";
  private static final Logger log = LoggerFactory.getLogger(OffsiteCopyJob.class);
  private final OffsiteService offsite;
  private volatile Thread running;

  OffsiteCopyJob(OffsiteService offsite) {
    this.offsite = offsite;
  }

  static JobKey key(String destination) {
    return JobKey.jobKey(destination, GROUP);
  }

  @Override
  public void execute(JobExecutionContext context) {
    String destination = context.getMergedJobDataMap().getString(DESTINATION);
    running = Thread.currentThread();
    try {
      offsite.runDestination(destination);
    } catch (RuntimeException e) {
      // a copy's own failures are recorded on it; this is the database or a bug: the next run tries again
      JobFailures.log(log, e, "The off-site copy run to " + destination, "it runs again within a minute");
    } finally {
      running = null;
      Thread.interrupted(); // an interrupt at shutdown that came after the last copy does not outlive the job in Quartz's thread
    }
  }

  /** At shutdown, after the copies were told to stop: a client waiting on the network lets go too. */
  @Override
  public void interrupt() {
    Thread thread = running;
    if (thread != null) {
      thread.interrupt();
    }
  }
}
