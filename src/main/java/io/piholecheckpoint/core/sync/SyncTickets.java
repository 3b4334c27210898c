package io.piholecheckpoint.core.sync;

import java.time.Clock;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;

/** The runs asked for through the API, as tickets; in memory, the finished ones forgotten after a while (as backup tickets are). */
final class SyncTickets {
  private static final int FINISHED_KEPT = 200;

  private final Clock clock;
  private final Map<String, SyncTicket> tickets = new ConcurrentHashMap<>();
  private final Map<String, CountDownLatch> done = new ConcurrentHashMap<>();

  SyncTickets(Clock clock) {
    this.clock = clock;
  }

  SyncTicket open(String group) {
    SyncTicket ticket = new SyncTicket(UUID.randomUUID().toString(), group, SyncTicket.State.QUEUED, List.of(), null, clock.instant(), null);
    tickets.put(ticket.id(), ticket);
    done.put(ticket.id(), new CountDownLatch(1));
    forgetOld();
    return ticket;
  }

  /** A ticket whose run could not even be queued: it never existed. */
  void drop(String id) {
    tickets.remove(id);
    done.remove(id);
  }

  void running(String id) {
    tickets.computeIfPresent(id, (k, t) -> t.running());
  }

  void finished(String id, List<SyncRun> runs) {
    end(id, t -> t.done(runs, clock.instant()));
  }

  void failed(String id, String why) {
    end(id, t -> t.failed(why, clock.instant()));
  }

  private void end(String id, UnaryOperator<SyncTicket> how) {
    tickets.computeIfPresent(id, (k, t) -> how.apply(t));
    Optional.ofNullable(done.get(id)).ifPresent(CountDownLatch::countDown);
  }

  /** The group's ticket that is queued or running, if there is one. */
  Optional<SyncTicket> active(String group) {
    return tickets.values().stream().filter(t -> t.group().equals(group) && !t.finished()).findFirst();
  }

  Optional<SyncTicket> find(String id) {
    return Optional.ofNullable(tickets.get(id));
  }

  /** Waits up to {@code seconds} for the ticket to finish; returns it as it is then. */
  SyncTicket await(String id, long seconds) throws InterruptedException {
    CountDownLatch latch = done.get(id);
    if (latch != null) {
      latch.await(seconds, TimeUnit.SECONDS);
    }
    return tickets.get(id);
  }

  private void forgetOld() {
    if (tickets.size() > FINISHED_KEPT) {
      tickets.values().stream().filter(SyncTicket::finished).sorted(Comparator.comparing(SyncTicket::finishedAt))
          .limit(tickets.size() - FINISHED_KEPT).forEach(t -> drop(t.id()));
    }
  }
}
