package io.piholecheckpoint.core.restore;

import io.piholecheckpoint.core.restore.parts.RestorePreview;
import io.piholecheckpoint.core.restore.parts.RestoreRefusedException;
import io.piholecheckpoint.core.restore.parts.RestoreParts;
import io.piholecheckpoint.core.restore.parts.RestoreMode;
import io.piholecheckpoint.core.backup.catalog.BackupConflictException;
import io.piholecheckpoint.core.health.SchedulerStatus;
import io.piholecheckpoint.core.health.SchedulerView;
import io.piholecheckpoint.core.restore.record.Restore;
import io.piholecheckpoint.core.restore.record.RestoreRepository;
import io.piholecheckpoint.core.restore.request.RestoreAdmission;
import io.piholecheckpoint.core.restore.request.RestorePreviews;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Restores in the background, one at a time, each recorded from start to verification. */
public class RestoreService {
  private static final Logger log = LoggerFactory.getLogger(RestoreService.class);
  public static final String NOTHING_CHOSEN = "a custom restore needs at least one part: lists, localDns, settings or identity";
  private final RestorePreviews previews;
  private final RestoreAdmission admission;
  private final RestoreRunner runner;
  private final RestoreRepository restores;
  private final Executor executor;
  private final SchedulerView scheduler;
  /** How long a new restore waits for one whose outcome is recorded to let its target go (its last steps take milliseconds). */
  private static final Duration ENDING_WAIT = Duration.ofSeconds(10);
  /** The restore running or queued for each target: a second one would replace what the first restores. */
  private final Map<Long, Restore> active = new ConcurrentHashMap<>();
  /** The threads carrying out a restore now, to interrupt their waits at shutdown. */
  private final Set<Thread> working = ConcurrentHashMap.newKeySet();
  private final java.util.concurrent.atomic.AtomicBoolean stopped = new java.util.concurrent.atomic.AtomicBoolean();

  /**
   * @param scheduler this process's scheduler: restores run only where it runs, for only there
   *     are they kept apart from the backups of the same Pi-hole
   */
  public RestoreService(RestorePreviews previews, RestoreAdmission admission, RestoreRunner runner, RestoreRepository restores, Executor executor,
      SchedulerView scheduler) {
    this.previews = previews;
    this.admission = admission;
    this.runner = runner;
    this.restores = restores;
    this.executor = executor;
    this.scheduler = scheduler;
  }

  /**
   * What the restore would change on the target now; changes nothing.
   *
   * @throws IllegalArgumentException when a custom restore selects nothing, as {@link #start} would
   * @throws RestoreRefusedException when the backup does not hold what the mode restores, as {@link #start} would
   */
  public RestorePreview preview(long backupId, long targetId, RestoreMode mode, RestoreParts custom) {
    RestoreParts parts = RestoreParts.of(mode, custom);
    if (!parts.any()) {
      throw new IllegalArgumentException(NOTHING_CHOSEN);
    }
    return previews.preview(backupId, targetId, mode, parts);
  }

  /**
   * Starts a restore and returns its record at once; follow it with {@link #find}.
   *
   * @throws IllegalArgumentException when a custom restore selects nothing
   * @throws RestoreRefusedException when the backup does not hold what the mode restores (no gravity.db for its lists)
   * @throws BackupConflictException when this process's scheduler is not running (e.g. a standby),
   *     or a restore to the same target runs or waits its turn
   * @throws io.piholecheckpoint.core.archive.BackupNotFoundException for an unknown backup, whatever the state of this process
   */
  public Restore start(long backupId, long targetId, RestoreMode mode, RestoreParts custom) {
    RestoreParts parts = RestoreParts.of(mode, custom);
    if (!parts.any()) {
      throw new IllegalArgumentException(NOTHING_CHOSEN);
    }
    // what is asked for exists (404) before whether it can run here (409)
    admission.requireKnown(backupId, targetId);
    SchedulerStatus status = scheduler.status();
    if (!status.running()) {
      // its safety backup would not wait for the backups that the process running the schedules takes of the same Pi-hole
      throw new BackupConflictException("restores cannot start here: the scheduler is not running in this process"
          + (status.reason() == null ? "" : " (" + status.reason() + ")")
          + "; restore from the Pi-hole Checkpoint process that runs the schedules (a dry run too: it logs in to the Pi-hole)");
    }
    Restore restore;
    synchronized (active) {
      Restore other = otherThanEnding(targetId);
      if (other != null) {
        throw new BackupConflictException(("restore %d (of backup %d) to this instance has not finished yet; a second one would replace what it"
            + " restores — follow it at /api/v1/restores/%d and ask again once it has finished").formatted(other.id(), other.backupId(), other.id()));
      }
      // one at a time, in the order asked for: the last one asked for before it runs or waits just ahead of it
      Optional<Restore> ahead = active.values().stream().max(java.util.Comparator.comparingLong(Restore::id));
      restore = admission.begin(backupId, targetId, mode, parts, ahead);
      active.put(targetId, restore);
    }
    try {
      executor.execute(() -> {
        working.add(Thread.currentThread());
        try {
          runner.run(restore, parts);
        } catch (RuntimeException e) {
          // the database closed under a restore that outlived the shutdown's wait: the next start marks it
          log.warn("Restore {}: its outcome could not be recorded ({}); the next start marks it interrupted", restore.id(), e.toString());
        } finally {
          working.remove(Thread.currentThread());
          Thread.interrupted(); // a stop's interrupt ends with the restore it was meant for
          synchronized (active) {
            active.remove(targetId, restore);
            active.notifyAll();
          }
        }
      });
    } catch (RuntimeException e) {
      active.remove(targetId, restore);
      throw e;
    }
    return restore;
  }

  /**
   * The restore to this target still under way, if any. One whose outcome is already recorded is about to let its target go:
   * a client that read that outcome and asks for the next restore is not refused, it waits for that moment (bounded).
   * Called holding {@code active}'s monitor.
   */
  private Restore otherThanEnding(long targetId) {
    Restore other = active.get(targetId);
    long waitUntil = System.nanoTime() + ENDING_WAIT.toNanos();
    while (other != null && restores.findById(other.id()).map(Restore::finished).orElse(false)) {
      long left = waitUntil - System.nanoTime();
      if (left <= 0) {
        break;
      }
      try {
        TimeUnit.NANOSECONDS.timedWait(active, left);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
      other = active.get(targetId);
    }
    return other;
  }

  /**
   * At shutdown, before the server waits for its connections: the running restore stops at its
   * next step and records how far it got (a request that changed the Pi-hole is still answered and
   * its session logged out); queued ones record that they did not start. Safe to call twice.
   */
  public void stop() {
    if (stopped.getAndSet(true)) {
      return; // once: a second interrupt would cut the wait for the Pi-hole's restart before the logout
    }
    if (!working.isEmpty()) {
      log.info("Stopping restore(s) {} because Pi-hole Checkpoint is stopping; each records how far it got",
          active.values().stream().map(r -> String.valueOf(r.id())).toList());
    }
    runner.stop();
    working.forEach(Thread::interrupt);
  }

  public Optional<Restore> find(long id) {
    return restores.findById(id);
  }

  public List<Restore> history(long targetId) {
    return restores.findByTarget(targetId, 50);
  }
}
