package io.piholecheckpoint.scheduling;

import org.quartz.DisallowConcurrentExecution;
import org.quartz.Job;
import org.quartz.JobExecutionContext;

/**
 * The one job of a standby process (another holds the scheduler lock): it tries the lock, and
 * takes over the schedules when the other process has let go.
 */
@DisallowConcurrentExecution
final class LockPollJob implements Job {
  private final Runnable tryLock;

  LockPollJob(Runnable tryLock) {
    this.tryLock = tryLock;
  }

  @Override
  public void execute(JobExecutionContext context) {
    tryLock.run();
  }
}
