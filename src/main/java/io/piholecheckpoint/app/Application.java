package io.piholecheckpoint.app;

import io.piholecheckpoint.scheduling.AppJobs;
import io.piholecheckpoint.core.access.Access;
import io.piholecheckpoint.core.access.CsrfTokens;
import io.piholecheckpoint.core.access.LoginThrottle;
import io.piholecheckpoint.core.access.SessionSecret;
import io.piholecheckpoint.core.access.SessionStore;
import io.piholecheckpoint.core.access.Sessions;
import io.piholecheckpoint.core.archive.ArchiveCipher;
import io.piholecheckpoint.core.archive.ArchiveStore;
import io.piholecheckpoint.core.archive.work.ArchiveWork;
import io.piholecheckpoint.core.archive.work.GatedInspector;
import io.piholecheckpoint.core.archive.work.GatedReader;
import io.piholecheckpoint.core.backup.catalog.Backup;
import io.piholecheckpoint.core.backup.runs.UnstartedRuns;
import io.piholecheckpoint.core.backup.catalog.BackupCatalog;
import io.piholecheckpoint.core.backup.catalog.BackupRepository;
import io.piholecheckpoint.core.backup.ArchiveImports;
import io.piholecheckpoint.core.backup.BackupDeletions;
import io.piholecheckpoint.core.backup.BackupService;
import io.piholecheckpoint.core.backup.ChangeSummary;
import io.piholecheckpoint.core.backup.InstanceDeletion;
import io.piholecheckpoint.core.backup.InstanceLocks;
import io.piholecheckpoint.core.backup.runs.RunRecords;
import io.piholecheckpoint.core.backup.SafeChanges;
import io.piholecheckpoint.core.backup.trust.Acceptance;
import io.piholecheckpoint.core.backup.runs.RunEnd;
import io.piholecheckpoint.core.backup.runs.RunTrail;
import io.piholecheckpoint.core.browse.ContentsService;
import io.piholecheckpoint.core.backup.events.Events;
import io.piholecheckpoint.core.backup.events.Notifications;
import io.piholecheckpoint.core.contents.ArchiveReader;
import io.piholecheckpoint.core.destination.DestinationService;
import io.piholecheckpoint.core.download.ArchiveDownloader;
import io.piholecheckpoint.core.download.ContactFailures;
import io.piholecheckpoint.core.download.ConnectionTester;
import io.piholecheckpoint.core.download.Pause;
import io.piholecheckpoint.core.legacy.ImportLedger;
import io.piholecheckpoint.core.legacy.OriginalImportService;
import io.piholecheckpoint.core.backup.InstanceTurns;
import io.piholecheckpoint.core.health.ClockSkew;
import io.piholecheckpoint.core.health.ClusterStatus;
import io.piholecheckpoint.core.health.DatabaseStatus;
import io.piholecheckpoint.core.health.HealthProbes;
import io.piholecheckpoint.core.health.HealthReport;
import io.piholecheckpoint.core.health.HealthService;
import io.piholecheckpoint.core.health.SchedulerStatus;
import io.piholecheckpoint.core.health.SchedulerView;
import io.piholecheckpoint.core.health.Staleness;
import io.piholecheckpoint.core.overview.InstanceOverview;
import io.piholecheckpoint.core.instance.PiholeInstance;
import io.piholecheckpoint.core.integrity.IntegrityService;
import io.piholecheckpoint.core.integrity.KeptElsewhere;
import io.piholecheckpoint.core.maintenance.MaintenanceService;
import io.piholecheckpoint.core.manual.BackupQueue;
import io.piholecheckpoint.core.job.DatabaseOutages;
import io.piholecheckpoint.core.job.Jobs;
import io.piholecheckpoint.core.manual.BackupTickets;
import io.piholecheckpoint.core.offsite.CopyOnBackup;
import io.piholecheckpoint.core.offsite.DestinationTurns;
import io.piholecheckpoint.core.offsite.copy.CopyOutcomes;
import io.piholecheckpoint.core.offsite.copy.CopyRunner;
import io.piholecheckpoint.core.offsite.OffsiteAlerts;
import io.piholecheckpoint.core.offsite.lanes.LaneStart;
import io.piholecheckpoint.core.offsite.OffsiteService;
import io.piholecheckpoint.core.offsite.DestinationReports;
import io.piholecheckpoint.core.offsite.catalog.OffsiteCatalog;
import io.piholecheckpoint.core.offsite.remote.OffsiteTargets;
import io.piholecheckpoint.core.sync.runs.ReportedRuns;
import io.piholecheckpoint.core.sync.status.SyncDrift;
import io.piholecheckpoint.core.sync.groups.SyncGroups;
import io.piholecheckpoint.core.syncgroup.SyncGroupService;
import io.piholecheckpoint.core.sync.SyncOnBackup;
import io.piholecheckpoint.core.sync.runs.SyncOutcomes;
import io.piholecheckpoint.core.sync.runs.SyncRunRepository;
import io.piholecheckpoint.core.sync.SyncRunner;
import io.piholecheckpoint.core.sync.InterruptedSyncs;
import io.piholecheckpoint.core.sync.SyncService;
import io.piholecheckpoint.core.sync.SyncTickets;
import io.piholecheckpoint.core.sync.groups.SyncStaleness;
import io.piholecheckpoint.core.sync.status.SyncStatus;
import io.piholecheckpoint.core.offsite.CheckAgain;
import io.piholecheckpoint.core.offsite.RemotePruning;
import io.piholecheckpoint.core.offsite.copy.Uploads;
import io.piholecheckpoint.core.recovery.AdoptionService;
import io.piholecheckpoint.core.recovery.adopted.AdoptedCopies;
import io.piholecheckpoint.core.recovery.PassphraseCheck;
import io.piholecheckpoint.core.recovery.fetch.FetchingArchiveStore;
import io.piholecheckpoint.core.registry.InstanceService;
import io.piholecheckpoint.core.restore.RestoreRunner;
import io.piholecheckpoint.core.restore.PiholeChanges;
import io.piholecheckpoint.core.restore.RestoreApply;
import io.piholecheckpoint.core.restore.RestoreEnd;
import io.piholecheckpoint.core.restore.RestoreResults;
import io.piholecheckpoint.core.restore.RestoreStop;
import io.piholecheckpoint.core.restore.parts.RestoreSource;
import io.piholecheckpoint.core.restore.record.RestoreRepository;
import io.piholecheckpoint.core.restore.request.RestoreAdmission;
import io.piholecheckpoint.core.restore.request.RestorePreviews;
import io.piholecheckpoint.core.restore.RestoreService;
import io.piholecheckpoint.core.retention.RetentionService;
import io.piholecheckpoint.core.secrets.Credentials;
import io.piholecheckpoint.core.secrets.InstanceCredentials;
import io.piholecheckpoint.core.schedule.LocalTimeText;
import io.piholecheckpoint.core.secrets.SecretBox;
import io.piholecheckpoint.core.units.LogText;
import io.piholecheckpoint.core.units.UrlText;
import io.piholecheckpoint.crypto.OpenPgpArchiveCipher;
import io.piholecheckpoint.metrics.CheckpointMetrics;
import io.piholecheckpoint.metrics.MetricCounters;
import io.piholecheckpoint.metrics.MetricsSource;
import io.piholecheckpoint.notify.DeadManPings;
import io.piholecheckpoint.notify.Deliveries;
import io.piholecheckpoint.notify.Notifier;
import io.piholecheckpoint.notify.SyncNotices;
import io.piholecheckpoint.notify.Outbound;
import io.piholecheckpoint.persistence.AdvisoryTurns;
import io.piholecheckpoint.persistence.ClusterSettings;
import io.piholecheckpoint.persistence.Database;
import io.piholecheckpoint.persistence.DatabaseProbe;
import io.piholecheckpoint.persistence.Migrations;
import io.piholecheckpoint.persistence.MyBatisAdoptionNotes;
import io.piholecheckpoint.persistence.MyBatisBackupRepository;
import io.piholecheckpoint.persistence.MyBatisCopyRepository;
import io.piholecheckpoint.persistence.MyBatisDestinationRepository;
import io.piholecheckpoint.persistence.MyBatisImportLedger;
import io.piholecheckpoint.persistence.MyBatisInstanceRepository;
import io.piholecheckpoint.persistence.MyBatisRestoreRepository;
import io.piholecheckpoint.persistence.MyBatisSyncGroupRepository;
import io.piholecheckpoint.persistence.MyBatisSyncRunRepository;
import io.piholecheckpoint.persistence.MyBatisRunEnd;
import io.piholecheckpoint.persistence.MyBatisJobRepository;
import io.piholecheckpoint.persistence.MyBatisRunMarkers;
import io.piholecheckpoint.persistence.MyBatisSessionStore;
import io.piholecheckpoint.persistence.MyBatisSftpHomes;
import io.piholecheckpoint.persistence.QuartzNodes;
import io.piholecheckpoint.persistence.SchemaCheck;
import io.piholecheckpoint.persistence.WriteLock;
import io.piholecheckpoint.pihole.PiholeClient;
import io.piholecheckpoint.scheduling.ClusterStore;
import io.piholecheckpoint.scheduling.QuartzFireTimes;
import io.piholecheckpoint.scheduling.BackupFires;
import io.piholecheckpoint.scheduling.BackupPlans;
import io.piholecheckpoint.scheduling.Launches;
import io.piholecheckpoint.scheduling.Planning;
import io.piholecheckpoint.scheduling.QuartzSetup;
import io.piholecheckpoint.scheduling.RunningQuartz;
import io.piholecheckpoint.scheduling.Schedules;
import io.piholecheckpoint.scheduling.StandingJobs;
import io.piholecheckpoint.scheduling.TriggerZones;
import io.piholecheckpoint.storage.LocalArchiveStore;
import io.piholecheckpoint.storage.PassphraseCheckFile;
import io.piholecheckpoint.teleporter.TeleporterContents;
import io.piholecheckpoint.teleporter.TeleporterInspector;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BiConsumer;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The object graph, built once with {@code new}. Fails fast: a wrong setup never half-starts. */
public final class Application implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Application.class);

  /** The services the web layer uses. */
  public record Services(InstanceService instances, BackupService backups, BackupCases backupCases, BackupCatalog catalog, BackupQueue queue, IntegrityService integrity,
                         RetentionService retention, ArchiveStore archives, RestoreService restores, MaintenanceService maintenance,
                         ContentsService contents,
                         ConnectionTester tester, String encryptionKeySource, ExecutorService restoreThread, Access access, ArchiveWork work,
                         OffsiteService offsite, OffsiteCatalog offsiteCatalog, CheckAgain checkAgain, AdoptionService adoption, SyncService sync,
                         SyncTickets syncTickets,
                         InterruptedSyncs interruptedSyncs, SyncStatus syncStatus,
                         DestinationService destinations, SyncGroupService syncGroups, PassphraseCheck passphrase, LocalTimeText times) {
  }

  /**
   * The backup use cases beside the runs, each for its own callers: the instances' turns (manual backups), the records of runs
   * (the runs a stopped process or a dead node left), imports, deletions, acceptance, and an instance's deletion.
   */
  public record BackupCases(InstanceLocks locks, RunRecords records, ArchiveImports imports, BackupDeletions deletions, Acceptance acceptance,
                            InstanceDeletion instanceDeletion) {
  }

  private final AppConfig config;
  private final Database database;
  private final Services services;
  private final Scheduling schedules;
  private final HealthService health;
  private final CheckpointMetrics metrics;
  private final Reporting reporting;
  private final InstanceOverview overview;
  /** The end-of-work writes waiting for the database to come back: they give up when the server stops. */
  private final DatabaseOutages outages;
  private final InstancesFromEnvironment environment;

  /** Notifications and pings with the threads they are sent on, so that closing stops them. */
  private record Reporting(Notifier notifier, Deliveries sent, Outbound outbound, int diskWarnPercent, ExecutorService deliveries, ExecutorService pings) {
    static Reporting start(AppConfig config, Clock clock, MetricCounters metrics, LocalTimeText times) {
      Outbound outbound = new Outbound(Pause.SLEEP);
      NotificationSetup setup = NotificationSetup.from(config.env(), outbound);
      setup.summary().ifPresent(s -> log.warn("Notifications: {}", s));
      ExecutorService deliveries = Executors.newFixedThreadPool(2, daemon("notify"));
      Deliveries sent = new Deliveries(setup.providers(), setup.enabled(), deliveries, metrics::notificationDelivered, clock);
      if (!setup.providers().isEmpty()) {
        log.info("Notifications go to: {}", String.join(", ", sent.providerNames()));
      }
      return new Reporting(new Notifier(sent, setup.cooldown(), clock, times), sent, outbound, setup.diskWarnPercent(), deliveries, Executors.newSingleThreadExecutor(daemon("dead-man-pings")));
    }

    DeadManPings pingsFor(AppConfig config) {
      // one the start named as wrong is not used, as an invalid value of any other variable keeps its default (here: none)
      return new DeadManPings(i -> Optional.ofNullable(i.settingsPrefix()).map(p -> config.env().get(p + "PING_URL"))
          .filter(u -> !u.isBlank()).map(String::trim).filter(u -> UrlText.httpProblem(u).isEmpty()), outbound, pings);
    }

    void close() {
      pings.shutdown();
      deliveries.shutdown();
    }
  }

  /** Threads whose archive work waits for a permit as long as it takes: nobody is waiting on a restore's answer. */
  private static java.util.concurrent.ThreadFactory patient(ArchiveWork work, java.util.concurrent.ThreadFactory threads) {
    return r -> threads.newThread(() -> work.patiently(() -> {
      r.run();
      return null;
    }));
  }

  private static java.util.concurrent.ThreadFactory daemon(String name) {
    return r -> {
      Thread t = new Thread(r, name);
      t.setDaemon(true);
      return t;
    };
  }

  private final Clock clock;

  private Application(AppConfig config, Database database, Services services, Scheduling schedules, HealthService health,
                      CheckpointMetrics metrics, Reporting reporting, Clock clock, DatabaseOutages outages, InstancesFromEnvironment environment) {
    this.outages = outages;
    this.environment = environment;
    this.config = config;
    this.database = database;
    this.services = services;
    this.schedules = schedules;
    this.health = health;
    this.metrics = metrics;
    this.reporting = reporting;
    this.clock = clock;
    this.overview = new InstanceOverview(services.instances(), services.catalog(), staleness(config), clock);
  }

  private static Staleness staleness(AppConfig config) {
    return new Staleness(config.staleAfter(), Schedules::period);
  }

  /**
   * The Pi-hole client's clock and the pause it waits with: for a TOTP code of a step not yet used, for a rate limit, for FTL's
   * restart. The system's clock and real pauses, but for a test of 2FA logins that moves the clock on instead of waiting.
   */
  public record PiholeTime(Clock clock, Pause pause) {
    public static final PiholeTime REAL = new PiholeTime(Clock.systemUTC(), Pause.SLEEP);
  }

  /** The one clock of the application: everything that tells the time is given this one. */
  public static Application start(AppConfig config) {
    return start(config, Clock.systemUTC());
  }

  /** @param piholeTime {@link PiholeTime#REAL} but in a test that moves to the next TOTP step instead of waiting for it */
  public static Application start(AppConfig config, PiholeTime piholeTime) {
    return start(config, Clock.systemUTC(), Schedules.OFFSITE_EVERY, config.lockPollInterval(), piholeTime);
  }

  static Application start(AppConfig config, Clock clock) {
    return start(config, clock, Schedules.OFFSITE_EVERY);
  }

  /** @param offsiteEvery how often the off-site run looks for due copies: {@link Schedules#OFFSITE_EVERY} but in a test that moves its clock */
  static Application start(AppConfig config, Clock clock, Duration offsiteEvery) {
    return start(config, clock, offsiteEvery, config.lockPollInterval());
  }

  /**
   * @param lockPoll how often a standby tries the scheduler lock and its holder looks for changes made through the other:
   *     SCHEDULER_LOCK_POLL_SECONDS, whose least is a second, but in a test of two processes that waits for that look
   */
  static Application start(AppConfig config, Clock clock, Duration offsiteEvery, Duration lockPoll) {
    return start(config, clock, offsiteEvery, lockPoll, new PiholeTime(clock, Pause.SLEEP));
  }

  private static Application start(AppConfig config, Clock clock, Duration offsiteEvery, Duration lockPoll, PiholeTime piholeTime) {
    Database database = openDatabase(config);
    try {
      MetricCounters counters = new MetricCounters(BuildInfo.version(), BuildInfo.commit(), BuildInfo.built());
      // TIME_ZONE's one LocalTimeText: notifications, records of runs, /health and pages write their times with it
      LocalTimeText times = new LocalTimeText(config.timeZone());
      Reporting reporting = Reporting.start(config, clock, counters, times);
      // built before the services: restores start only while it runs, manual backups and the health report need it, and its jobs need them
      OffsiteSettings offsite = offsiteSettings(config, new SftpHomes(new MyBatisSftpHomes(database, clock)));
      StorageSettings configured = storage(config);
      Cluster cluster = Cluster.of(config, database, clock, configured);
      StorageSettings storage = configured.keptOnlyWith(cluster.storeId());
      Scheduling schedules = Scheduling.of(config, clock, new StandingJobs(config.timeZone(), clock, lockPoll, offsite.firstRun(), offsiteEvery,
          cluster.store() != null), cluster.store(), times);
      SyncDrift drift = new SyncDrift();
      DatabaseOutages outages = DatabaseOutages.sleeping();
      Core core = wire(config, database, clock, piholeTime, cluster, storage, outages, Events.all(List.of(counters, reporting.notifier(), reporting.pingsFor(config))), schedules,
          offsite, counters, reporting.notifier(), times, new Sync(drift, SyncOutcomes.all(List.of(counters, new SyncNotices(reporting.notifier(), clock), drift))));
      cluster.requireSessions(database, config, core.access());
      InstancesFromEnvironment environment = new InstancesFromEnvironment(config.env(), new QuartzFireTimes(config.timeZone(), clock),
          new MyBatisImportLedger(database), core.instances());
      environment.logProblems();
      Services services = core.services(new BackupQueue(core.backupCases().locks(), core.tickets(), schedules.launches()));
      UnstartedRuns unstarted = new UnstartedRuns(counters);
      HealthService health = health(config, database, services, schedules.running(), clock, offsite.staleAfter(), cluster, unstarted, outages);
      MyBatisRestoreRepository restores = new MyBatisRestoreRepository(database, cluster.node());
      if (cluster.nodes() != null) {
        cluster.onNodeLost(new DeadNodes(services, core.jobs(), restores, cluster.nodes(), clock, core.times()));
      }
      Runnable conditions = () -> reporting.notifier().checkConditions(health.check(), services.archives().freePercent(), reporting.diskWarnPercent());
      Takeover takeover = new Takeover(environment, () -> cluster.status().get().othersAlive(),
          new Leftovers(services, restores, core.jobs(), cluster.node(), config.backupDir().resolve(".uploads")),
          new CrashedRuns(services, cluster.markers(database), schedules.running(), clock, cluster.node()), clock);
      schedules.lifecycle().start(new AppJobs(services.backups(), core.tickets(), services.maintenance(), services.work(), conditions, services.offsite(),
          services.syncTickets(), config.maxParallelBackups(), unstarted, config.firstDatabaseRetry()), () -> takeover.accept(schedules.planning()));
      if (environment.applied().isEmpty()) {
        // a standby with another key would seal, in the shared database, passwords the process running the schedules cannot open
        Optional<String> otherKey = core.instances().sealedWithAnotherKey();
        if (otherKey.isPresent()) {
          schedules.close();
          throw new IllegalStateException("this standby cannot start: " + otherKey.get() + " — give it the FIELD_ENCRYPTION_KEY (or"
              + " FIELD_ENCRYPTION_KEY_FILE) of the process that runs the schedules on this DATA_DIR");
        }
        environment.leaveToTheActiveProcess(); // a standby (the lock is the other process's): it took no schedules, so stores nothing
      }
      // once the instances are those this process runs with (or, on a standby, those the other one applied)
      offsite.targets().forEach(t -> t.namingNobody(core.instances().list()).forEach(entry -> log.warn(
          "OFFSITE_{}_INSTANCES names {}, which is no instance's PIHOLE_<P>_ prefix or name: nothing of it is copied to {}; fix the value",
          t.name(), LogText.of(entry), t.name())));
      logDisabledSyncGroups(core.sync().groups(), environment.applied().isEmpty());
      schedules.planning().planInstancesWith(new Planning.InstancePlan(services.instances()::changes, services.instances()::list, services.instances()::lookUp));
      services.instances().onChange(schedules.planning()::planInstance);
      log.info("Pi-hole Checkpoint {} started: {}, database {}, backups in {}, time zone {}",
          BuildInfo.describe(), environment.applied().stream().mapToObj(n -> n + " instance(s) from the environment").findFirst()
              .orElse("the instances the process running the schedules applied (this one's environment waits until it takes them over)"),
          config.catalogue().describe(config.dataDir()),
          storage.shared() == null ? config.backupDir() : LogText.of(storage.shared().describe()) + " (cached in BACKUP_DIR)", config.timeZone());
      CheckpointMetrics metrics = new CheckpointMetrics(counters, metricsSource(services, schedules.running(), cluster, new DatabaseProbe(database)), clock);
      return new Application(config, database, services, schedules, health, metrics, reporting, clock, outages, environment);
    } catch (RuntimeException e) {
      database.close();
      throw e;
    }
  }

  /**
   * One node (SQLite: Quartz in memory, the file lock) or a node of a cluster (PostgreSQL: Quartz's clustered store, each
   * instance's turn an advisory lock, the nodes read from Quartz's check-ins).
   */
  private record Cluster(String node, ClusterStore store, InstanceTurns turns, DestinationTurns destinationTurns, Supplier<ClusterStatus> status,
                         QuartzNodes nodes, AtomicReference<BiConsumer<String, Instant>> onNodeLost, Optional<String> storeId) {
    /** @throws IllegalStateException when another live process of the cluster runs under this NODE_NAME */
    static Cluster of(AppConfig config, Database database, Clock clock, StorageSettings storage) {
      String node = config.nodeName();
      if (!config.catalogue().onPostgresql()) {
        ClusterStatus single = ClusterStatus.single(node);
        return new Cluster(node, null, InstanceTurns.LOCAL, DestinationTurns.LOCAL, () -> single, null, null, Optional.empty());
      }
      QuartzNodes nodes = new QuartzNodes(database, ClusterStore.SCHEDULER_NAME, node, clock);
      try {
        // before anything of this node's runs: its start would take the other process's work and files for a dead node's
        nodes.requireNameFree(config.clusterCheckin(), Pause.SLEEP);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("stopped while checking that NODE_NAME " + node + " is free", e);
      }
      List<String> running = running(nodes, node);
      ClusterSettings settings = new ClusterSettings(database);
      ClockSkew skew = new ClockSkew(clock, settings::databaseTime);
      skew.require();
      ClusterAgreement agreement = new ClusterAgreement(settings);
      agreement.requireTimeZone(config.timeZone(), running);
      Optional<String> storeId = agreement.require(config.scheduleSpread().window(), storage.mark(config.backupDir()), running);
      // what is done for a dead node needs the services, which are built after the scheduler
      AtomicReference<BiConsumer<String, Instant>> lost = new AtomicReference<>((name, at) -> { });
      ClusterStore store = new ClusterStore(node, database.schedulerPool(), config.clusterCheckin(), nodes, (name, at) -> lost.get().accept(name, at),
          () -> {
            if (nodes.recordStopped()) {
              log.info("Node {} stopped: taken off the cluster's list (no work of it left under way)", node);
            }
          }, skew::recheck);
      AdvisoryTurns turns = new AdvisoryTurns(database);
      return new Cluster(node, store, turns, turns, () -> nodes.get().withClockSkew(skew.latest()), nodes, lost, storeId);
    }

    /** The other nodes that check in now, by name: none for one node alone. */
    static List<String> running(Supplier<ClusterStatus> status, String node) {
      return status.get().nodes().stream().filter(n -> n.alive() && !n.name().equals(node)).map(ClusterStatus.Node::name).toList();
    }

    /** Once the session key is known: a node whose sign-ins the running ones would reject is refused (see {@link ClusterAgreement}). */
    void requireSessions(Database database, AppConfig config, Access access) {
      if (store != null) {
        new ClusterAgreement(new ClusterSettings(database)).requireSessions(access.sessions().keyDigest(), config.access().password().isPresent(),
            running(status, node));
      }
    }

    /** From now on a dead node's work is marked interrupted, and the node listed as down. */
    void onNodeLost(DeadNodes deadNodes) {
      if (onNodeLost != null) {
        onNodeLost.set(deadNodes);
      }
    }

    /** Runs in progress, each with this node's name; at a start, those of nodes that no longer check in are taken as left over. */
    MyBatisRunMarkers markers(Database database) {
      return new MyBatisRunMarkers(database, node, other -> status.get().nodes().stream().anyMatch(n -> n.name().equals(other) && n.alive()));
    }
  }

  /**
   * The one Quartz and its parts, each with its own few collaborators: {@code lifecycle} starts it (or waits as a standby)
   * and stops it, {@code planning} writes the schedules on it, {@code launches} runs what is asked for now, {@code running}
   * says what it runs.
   */
  private record Scheduling(Schedules lifecycle, RunningQuartz running, Planning planning, Launches launches) {
    static Scheduling of(AppConfig config, Clock clock, StandingJobs standing, ClusterStore cluster, LocalTimeText times) {
      boolean clustered = cluster != null;
      RunningQuartz running = new RunningQuartz(new BackupFires(clustered ? cluster.triggers() : null));
      BackupPlans plans = new BackupPlans(config.timeZone(), clock, config.scheduleSpread(), clustered, config.catchUpDelay(), times);
      Planning planning = new Planning(running, plans, standing, config.timeZone(), clock, clustered, times);
      TriggerZones zones = new TriggerZones(config.timeZone(), clustered ? cluster.triggers() : null, planning::replan);
      Schedules lifecycle = new Schedules(config.dataDir().resolve("scheduler.lock"),
          new QuartzSetup(Schedules.MISFIRE_THRESHOLD, cluster, clock, plans, zones, times), standing, running, planning, zones);
      return new Scheduling(lifecycle, running, planning, new Launches(running, standing, plans, clustered));
    }

    /** Quartz first, which cuts a cluster's manual runs' downloads off; then those runs. */
    void close() {
      lifecycle.close();
      launches.close();
    }
  }

  private static HealthService health(AppConfig config, Database database, Services services, RunningQuartz schedules, Clock clock, Duration offsiteStaleAfter,
                                      Cluster cluster, UnstartedRuns unstarted, DatabaseOutages outages) {
    DatabaseProbe probe = new DatabaseProbe(database);
    // /health's words have no "Times in …" around them: their local times name the zone, as a log line's do
    LocalTimeText times = services.times().inLog();
    return new HealthService(new HealthProbes() {
      @Override
      public SchedulerStatus scheduler() {
        return schedules.status();
      }

      @Override
      public DatabaseStatus database() {
        DatabaseStatus status = probe.check();
        List<String> unrecorded = outages.unrecorded();
        // the database may answer again before a waiting end is written (it is tried again every 1–15 s): not "ok" until it is
        return unrecorded.isEmpty() || !status.writable() ? status : status.withWriteRefused("not recorded yet, tried again until it"
            + " is: " + String.join("; ", unrecorded));
      }

      @Override
      public List<String> offsiteFailing() {
        return services.offsiteCatalog().configured() ? services.offsiteCatalog().failingLongerThan(offsiteStaleAfter) : List.of();
      }

      @Override
      public List<HealthReport.SyncGroupHealth> syncGroups() {
        return services.syncStatus().health();
      }

      @Override
      public HealthReport.PassphraseHealth passphrase() {
        PassphraseCheck check = services.passphrase();
        Optional<HealthReport.PassphraseHealth> wrong = check.problem().map(m -> new HealthReport.PassphraseHealth(
            config.encryption().encryptsNewArchives() ? "wrong" : "missing", check.unopened(), m));
        if (wrong.isPresent()) {
          return wrong.get();
        }
        // not known to be wrong: shown (status unchecked, with the next try) without degrading the status
        return check.notChecked(times).map(m -> new HealthReport.PassphraseHealth("unchecked", List.copyOf(check.unchecked().keySet()), m,
            check.unchecked().values().stream().min(java.util.Comparator.naturalOrder()).orElse(null))).orElse(null);
      }

      @Override
      public List<String> unsoundFiles() {
        return services.integrity().unsoundFiles();
      }

      @Override
      public List<HealthReport.NotStarted> notStarted() {
        return unstarted.current().stream().map(u -> new HealthReport.NotStarted(u.instanceId(), u.message(times), u.reason(), u.at())).toList();
      }

      @Override
      public ClusterStatus cluster() {
        return cluster.status().get();
      }
    }, services.instances(), services.catalog(), services.archives(), clock, staleness(config));
  }

  /** What /metrics reads at each scrape. */
  private static MetricsSource metricsSource(Services services, RunningQuartz schedules, Cluster cluster, DatabaseProbe database) {
    return new MetricsSource() {
      @Override
      public boolean databaseUp() {
        return database.check().reachable();
      }

      @Override
      public List<PiholeInstance> instances() {
        return services.instances().list();
      }

      @Override
      public Map<Long, BackupRepository.Totals> totals() {
        return services.catalog().totals();
      }

      @Override
      public boolean schedulerRunning() {
        return schedules.status().running();
      }

      @Override
      public long clusterNodes() {
        return cluster.status().get().asAnswering().aliveNodes();
      }

      @Override
      public Map<Long, Instant> nextRuns() {
        return schedules.nextRuns();
      }

      @Override
      public long freeBytes() {
        return services.archives().usableBytes();
      }

      @Override
      public BackupRepository.FileProblems fileProblems() {
        return services.catalog().fileProblems();
      }

      @Override
      public List<OffsiteCatalog.DestinationStatus> offsite() {
        return services.offsiteCatalog().configured() ? services.offsiteCatalog().status() : List.of();
      }

      @Override
      public List<SyncStatus.GroupStatus> sync() {
        return services.syncStatus().recent();
      }
    };
  }

  /**
   * The core services before the scheduler exists; the manual backups, which go through it, complete them. {@code times} is
   * TIME_ZONE's one {@link LocalTimeText}, which the records of runs and the dead nodes' alike write their times with.
   */
  private record Core(InstanceService instances, BackupService backups, BackupCases backupCases, BackupCatalog catalog, BackupTickets tickets, Jobs jobs, IntegrityService integrity,
                      RetentionService retention, ArchiveStore archives, RestoreService restores, MaintenanceService maintenance,
                      ContentsService contents, ConnectionTester tester, String encryptionKeySource, ExecutorService restoreThread,
                      Access access, ArchiveWork work, OffsiteService offsite, OffsiteCatalog offsiteCatalog, CheckAgain checkAgain, AdoptionService adoption,
                      SyncService sync, SyncTickets syncTickets,
                         InterruptedSyncs interruptedSyncs, SyncStatus syncStatus,
                      DestinationService destinations, SyncGroupService syncGroups, PassphraseCheck passphrase, LocalTimeText times) {
    Services services(BackupQueue queue) {
      return new Services(instances, backups, backupCases, catalog, queue, integrity, retention, archives, restores, maintenance, contents, tester,
          encryptionKeySource, restoreThread, access, work, offsite, offsiteCatalog, checkAgain, adoption, sync, syncTickets, interruptedSyncs, syncStatus,
          destinations,
          syncGroups, passphrase, times);
    }
  }

  /** Disaster recovery's parts that a destination's first run after the start calls. */
  private record Recovery(AdoptionService adoption, PassphraseCheck passphrase) {
  }

  /** {@code outcomes}, and a backup whose copy Check again verified again put right from it at once: the list shows it so. */
  private static CopyOutcomes puttingRight(CopyOutcomes outcomes, FetchingArchiveStore archives) {
    return new CopyOutcomes() {
      @Override
      public void attempted(String destination, String outcome) {
        outcomes.attempted(destination, outcome);
      }

      @Override
      public void adopted(String destination, int adopted, int skipped) {
        outcomes.adopted(destination, adopted, skipped);
      }

      @Override
      public void verifiedAgain(long backupId) {
        outcomes.verifiedAgain(backupId);
        archives.putRight(backupId);
      }
    };
  }

  /** What sync runs report to: the drift the status shows, and every listener of their outcomes (the drift among them). */
  private record Sync(SyncDrift drift, SyncOutcomes outcomes) {
  }

  /** The destinations, with a log line for each one left out and what to fix. */
  private static OffsiteSettings offsiteSettings(AppConfig config, SftpHomes homes) {
    OffsiteSettings offsite = OffsiteSettings.read(config.env(), config.encryption().encryptsNewArchives(),
        StorageSettings.ownFolders(config.env(), config.dataDir(), config.backupDir()), homes);
    offsite.disabled().forEach((name, why) -> log.warn("Off-site destination {} is disabled: {}. Backups go on locally; fix the setting and restart",
        name, LogText.of(why)));
    offsite.warnings().forEach(w -> log.warn("Off-site copies: {}", LogText.of(w)));
    offsite.targets().forEach(t -> log.info("Off-site copies go to {} ({}){}", t.name(), LogText.of(t.destination().describe()),
        t.encrypt() ? ", encrypted" : ", NOT encrypted"));
    return offsite;
  }

  /** BACKUP_DIR, or a store the nodes share (STORAGE_URL); a bad one is said at start, and by every backup until it is fixed. */
  private static StorageSettings storage(AppConfig config) {
    StorageSettings storage = StorageSettings.read(config.env(), List.of(config.dataDir(), config.backupDir()));
    storage.ignored().forEach(variable -> log.warn("{} is ignored: there is no STORAGE_URL, archives are kept in BACKUP_DIR", variable));
    if (storage.problem() != null) {
      log.error("STORAGE_URL cannot be used: {}. No archive is stored until it is fixed: every backup fails saying so", LogText.of(storage.problem()));
    } else if (storage.shared() != null) {
      log.info("Archives are kept in {}, shared by every node; {} caches at most {} MB of them", LogText.of(storage.shared().describe()),
          config.backupDir().resolve(StorageSettings.CACHE), storage.cacheBytes() >> 20);
    }
    return storage;
  }

  /** The off-site copies' use cases over the durable queue in the database. */
  /** A restore's parts, each with the few collaborators it uses: the request side, the run, its changes, its check and its end. */
  private static RestoreService restores(SafeChanges safeChanges, BackupCatalog catalog, InstanceService instances, ArchiveDownloader downloader,
      ArchiveStore archives, ArchiveReader reader, RestoreRepository restoreRepository, Clock clock, Events events, ArchiveWork work,
      DatabaseOutages outages, Executor restoreThread, SchedulerView scheduler) {
    RestoreSource sources = new RestoreSource(catalog, archives, reader);
    RestoreStop stop = new RestoreStop(downloader);
    ContactFailures failures = new ContactFailures(instances, clock, stop::stopping);
    RestoreResults results = new RestoreResults(instances, downloader, archives, reader, clock, stop::stopping, failures);
    RestoreApply apply = new RestoreApply(instances, sources, safeChanges, restoreRepository, clock,
        new PiholeChanges(downloader, failures, results, stop, clock), results);
    RestoreRunner runner = new RestoreRunner(safeChanges, instances, restoreRepository, work, stop, apply,
        new RestoreEnd(safeChanges, instances, restoreRepository, outages, events, stop, clock));
    return new RestoreService(new RestorePreviews(sources, instances, downloader, failures, reader, work, clock),
        new RestoreAdmission(sources, catalog, instances, safeChanges, work, restoreRepository, clock), runner, restoreRepository, restoreThread,
        scheduler);
  }

  private static OffsiteService offsite(OffsiteTargets targets, MyBatisCopyRepository copies, Uploads uploads, RemotePruning pruning, Clock clock,
                                        CopyOutcomes outcomes, DestinationReports reports, Recovery recovery, Launches scheduler, LocalTimeText times) {
    // each destination's first run adopts what it holds, then tries the passphrase on one of its copies: once per start,
    // and again at a later run when the destination could not be read then
    return new OffsiteService(new CopyRunner(targets, copies, uploads, clock, outcomes, CopyRunner.BATCH, times), copies, pruning, clock, reports,
        new LaneStart() {
          @Override
          public void firstRun(String name) {
            recovery.adoption().adoptAtStart(name);
            recovery.passphrase().checkWhenDue(name);
          }

          @Override
          public void laterRun(String name) {
            recovery.passphrase().checkWhenDue(name);
          }
        }, scheduler::startOffsiteLane);
  }

  private static Core wire(AppConfig config, Database database, Clock clock, PiholeTime piholeTime, Cluster cluster, StorageSettings storage, DatabaseOutages outages,
                           Events reporting, Scheduling scheduler, OffsiteSettings offsiteSettings,
                           CopyOutcomes outcomes, OffsiteAlerts alerts, LocalTimeText times, Sync sync) {
    MyBatisBackupRepository backupRepository = new MyBatisBackupRepository(database);
    MyBatisInstanceRepository instanceRepository = new MyBatisInstanceRepository(database, clock);
    FieldEncryptionKey key = FieldEncryptionKey.load(config.env(), config.dataDir());
    SecretBox box = new SecretBox(key.key());
    EnvironmentCredentials environmentSecrets = new EnvironmentCredentials(config.env());
    StandbyGate standby = new StandbyGate(scheduler.running()::standby, () -> scheduler.running().status().reason());
    InstanceService instances = new InstanceService(instanceRepository, box, new QuartzFireTimes(config.timeZone(), clock, config.scheduleSpread()),
        standby.unreadable(environmentSecrets));
    ArchiveWork work = config.archiveWork();
    // before the scheduler starts: a passphrase that does not open BACKUP_DIR's check file writes no archive
    PassphraseCheckFile.Checked tied = new PassphraseCheckFile(config.backupDir(), config.dataDir(), config.encryption().passphrase()
        .<ArchiveCipher>map(p -> new OpenPgpArchiveCipher(p.toCharArray())).orElse(ArchiveCipher.NONE)).check();
    ArchiveCipher cipher = tied.cipher();
    GatedInspector inspector = new GatedInspector(new TeleporterInspector(), work);
    ArchiveStore local = storage.archives(config.backupDir(), (dir, check) -> new LocalArchiveStore(dir, inspector,
        ArchiveStore.FreeSpace.OF_FILE_STORE, cipher, check), clock);
    // the destinations in use: the environment's, and those added in Settings, which replace theirs at every change
    OffsiteTargets targets = new OffsiteTargets(offsiteSettings.targets(), offsiteSettings.disabled(), offsiteSettings.disabledPlaces());
    // a write under a destination added in Settings holds its row: one deleted meanwhile (on any node) gains no rows
    MyBatisCopyRepository copies = new MyBatisCopyRepository(database, targets::fromEnvironment);
    // an archive not on this disk (adopted, or gone missing) is fetched back from a verified copy when opened; with no
    // destination that is one look at the disk, as before
    FetchingArchiveStore archives = new FetchingArchiveStore(local, copies, backupRepository, targets, cipher, clock, outcomes);
    AdoptionService adoption = new AdoptionService(targets, new AdoptedCopies(copies, backupRepository, instances, clock), clock,
        outcomes, new MyBatisAdoptionNotes(database), cluster.destinationTurns());
    PassphraseCheck passphrase = new PassphraseCheck(targets, cipher, clock, tied.problem());
    if (cipher.encryptsNewArchives()) {
      log.info("New archives are stored encrypted (OpenPGP, AES-256): gpg --decrypt opens them with BACKUP_ENCRYPTION_PASSPHRASE");
    }
    CopyOutcomes copyOutcomes = puttingRight(outcomes, archives);
    // what pages, API, metrics and health read of the copies; the service's runs tell the alerts from it too
    OffsiteCatalog offsiteCatalog = new OffsiteCatalog(targets, copies, clock);
    OffsiteService offsite = offsite(targets, copies, new Uploads(archives, cipher, backupRepository, instanceRepository),
        new RemotePruning(copies, backupRepository, instanceRepository, config.timeZone(), clock), clock, copyOutcomes,
        new DestinationReports(offsiteCatalog, alerts, clock), new Recovery(adoption, passphrase), scheduler.launches(), times);
    CheckAgain checkAgain = new CheckAgain(targets, copies, clock, copyOutcomes, cluster.destinationTurns());
    DestinationService destinations = new DestinationService(new MyBatisDestinationRepository(database, clock),
        new DestinationRuleSet(config.env(), config.encryption().encryptsNewArchives(),
            StorageSettings.ownFolders(config.env(), config.dataDir(), config.backupDir()), offsiteSettings.homes()), box, offsite,
        scheduler.launches()::wakeOffsiteCopies);
    offsiteSettings.homes().inUse(offsite::targets); // an SFTP /~/ destination's home, once learned, is compared with these
    destinations.start(); // before the scheduler starts: it runs the off-site job when there is a destination
    // a destination may be added in Settings at any time: each backup's copies are queued for those in use then
    Events events = Events.all(List.of(reporting, new CopyOnBackup(offsite, offsiteCatalog, scheduler.launches()::wakeOffsiteCopies)));
    SyncGroups syncGroups = syncGroups(config, instances, clock);
    // groups added in the UI: in use at once, planned again on the scheduler at every change (a no-op before it starts)
    SyncGroupService addedGroups = new SyncGroupService(new MyBatisSyncGroupRepository(database, clock), syncGroups, instances,
        new QuartzFireTimes(config.timeZone(), clock), scheduler.planning()::rescheduleSync);
    addedGroups.start();
    SyncRunRepository syncRuns = new ReportedRuns(new MyBatisSyncRunRepository(database, cluster.node()), instances, sync.outcomes(), outages, times);
    events = Events.all(List.of(events, new SyncOnBackup(syncGroups, scheduler.launches())));
    MyBatisRestoreRepository restoreRepository = new MyBatisRestoreRepository(database, cluster.node());
    // a restore's safety backup runs retention: it keeps the backup the restore is about to read
    RetentionService retention = new RetentionService(backupRepository, archives, config.timeZone(), config.failedRecordDays(), events,
        restoreRepository::unfinishedSources);
    PiholeClient client = new PiholeClient(BuildInfo.version(), Duration.ofSeconds(10), piholeTime.clock(), piholeTime.pause());
    Credentials credentials = standby.credentials(new InstanceCredentials(environmentSecrets, instanceRepository, box));
    ArchiveDownloader downloader = new ArchiveDownloader(client, credentials, archives, config.download(), Pause.SLEEP, clock);
    ArchiveReader reader = new GatedReader(new TeleporterContents(clock), work);
    BackupCatalog catalog = new BackupCatalog(instances, backupRepository, archives);
    RunTrail trail = new RunTrail(cluster.markers(database), RunEnd.throughOutages(new MyBatisRunEnd(database, clock, cluster.node()), outages, times),
        times);
    InstanceLocks locks = new InstanceLocks(instances, cluster.turns(), trail.markers(), work, times);
    RunRecords records = new RunRecords(instances, backupRepository, catalog, archives, trail, clock);
    ChangeSummary changes = new ChangeSummary(archives, reader);
    BackupService backups = new BackupService(locks, records, downloader, changes, retention, events, clock);
    BackupDeletions deletions = new BackupDeletions(catalog, backupRepository, archives, events);
    BackupCases backupCases = new BackupCases(locks, records, new ArchiveImports(instances, records, archives, changes, work, clock), deletions,
        new Acceptance(catalog, backupRepository, events), new InstanceDeletion(instances, locks, deletions, backupRepository));
    SafeChanges safeChanges = new SafeChanges(locks, backups, deletions);
    IntegrityService integrity = new IntegrityService(instances, backupRepository, archives, events, new KeptElsewhere() {
      @Override
      public Optional<String> keptAt(long backupId) {
        return offsiteCatalog.keptAt(backupId);
      }

      @Override
      public void archiveHere(long backupId) {
        if (offsite.archiveBack(backupId) > 0) {
          scheduler.launches().wakeOffsiteCopies(); // sent now, not at the next round
        }
      }

      @Override
      public void fetchedBack(long backupId) {
        scheduler.launches().wakeOffsiteCopies(); // the damaged copies are marked to be sent again now: not at the next round, a minute later
      }

      @Override
      public Set<Long> givenUpWithoutArchive() {
        return offsiteCatalog.givenUpBackups();
      }
    });
    // restores run one at a time, off the request thread; closed with the application
    ExecutorService restoreThread = Executors.newSingleThreadExecutor(patient(work, daemon("restore")));
    RestoreService restores = restores(safeChanges, catalog, instances, downloader, archives, reader, restoreRepository, clock, events, work, outages,
        restoreThread, scheduler.running());
    // backups and sync runs asked for, followed through any node that shares the database
    Jobs ticketJobs = new Jobs(new MyBatisJobRepository(database), clock, config.nodeName(), !config.catalogue().onPostgresql(), outages);
    SyncRunner syncRunner = new SyncRunner(safeChanges, catalog, instances, downloader, reader, syncRuns, clock);
    SyncService syncService = new SyncService(syncGroups, backups, catalog, syncRunner, syncRuns, restoreRepository);
    SyncTickets syncTickets = new SyncTickets(syncService, syncGroups, syncRuns, scheduler.launches(), ticketJobs);
    Access access = access(config.access(), clock, new MyBatisSessionStore(database));
    Runnable forget = () -> {
      int jobs = ticketJobs.prune();
      int sessions = access.sessions().pruneIdle();
      log.info("Forgot {} job(s) finished over {} days ago and {} idle session(s)", jobs, Jobs.KEPT.toDays(), sessions);
      // a node killed mid-download beside running ones (which leave the shared scratch folder alone at start) left these
      int abandoned = archives.removeAbandoned();
      if (abandoned > 0) {
        log.info("Removed {} partial download(s) whose process is gone", abandoned);
      }
    };
    return new Core(instances, backups, backupCases, catalog, new BackupTickets(backups, catalog, ticketJobs), ticketJobs, integrity, retention, archives, restores,
        new MaintenanceService(instances, integrity, retention, clock, forget), new ContentsService(backupRepository, instances, downloader, archives, reader, clock, work),
        new ConnectionTester(instances, downloader, catalog, clock), key.source(), restoreThread, access, work, offsite, offsiteCatalog, checkAgain, adoption,
        syncService, syncTickets, new InterruptedSyncs(syncGroups, syncRuns, syncRunner, times),
        new SyncStatus(syncService, syncTickets, syncRuns, new SyncStaleness(Schedules::period), sync.drift(), clock), destinations, addedGroups,
        passphrase, times);
  }

  /**
   * Each disabled sync group once, with the advice that fits where it is configured: the environment's are fixed in the
   * variables and a restart, those added in the UI on the Sync page (their reason says how, and they need no restart).
   */
  /**
   * @param standby whether this process is a standby: its groups were checked against the Pi-holes the process running the
   *     schedules applied, not its own {@code PIHOLE_<P>_*}, which a fix of its variables would not change
   */
  private static void logDisabledSyncGroups(SyncGroups groups, boolean standby) {
    groups.disabled().forEach((name, why) -> {
      if (standby && groups.inEnvironment(name)) {
        log.warn("Sync group {} is disabled on this standby: {}. It was checked against the Pi-holes the process running the schedules"
            + " applied: this standby's own PIHOLE_<P>_* variables apply only if it takes over the schedules (once that process stops),"
            + " and the group is checked against them then; the other groups run", name, LogText.of(why));
      } else if (groups.inEnvironment(name)) {
        log.warn("Sync group {} is disabled: {}; fix the variable and restart, the other groups run", name, LogText.of(why));
      } else {
        log.warn("Sync group {} (added in the UI) is disabled: {}; the other groups run", name, LogText.of(why));
      }
    });
  }

  /** The sync groups of SYNC_* variables; those refused are logged once the instances are known. */
  private static SyncGroups syncGroups(AppConfig config, InstanceService instances, Clock clock) {
    SyncSettings settings = SyncSettings.read(config.env(), new QuartzFireTimes(config.timeZone(), clock));
    settings.warnings().forEach(w -> log.warn("Configuration: {}", LogText.of(w)));
    return new SyncGroups(settings.groups(), settings.disabled(), settings.disabledMembers(), EnvironmentInstances.prefixes(config.env()), instances);
  }

  /**
   * Sign-in, sessions and CSRF tokens over the secret every node shares: SESSION_SECRET, or the one
   * the first node made and kept in the database. The app password is hashed with a salt derived
   * from it, so every node derives the same session key from the same password.
   */
  private static Access access(AppConfig.AccessSettings settings, Clock clock, SessionStore store) {
    SecureRandom random = new SecureRandom();
    SessionSecret secret = settings.sessionSecret().orElseGet(() -> SessionSecret.of(
        store.sharedSecret("session", Sessions.randomToken(random), clock.instant())));
    settings.password().ifPresentOrElse(p -> p.hashInBackground(Arrays.copyOf(secret.derive("checkpoint-app-password-salt"), 16)), () -> {
      log.warn("No APP_PASSWORD is set: anyone who can reach this port can restore or delete backups. "
          + "Set APP_PASSWORD (or APP_PASSWORD_FILE) to require sign-in");
      if (settings.apiToken().isPresent()) {
        log.warn("API_TOKEN has no effect without APP_PASSWORD: the API is open to everyone who can reach it");
      }
    });
    if (settings.proxies().trustsEveryAddress()) {
      log.warn("TRUSTED_PROXIES trusts every address (a /0 range): any client can set X-Forwarded-For and X-Forwarded-Proto, so the "
          + "sign-in throttle and the secure cookie rely on what clients claim. Set it to your reverse proxy's address or network");
    }
    Supplier<byte[]> sessionKey = settings.password().<Supplier<byte[]>>map(p -> p::sessionKey).orElse(() -> secret.derive("checkpoint-sessions"));
    return new Access(settings.password(), settings.apiToken(), settings.metricsToken(), settings.proxies(),
        new Sessions(store, clock, settings.sessionIdle(), random, sessionKey), new LoginThrottle(clock), new CsrfTokens(secret));
  }

  private static Database openDatabase(AppConfig config) {
    AppConfig.createDirectory("DATA_DIR", config.dataDir());
    AppConfig.createDirectory("BACKUP_DIR", config.backupDir());
    if (!config.migrateOnStart() && !config.catalogue().onPostgresql()) {
      SchemaCheck.requireFile(config.databaseFile());
    }
    if (config.migrateOnStart()) {
      config.catalogue().makeIfNew(config.dataDir(), made -> Migrations.migrate(made, MigrationLog.appliedScripts(log::info)));
    }
    Database database = config.catalogue().open(config.dataDir());
    database.prepareSessions();
    try {
      if (config.migrateOnStart()) {
        Migrations.migrate(database, MigrationLog.appliedScripts(log::info));
      }
      SchemaCheck.requireCurrent(database);
      WriteLock.awaitFree(database); // the start writes next: another process holding the file is waited out here, as above
      ownerOnly(config);
      return database;
    } catch (RuntimeException e) {
      database.close();
      throw e;
    }
  }

  /**
   * The database and archives hold password hashes and sealed secrets: directories 0700, the
   * database 0600, whatever umask the servlet container ran the migrations with.
   */
  private static void ownerOnly(AppConfig config) {
    Path db = config.databaseFile();
    // the two directories are the user's choice, links or not; the database files are changed only when they are files
    // themselves, as a link's target is not Checkpoint's to chmod
    for (Path p : List.of(config.dataDir(), config.backupDir(), db, Path.of(db + "-wal"), Path.of(db + "-shm"))) {
      try {
        boolean directory = p.equals(config.dataDir()) || p.equals(config.backupDir());
        if (directory ? Files.isDirectory(p) : Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)) {
          PosixFileAttributeView posix = directory ? Files.getFileAttributeView(p, PosixFileAttributeView.class)
              : Files.getFileAttributeView(p, PosixFileAttributeView.class, LinkOption.NOFOLLOW_LINKS);
          if (posix != null) {
            posix.setPermissions(PosixFilePermissions.fromString(directory ? "rwx------" : "rw-------"));
          }
        }
      } catch (IOException e) {
        log.warn("Cannot make {} readable by its owner only ({}); run: chmod go-rwx {}", p, e.getMessage(), p);
      }
    }
  }

  public AppConfig config() {
    return config;
  }

  public Services services() {
    return services;
  }

  public SchedulerView scheduler() {
    return schedules.running();
  }

  /** The runs asked for now on this process's Quartz: a test fires a job through them as its trigger would. */
  Launches launches() {
    return schedules.launches();
  }

  /**
   * Changes whenever anything is committed to the database, by this process or another, and when a secret file made
   * readable lifts an instance's mark (which commits nothing): both only grow, so their sum moves whenever either does.
   */
  public LongSupplier dataVersion() {
    InstanceService instances = services.instances();
    return () -> database.dataVersion() + instances.marksLifted();
  }

  /** "imported 1,810 backups of 1 Pi-hole from Pi-hole Checkpoint 1.x", when its history was carried over. */
  public Optional<String> originalImport() {
    MyBatisImportLedger ledger = new MyBatisImportLedger(database);
    return ledger.find().filter(ImportLedger.Summary::finished).map(s -> OriginalImportService.describe(s, ledger.skippedByReason()));
  }

  /** The instances searched, filtered and paged, for the dashboard and the API's list. */
  /** The start's warnings of the PIHOLE_<P>_* variables (see {@link InstancesFromEnvironment#warnings}). */
  public List<String> environmentWarnings() {
    return environment.warnings();
  }

  public InstanceOverview overview() {
    return overview;
  }

  public HealthService health() {
    return health;
  }

  public Clock clock() {
    return clock;
  }

  public CheckpointMetrics metrics() {
    return metrics;
  }

  /** The providers notifications go to, their test and latest outcomes. */
  public Notifications notifications() {
    return reporting.sent();
  }

  /**
   * The server begins to stop: no backup starts any more, and running ones (a restore's safety
   * backup and check included) are cancelled and recorded as such now, while the requests that
   * wait for them can still be answered. {@link #close} follows; this may run any number of times.
   */
  public void stopping() {
    outages.stop();
    services.restores().stop();
    schedules.close();
    services.backups().cancelRunning(); // on a standby too, whose imports then say the server is stopping
  }

  /** Quartz first, so no backup starts on a closed pool; then the pool. */
  @Override
  public void close() {
    try {
      outages.stop();
      services.restores().stop(); // in a servlet container that does not say it is stopping first
      schedules.close();
      services.restoreThread().shutdown();
      awaitQuietly(services.restoreThread());
      services.offsite().close();
      reporting.close();
      metrics.close();
    } finally {
      database.close();
    }
  }

  /**
   * A stopped restore gets a bounded time to record how far it got (a sent import's answer, the
   * Pi-hole's restart and the logout included; see RestoreRunner#stop), queued ones to record that
   * they did not start.
   */
  private static void awaitQuietly(ExecutorService pool) {
    try {
      if (!pool.awaitTermination(8, TimeUnit.SECONDS)) {
        log.warn("A restore was still running at shutdown; its record stays 'running' until the next look at it");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
