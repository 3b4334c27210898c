package io.piholecheckpoint.scheduling;

import org.quartz.DisallowConcurrentExecution;
import org.quartz.Job;
import org.quartz.JobExecutionContext;

/**
 * The process's regular look at the other one on its DATA_DIR: a standby (another holds the
 * scheduler lock) tries the lock, and takes over the schedules when the other has let go; the
 * holder looks for what was changed through the standby, which serves the UI and the API too.
 */
@DisallowConcurrentExecution
final class LockPollJob implements Job {
  private final Runnable look;

  LockPollJob(Runnable look) {
    this.look = look;
  }

  @Override
  public void execute(JobExecutionContext context) {
    look.run();
  }
}
