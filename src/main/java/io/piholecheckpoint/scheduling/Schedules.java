package io.piholecheckpoint.scheduling;

import java.util.concurrent.CountDownLatch;
import io.piholecheckpoint.core.archive.work.ArchiveWork;
import io.piholecheckpoint.core.backup.catalog.BackupConflictException;
import io.piholecheckpoint.core.backup.BackupService;
import io.piholecheckpoint.core.instance.InstanceLabel;
import io.piholecheckpoint.core.backup.runs.UnstartedRuns;
import io.piholecheckpoint.core.files.OwnedPaths;
import io.piholecheckpoint.core.health.ScheduledTriggers;
import io.piholecheckpoint.core.health.SchedulerStatus;
import io.piholecheckpoint.core.health.SchedulerView;
import io.piholecheckpoint.core.instance.PiholeInstance;
import io.piholecheckpoint.core.maintenance.MaintenanceService;
import io.piholecheckpoint.core.manual.BackupLauncher;
import io.piholecheckpoint.core.manual.BackupTickets;
import io.piholecheckpoint.core.offsite.OffsiteService;
import io.piholecheckpoint.core.schedule.Schedule;
import io.piholecheckpoint.core.schedule.Spread;
import io.piholecheckpoint.core.sync.SyncConflictException;
import io.piholecheckpoint.core.sync.SyncLauncher;
import io.piholecheckpoint.core.sync.SyncService;
import io.piholecheckpoint.core.units.LogText;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.Collection;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.UUID;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.LongFunction;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import org.quartz.JobBuilder;
import org.quartz.JobDataMap;
import org.quartz.JobKey;
import org.quartz.Scheduler;
import org.quartz.SchedulerException;
import org.quartz.Trigger;
import org.quartz.TriggerKey;
import org.quartz.impl.matchers.GroupMatcher;
import org.quartz.impl.SchedulerRepository;
import org.quartz.impl.StdSchedulerFactory;
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
 */
public final class Schedules implements AutoCloseable, SchedulerView, BackupLauncher, SyncLauncher {
  private static final Logger log = LoggerFactory.getLogger(Schedules.class);
  private static final String GROUP = BackupPlans.GROUP;

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
  private final ZoneId zone;
  private final Clock clock;
  private final Duration pollInterval;
  private final Duration misfireThreshold;
  /** The count of changes of the sync groups added in the UI when they were last planned here. */
  private volatile long syncPlanned = -1;
  /** Where the instances' schedules come from, and their count of changes when they were last planned here (-1: not yet). */
  private volatile InstancePlan instances;
  private volatile long instancesPlanned = -1;
  /** Held while one instance is planned after a change here. */
  private final Object planning = new Object();
  /** The instances' backup jobs and triggers. */
  private final BackupPlans plans;
  /** When those fire next. */
  private final BackupFires fires;
  /** The scheduler's own jobs that repeat. */
  private final StandingJobs standing;
  /** Null with SQLite: Quartz's in-memory store, the file lock and a standby. */
  private final ClusterStore cluster;
  private volatile AppJobFactory factory;
  /** A cluster's node's manual backups, run where they were asked for. */
  private final ManualRuns manualRuns = new ManualRuns();
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
  private volatile AppJobs jobs;
  private volatile BackupSlots slots = new BackupSlots(AppJobs.PARALLEL_BACKUPS);
  private volatile Scheduler scheduler;
  private volatile SchedulerLock lock;
  /** A standby's Quartz, with one job: trying the lock. Once it is taken, the same Quartz runs the schedules. */
  private volatile Scheduler waiting;
  private volatile String notRunningReason;
  private volatile boolean closed;

  /**
   * A scheduler not started yet: until {@link #start(AppJobs, Consumer)} it runs nothing, and
   * refuses to launch a backup as a standby does.
   *
   * @param pollInterval how often a standby tries the lock
   * @param offsiteFirst how long after the start the first off-site run (catch-up and adoption) comes
   */
  public Schedules(Path lockFile, ZoneId zone, Clock clock, Duration pollInterval, Duration offsiteFirst) {
    this(lockFile, zone, clock, pollInterval, offsiteFirst, Spread.NONE);
  }

  /** @param spread SCHEDULE_SPREAD: each instance's runs start its stable offset after the schedule's time */
  public Schedules(Path lockFile, ZoneId zone, Clock clock, Duration pollInterval, Duration offsiteFirst, Spread spread) {
    this(lockFile, zone, clock, pollInterval, offsiteFirst, spread, null);
  }

  /** @param cluster the shared job store of a cluster's nodes (PostgreSQL); null for one node with its file lock */
  public Schedules(Path lockFile, ZoneId zone, Clock clock, Duration pollInterval, Duration offsiteFirst, Spread spread, ClusterStore cluster) {
    this(lockFile, zone, clock, pollInterval, offsiteFirst, spread, cluster, OFFSITE_EVERY);
  }

  /**
   * @param offsiteEvery how often the off-site run looks for due copies: {@link #OFFSITE_EVERY} in the app; a test that waits
   *     for a run after it moved its clock gives a shorter period rather than wait out a minute
   */
  public Schedules(Path lockFile, ZoneId zone, Clock clock, Duration pollInterval, Duration offsiteFirst, Spread spread, ClusterStore cluster,
                   Duration offsiteEvery) {
    this(lockFile, zone, clock, pollInterval, offsiteFirst, spread, cluster, offsiteEvery, CATCH_UP_DELAY, MISFIRE_THRESHOLD);
  }

  /**
   * @param catchUpDelay how long after a start a missed run is caught up: CATCH_UP_DELAY_SECONDS, {@link #CATCH_UP_DELAY} by default
   * @param misfireThreshold {@link #MISFIRE_THRESHOLD} in the app; not a cluster's, whose store keeps its own
   */
  public Schedules(Path lockFile, ZoneId zone, Clock clock, Duration pollInterval, Duration offsiteFirst, Spread spread, ClusterStore cluster,
                   Duration offsiteEvery, Duration catchUpDelay, Duration misfireThreshold) {
    this.cluster = cluster;
    this.lockFile = lockFile;
    this.zone = zone;
    this.clock = clock;
    this.pollInterval = pollInterval;
    this.misfireThreshold = misfireThreshold;
    this.plans = new BackupPlans(zone, clock, spread, cluster != null, catchUpDelay);
    this.fires = new BackupFires(cluster == null ? null : cluster.triggers());
    this.standing = new StandingJobs(zone, clock, pollInterval, offsiteFirst, offsiteEvery, cluster != null);
    this.zones = new TriggerZones(zone, cluster == null ? null : cluster.triggers(), this::replan);
    this.notRunningReason = "the scheduler has not started yet";
  }

  /**
   * Starts the scheduler if this process gets the lock, or else waits for it as a standby,
   * trying it every {@code pollInterval}. Whoever gets the lock, now or later, first hands the
   * started scheduler to {@code takeOver}: the clean-up of leftovers and the scheduling of
   * jobs, which only the lock holder may do (the other process's files in flight are no
   * leftovers).
   */
  public static Schedules start(AppJobs jobs, Path lockFile, ZoneId zone, Clock clock, Duration pollInterval, Consumer<Schedules> takeOver) {
    return new Schedules(lockFile, zone, clock, pollInterval, OFFSITE_FIRST).start(jobs, takeOver);
  }

  /** How often the off-site run looks for due copies. */
  Duration offsiteEvery() {
    return standing.offsiteEvery();
  }

  /** Starts this scheduler with the jobs it runs; see {@link #start(AppJobs, Path, ZoneId, Clock, Duration, Consumer)}. */
  public synchronized Schedules start(AppJobs jobs, Consumer<Schedules> takeOver) {
    if (this.jobs != null) {
      throw new IllegalStateException("the scheduler was started already");
    }
    this.jobs = jobs;
    Schedules schedules = this;
    if (cluster != null) {
      // no lock and no standby: every node runs the schedules, and the store fires each run on one of them
      log.info("Scheduler runs as node {} of a cluster: the schedules are shared in the database, each run fires on one node", cluster.node());
      run(null, takeOver);
      return schedules;
    }
    Optional<SchedulerLock> lock;
    try {
      lock = SchedulerLock.tryAcquire(lockFile);
    } catch (OwnedPaths.Unusable e) {
      throw new IllegalStateException(e.getMessage(), e);
    } catch (IOException e) {
      throw new IllegalStateException("cannot open the scheduler lock " + lockFile + ": " + e.getMessage() + " — check that DATA_DIR is writable", e);
    }
    if (lock.isPresent()) {
      schedules.run(lock.get(), takeOver);
      return schedules;
    }
    schedules.notRunningReason = "another Pi-hole Checkpoint process holds " + lockFile + " and runs the schedules for this DATA_DIR;"
        + " this one takes over when that one stops (checked every " + pollInterval.toSeconds() + " s)";
    log.warn("Scheduler on standby: {}. To run both, give each its own DATA_DIR.", schedules.notRunningReason);
    try {
      // the lock is tried by Quartz too: a process has no timer thread beside its one scheduler
      Scheduler quartz = newQuartz(() -> poll(takeOver));
      quartz.scheduleJob(JobBuilder.newJob(LockPollJob.class).withIdentity(LOCK_POLL).build(), standing.everyPoll(LOCK_POLL));
      quartz.start();
      schedules.waiting = quartz;
    } catch (SchedulerException e) {
      throw new IllegalStateException("the Quartz scheduler did not start: " + e.getMessage(), e);
    }
    return schedules;
  }

  private Scheduler newQuartz(Runnable lockPoll) throws SchedulerException {
    slots = new BackupSlots(jobs.maxParallelBackups());
    Properties properties = quartzProperties(slots.max(), StandingJobs.lanes(jobs.offsite()).size(), misfireThreshold);
    if (cluster != null) {
      properties.putAll(cluster.properties(this::lookAtZones));
    }
    Scheduler quartz = new StdSchedulerFactory(properties).getScheduler();
    if (cluster != null) {
      // every node's scheduler has the cluster's one name, and Quartz's JVM-wide registry would hand a second web context this one
      SchedulerRepository.getInstance().remove(ClusterStore.SCHEDULER_NAME);
    }
    factory = new AppJobFactory(jobs, new AppJobFactory.OwnJobs(lockPoll, zones, plans::planned, takenOver::await), slots, clock, cluster != null);
    quartz.setJobFactory(factory);
    if (cluster == null) {
      quartz.getListenerManager().addTriggerListener(new LateFires(quartz, plans::planned), GroupMatcher.triggerGroupEquals(GROUP));
    }
    return quartz;
  }

  /**
   * One try of the standby for the lock, by its Quartz job. Once the other process has let go
   * (stopped or died; the OS releases the lock of a dead process) it takes over, once. Tried
   * under the monitor close() takes: a standby closed while its try was on its way never holds
   * the lock, not even for the moment it takes to let it go, where a process starting then would
   * find it held and stay a standby itself.
   */
  /** The regular look at the other process on this DATA_DIR: a standby tries its lock, the holder looks at what was changed through it. */
  private void poll(Consumer<Schedules> takeOver) {
    if (waiting != null) {
      tryLock(takeOver);
    } else {
      lookForChanges();
    }
  }

  /**
   * The process holding the lock plans the sync groups again once a group was changed through the
   * other process on this DATA_DIR (a standby serves the UI and the API too, and planned nothing):
   * otherwise a group added there with a schedule of its own never fired here until a restart.
   */
  private void lookForChanges() {
    try {
      InstancePlan plan = instances;
      if (plan != null && plan.changes().getAsLong() != instancesPlanned) {
        if (instancesPlanned != -1) {
          log.info("Instances were changed through another process on this DATA_DIR: their schedules are compared with them here,"
              + " and those that differ written again");
        }
        planInstances(); // the sync groups with them
      }
      if (jobs.sync() != null && jobs.sync().groups().changes() != syncPlanned) {
        log.info("Sync groups were changed through another process on this DATA_DIR: planned again here");
        rescheduleSync();
      }
    } catch (RuntimeException e) {
      // the database is out of reach: what is planned stays, and the next look tries again (health and pages say it is unreachable)
      log.debug("Could not look for changes made through another process: {}", e.getMessage());
    }
  }

  /**
   * Where the instances' schedules are planned from after a change: the count of their changes (through any process sharing
   * the database), every instance (the look at a change made through the other process, which does not say which one), and
   * one instance by its id (empty once it is deleted).
   */
  public record InstancePlan(LongSupplier changes, Supplier<List<PiholeInstance>> all, LongFunction<Optional<PiholeInstance>> one) {
  }

  /** From now on the instances are planned with this after a change here, and after one through the standby on this DATA_DIR. */
  public void planInstancesWith(InstancePlan plan) {
    this.instances = plan;
    if (scheduler != null) {
      // the start has just planned every instance: the first look plans again only after a change
      instancesPlanned = plan.changes().getAsLong();
    }
  }

  /**
   * The instances' schedules again, after a change through the other process on this DATA_DIR: each trigger is compared
   * with its instance and only those that differ are written. The count is read before the instances, so that a change
   * committed meanwhile is planned at the next look.
   */
  public void planInstances() {
    InstancePlan plan = instances;
    if (plan == null) {
      return;
    }
    long changes = plan.changes().getAsLong();
    reschedule(plan.all().get());
    if (scheduler != null) {
      instancesPlanned = changes;
    }
  }

  /**
   * One instance's job and triggers again, after it was added, changed or deleted here; the other instances' are left as
   * they are. Planning every instance at each change wrote a thousand jobs per add in a cluster of a thousand Pi-holes,
   * and concurrent adds drained the connection pool. The other nodes of a cluster share the triggers; the other process
   * on a SQLite DATA_DIR sees the count of changes move and compares (see {@link #planInstances()}).
   */
  public void planInstance(long id) {
    InstancePlan plan = instances;
    Scheduler running = scheduler;
    if (plan == null || running == null) {
      return; // a standby plans nothing: the process that runs the schedules does, at its next look
    }
    // one change at a time per node: each write below takes Quartz's lock row in the shared store while it holds a pooled
    // connection, and many adds at once waiting for that row in the database held every connection of the pool
    synchronized (planning) {
      plan.one().apply(id).ifPresentOrElse(i -> plans.planOne(running, i), () -> plans.drop(running, id));
      rescheduleSync(); // the instance may complete a sync group, or end one
    }
    if (cluster == null) {
      // committed before this read: a count one past the last plan is this change alone, and the next look has nothing to compare
      long changes = plan.changes().getAsLong();
      if (changes == instancesPlanned + 1) {
        instancesPlanned = changes;
      }
    }
  }

  private synchronized void tryLock(Consumer<Schedules> takeOver) {
    if (closed || waiting == null) {
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

  private synchronized void takeOverLater(SchedulerLock acquired, Consumer<Schedules> takeOver) {
    Scheduler quartz = waiting;
    if (closed || quartz == null) {
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
    log.info("Took over the schedules: {} backup job(s) scheduled", status().jobs());
  }

  private void run(SchedulerLock acquired, Consumer<Schedules> takeOver) {
    try {
      run(acquired, takeOver, newQuartz(() -> poll(takeOver)));
    } catch (SchedulerException e) {
      closeQuietly(acquired);
      throw new IllegalStateException("the Quartz scheduler did not start: " + e.getMessage(), e);
    }
  }

  private void run(SchedulerLock acquired, Consumer<Schedules> takeOver, Scheduler started) {
    try {
      // its own jobs first: the scheduler shows as running only once they are in
      standing.scheduleAll(started, jobs.offsite());
      scheduleSync(started);
      // known before it starts: a job that fires at once (OFFSITE_FIRST_RUN_SECONDS=0) starts other jobs through it
      this.scheduler = started;
      started.start();
      this.lock = acquired;
      this.notRunningReason = null;
    } catch (SchedulerException e) {
      this.scheduler = null;
      shutDownQuietly(started);
      closeQuietly(acquired);
      throw new IllegalStateException("the Quartz scheduler did not start: " + e.getMessage(), e);
    }
    try {
      takeOver.accept(this);
    } finally {
      takenOver.countDown();
    }
    planned = true;
    if (cluster == null) {
      lookAtZones(); // a cluster's node looks after each check-in
    }
  }

  /** See {@link TriggerZones}: after each check-in of a cluster's node, once the start's plan is written (before, it would race it). */
  void lookAtZones() {
    Scheduler running = scheduler;
    if (running != null && planned && !closed) {
      zones.look(running);
    }
  }

  /** Each trigger found in another zone written again in TIME_ZONE, one change at a time with the plans after a change here. */
  private void replan(List<ScheduledTriggers.Stored> found) {
    synchronized (planning) {
      boolean sync = false;
      for (ScheduledTriggers.Stored stored : found) {
        try {
          sync |= replanOne(stored);
        } catch (SchedulerException | RuntimeException e) {
          log.error("Could not plan the trigger {}.{} again in time zone {}; the next check-in looks again", stored.group(), stored.name(), zone, e);
        }
      }
      if (sync) {
        rescheduleSync();
      }
    }
  }

  /** @return whether it is a sync group's, planned again with the others after the loop */
  private boolean replanOne(ScheduledTriggers.Stored stored) throws SchedulerException {
    String kept = kept(stored);
    InstancePlan plan = instances;
    if (GROUP.equals(stored.group()) && stored.name().startsWith("instance-") && plan != null) {
      long id = BackupPlans.instanceIdOf(stored.name());
      Optional<PiholeInstance> instance = plan.one().apply(id);
      warnKeptElsewhere(instance.map(PiholeInstance::name).orElse(null), id, kept);
      instance.ifPresentOrElse(i -> plans.planOne(scheduler, i), () -> plans.drop(scheduler, id));
      return false;
    }
    log.warn("The trigger {}.{} {} (written by an earlier build, or by a node whose JVM runs in another TZ); it is planned again in {};"
        + " nothing to do", stored.group(), stored.name(), kept, zone);
    if (StandingJobs.MAINTENANCE_GROUP.equals(stored.group()) && stored.name().equals("daily")) {
      standing.scheduleMaintenance(scheduler);
      return false;
    }
    return true; // a sync group's (or one no plan writes: the sync plan leaves what it does not know)
  }

  /** How the trigger was kept, in the words of the warnings. */
  private String kept(ScheduledTriggers.Stored stored) {
    return stored.zone() == null ? "was kept in the JVM's default zone, not in TIME_ZONE " + zone
        : stored.zone().equals(Triggers.storedId(zone)) ? "was kept in TIME_ZONE " + zone + " but without keeping its hour across daylight-saving changes"
        : "was kept in time zone " + stored.zone() + ", not in TIME_ZONE " + zone;
  }

  /** @param name the instance's name; null when it was deleted */
  private void warnKeptElsewhere(String name, long id, String kept) {
    log.warn("The schedule of Pi-hole '{}' (instance {}) {} (written by an earlier build, or by a node whose JVM runs in another TZ): its"
        + " backups ran at another hour. It is planned again in {}; nothing to do", name == null ? "(deleted)" : LogText.of(name), id, kept, zone);
  }

  /**
   * @param backups MAX_PARALLEL_BACKUPS: a thread for each
   * @param lanes one thread more for each: a stalled destination's copies never hold the thread a backup needs
   * @param misfireThreshold the in-memory store's; a cluster's store sets its own over it
   */
  static Properties quartzProperties(int backups, int lanes, Duration misfireThreshold) {
    Properties p = new Properties();
    // unique per context: Quartz keeps schedulers in a JVM-wide registry by name
    p.setProperty(StdSchedulerFactory.PROP_SCHED_INSTANCE_NAME, "checkpoint-" + UUID.randomUUID());
    p.setProperty(StdSchedulerFactory.PROP_JOB_STORE_CLASS, "org.quartz.simpl.RAMJobStore");
    p.setProperty("org.quartz.jobStore.misfireThreshold", String.valueOf(misfireThreshold.toMillis()));
    // the backups' slots and two more: a long off-site upload and the daily maintenance together still leave
    // the backups theirs, and a backup waiting for a slot gives its thread back (BackupSlots)
    p.setProperty("org.quartz.threadPool.class", OnDemandWorkers.class.getName()); // started when a job needs one, daemons
    p.setProperty("org.quartz.threadPool.threadCount", String.valueOf(backups + 2 + lanes));
    p.setProperty("org.quartz.scheduler.makeSchedulerThreadDaemon", "true");
    p.setProperty("org.quartz.scheduler.skipUpdateCheck", "true");
    return p;
  }

  /**
   * What the jobs run.
   *
   * @param work the permits for archive work; jobs wait for one as long as it takes, they are not a person waiting
   * @param conditions the look at states that are no events (stale backups, low disk space), every {@link StandingJobs#CONDITIONS_EVERY}
   * @param maxParallelBackups backups run at once (MAX_PARALLEL_BACKUPS); the others wait in {@link BackupSlots}
   * @param unstarted where scheduled runs that failed before writing any record are kept for /health and /metrics
   * @param firstDatabaseRetry when a scheduled run the database failed is first tried again (DATABASE_RETRY_SECONDS)
   */
  public record AppJobs(BackupService backups, BackupTickets tickets, MaintenanceService maintenance, ArchiveWork work, Runnable conditions,
                        OffsiteService offsite, SyncService sync, int maxParallelBackups, UnstartedRuns unstarted, Duration firstDatabaseRetry) {
    /** MAX_PARALLEL_BACKUPS's default. */
    public static final int PARALLEL_BACKUPS = 4;
    /** DATABASE_RETRY_SECONDS's default: a scheduled run the database failed is tried again this long after, then twice as long each time. */
    public static final Duration FIRST_DATABASE_RETRY = Duration.ofSeconds(30);

    public AppJobs(BackupService backups, BackupTickets tickets, MaintenanceService maintenance, ArchiveWork work, Runnable conditions,
                   OffsiteService offsite, SyncService sync, int maxParallelBackups, UnstartedRuns unstarted) {
      this(backups, tickets, maintenance, work, conditions, offsite, sync, maxParallelBackups, unstarted, FIRST_DATABASE_RETRY);
    }

    public AppJobs(BackupService backups, BackupTickets tickets, MaintenanceService maintenance, ArchiveWork work, Runnable conditions,
                   OffsiteService offsite, SyncService sync, int maxParallelBackups) {
      this(backups, tickets, maintenance, work, conditions, offsite, sync, maxParallelBackups, new UnstartedRuns(UnstartedRuns.Listener.NONE));
    }

    public AppJobs(BackupService backups, BackupTickets tickets, MaintenanceService maintenance, ArchiveWork work, Runnable conditions,
                   OffsiteService offsite, SyncService sync) {
      this(backups, tickets, maintenance, work, conditions, offsite, sync, PARALLEL_BACKUPS);
    }

    public AppJobs(BackupService backups, BackupTickets tickets, MaintenanceService maintenance) {
      this(backups, tickets, maintenance, ArchiveWork.unbounded(), () -> { }, null, null, PARALLEL_BACKUPS);
    }
  }

  /**
   * Runs a sync group's job now (after a backup of its primary, or asked for with a ticket). A run
   * of it in progress is not doubled: the job does not run concurrently, and this one follows it.
   */
  @Override
  public void launch(String groupId, String ticketId) {
    Scheduler running = scheduler;
    if (running == null && ticketId == null) {
      return; // a standby syncs nothing after a backup: its backups are not the scheduled ones
    }
    if (running == null) {
      String reason = status().reason();
      throw new SyncConflictException("syncs cannot start here: the scheduler is not running in this process"
          + (reason == null ? "" : " (" + reason + ")") + "; sync from the Pi-hole Checkpoint process that runs the schedules (a dry run too: it logs in to the Pi-holes)");
    }
    try {
      JobDataMap data = new JobDataMap();
      if (ticketId != null) {
        data.put(SyncJob.TICKET, ticketId);
      }
      running.triggerJob(SyncPlan.job(groupId), data);
    } catch (SchedulerException e) {
      log.warn("Could not start sync group {}: {}", groupId, e.getMessage());
      if (ticketId != null) {
        throw new SyncConflictException("the sync could not be queued because of an unexpected error; the server log has the details");
      }
    }
  }

  /**
   * Runs the off-site copy job now (after a backup queued copies) instead of at its next minute. A
   * run in progress is not doubled: the job does not run concurrently, and this one follows it.
   */
  public void wakeOffsiteCopies() {
    Scheduler running = scheduler;
    if (running == null) {
      return; // a standby copies nothing; the process that runs the schedules picks the queue up
    }
    try {
      if (!running.checkExists(StandingJobs.OFFSITE)) {
        standing.scheduleOffsite(running, jobs.offsite()); // the first destination was added in Settings: from now on the job runs every OFFSITE_EVERY
      }
      if (!running.checkExists(StandingJobs.OFFSITE)) {
        return;
      }
      running.triggerJob(StandingJobs.OFFSITE);
    } catch (SchedulerException e) {
      log.warn("Could not start the off-site copies now ({}); they start within {} s", e.getMessage(), standing.offsiteEvery().toSeconds());
    }
  }

  /**
   * Starts the destination's copies in their own job (see {@link io.piholecheckpoint.core.offsite.lanes.CopyLanes}), or, while
   * they run still, once more right after them ({@link LaneRuns}).
   *
   * @return 0: the copies run on in their job
   */
  public int startOffsiteLane(String destination) {
    Scheduler running = scheduler;
    if (running == null || closed) {
      return 0;
    }
    JobKey key = OffsiteCopyJob.key(destination);
    try {
      if (!running.checkExists(key)) {
        StandingJobs.addOffsiteLane(running, destination); // added in Settings since the start
      }
      LaneRuns.startOrQueue(running, key);
    } catch (SchedulerException e) {
      log.warn("Could not start the off-site copies to {} ({}); the next run within {} s tries again", destination, e.getMessage(),
          standing.offsiteEvery().toSeconds());
    }
    return 0;
  }

  /**
   * One backup job for each instance and its schedule's trigger (the others' jobs removed), and one catch-up
   * run for each instance whose scheduled run was missed while the application was down: the plan at a start
   * (a change of one instance is {@link #planInstance}).
   *
   * @param lastAttempt when each instance (by id) was last backed up, successfully or not
   */
  public void scheduleAll(List<PiholeInstance> instances, Function<Long, Optional<Instant>> lastAttempt) {
    if (scheduler == null) {
      return;
    }
    InstancePlan plan = this.instances;
    if (plan != null) {
      // a standby's plan came before its takeover (this plan of all): its first look would plan (and log) every instance again
      instancesPlanned = plan.changes().getAsLong();
    }
    warnOfOtherZones(scheduler, instances);
    plans.planAll(scheduler, instances, lastAttempt);
    rescheduleSync();
  }

  /**
   * The start writes each instance's trigger again in TIME_ZONE before any check-in looks for those kept in another zone:
   * without this look first, a schedule that ran at another hour was mended silently, with none of the warning the README
   * promises (and that a replan after a check-in logs).
   */
  private void warnOfOtherZones(Scheduler running, List<PiholeInstance> instances) {
    for (PiholeInstance instance : instances) {
      try {
        Trigger kept = instance.scheduled() ? running.getTrigger(TriggerKey.triggerKey("instance-" + instance.id(), GROUP)) : null;
        if (kept != null && !Triggers.inZone(kept, zone)) {
          warnKeptElsewhere(instance.name(), instance.id(), kept(new ScheduledTriggers.Stored(GROUP, "instance-" + instance.id(),
              Triggers.storedZone(kept).orElse(null))));
        }
      } catch (SchedulerException | RuntimeException e) {
        log.debug("Could not look at the zone of the trigger of {}: {}; it is planned in {} all the same", InstanceLabel.of(instance), e.getMessage(),
            zone);
      }
    }
  }

  /** Where an instance that cannot be scheduled is reported (by default only logged). */
  public void reportUnschedulableTo(BiConsumer<PiholeInstance, String> report) {
    plans.reportUnschedulableTo(report);
  }

  /** Runs a queued manual backup as soon as the instance's job is free; only in the process that runs the schedules. */
  @Override
  public void launch(long instanceId, String ticketId) {
    Scheduler running = scheduler;
    if (running != null && cluster != null) {
      runHere(instanceId, ticketId);
      return;
    }
    if (running == null) {
      // a standby's reason names the other process: without it, "try again" would never work
      String reason = status().reason();
      throw new BackupConflictException("backups cannot start here: the scheduler is not running in this process"
          + (reason == null ? "" : " (" + reason + ")") + "; back up from the Pi-hole Checkpoint process that runs the schedules");
    }
    try {
      running.triggerJob(BackupPlans.jobKey(instanceId), new JobDataMap(Map.of(BackupJob.TICKET_ID, ticketId)));
    } catch (SchedulerException e) {
      // Quartz's text names its job store and rows: the log keeps it, the caller gets a plain sentence
      log.error("Could not queue the manual backup of {}", InstanceLabel.of(instanceId, plans::planned), e);
      throw new BackupConflictException("the backup could not be queued because of an unexpected error; the server log has the details");
    }
  }

  private synchronized void runHere(long instanceId, String ticketId) {
    if (closed) {
      throw new BackupConflictException("backups cannot start here: this node is stopping; back up from another node");
    }
    manualRuns.run(factory.backupJob(), instanceId, ticketId);
  }


  /**
   * After a change of settings: each instance's job and trigger compared with what it should be, and written only where
   * they differ (a catch-up already planned stays); the jobs of instances no longer listed go. No missed runs are looked for.
   */
  public void reschedule(List<PiholeInstance> instances) {
    Scheduler running = scheduler;
    if (running == null) {
      return;
    }
    plans.replanAll(running, instances);
    rescheduleSync();
  }

  /** The next time the instance's job fires (its schedule or a catch-up), if it is scheduled here. */
  @Override
  public Optional<Instant> nextRun(long instanceId) {
    Scheduler running = scheduler;
    return running == null ? Optional.empty() : fires.next(running, instanceId);
  }

  /** The instance's own schedule's trigger as Quartz keeps it, if it is scheduled here. */
  Optional<Trigger> scheduleTrigger(long instanceId) {
    Scheduler running = scheduler;
    return running == null ? Optional.empty() : BackupFires.scheduleTrigger(running, instanceId);
  }

  /** In a cluster, one query for them all (see {@link BackupFires}). */
  @Override
  public Map<Long, Instant> nextRuns(Collection<Long> instanceIds) {
    if (scheduler == null || !fires.shared()) {
      return SchedulerView.super.nextRuns(instanceIds);
    }
    return fires.next(instanceIds);
  }

  /** Since when the instance's backup waits for one of the MAX_PARALLEL_BACKUPS slots, if it does. */
  @Override
  public Optional<Instant> waitingSince(long instanceId) {
    return slots.waitingSince(instanceId);
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

  /** A durable job per sync group that runs, which after-backup triggers start; a trigger of its own for a group with a schedule. */
  private void scheduleSync(Scheduler scheduler) throws SchedulerException {
    if (jobs.sync() != null) {
      long changes = jobs.sync().groups().changes(); // before the plan: a change committed meanwhile is planned at the next look
      SyncPlan.plan(scheduler, jobs.sync().groups(), zone, clock.instant());
      syncPlanned = changes;
    }
  }

  /**
   * The sync groups again, after a change of the instances or of a group added in the UI: one may
   * have begun or stopped running, or run on another schedule. Nothing to do where the scheduler
   * does not run (yet): it plans them when it starts.
   */
  public void rescheduleSync() {
    Scheduler running = scheduler;
    if (running == null) {
      return;
    }
    try {
      scheduleSync(running);
    } catch (SchedulerException | RuntimeException e) {
      log.error("Could not schedule the sync groups again after a change of the instances or of a group", e);
    }
  }

  /** When the sync group's own schedule fires next, if it has one and runs here. */
  public Optional<Instant> nextSync(String groupId) {
    Scheduler running = scheduler;
    if (running == null) {
      return Optional.empty();
    }
    try {
      return SyncPlan.next(running, groupId);
    } catch (SchedulerException e) {
      return Optional.empty();
    }
  }

  /**
   * Whether this process does not run the schedules (yet): a standby, whose environment's Pi-hole secrets are not those
   * the instances run with, or one not started so far. The same as {@link #status()} says, without reading the triggers.
   */
  public boolean standby() {
    return scheduler == null && !closed;
  }

  @Override
  public SchedulerStatus status() {
    if (scheduler == null) {
      return new SchedulerStatus(closed ? "shut down" : "standby", 0, null, closed ? "the application is stopping" : notRunningReason);
    }
    try {
      if (scheduler.isShutdown()) {
        return new SchedulerStatus("shut down", 0, null, "the scheduler has been shut down");
      }
      ScheduledTriggers.Summary triggers = fires.summary(scheduler);
      String state = scheduler.isInStandbyMode() ? "stopping" : "started";
      return new SchedulerStatus(state, triggers.jobs(), triggers.earliest().orElse(null),
          state.equals("stopping") ? "the application is stopping" : null);
    } catch (SchedulerException e) {
      return new SchedulerStatus("unknown", 0, null, "the scheduler did not answer: " + e.getMessage());
    }
  }

  /** When each scheduled instance's next backup runs, by instance id. */
  public Map<Long, Instant> nextRuns() {
    Scheduler running = scheduler;
    return running == null ? Map.of() : fires.all(running);
  }

  /** Stops new runs, waits a bounded time for a running backup, then shuts Quartz down. */
  @Override
  public synchronized void close() {
    closed = true;
    Scheduler standby = waiting;
    if (standby != null) {
      waiting = null;
      shutDownQuietly(standby); // a try of the lock still to come finds the schedules closed, and does not try
    }
    if (scheduler == null || isShutdown()) {
      return;
    }
    try {
      QuartzShutdown.stop(scheduler, jobs);
    } catch (SchedulerException e) {
      log.warn("Quartz did not shut down cleanly: {}", e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      manualRuns.close();
      closeQuietly(lock);
    }
  }

  private boolean isShutdown() {
    try {
      return scheduler.isShutdown();
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
