package io.piholecheckpoint.scheduling;

import io.piholecheckpoint.core.health.ScheduledTriggers;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.quartz.Scheduler;
import org.quartz.SchedulerException;
import org.quartz.Trigger;
import org.quartz.TriggerKey;
import org.quartz.impl.matchers.GroupMatcher;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The look for triggers that fire in another zone than TIME_ZONE, or by the calendar without keeping their hour across
 * daylight-saving changes: written by a build that lost the zone (see {@link Triggers#schedule}), or by a node whose JVM has
 * another TZ, they moved the backups by the difference, and by an hour at each change of the clocks. A cluster's node looks
 * after each of its check-ins, one query on Quartz's check-in thread, which must not wait for the writes: what is found is
 * handed to the replan on a thread of its own. One node alone looks at Quartz's memory once at its start.
 */
final class TriggerZones implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(TriggerZones.class);

  private final ZoneId zone;
  /** A cluster's shared store; null: Quartz's memory, looked at trigger by trigger. */
  private final ScheduledTriggers store;
  private final Consumer<List<ScheduledTriggers.Stored>> replan;
  /** A replan is under way: the looks meanwhile find what it is about to write, and leave it to it. */
  private final AtomicBoolean pending = new AtomicBoolean();
  /** Started with the first replan. */
  private ExecutorService thread;

  TriggerZones(ZoneId zone, ScheduledTriggers store, Consumer<List<ScheduledTriggers.Stored>> replan) {
    this.zone = zone;
    this.store = store;
    this.replan = replan;
  }

  /** Looks at the running scheduler's triggers, and hands those in another zone to the replan's thread. */
  void look(Scheduler running) {
    if (pending.get()) {
      return;
    }
    List<ScheduledTriggers.Stored> found;
    try {
      found = store != null ? store.storedInOtherZone(Triggers.storedId(zone)) : inMemory(running);
    } catch (SchedulerException | RuntimeException e) {
      log.debug("Could not look for triggers kept in another time zone than {}: {}", zone, e.getMessage());
      return; // the database out of reach: the next check-in looks again
    }
    if (found.isEmpty() || !pending.compareAndSet(false, true)) {
      return;
    }
    try {
      thread().execute(() -> {
        try {
          replan.accept(found);
        } finally {
          pending.set(false);
        }
      });
    } catch (RejectedExecutionException e) {
      pending.set(false); // closed meanwhile
    }
  }

  /** Quartz's memory holds no table to ask: each trigger is looked at (a few dozen, once at the start). */
  private List<ScheduledTriggers.Stored> inMemory(Scheduler running) throws SchedulerException {
    String wanted = Triggers.storedId(zone);
    List<ScheduledTriggers.Stored> found = new ArrayList<>();
    for (TriggerKey key : running.getTriggerKeys(GroupMatcher.anyTriggerGroup())) {
      Trigger trigger = running.getTrigger(key);
      if (trigger != null && !Triggers.inZone(trigger, wanted)) {
        found.add(new ScheduledTriggers.Stored(key.getGroup(), key.getName(), Triggers.storedZone(trigger).orElse(null)));
      }
    }
    return found;
  }

  private synchronized ExecutorService thread() {
    if (thread == null) {
      thread = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "zone-replan");
        t.setDaemon(true);
        return t;
      });
    }
    return thread;
  }

  /** A replan under way is interrupted: what it has not written yet is found again at the next start. */
  @Override
  public synchronized void close() {
    if (thread != null) {
      thread.shutdownNow();
    }
  }
}
