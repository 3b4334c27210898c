package io.piholecheckpoint.core.manual;

import io.piholecheckpoint.core.backup.catalog.BackupConflictException;
import io.piholecheckpoint.core.backup.InstanceLocks;
import java.util.Map;
import java.util.Optional;

/**
 * Manual backups that run in the background: a ticket is handed out at once, and the backup runs
 * through the {@link BackupLauncher} (the scheduler, so it takes its turn with the instance's
 * scheduled runs); the ticket tells how far it got.
 */
public class BackupQueue {
  private final InstanceLocks locks;
  private final BackupTickets tickets;
  private final BackupLauncher launcher;

  public BackupQueue(InstanceLocks locks, BackupTickets tickets, BackupLauncher launcher) {
    this.locks = locks;
    this.tickets = tickets;
    this.launcher = launcher;
  }

  /**
   * @throws BackupConflictException when a backup of the instance is queued or running (asked for
   *     through any node), it was removed, or backups cannot run in this process
   */
  public BackupTicket enqueue(long instanceId) {
    locks.requireStartable(instanceId, Optional.empty());
    // the insert refuses a second unfinished ticket itself: the one there is read only to name it in the refusal
    Optional<BackupTicket> opened = tickets.open(instanceId);
    if (opened.isEmpty()) {
      locks.requireStartable(instanceId, Optional.of(tickets.active(instanceId).map(t -> t.job().node()).orElse("")));
    }
    BackupTicket ticket = opened.orElseThrow();
    try {
      launcher.launch(instanceId, ticket.job().id());
    } catch (RuntimeException e) {
      tickets.drop(ticket.job().id());
      throw e;
    }
    return ticket;
  }

  /** The queued or running manual backup of an instance, if there is one. */
  public Optional<BackupTicket> active(long instanceId) {
    return tickets.active(instanceId);
  }

  /** Every queued or running manual backup, by instance id, in one read. */
  public Map<Long, BackupTicket> active() {
    return tickets.active();
  }

  public Optional<BackupTicket> find(String ticketId) {
    return tickets.find(ticketId);
  }

  /** Waits up to {@code seconds} for the ticket {@link #enqueue} has just handed out to finish; returns it as it is then. */
  public BackupTicket await(BackupTicket enqueued, long seconds) throws InterruptedException {
    return tickets.await(enqueued, seconds);
  }
}
