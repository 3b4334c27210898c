package io.piholecheckpoint.scheduling;

import io.piholecheckpoint.core.archive.ArchiveWork;
import io.piholecheckpoint.core.backup.Backup;
import io.piholecheckpoint.core.manual.BackupTickets;
import io.piholecheckpoint.core.backup.BackupService;
import org.quartz.DisallowConcurrentExecution;
import org.quartz.InterruptableJob;
import org.quartz.JobExecutionContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the scheduled backup of one instance. Interruptible: at shutdown the running download
 * is cut off (its thread interrupted), so that its temp file is deleted and its Pi-hole
 * session logged out before the JVM exits.
 */
@DisallowConcurrentExecution
final class BackupJob implements InterruptableJob {
  static final String INSTANCE_ID = "instanceId";
  /** Set when a person or script queued the run; absent for a scheduled run. */
  static final String TICKET_ID = "ticketId";
  private static final Logger log = LoggerFactory.getLogger(BackupJob.class);

  private final BackupService backups;
  private final BackupTickets tickets;
  private final ArchiveWork work;
  private volatile Thread runner;

  BackupJob(BackupService backups, BackupTickets tickets, ArchiveWork work) {
    this.backups = backups;
    this.tickets = tickets;
    this.work = work;
  }

  @Override
  public void execute(JobExecutionContext context) {
    long instanceId = context.getMergedJobDataMap().getLong(INSTANCE_ID);
    String ticket = context.getMergedJobDataMap().getString(TICKET_ID);
    runner = Thread.currentThread();
    try {
      // runs are serialised already; waiting for an interactive diff to finish beats failing the backup
      work.patiently(() -> {
        if (ticket != null) {
          tickets.run(ticket);
        } else {
          backups.runBackup(instanceId, Backup.Trigger.SCHEDULED);
        }
        return null;
      });
    } catch (RuntimeException e) {
      // a failed Pi-hole is a failed record already; this is our own fault, e.g. the database
      if (ticket != null) {
        log.error("Manual backup of instance {} could not run; start it again", instanceId, e);
      } else {
        log.error("Scheduled backup of instance {} could not run; it will be tried at its next time", instanceId, e);
      }
    } finally {
      runner = null;
      Thread.interrupted(); // a cancellation ends with the job; the pooled thread goes on clean
    }
  }

  @Override
  public void interrupt() {
    Thread running = runner;
    if (running != null) {
      running.interrupt();
    }
  }
}
