package io.piholecheckpoint.core.backup;

import io.piholecheckpoint.core.archive.work.ArchiveWork;
import io.piholecheckpoint.core.backup.catalog.BackupConflictException;
import io.piholecheckpoint.core.backup.runs.RunMarkers;
import io.piholecheckpoint.core.instance.PiholeInstance;
import io.piholecheckpoint.core.registry.InstanceService;
import io.piholecheckpoint.core.schedule.LocalTimeText;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

/**
 * Each instance's turn: its backups, restores, syncs and its deletion never overlap, in this process (a lock per instance)
 * and across the nodes of a cluster ({@link InstanceTurns}). The one guard of "removed / already running".
 */
public final class InstanceLocks {
  /** How long a deletion waits for an instance's turn another node holds: that node's own deletion of it lets go in a moment. */
  static final java.time.Duration DELETION_WAIT = java.time.Duration.ofSeconds(5);
  /**
   * How long a deletion (a request thread) waits for a run that has answered its waiter and only prunes: retention deletes a
   * few files and rows, tens of milliseconds; one that takes longer is answered 409 rather than holding the request.
   */
  static final java.time.Duration FINISHING_WAIT = java.time.Duration.ofSeconds(2);

  private final InstanceService instances;
  private final InstanceTurns turns;
  private final RunMarkers markers;
  private final ArchiveWork work;
  private final LocalTimeText times;
  private final Map<Long, ReentrantLock> locks = new ConcurrentHashMap<>();
  /** What holds an instance's lock other than a backup ("a restore to 'Home'"), so a refusal can say which work runs. */
  private final Map<Long, String> holders = new ConcurrentHashMap<>();
  /** The instances whose turn is held by a run that has recorded its backup and tells its waiter, then prunes; by the run's thread. */
  private final Map<Long, Thread> finishing = new ConcurrentHashMap<>();

  /**
   * @param turns each instance's turn across the nodes of a cluster ({@link InstanceTurns#LOCAL} with one node)
   * @param markers the runs in progress, which name the node a refused run runs on
   * @param work taken by work run {@link #exclusively}, so that its archive work takes one turn
   * @param times TIME_ZONE's, in which a refusal says when the other process's run started
   */
  public InstanceLocks(InstanceService instances, InstanceTurns turns, RunMarkers markers, ArchiveWork work, LocalTimeText times) {
    this.instances = instances;
    this.turns = turns;
    this.markers = markers;
    this.work = work;
    this.times = times;
  }

  /** A held turn of one instance, in this process and across nodes, let go when closed. */
  interface Held extends AutoCloseable {
    @Override
    void close();
  }

  /**
   * Runs {@code work} while no backup of the instance can run (a scheduled one waits).
   *
   * @param what the work, as a refused backup or deletion names it meanwhile: "a restore to 'Home'", "a sync of 'Office'"
   */
  public <T> T exclusively(long instanceId, String what, Supplier<T> work) {
    ReentrantLock lock = lock(instanceId);
    lock.lock();
    String outer = holders.put(instanceId, what);
    try (InstanceTurns.Turn turn = turns.take(instanceId); ArchiveWork.Doing doing = this.work.doing(what)) {
      return work.get();
    } finally {
      if (outer == null) {
        holders.remove(instanceId);
      } else {
        holders.put(instanceId, outer);
      }
      lock.unlock();
    }
  }

  /**
   * What holds the instance's turn now: "a sync of 'Office'", or "a backup of 'Office'" when a backup does (a restore waiting
   * behind it named nothing, and said "started" while it waited); empty when nothing does.
   */
  public Optional<String> heldBy(long instanceId) {
    if (!running(instanceId)) {
      return Optional.empty();
    }
    return Optional.ofNullable(holders.get(instanceId)).or(() -> Optional.of("a backup of " + instances.lookUp(instanceId)
        .map(instance -> "'" + instance.name() + "'").orElse("Pi-hole #" + instanceId)));
  }

  /**
   * Whether a backup of the instance runs at this moment. One that has told its waiter and only prunes does not: the backup asked
   * for next is the user's after it, and it waits the moment retention takes.
   */
  public boolean running(long instanceId) {
    ReentrantLock lock = locks.get(instanceId);
    return lock != null && lock.isLocked() && !finishing.containsKey(instanceId);
  }

  /**
   * Marks the run that holds the instance's turn as finishing: it has recorded its backup, tells its waiter and prunes. Work asked
   * for from now on waits for it instead of being refused as running; the mark goes once its turn is let go.
   */
  void finishing(long instanceId) {
    if (lock(instanceId).getHoldCount() == 1) { // a safety backup inside a restore or sync: that work still runs, and says so
      finishing.put(instanceId, Thread.currentThread());
    }
  }

  /**
   * Refuses a manual backup that cannot start: the one check of "removed" and "already running",
   * for a backup asked for now and for one queued to run later.
   *
   * @param queued whether a manual backup of the instance is queued already
   * @throws BackupConflictException when the instance was removed, or a backup of it runs or is queued
   */
  public void requireStartable(long instanceId, boolean queued) {
    requireStartable(instanceId, queued ? Optional.of("") : Optional.empty());
  }

  /**
   * As {@link #requireStartable(long, boolean)}, naming the node a queued one runs on in a cluster.
   *
   * @param queuedOn the node of the manual backup queued already (blank: not known); empty when none is
   */
  public void requireStartable(long instanceId, Optional<String> queuedOn) {
    PiholeInstance instance = instances.find(instanceId);
    if (queuedOn.isPresent() && !queuedOn.get().isBlank() && turns != InstanceTurns.LOCAL && !instance.removed()) {
      throw new BackupConflictException("a backup of '%s' is already running on node %s; try again when it has finished"
          .formatted(instance.name(), queuedOn.get()));
    }
    refuseIf(instance, queuedOn.isPresent() || running(instanceId));
    if (turns.heldElsewhere(instanceId)) {
      throw elsewhere(instance);
    }
  }

  /**
   * The turn of a backup run: waited for ({@code wait}: a scheduled or queued run), or else taken now or refused, naming what
   * holds it.
   */
  Held forRun(long instanceId, boolean wait) {
    ReentrantLock lock = lock(instanceId);
    if (wait) {
      lock.lock();
    } else if (!lock.tryLock()) {
      if (!finishing.containsKey(instanceId)) {
        refuseIf(instances.find(instanceId), true);
      }
      // the run holding the turn has recorded its backup and only prunes: this one follows it, as a scheduled one would, on the
      // thread of the work that asked for it (a sync's job), never a request's: a manual backup is queued (BackupQueue)
      lock.lock();
    }
    Held held = holding(lock, () -> wait ? turns.take(instanceId) : turns.tryTake(instanceId).orElseThrow(() -> elsewhere(instances.find(instanceId))));
    return () -> {
      try {
        held.close();
      } finally {
        // after the lock: until then a backup asked for is queued, not refused; a later holder's own mark stays
        finishing.remove(instanceId, Thread.currentThread());
      }
    };
  }

  /**
   * The turn of the instance's deletion, refused while a backup, restore or sync of it runs here, on another node, or in the
   * other process on this DATA_DIR. Another node deleting it at the same moment holds its turn for a moment: once it lets go,
   * the instance is gone (404), not busy (409).
   */
  Held forDeletion(PiholeInstance instance) {
    ReentrantLock lock = lock(instance.id());
    if (!tryLock(instance.id(), lock)) {
      throw new BackupConflictException(finishing.containsKey(instance.id())
          ? "a backup of '%s' has just finished and is still deleting old backups (retention); delete the Pi-hole again in a moment"
              .formatted(instance.name())
          : "%s is running; delete it when it has finished".formatted(holders.getOrDefault(instance.id(), "a backup of '%s'".formatted(instance.name()))));
    }
    Held held = holding(lock, () -> turns.tryTake(instance.id(), DELETION_WAIT).orElseThrow(() -> elsewhere(instance)));
    try {
      requireNoRunOfTheOtherProcess(instance);
      return held;
    } catch (RuntimeException e) {
      held.close();
      throw e;
    }
  }

  /** The cluster's turn taken while {@code lock} is held: both let go together, the lock alone when the turn is refused. */
  private static Held holding(ReentrantLock lock, Supplier<InstanceTurns.Turn> take) {
    try {
      InstanceTurns.Turn turn = take.get();
      return () -> {
        try {
          turn.close();
        } finally {
          lock.unlock();
        }
      };
    } catch (RuntimeException e) {
      lock.unlock();
      throw e;
    }
  }

  /**
   * The instance as a run that holds its turn follows it: read once the turn has come (settings, removed or not), and a run
   * that waited for one that removed it is refused.
   */
  PiholeInstance runnable(long instanceId) {
    PiholeInstance current = instances.find(instanceId);
    refuseIf(current, false);
    return current;
  }

  /** Names the archive work of the turn's holder ("a backup of 'Office'") while it runs, for those that wait for a turn. */
  ArchiveWork.Doing naming(String what) {
    return work.doing(what);
  }

  /** Refuses a run of a removed instance, or one while {@code busy}, naming what holds its turn. */
  void refuseIf(PiholeInstance instance, boolean busy) {
    if (instance.removed()) {
      throw new BackupConflictException(InstanceService.removedMessage(instance.name()));
    }
    String holder = busy ? holders.get(instance.id()) : null;
    if (holder != null) {
      throw new BackupConflictException("%s is running; back it up when it has finished".formatted(holder));
    }
    if (busy) {
      throw new BackupConflictException("a backup of '%s' is already running; try again when it has finished".formatted(instance.name()));
    }
  }

  /** The lock now, or once the run holding it has pruned ({@link #finishing}) if it does soon; false while other work holds it. */
  private boolean tryLock(long instanceId, ReentrantLock lock) {
    if (lock.tryLock()) {
      return true;
    }
    if (!finishing.containsKey(instanceId)) {
      return false;
    }
    try {
      return lock.tryLock(FINISHING_WAIT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  private ReentrantLock lock(long instanceId) {
    return locks.computeIfAbsent(instanceId, id -> new ReentrantLock());
  }

  /** The instance's turn is held on another node: the node is named where its running backup's marker tells it. */
  private BackupConflictException elsewhere(PiholeInstance instance) {
    Optional<String> node = markers.find(instance.id()).map(RunMarkers.Marker::node);
    return new BackupConflictException(node.map(n -> "a backup of '%s' is already running on node %s; try again when it has finished"
            .formatted(instance.name(), n))
        .orElse("a backup, restore or sync of '%s' is running on another node; try again when it has finished".formatted(instance.name())));
  }

  /**
   * With one node, the turns are this process's alone, and the other process on its DATA_DIR (the one running the
   * schedules, when this is a standby) may back the instance up now: its run's marker, in the shared database, tells.
   * A marker left by a dead run is taken at the start of the process that runs the schedules, so one found is a live run.
   */
  private void requireNoRunOfTheOtherProcess(PiholeInstance instance) {
    if (turns != InstanceTurns.LOCAL) {
      return; // a cluster's turns are held across its nodes, and a dead node's marker waits to be recovered
    }
    markers.find(instance.id()).ifPresent(marker -> {
      throw new BackupConflictException("%s is running in the Pi-hole Checkpoint process that runs the schedules (started %s); delete it when it has finished"
          .formatted((marker.safety() ? "the safety backup of '%s'" : "a backup of '%s'").formatted(instance.name()),
          times.of(marker.startedAt())));
    });
  }
}
