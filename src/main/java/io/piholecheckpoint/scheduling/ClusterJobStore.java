package io.piholecheckpoint.scheduling;

import java.sql.Connection;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiConsumer;
import org.quartz.JobPersistenceException;
import org.quartz.impl.jdbcjobstore.JobStoreTX;
import org.quartz.impl.jdbcjobstore.SchedulerStateRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Quartz's JDBC store of a cluster, which also tells the application when it has recovered a dead
 * node (one that stopped checking in): at that moment, not at the node's next scheduled fire, its
 * jobs, restores and runs are marked interrupted. Quartz builds its store from a class name, so the
 * listener is handed over by a key in the properties (the one static hand-off, as for the pool).
 */
public final class ClusterJobStore extends JobStoreTX {
  private static final Logger log = LoggerFactory.getLogger(ClusterJobStore.class);
  private static final Map<String, Listeners> LISTENERS = new ConcurrentHashMap<>();

  private Listeners listeners = new Listeners((node, lastCheckIn) -> { }, () -> { }, () -> { });
  /** The dead nodes recovered in the check-in under way; told once it has committed. */
  private final List<SchedulerStateRecord> recovered = new ArrayList<>();

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

  /** After Quartz's shutdown, which stops the check-ins: told then, the node is not checked in again behind the listener's back. */
  @Override
  public void shutdown() {
    super.shutdown();
    try {
      listeners.onStopped().run();
    } catch (RuntimeException e) {
      log.warn("Could not take this node off the cluster's list at its stop; the others list it as down for a day: {}", e.getMessage());
    }
  }

  @Override
  protected void clusterRecover(Connection conn, List<SchedulerStateRecord> failedInstances) throws JobPersistenceException {
    super.clusterRecover(conn, failedInstances);
    synchronized (recovered) {
      // this node's own record is among them at its first check-in: what it left before its restart is the start's to clear
      failedInstances.stream().filter(r -> !r.getSchedulerInstanceId().equals(getInstanceId())).forEach(recovered::add);
    }
  }

  @Override
  protected boolean doCheckin() throws JobPersistenceException {
    try {
      return super.doCheckin();
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

  private void tell(SchedulerStateRecord dead) {
    try {
      listeners.onNodeLost().accept(dead.getSchedulerInstanceId(), dead.getCheckinTimestamp() > 0 ? Instant.ofEpochMilli(dead.getCheckinTimestamp()) : null);
    } catch (RuntimeException e) {
      log.error("Could not mark the work of dead node {} interrupted; the daily round marks what is still unfinished", dead.getSchedulerInstanceId(), e);
    }
  }
}
