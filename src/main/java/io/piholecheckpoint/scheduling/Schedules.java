package io.piholecheckpoint.scheduling;

import io.piholecheckpoint.core.files.OwnedPaths;
import io.piholecheckpoint.core.schedule.Schedule;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Date;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import org.quartz.JobBuilder;
import org.quartz.JobKey;
import org.quartz.Scheduler;
import org.quartz.SchedulerException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one Quartz scheduler of this web context: one cron job per scheduled instance, in
 * TIME_ZONE, the daily maintenance and the regular look at stale backups and disk space. With
 * SQLite it keeps them in memory and runs them only while it holds the scheduler lock in
 * DATA_DIR; without it, it is a standby whose one job tries the lock, and takes over when the
 * lock is released. With PostgreSQL ({@link ClusterStore}) it is one node of a cluster: the jobs
 * live in Quartz's shared store, every node runs them, each fire on one node, and a backup a dead
 * node held is recovered by another. It is the only timer of the process: periodic work is a job
 * here, not a thread of its own.
 *
 * <p>This class starts it, keeps a standby waiting for the lock, runs the takeover and stops it; what is planned on it is
 * {@link Planning}'s, the runs asked for now {@link Launches}', and what it says of itself {@link RunningQuartz}'s.
 */
public final class Schedules implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Schedules.class);

  private static final JobKey LOCK_POLL = JobKey.jobKey("lock-poll", "standby");
  /** As a catch-up backup: the network settles after a start before the queue is taken up (OFFSITE_FIRST_RUN_SECONDS). */
  public static final Duration OFFSITE_FIRST = Duration.ofSeconds(10);
  /** Due copies (new ones, retries after their backoff) are looked for this often. */
  public static final Duration OFFSITE_EVERY = Duration.ofMinutes(1);
  /** Lets the network and the Pi-holes settle after a start before a catch-up run (CATCH_UP_DELAY_SECONDS). */
  public static final Duration CATCH_UP_DELAY = Duration.ofSeconds(30);
  /**
   * How late the in-memory store lets a fire be before it counts as missed ({@link LateFires} then runs it): Quartz's own
   * default for that store. A test that holds a run back past it gives a shorter one rather than wait out 5 s.
   */
  public static final Duration MISFIRE_THRESHOLD = Duration.ofSeconds(5);

  private final Path lockFile;
  private final QuartzSetup setup;
  private final StandingJobs standing;
  private final RunningQuartz running;
  private final Planning planning;
  /** The look for triggers kept in another zone, and their replan by a one-off job. */
  private final TriggerZones zones;
  /** The start's plan is written: before, a look would race the start writing the same triggers. */
  private volatile boolean planned;
  /**
   * Counted down once the takeover has run (the environment's instances stored, every schedule planned): the off-site run,
   * whose first one adopts copies by their instances' names, waits for it rather than re-create an instance the environment
   * is about to store (it fired first with OFFSITE_FIRST_RUN_SECONDS=0, and on a slow start at any setting).
   */
  private final CountDownLatch takenOver = new CountDownLatch(1);
  private volatile SchedulerLock lock;
  /** A standby's Quartz, with one job: trying the lock. Once it is taken, the same Quartz runs the schedules. */
  private volatile Scheduler waiting;

  /**
   * A scheduler not started yet: until {@link #start(AppJobs, Runnable)} it runs nothing, and {@code running} says so.
   *
   * @param standing the scheduler's own jobs; a standby tries the lock at their poll interval
   * @param planning the takeover plans the instances through it, and the holder's regular look at changes made through the
   *     other process on this DATA_DIR
   */
  public Schedules(Path lockFile, QuartzSetup setup, StandingJobs standing, RunningQuartz running, Planning planning, TriggerZones zones) {
    this.lockFile = lockFile;
    this.setup = setup;
    this.standing = standing;
    this.running = running;
    this.planning = planning;
    this.zones = zones;
  }

  /**
   * Starts the scheduler if this process gets the lock, or else waits for it as a standby, trying it every poll interval.
   * Whoever gets the lock, now or later, first runs {@code takeOver} once the scheduler is started: the clean-up of
   * leftovers and the scheduling of jobs, which only the lock holder may do (the other process's files in flight are no
   * leftovers).
   */
  public synchronized Schedules start(AppJobs jobs, Runnable takeOver) {
    if (running.jobs() != null) {
      throw new IllegalStateException("the scheduler was started already");
    }
    running.startingWith(jobs);
    ClusterStore cluster = setup.cluster();
    if (cluster != null) {
      // no lock and no standby: every node runs the schedules, and the store fires each run on one of them
      log.info("Scheduler runs as node {} of a cluster: the schedules are shared in the database, each run fires on one node", cluster.node());
      run(null, takeOver);
      return this;
    }
    Optional<SchedulerLock> acquired;
    try {
      acquired = SchedulerLock.tryAcquire(lockFile);
    } catch (OwnedPaths.Unusable e) {
      throw new IllegalStateException(e.getMessage(), e);
    } catch (IOException e) {
      throw new IllegalStateException("cannot open the scheduler lock " + lockFile + ": " + e.getMessage() + " — check that DATA_DIR is writable", e);
    }
    if (acquired.isPresent()) {
      run(acquired.get(), takeOver);
      return this;
    }
    String reason = "another Pi-hole Checkpoint process holds " + lockFile + " and runs the schedules for this DATA_DIR;"
        + " this one takes over when that one stops (checked every " + standing.pollInterval().toSeconds() + " s)";
    running.notRunning(reason);
    log.warn("Scheduler on standby: {}. To run both, give each its own DATA_DIR.", reason);
    try {
      // the lock is tried by Quartz too: a process has no timer thread beside its one scheduler
      Scheduler quartz = newQuartz(() -> poll(takeOver));
      quartz.scheduleJob(JobBuilder.newJob(LockPollJob.class).withIdentity(LOCK_POLL).build(), standing.everyPoll(LOCK_POLL));
      quartz.start();
      waiting = quartz;
    } catch (SchedulerException e) {
      throw new IllegalStateException("the Quartz scheduler did not start: " + e.getMessage(), e);
    }
    return this;
  }

  private Scheduler newQuartz(Runnable lockPoll) throws SchedulerException {
    QuartzSetup.Made made = setup.make(running.jobs(), lockPoll, takenOver::await, this::lookAtZones);
    running.made(made.factory(), made.slots());
    return made.quartz();
  }

  /** The regular look at the other process on this DATA_DIR: a standby tries its lock, the holder looks at what was changed through it. */
  private void poll(Runnable takeOver) {
    if (waiting != null) {
      tryLock(takeOver);
    } else {
      planning.lookForChanges();
    }
  }

  /**
   * One try of the standby for the lock, by its Quartz job. Once the other process has let go
   * (stopped or died; the OS releases the lock of a dead process) it takes over, once. Tried
   * under the monitor close() takes: a standby closed while its try was on its way never holds
   * the lock, not even for the moment it takes to let it go, where a process starting then would
   * find it held and stay a standby itself.
   */
  private synchronized void tryLock(Runnable takeOver) {
    if (running.closed() || waiting == null) {
      return;
    }
    try {
      SchedulerLock.tryAcquire(lockFile).ifPresent(acquired -> takeOverLater(acquired, takeOver));
    } catch (IOException e) {
      log.warn("Could not try the scheduler lock {}: {}; trying again — check that DATA_DIR is writable", lockFile, e.getMessage());
    } catch (RuntimeException e) {
      log.error("Taking over the schedules failed; this process stays without them — restart it", e);
    }
  }

  private synchronized void takeOverLater(SchedulerLock acquired, Runnable takeOver) {
    Scheduler quartz = waiting;
    if (running.closed() || quartz == null) {
      closeQuietly(acquired);
      return;
    }
    waiting = null;
    log.info("The other process released the scheduler lock {}: this one takes over the schedules", lockFile);
    try {
      quartz.deleteJob(LOCK_POLL); // no further tries; this one runs to its end
    } catch (SchedulerException e) {
      shutDownQuietly(quartz);
      closeQuietly(acquired);
      throw new IllegalStateException("the Quartz scheduler did not take over: " + e.getMessage(), e);
    }
    run(acquired, takeOver, quartz);
    log.info("Took over the schedules: {} backup job(s) scheduled", running.status().jobs());
  }

  private void run(SchedulerLock acquired, Runnable takeOver) {
    try {
      run(acquired, takeOver, newQuartz(() -> poll(takeOver)));
    } catch (SchedulerException e) {
      closeQuietly(acquired);
      throw new IllegalStateException("the Quartz scheduler did not start: " + e.getMessage(), e);
    }
  }

  private void run(SchedulerLock acquired, Runnable takeOver, Scheduler started) {
    String reason = running.status().reason();
    try {
      // its own jobs first: the scheduler shows as running only once they are in
      planning.planStanding(started);
      running.running(started);
      started.start();
      this.lock = acquired;
    } catch (SchedulerException e) {
      running.notRunning(reason);
      shutDownQuietly(started);
      closeQuietly(acquired);
      throw new IllegalStateException("the Quartz scheduler did not start: " + e.getMessage(), e);
    }
    try {
      takeOver.run();
    } finally {
      takenOver.countDown();
    }
    planned = true;
    if (setup.cluster() == null) {
      lookAtZones(); // a cluster's node looks after each check-in
    }
  }

  /** See {@link TriggerZones}: after each check-in of a cluster's node, once the start's plan is written (before, it would race it). */
  void lookAtZones() {
    Scheduler quartz = running.quartz();
    if (quartz != null && planned && !running.closed()) {
      zones.look(quartz);
    }
  }

  /** Time between two runs of the schedule (for cron: its next two, from now). */
  public static Duration period(Schedule schedule) {
    return switch (schedule.kind()) {
      case HOURLY -> Duration.ofHours(1);
      case DAILY -> Duration.ofDays(1);
      case WEEKLY -> Duration.ofDays(7);
      case CRON -> {
        try {
          org.quartz.CronExpression cron = new org.quartz.CronExpression(schedule.cronExpression());
          Date next = cron.getNextValidTimeAfter(new Date());
          Date after = next == null ? null : cron.getNextValidTimeAfter(next);
          yield next == null || after == null ? Duration.ofDays(1) : Duration.ofMillis(after.getTime() - next.getTime());
        } catch (java.text.ParseException | IllegalArgumentException e) {
          yield Duration.ofDays(1); // an unreadable stored cron is reported where it is scheduled
        }
      }
    };
  }

  /** Stops new runs, waits a bounded time for a running backup, then shuts Quartz down; a cluster's manual runs end with {@link Launches#close}. */
  @Override
  public synchronized void close() {
    running.closing();
    Scheduler standby = waiting;
    if (standby != null) {
      waiting = null;
      shutDownQuietly(standby); // a try of the lock still to come finds the schedules closed, and does not try
    }
    Scheduler quartz = running.quartz();
    if (quartz == null || isShutdown(quartz)) {
      return;
    }
    try {
      QuartzShutdown.stop(quartz, running.jobs());
    } catch (SchedulerException e) {
      log.warn("Quartz did not shut down cleanly: {}", e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      closeQuietly(lock);
    }
  }

  private static boolean isShutdown(Scheduler quartz) {
    try {
      return quartz.isShutdown();
    } catch (SchedulerException e) {
      return false;
    }
  }

  private static void shutDownQuietly(Scheduler quartz) {
    try {
      quartz.shutdown(false);
    } catch (SchedulerException e) {
      log.warn("Quartz did not shut down cleanly: {}", e.getMessage());
    }
  }

  private static void closeQuietly(SchedulerLock lock) {
    if (lock == null) {
      return; // a node of a cluster holds none
    }
    try {
      lock.close();
    } catch (IOException e) {
      log.warn("Could not release the scheduler lock: {}", e.getMessage());
    }
  }
}
