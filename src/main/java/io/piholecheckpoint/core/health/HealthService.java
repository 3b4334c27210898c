package io.piholecheckpoint.core.health;

import io.piholecheckpoint.core.backup.ArchiveStore;
import io.piholecheckpoint.core.backup.BackupRepository;
import io.piholecheckpoint.core.backup.BackupService;
import io.piholecheckpoint.core.instance.InstanceService;
import io.piholecheckpoint.core.instance.PiholeInstance;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * What {@code /health} says: "unavailable" (503) when the scheduler or the database is down,
 * "degraded" (200: restarting the container would not bring a Pi-hole back) when an instance's
 * backups are stale or its settings have a problem that keeps it unscheduled (named, with the
 * problem, in its entry), otherwise "ok".
 */
public class HealthService {
  private final HealthProbes probes;
  private final InstanceService instances;
  private final BackupService backups;
  private final ArchiveStore archives;
  private final Clock clock;
  private final Staleness staleness;
  private final Instant startedAt;

  public HealthService(HealthProbes probes, InstanceService instances, BackupService backups, ArchiveStore archives, Clock clock,
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
    Instant now = clock.instant();
    SchedulerStatus scheduler = probes.scheduler();
    DatabaseStatus database = probes.database();
    boolean healthy = scheduler.running() && database.reachable();
    if (!database.reachable()) {
      // the backup history lives in that database: report only what we know
      return new HealthReport("unavailable", now, scheduler, database, null, null, List.of());
    }
    List<PiholeInstance> all = instances.list();
    Map<Long, String> names = all.stream().collect(Collectors.toMap(PiholeInstance::id, PiholeInstance::name));
    HealthReport.LastBackup last = backups.latest()
        .map(b -> new HealthReport.LastBackup(b.finishedAt(), Duration.between(b.finishedAt(), now).toSeconds(),
            names.get(b.instanceId()), b.status().name().toLowerCase(Locale.ROOT)))
        .orElse(null);
    Map<Long, Instant> lastSuccess = backups.lastSuccessPerInstance();
    List<HealthReport.InstanceHealth> perInstance = all.stream()
        .map(i -> new HealthReport.InstanceHealth(i.id(), i.name(), i.state(), i.message(), lastSuccess.get(i.id()),
            staleness.stale(i, lastSuccess.get(i.id()), startedAt, now), i.scheduled() ? staleness.limit(i).toSeconds() : null))
        .toList();
    long free = archives.usableBytes();
    BackupRepository.FileProblems problems = backups.fileProblems();
    HealthReport.Storage storage = new HealthReport.Storage(archives.directory().toString(), free,
        free >= 0 && free < archives.requiredFreeBytes(0), problems.missing(), problems.damaged());
    boolean misconfigured = all.stream().anyMatch(i -> i.problem() != null && !i.removed());
    String status = !healthy ? "unavailable" : misconfigured || perInstance.stream().anyMatch(HealthReport.InstanceHealth::stale) ? "degraded" : "ok";
    return new HealthReport(status, now, scheduler, database, last, storage, perInstance);
  }
}
