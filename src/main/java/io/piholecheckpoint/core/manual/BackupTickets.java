package io.piholecheckpoint.core.manual;

import io.piholecheckpoint.core.backup.Backup;
import io.piholecheckpoint.core.backup.BackupConflictException;
import io.piholecheckpoint.core.backup.BackupService;
import io.piholecheckpoint.core.download.BackupProgress;
import io.piholecheckpoint.core.registry.InstanceNotFoundException;
import java.time.Clock;
import java.util.Comparator;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The manual backups handed out as tickets, and how far each got. The scheduler's job runs a
 * ticket ({@link #run}); {@link BackupQueue} opens them. Finished tickets are forgotten after a while.
 */
public class BackupTickets {
  private static final Logger log = LoggerFactory.getLogger(BackupTickets.class);
  private static final int FINISHED_KEPT = 200;

  private final BackupService backups;
  private final Clock clock;
  private final Map<String, BackupTicket> tickets = new ConcurrentHashMap<>();
  private final Map<String, CountDownLatch> done = new ConcurrentHashMap<>();

  public BackupTickets(BackupService backups, Clock clock) {
    this.backups = backups;
    this.clock = clock;
  }

  BackupTicket open(long instanceId) {
    BackupTicket ticket = new BackupTicket(UUID.randomUUID().toString(), instanceId, BackupTicket.State.QUEUED, 0, null, null, null, null,
        clock.instant(), null);
    tickets.put(ticket.id(), ticket);
    done.put(ticket.id(), new CountDownLatch(1));
    forgetOldTickets();
    return ticket;
  }

  /** A ticket whose backup could not even be queued: it never existed. */
  void drop(String ticketId) {
    tickets.remove(ticketId);
    done.remove(ticketId);
  }

  /** A queued ticket whose run could not start after all (the scheduler stopping): failed, so that it does not block the next one. */
  public void abandon(String ticketId, String reason) {
    tickets.computeIfPresent(ticketId, (id, t) -> t.failedWith("cancelled", reason, clock.instant()));
    done.getOrDefault(ticketId, new CountDownLatch(0)).countDown();
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
    } catch (BackupConflictException | InstanceNotFoundException e) {
      // refusals written for people (removed meanwhile, deleted meanwhile)
      tickets.computeIfPresent(ticketId, (id, t) -> t.failedWith("internal_error", "the backup could not run: " + e.getMessage(), clock.instant()));
      throw e;
    } catch (RuntimeException e) {
      // anything else carries internals (SQL, row values): the waiting request and the ticket get a plain sentence, the log the detail
      log.error("Backup ticket {} of instance {} could not run", ticketId, ticket.instanceId(), e);
      tickets.computeIfPresent(ticketId, (id, t) -> t.failedWith("internal_error",
          "the backup could not run because of an unexpected error; the server log has the details", clock.instant()));
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
          .sorted(Comparator.comparing(BackupTicket::finishedAt))
          .limit(tickets.size() - FINISHED_KEPT)
          .forEach(t -> drop(t.id()));
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
    public void expecting(long totalBytes) {
      tickets.computeIfPresent(ticketId, (id, t) -> t.expecting(totalBytes));
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
