package io.piholecheckpoint.scheduling;

import java.time.Duration;
import java.util.List;
import org.quartz.JobKey;
import org.quartz.Scheduler;
import org.quartz.SchedulerException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The stop of a running scheduler: no new fires, running backups cancelled and off-site uploads cut off, a bounded wait for
 * their jobs to end, then Quartz shut down.
 */
final class QuartzShutdown {
  /** The log names the scheduler, as it did before this was a class of its own. */
  private static final Logger log = LoggerFactory.getLogger(Schedules.class);
  /** Running backups are cancelled first, so this is rarely waited out; well inside Docker's 10 s stop budget. */
  static final Duration WAIT = Duration.ofSeconds(5);

  private QuartzShutdown() {
  }

  static void stop(Scheduler scheduler, AppJobs jobs) throws SchedulerException, InterruptedException {
    scheduler.standby();
    cancelRunningBackups(scheduler, jobs);
    stopOffsiteCopies(scheduler, jobs);
    long deadline = System.nanoTime() + WAIT.toNanos(); // elapsed time, which a wall clock set back or forward would not measure
    while (!scheduler.getCurrentlyExecutingJobs().isEmpty() && System.nanoTime() - deadline < 0) {
      Thread.sleep(50);
    }
    List<String> left = scheduler.getCurrentlyExecutingJobs().stream().map(j -> describe(j.getJobDetail().getKey())).toList();
    if (!left.isEmpty()) {
      log.warn("Still running {} s after being stopped at shutdown, and abandoned: {} (a backup's temp file is removed at the next start,"
          + " an off-site copy stays queued and is sent again)", WAIT.toSeconds(), String.join(", ", left));
    }
    // With no job left, Quartz's idle workers are waited for: a servlet container that stops or redeploys the application
    // finds none of its threads still running (Tomcat warns of each), and on a cluster's node a job counts as ended before
    // its end reaches the clustered store (its fire's row goes then), so without the wait the node's check-in, taken off
    // only once no fire of it is left, stayed behind and the others listed the node as down.
    scheduler.shutdown(left.isEmpty());
  }

  /**
   * Interrupts running backup jobs (a login, a wait for an answer, a pause before a retry),
   * then cuts their downloads off, which java.net.http does not do on an interrupt: each job
   * deletes its temp file and logs out on its way out.
   */
  private static void cancelRunningBackups(Scheduler scheduler, AppJobs jobs) throws SchedulerException {
    for (var running : scheduler.getCurrentlyExecutingJobs()) {
      JobKey key = running.getJobDetail().getKey();
      if (BackupPlans.GROUP.equals(key.getGroup())) {
        log.info("Cancelling the running backup ({}) because Pi-hole Checkpoint is stopping", key.getName());
        scheduler.interrupt(key);
      }
    }
    jobs.backups().cancelRunning();
  }

  /** Uploads under way are cut off and their jobs interrupted; the copies stay queued for the next start. */
  private static void stopOffsiteCopies(Scheduler scheduler, AppJobs jobs) throws SchedulerException {
    if (jobs.offsite() == null) {
      return;
    }
    jobs.offsite().stop();
    for (var running : scheduler.getCurrentlyExecutingJobs()) {
      JobKey key = running.getJobDetail().getKey();
      if (OffsiteCopyJob.GROUP.equals(key.getGroup())) {
        log.info("Stopping the off-site copies to {} because Pi-hole Checkpoint is stopping", key.getName());
        scheduler.interrupt(key);
      }
    }
  }

  /** A running job in the words of the log. */
  private static String describe(JobKey key) {
    return switch (key.getGroup()) {
      case BackupPlans.GROUP -> "a backup (" + key.getName() + ")";
      case OffsiteCopyJob.GROUP -> "the off-site copies to " + key.getName();
      default -> key.getGroup() + " job " + key.getName();
    };
  }
}
