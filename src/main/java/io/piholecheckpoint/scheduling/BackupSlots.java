package io.piholecheckpoint.scheduling;

import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * At most MAX_PARALLEL_BACKUPS backups run at once in this process; the others wait their turn
 * here, in the order they came, and none is dropped. A backup job that finds no free slot puts
 * itself in the line and gives its Quartz thread back at once, so that a thousand daily backups
 * due at 03:00 neither hold the pool (maintenance and off-site jobs keep their threads) nor wait
 * in Quartz past its misfire threshold, after which Quartz skips a fire. A finished backup hands
 * its slot to the first in line, whose job is then fired again.
 */
final class BackupSlots {
  /** A backup waiting for a slot: a scheduled one ({@code ticketId} null) or a manual one. */
  record Waiting(long instanceId, String ticketId, Instant since) {
  }

  private final int max;
  private final Deque<Waiting> line = new ArrayDeque<>();
  /** Those waiting in {@link #take}, in the order they came; never handed a slot by {@link #release()}. */
  private final Deque<Waiting> blocked = new ArrayDeque<>();
  private int taken;

  BackupSlots(int max) {
    if (max < 1) {
      throw new IllegalArgumentException("at least one backup must be able to run");
    }
    this.max = max;
  }

  int max() {
    return max;
  }

  /**
   * True when the backup may start now (it holds a slot until {@link #release()}); otherwise it
   * waits in line. A scheduled run of an instance already waiting is the same run: it is not
   * queued twice.
   */
  synchronized boolean tryTake(long instanceId, String ticketId, Instant now) {
    if (taken < max && line.isEmpty()) {
      taken++;
      return true;
    }
    boolean again = ticketId == null && line.stream().anyMatch(w -> w.instanceId() == instanceId && w.ticketId() == null);
    if (!again) {
      line.addLast(new Waiting(instanceId, ticketId, now));
    }
    return false;
  }

  /**
   * Waits for a free slot, holding the caller's thread: for a node of a cluster, whose Quartz
   * takes no more triggers than it has free threads and leaves the others to the other nodes,
   * and whose backups must not be fired again on a node that holds no slot for them.
   */
  synchronized void take(long instanceId, String ticketId, Instant now) throws InterruptedException {
    Waiting waiting = new Waiting(instanceId, ticketId, now);
    blocked.addLast(waiting);
    try {
      while (taken >= max || blocked.peekFirst() != waiting) {
        wait();
      }
      taken++;
    } finally {
      blocked.remove(waiting);
      notifyAll();
    }
  }

  /** Frees a slot; the first in line, if any, gets it at once (its run must then start, or give it back). */
  synchronized Optional<Waiting> release() {
    Waiting next = line.pollFirst();
    if (next == null) {
      taken--;
      notifyAll(); // a node of a cluster waits in take()
    }
    return Optional.ofNullable(next);
  }

  /** Since when the instance's backup waits for a slot, if it does. */
  synchronized Optional<Instant> waitingSince(long instanceId) {
    return Stream.concat(line.stream(), blocked.stream()).filter(w -> w.instanceId() == instanceId).map(Waiting::since).findFirst();
  }

  synchronized int waiting() {
    return line.size() + blocked.size();
  }

  synchronized int running() {
    return taken;
  }
}
