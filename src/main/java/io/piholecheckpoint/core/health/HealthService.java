package io.piholecheckpoint.core.health;

import io.piholecheckpoint.core.archive.ArchiveStore;
import io.piholecheckpoint.core.archive.UnsoundFiles;
import io.piholecheckpoint.core.backup.catalog.BackupCatalog;
import io.piholecheckpoint.core.backup.catalog.BackupRepository;
import io.piholecheckpoint.core.instance.PiholeInstance;
import io.piholecheckpoint.core.job.DatabaseBusyException;
import io.piholecheckpoint.core.job.DatabaseOutages;
import io.piholecheckpoint.core.registry.InstanceService;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * What {@code /health} says: "unavailable" (503) when the scheduler or the database is down or busy (a read cut at its
 * limit, most likely by a lock another session holds),
 * "degraded" (200: restarting the container would not bring a Pi-hole back) when an instance's
 * backups are stale, its settings have a problem that keeps it unscheduled (named, with the
 * problem, in its entry), backups cannot be written (low space, or the last attempt failed to be
 * stored), an archive is missing or damaged with no sound off-site copy, an off-site destination has failed for longer than OFFSITE_STALE_AFTER, BACKUP_ENCRYPTION_PASSPHRASE does not open the
 * copies a destination holds (found once per start), a sync
 * group is disabled or has a replica failing for longer than its staleness window, this node's own check-in in a cluster is
 * overdue, or its clock is further from the database server's than the cluster tolerates, a scheduled run failed before it
 * started (kept in memory until the instance's next run starts), "standby" (200: restarting it would not help either) while another process on the
 * same DATA_DIR runs the schedules, otherwise "ok".
 */
public class HealthService {
  /** The failure code of a backup the backup directory could not take. */
  private static final String STORAGE_ERROR = "storage_error";
  private final HealthProbes probes;
  private final InstanceService instances;
  private final BackupCatalog backups;
  private final ArchiveStore archives;
  private final Clock clock;
  private final Staleness staleness;
  private final Instant startedAt;

  public HealthService(HealthProbes probes, InstanceService instances, BackupCatalog backups, ArchiveStore archives, Clock clock,
                       Staleness staleness) {
    this.staleness = staleness;
    this.startedAt = clock.instant();
    this.probes = probes;
    this.instances = instances;
    this.backups = backups;
    this.archives = archives;
    this.clock = clock;
  }

  public HealthReport check() {
    // read from memory, not the database, which may be what failed them: shown in every answer, unavailable ones too
    return checkDatabase().withNotStarted(probes.notStarted());
  }

  private HealthReport checkDatabase() {
    Instant now = clock.instant();
    DatabaseStatus database = probes.database();
    // a cluster's scheduler keeps its state in that database: not asked while it is down (it would fail this answer)
    SchedulerStatus scheduler = database.reachable() ? probes.scheduler()
        : new SchedulerStatus("unknown", 0, null, "the database is unreachable: " + database.error());
    boolean healthy = (scheduler.running() || scheduler.standby()) && database.reachable();
    if (!database.reachable()) {
      // the backup history lives in that database: report only what we know
      return new HealthReport("unavailable", now, scheduler, database, null, null, List.of(), List.of(), List.of(), null);
    }
    if (database.error() != null) {
      // there but busy (a SQLite file another connection holds): every read of the catalogue would wait and fail the same
      return new HealthReport("unavailable", now, scheduler, database, null, null, List.of(), List.of(), List.of(), null);
    }
    ClusterStatus cluster = null;
    try {
      // first: when its read is what the lock holds up, the answer below does not wait for it a second time
      cluster = cluster();
      return check(now, scheduler, database, healthy, cluster);
    } catch (RuntimeException e) {
      if (!DatabaseOutages.busy(e)) {
        throw e;
      }
      // a lock held on a table it reads: answered now, saying so, rather than after the lock is let go. Unavailable (503), as
      // with the database unreachable: a node that cannot read its catalogue cannot record backups either, and a health
      // check that passes would keep a load balancer sending it requests that each wait and fail
      DatabaseStatus busy = new DatabaseStatus(true, database.schemaVersion(), "database busy: a read of the catalogue waited longer than it"
          + " may, most likely for a lock another database session holds; " + DatabaseBusyException.in(e).orElseThrow().whereToLook());
      return new HealthReport("unavailable", now, scheduler, busy, null, null, List.of(), List.of(), List.of(), cluster);
    }
  }

  private HealthReport check(Instant now, SchedulerStatus scheduler, DatabaseStatus database, boolean healthy, ClusterStatus cluster) {
    List<PiholeInstance> all = instances.list();
    Map<Long, String> names = all.stream().collect(Collectors.toMap(PiholeInstance::id, PiholeInstance::name));
    HealthReport.LastBackup last = backups.latest()
        .map(b -> new HealthReport.LastBackup(b.currentAsOf(), Duration.between(b.currentAsOf(), now).toSeconds(),
            names.get(b.instanceId()), b.status().name().toLowerCase(Locale.ROOT), b.errorCode()))
        .orElse(null);
    Map<Long, Instant> lastSuccess = backups.lastSuccessPerInstance();
    List<HealthReport.InstanceHealth> perInstance = all.stream()
        .map(i -> new HealthReport.InstanceHealth(i.id(), i.name(), i.state(), i.message(), lastSuccess.get(i.id()),
            staleness.stale(i, lastSuccess.get(i.id()), startedAt, now), i.scheduled() ? staleness.limit(i).toSeconds() : null))
        .toList();
    HealthReport.Storage storage = storage(last);
    boolean misconfigured = all.stream().anyMatch(i -> i.problem() != null && !i.removed());
    List<String> offsiteFailing = probes.offsiteFailing();
    List<HealthReport.SyncGroupHealth> sync = probes.syncGroups();
    boolean syncFailing = sync.stream().anyMatch(g -> g.disabled() != null || g.replicas().stream().anyMatch(HealthReport.ReplicaHealth::stale));
    HealthReport.PassphraseHealth passphrase = probes.passphrase();
    boolean clusterFailing = cluster != null && (cluster.checkInOverdue() || cluster.clockSkewProblem() != null);
    boolean degraded = misconfigured || syncFailing || clusterFailing || passphrase != null && passphrase.problem() || !offsiteFailing.isEmpty()
        || perInstance.stream().anyMatch(HealthReport.InstanceHealth::stale) || storage.lowSpace() || storage.filesProblem() != null
        || (last != null && STORAGE_ERROR.equals(last.failure())) || !database.writable();
    String status = !healthy ? "unavailable" : scheduler.standby() ? "standby" : degraded ? "degraded" : "ok";
    return new HealthReport(status, now, scheduler, database, last, storage, perInstance, offsiteFailing, sync, cluster, passphrase);
  }

  /**
   * The nodes as this one, answering, sees them (itself alive), or null when they cannot be read now: a health check answers
   * without them rather than fail. A read held up by a lock on the check-in table is thrown, though: the database is busy, and
   * /health must say so rather than "ok" (after waiting out the read's limit).
   */
  private ClusterStatus cluster() {
    try {
      ClusterStatus cluster = probes.cluster();
      return cluster == null ? null : cluster.asAnswering();
    } catch (RuntimeException e) {
      if (DatabaseOutages.busy(e)) {
        throw e;
      }
      return null;
    }
  }

  /**
   * Low on space: too little room for the next backup, or a write failed on a full disk and
   * neither a later write succeeded nor was space freed since (a full disk can still report
   * room that the next archive does not fit in).
   */
  private HealthReport.Storage storage(HealthReport.LastBackup last) {
    long free = archives.usableBytes();
    long reserve = archives.requiredFreeBytes(0);
    boolean diskFull = backups.outOfSpace().filter(o -> !o.spaceFreed(free, reserve)).isPresent();
    BackupRepository.FileProblems problems = backups.fileProblems();
    UnsoundFiles unsound = UnsoundFiles.of(probes.unsoundFiles());
    return new HealthReport.Storage(archives.directory().toString(), free, (free >= 0 && free < reserve) || diskFull,
        problems.missing(), problems.damaged(), unsound.count(), unsound.named(), filesProblem(problems));
  }

  /**
   * Archives that cannot be read, here or off-site (one with a verified copy is counted as neither: a read fetches the copy
   * back), are what a restore will need some day: said here, so that an alert on a status other than "ok" finds them now.
   */
  private static String filesProblem(BackupRepository.FileProblems problems) {
    List<String> lost = new java.util.ArrayList<>();
    if (problems.missing() > 0) {
      lost.add(which(problems.missing(), problems.firstMissing()) + " no archive in BACKUP_DIR");
    }
    if (problems.damaged() > 0) {
      lost.add(which(problems.damaged(), problems.firstDamaged()) + " a damaged archive (its verifyError says what was found)");
    }
    return lost.isEmpty() ? null : String.join("; ", lost) + ", and no sound off-site copy to read instead: such an archive cannot be downloaded or"
        + " restored. Put the archive back in BACKUP_DIR under its name and Verify the backup, or delete the backup if it is not needed"
        + " (GET /api/v1/backups/{id} names the file).";
  }

  private static String which(int count, Long first) {
    return count == 1 ? "backup " + first + " has" : count + " backups (the first is backup " + first + ") have";
  }
}
