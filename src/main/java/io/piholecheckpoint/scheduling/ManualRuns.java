package io.piholecheckpoint.scheduling;

import io.piholecheckpoint.core.backup.catalog.BackupConflictException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * A cluster's node's manual backups, run where they were asked for (their jobs are in the database, so any node shows
 * them). Not a Quartz job: a trigger in the shared store fires on any node, and Quartz cannot pin it to this one. A thread
 * per backup under way, started with the first one; each waits for its slot and its instance's turn as a fired backup does.
 */
final class ManualRuns {
  private ExecutorService threads;
  private boolean closed;

  synchronized void run(BackupJob job, long instanceId, String ticketId) {
    if (closed) {
      throw new BackupConflictException("backups cannot start here: this node is stopping; back up from another node");
    }
    if (threads == null) {
      threads = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "manual-backup");
        t.setDaemon(true);
        return t;
      });
    }
    threads.execute(() -> job.runHere(instanceId, ticketId));
  }

  /** Their downloads are cut off by the scheduler's stop; one waiting for a slot or the instance's turn ends. */
  synchronized void close() {
    closed = true;
    if (threads != null) {
      threads.shutdownNow();
    }
  }
}
