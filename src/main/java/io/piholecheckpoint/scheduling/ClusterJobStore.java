package io.piholecheckpoint.scheduling;

import io.piholecheckpoint.core.job.JobFailures;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiConsumer;
import org.quartz.JobPersistenceException;
import org.quartz.impl.jdbcjobstore.FiredTriggerRecord;
import org.quartz.impl.jdbcjobstore.JobStoreTX;
import org.quartz.impl.jdbcjobstore.SchedulerStateRecord;
import org.quartz.spi.OperableTrigger;
import org.quartz.spi.TriggerFiredBundle;
import org.quartz.spi.TriggerFiredResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Quartz's JDBC store of a cluster, which also tells the application when it has recovered a dead
 * node (one that stopped checking in): at that moment, not at the node's next scheduled fire, its
 * jobs, restores and runs are marked interrupted. Quartz builds its store from a class name, so the
 * listener is handed over by a key in the properties (the one static hand-off, as for the pool).
 *
 * <p>A node stopping fires nothing more once it is in standby, and hands back the triggers it holds for its next fires:
 * Quartz's scheduler thread, halted while it waited for a fire, leaves them acquired under the node's name, and then the
 * node's check-in cannot be taken off at its graceful stop (the others would list it as down).
 */
public final class ClusterJobStore extends JobStoreTX {
  private static final Logger log = LoggerFactory.getLogger(ClusterJobStore.class);
  private static final Map<String, Listeners> LISTENERS = new ConcurrentHashMap<>();

  private Listeners listeners = new Listeners((node, lastCheckIn) -> { }, () -> { }, () -> { });
  /** The dead nodes recovered in the check-in under way; told once it has committed. */
  private final List<SchedulerStateRecord> recovered = new ArrayList<>();
  /** Held while the scheduler thread acquires or fires triggers, so that a pause waits for the one under way. */
  private final Object firing = new Object();
  /** In standby or stopped: no trigger is acquired or fired any more (guarded by {@link #firing}). */
  private boolean paused;
  /** When this node's last check-in committed (its start until the first); on Quartz's check-in thread. */
  private volatile long checkedInAt = System.currentTimeMillis();
  /** When this node reached the database again after check-ins that failed; 0 while none has failed. */
  private volatile long reachedAgainAt;
  private volatile boolean checkInFailed;

  /**
   * @param onNodeLost told of each dead node (its name, its last check-in or null)
   * @param onStopped told once this node's store has shut down: its check-ins are over
   * @param onCheckedIn told after each check-in, on Quartz's check-in thread
   */
  record Listeners(BiConsumer<String, Instant> onNodeLost, Runnable onStopped, Runnable onCheckedIn) {
  }

  /** Registers the listeners; returns the key for {@link #setListeners}. */
  static String register(Listeners listeners) {
    String key = UUID.randomUUID().toString();
    LISTENERS.put(key, listeners);
    return key;
  }

  /** Set by Quartz from {@code org.quartz.jobStore.listeners}. */
  public void setListeners(String key) {
    Listeners registered = LISTENERS.remove(key);
    if (registered != null) {
      listeners = registered;
    }
  }

  /**
   * Once in standby (the first step of a stop) nothing more is acquired or fired here: a fire let through then would
   * start a job after the stop looked for the running ones, and keep the node's check-in from being taken off.
   */
  @Override
  public void schedulerPaused() {
    synchronized (firing) {
      paused = true;
    }
    super.schedulerPaused();
  }

  @Override
  public void schedulerResumed() {
    synchronized (firing) {
      paused = false;
    }
    super.schedulerResumed();
  }

  @Override
  public List<OperableTrigger> acquireNextTriggers(long noLaterThan, int maxCount, long timeWindow) throws JobPersistenceException {
    synchronized (firing) {
      return paused ? List.of() : super.acquireNextTriggers(noLaterThan, maxCount, timeWindow);
    }
  }

  /** Paused meanwhile: each trigger is answered "not fired", and the scheduler thread releases it. */
  @Override
  public List<TriggerFiredResult> triggersFired(List<OperableTrigger> triggers) throws JobPersistenceException {
    synchronized (firing) {
      if (paused) {
        return Collections.nCopies(triggers.size(), new TriggerFiredResult((TriggerFiredBundle) null));
      }
      return super.triggersFired(triggers);
    }
  }

  /**
   * After Quartz's shutdown, which stops the check-ins: told then, the node is not checked in again behind the listener's back.
   * Before it, the triggers this node still holds acquired are put back: Quartz's scheduler thread, halted while it waited
   * for a fire, leaves them acquired under this node's name.
   */
  @Override
  public void shutdown() {
    synchronized (firing) {
      paused = true; // an acquisition under way has ended: what it took is released below
    }
    try {
      releaseAcquired();
    } catch (JobPersistenceException | RuntimeException e) {
      log.warn("Could not put back the triggers this node held for its next fires; the others take them over when they find it gone: {}",
          e.getMessage());
    }
    super.shutdown();
    try {
      listeners.onStopped().run();
    } catch (RuntimeException e) {
      log.warn("Could not take this node off the cluster's list at its stop; the others list it as down for a day: {}", e.getMessage());
    }
  }

  /** As Quartz releases a trigger it acquired and does not fire: waiting again, its fired-trigger row gone. */
  private void releaseAcquired() throws JobPersistenceException {
    executeInLock(LOCK_TRIGGER_ACCESS, conn -> {
      try {
        for (FiredTriggerRecord fired : getDelegate().selectInstancesFiredTriggerRecords(conn, getInstanceId())) {
          if (STATE_ACQUIRED.equals(fired.getFireInstanceState())) {
            getDelegate().updateTriggerStateFromOtherState(conn, fired.getTriggerKey(), STATE_WAITING, STATE_ACQUIRED);
            getDelegate().deleteFiredTrigger(conn, fired.getFireInstanceId());
          }
        }
        return null;
      } catch (SQLException e) {
        throw new JobPersistenceException("could not release the acquired triggers: " + e.getMessage(), e);
      }
    });
  }

  @Override
  protected void clusterRecover(Connection conn, List<SchedulerStateRecord> failedInstances) throws JobPersistenceException {
    super.clusterRecover(conn, failedInstances);
    synchronized (recovered) {
      // this node's own record is among them at its first check-in: what it left before its restart is the start's to clear
      failedInstances.stream().filter(r -> !r.getSchedulerInstanceId().equals(getInstanceId())).forEach(recovered::add);
    }
  }

  /**
   * When another node counts as dead: silent for its check-in interval plus Quartz's 7.5 s grace, reckoned only over time this
   * node itself could check in. Quartz reckons from its last attempt, successful or not, so after a short outage of the database
   * (a restart) the first node back found the others silent since before it and recovered them, live. Here their silence counts
   * from the moment this node reached the database again plus Quartz's wait before a failed check-in is tried again (the others
   * failed theirs too, and try again only then), and a check-in of this node's that came late widens the grace as in Quartz.
   */
  @Override
  protected long calcFailedIfAfter(SchedulerStateRecord rec) {
    long since = Math.max(rec.getCheckinTimestamp(), reachedAgainAt == 0 ? 0 : reachedAgainAt + getDbRetryInterval());
    return since + Math.max(rec.getCheckinInterval(), System.currentTimeMillis() - checkedInAt) + 7500L;
  }

  @Override
  protected boolean doCheckin() throws JobPersistenceException {
    long attempt = System.currentTimeMillis();
    if (checkInFailed) {
      reachedAgainAt = attempt; // if this attempt fails too, the next one starts the reckoning again
    }
    try {
      boolean result = super.doCheckin();
      checkedInAt = System.currentTimeMillis();
      checkInFailed = false;
      return result;
    } catch (JobPersistenceException | RuntimeException e) {
      checkInFailed = true;
      throw e;
    } finally {
      List<SchedulerStateRecord> lost;
      synchronized (recovered) {
        lost = List.copyOf(recovered);
        recovered.clear();
      }
      // also after a failed commit: the node is dead either way, and what is done for it is done once (finished work is not redone)
      lost.forEach(this::tell);
      try {
        listeners.onCheckedIn().run();
      } catch (RuntimeException e) {
        log.warn("After this node's check-in: {}", e.getMessage());
      }
    }
  }

  /** Package-private for its test: the listener failing is logged, never the check-in's failure. */
  void tell(SchedulerStateRecord dead) {
    try {
      listeners.onNodeLost().accept(dead.getSchedulerInstanceId(), dead.getCheckinTimestamp() > 0 ? Instant.ofEpochMilli(dead.getCheckinTimestamp()) : null);
    } catch (RuntimeException e) {
      // a busy database is one WARN line, as every other path says it; anything else is ours to explain, with its trace
      JobFailures.log(log, e, "Marking the work of dead node " + dead.getSchedulerInstanceId() + " interrupted",
          "the daily round marks what is still unfinished");
    }
  }
}
