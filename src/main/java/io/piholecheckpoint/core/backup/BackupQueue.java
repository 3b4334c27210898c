package io.piholecheckpoint.core.backup;

import io.piholecheckpoint.core.download.BackupProgress;
import io.piholecheckpoint.core.instance.InstanceService;
import io.piholecheckpoint.core.instance.PiholeInstance;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Manual backups that run in the background: a ticket is handed out at once, the backup runs
 * through the scheduler (so it takes its turn with the instance's scheduled runs), and the
 * ticket tells how far it got. Finished tickets are forgotten after a while.
 */
public class BackupQueue {
  private static final Logger log = LoggerFactory.getLogger(BackupQueue.class);
  private static final int FINISHED_KEPT = 200;

  /** Runs a queued backup later, on another thread; implemented by the scheduler. */
  public interface Launcher {
    /** @throws BackupConflictException when backups cannot run in this process */
    void launch(long instanceId, String ticketId);
  }

  private final InstanceService instances;
  private final BackupService backups;
  private final Clock clock;
  private final Map<String, BackupTicket> tickets = new ConcurrentHashMap<>();
  private final Map<String, CountDownLatch> done = new ConcurrentHashMap<>();
  private volatile Launcher launcher = (id, ticket) -> {
    throw new BackupConflictException("backups cannot start yet: the scheduler is not running");
  };

  public BackupQueue(InstanceService instances, BackupService backups, Clock clock) {
    this.instances = instances;
    this.backups = backups;
    this.clock = clock;
  }

  /** The scheduler, once it has started; before that (or without it) no backup is queued. */
  public void launchWith(Launcher launcher) {
    this.launcher = launcher;
  }

  /**
   * @throws BackupConflictException when a backup of the instance is queued or running, or it was removed
   */
  public BackupTicket enqueue(long instanceId) {
    PiholeInstance instance = instances.find(instanceId);
    if (instance.removed()) {
      throw new BackupConflictException("Pi-hole '%s' was removed from the configuration; its backups stay available, but it is no longer backed up"
          .formatted(instance.name()));
    }
    synchronized (this) {
      boolean busy = backups.running(instanceId) || tickets.values().stream().anyMatch(t -> t.instanceId() == instanceId && !t.finished());
      if (busy) {
        throw new BackupConflictException("a backup of '%s' is already running; try again when it has finished".formatted(instance.name()));
      }
      BackupTicket ticket = new BackupTicket(UUID.randomUUID().toString(), instanceId, BackupTicket.State.QUEUED, 0, null, null, null,
          clock.instant(), null);
      tickets.put(ticket.id(), ticket);
      done.put(ticket.id(), new CountDownLatch(1));
      try {
        launcher.launch(instanceId, ticket.id());
      } catch (RuntimeException e) {
        tickets.remove(ticket.id());
        done.remove(ticket.id());
        throw e;
      }
      forgetOldTickets();
      return ticket;
    }
  }

  /** Runs the backup of a ticket; called by the scheduler's job. */
  public void run(String ticketId) {
    BackupTicket ticket = tickets.get(ticketId);
    if (ticket == null) {
      log.warn("Backup ticket {} is unknown (the application restarted?); nothing to run", ticketId);
      return;
    }
    try {
      Backup backup = backups.runQueuedBackup(ticket.instanceId(), new TicketProgress(ticketId));
      tickets.computeIfPresent(ticketId, (id, t) -> t.finishedWith(backup, clock.instant()));
    } catch (RuntimeException e) {
      tickets.computeIfPresent(ticketId, (id, t) -> t.failedWith("internal_error", "the backup could not run: " + e.getMessage(), clock.instant()));
      throw e;
    } finally {
      done.getOrDefault(ticketId, new CountDownLatch(0)).countDown();
    }
  }

  /** The queued or running manual backup of an instance, if there is one. */
  public Optional<BackupTicket> active(long instanceId) {
    return tickets.values().stream().filter(t -> t.instanceId() == instanceId && !t.finished()).findFirst();
  }

  public Optional<BackupTicket> find(String ticketId) {
    return Optional.ofNullable(tickets.get(ticketId));
  }

  /** Waits up to {@code seconds} for the ticket to finish; returns it as it is then. */
  public BackupTicket await(String ticketId, long seconds) throws InterruptedException {
    CountDownLatch latch = done.get(ticketId);
    if (latch != null) {
      latch.await(seconds, TimeUnit.SECONDS);
    }
    return tickets.get(ticketId);
  }

  private void forgetOldTickets() {
    if (tickets.size() > FINISHED_KEPT) {
      tickets.values().stream().filter(BackupTicket::finished)
          .sorted(java.util.Comparator.comparing(BackupTicket::finishedAt))
          .limit(tickets.size() - FINISHED_KEPT)
          .forEach(t -> {
            tickets.remove(t.id());
            done.remove(t.id());
          });
    }
  }

  private final class TicketProgress implements BackupProgress {
    private final String ticketId;

    TicketProgress(String ticketId) {
      this.ticketId = ticketId;
    }

    @Override
    public void loggingIn() {
      update(BackupTicket.State.LOGGING_IN, 0);
    }

    @Override
    public void downloading(long bytesSoFar) {
      update(BackupTicket.State.DOWNLOADING, bytesSoFar);
    }

    @Override
    public void verifying() {
      tickets.computeIfPresent(ticketId, (id, t) -> t.with(BackupTicket.State.VERIFYING, t.bytes()));
    }

    private void update(BackupTicket.State state, long bytes) {
      tickets.computeIfPresent(ticketId, (id, t) -> t.with(state, bytes));
    }
  }
}
