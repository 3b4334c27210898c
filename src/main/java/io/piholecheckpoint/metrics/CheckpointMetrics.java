package io.piholecheckpoint.metrics;

import io.piholecheckpoint.core.backup.Backup;
import io.piholecheckpoint.core.backup.BackupRepository;
import io.piholecheckpoint.core.backup.Events;
import io.piholecheckpoint.core.instance.ConnectionStatus;
import io.piholecheckpoint.core.instance.PiholeInstance;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.core.metrics.Info;
import io.prometheus.metrics.instrumentation.jvm.JvmMetrics;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Everything {@code /metrics} reports, in its own registry (no global one). Counters and the
 * duration histogram are fed by {@link Events}; gauges read the current state at scrape time.
 * The names and labels of the original project's metrics ({@code pihole_*}, keyed by the
 * instance id as {@code config_id}) are kept, so existing dashboards work.
 *
 * <p>Scrapes stay cheap: the history totals are one aggregate query, re-run only after a backup
 * or retention changed them (or after five minutes, for deletions made in the UI).
 */
public final class CheckpointMetrics implements Events {
  private static final Duration TOTALS_MAX_AGE = Duration.ofMinutes(5);

  private final PrometheusRegistry registry = new PrometheusRegistry();
  private final Clock clock;
  private final Counter backupRuns;
  private final Counter restoreRuns;
  private final Counter retentionDeletions;
  private final Counter notifications;
  private final Counter archiveProblems;
  private final Histogram backupDuration;
  private volatile boolean totalsChanged = true;
  private volatile Instant totalsReadAt = Instant.MIN;
  private volatile Map<Long, BackupRepository.Totals> totals = Map.of();

  public CheckpointMetrics(String version, String commit, String built, Clock clock) {
    this.clock = clock;
    Info.builder().name("pihole_info").help("Pi-hole Checkpoint build").labelNames("version", "commit", "build_date").register(registry)
        .addLabelValues(version, commit, built);
    backupRuns = Counter.builder().name("checkpoint_backup_runs_total").help("Backup runs by outcome and trigger")
        .labelNames("config_id", "outcome", "trigger").register(registry);
    restoreRuns = Counter.builder().name("checkpoint_restore_runs_total").help("Restores by outcome")
        .labelNames("config_id", "outcome").register(registry);
    retentionDeletions = Counter.builder().name("checkpoint_retention_deletions_total").help("Backups deleted by retention, by rule")
        .labelNames("rule").register(registry);
    notifications = Counter.builder().name("checkpoint_notifications_total").help("Notification deliveries by provider and outcome")
        .labelNames("provider", "outcome").register(registry);
    archiveProblems = Counter.builder().name("checkpoint_archive_check_failures_total").help("Archives found missing or changed when re-verified")
        .labelNames("config_id").register(registry);
    backupDuration = Histogram.builder().name("checkpoint_backup_duration_seconds").help("Duration of backup runs")
        .labelNames("config_id").classicOnly().classicUpperBounds(0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600).register(registry);
    JvmMetrics.builder().register(registry);
  }

  /** What several gauges share, read once per scrape rather than once per gauge. */
  private record Scraped(List<PiholeInstance> instances, BackupRepository.FileProblems fileProblems) {
  }

  private MetricsSource source;
  private volatile Scraped scraped = new Scraped(List.of(), new BackupRepository.FileProblems(0, 0));

  public synchronized MetricSnapshots scrape() {
    if (source != null) {
      scraped = new Scraped(source.instances(), source.fileProblems());
    }
    return registry.scrape();
  }

  /** Registers the gauges over the current state; once, when the services exist. */
  public synchronized void observe(MetricsSource source) {
    this.source = source;
    GaugeWithCallback.builder().name("pihole_scheduler_up").help("1 when this process runs the backup schedules")
        .callback(cb -> cb.call(source.schedulerRunning() ? 1 : 0)).register(registry);
    GaugeWithCallback.builder().name("pihole_config_info").help("Configured Pi-hole instances").labelNames("config_id", "config_name")
        .callback(cb -> scraped.instances().forEach(i -> cb.call(1, id(i), i.name()))).register(registry);
    GaugeWithCallback.builder().name("pihole_config_active").help("1 when the instance is backed up on schedule").labelNames("config_id")
        .callback(cb -> scraped.instances().forEach(i -> cb.call(i.scheduled() ? 1 : 0, id(i)))).register(registry);
    GaugeWithCallback.builder().name("pihole_connection_status").help("Outcome of the last contact, one-hot").labelNames("config_id", "status")
        .callback(cb -> scraped.instances().forEach(i -> {
          for (ConnectionStatus s : ConnectionStatus.values()) {
            cb.call(i.status().connection() == s ? 1 : 0, id(i), s.name().toLowerCase(Locale.ROOT));
          }
        })).register(registry);
    GaugeWithCallback.builder().name("pihole_backup_last_success_timestamp_seconds").help("End of the last successful backup")
        .labelNames("config_id").callback(cb -> totals(source).values().forEach(t -> {
          if (t.lastSuccessAt() != null) {
            cb.call(t.lastSuccessAt().toEpochMilli() / 1000.0, Long.toString(t.instanceId()));
          }
        })).register(registry);
    GaugeWithCallback.builder().name("pihole_backup_last_status").help("1 last backup succeeded, 0 failed, -1 none yet").labelNames("config_id")
        .callback(cb -> {
          Map<Long, BackupRepository.Totals> all = totals(source);
          scraped.instances().forEach(i -> {
            BackupRepository.Totals t = all.get(i.id());
            cb.call(t == null || t.lastStatus() == null ? -1 : t.lastStatus() == Backup.Status.SUCCESS ? 1 : 0, id(i));
          });
        }).register(registry);
    GaugeWithCallback.builder().name("pihole_backup_records").help("Backup records kept, by status").labelNames("config_id", "status")
        .callback(cb -> totals(source).values().forEach(t -> {
          cb.call(t.successes(), Long.toString(t.instanceId()), "success");
          cb.call(t.failures(), Long.toString(t.instanceId()), "failed");
        })).register(registry);
    GaugeWithCallback.builder().name("pihole_backup_file_size_bytes").help("Size of the newest archive").labelNames("config_id")
        .callback(cb -> totals(source).values().forEach(t -> cb.call(t.lastSuccessBytes(), Long.toString(t.instanceId())))).register(registry);
    GaugeWithCallback.builder().name("pihole_backup_total_size_bytes").help("Size of all archives kept").labelNames("config_id")
        .callback(cb -> totals(source).values().forEach(t -> cb.call(t.bytes(), Long.toString(t.instanceId())))).register(registry);
    GaugeWithCallback.builder().name("checkpoint_next_backup_timestamp_seconds").help("When the next scheduled backup runs").labelNames("config_id")
        .callback(cb -> scraped.instances().forEach(i -> source.nextRun(i.id()).ifPresent(at -> cb.call(at.toEpochMilli() / 1000.0, id(i)))))
        .register(registry);
    GaugeWithCallback.builder().name("checkpoint_backup_files_missing").help("Recorded archives whose file is gone")
        .callback(cb -> cb.call(scraped.fileProblems().missing())).register(registry);
    GaugeWithCallback.builder().name("checkpoint_backup_files_corrupted").help("Archives that failed their last check")
        .callback(cb -> cb.call(scraped.fileProblems().damaged())).register(registry);
    GaugeWithCallback.builder().name("checkpoint_backup_dir_free_bytes").help("Usable bytes in BACKUP_DIR")
        .callback(cb -> {
          long free = source.freeBytes();
          if (free >= 0) {
            cb.call(free);
          }
        }).register(registry);
    GaugeWithCallback.builder().name("checkpoint_pihole_api_seats_in_use").help("API sessions in use on the Pi-hole at the last backup")
        .labelNames("config_id").callback(cb -> scraped.instances().forEach(i -> {
          if (i.status().seatsInUse() != null) {
            cb.call(i.status().seatsInUse(), id(i));
          }
        })).register(registry);
  }

  private Map<Long, BackupRepository.Totals> totals(MetricsSource source) {
    Instant now = clock.instant();
    if (totalsChanged || totalsReadAt.plus(TOTALS_MAX_AGE).isBefore(now)) {
      totalsChanged = false;
      totals = source.totals();
      totalsReadAt = now;
    }
    return totals;
  }

  private static String id(PiholeInstance instance) {
    return Long.toString(instance.id());
  }

  public void notificationDelivered(String provider, boolean succeeded) {
    notifications.labelValues(provider, succeeded ? "success" : "failure").inc();
  }

  @Override
  public void backupFinished(PiholeInstance instance, Backup backup, Duration took) {
    backupRuns.labelValues(id(instance), backup.successful() ? "success" : "failure", backup.trigger().name().toLowerCase(Locale.ROOT)).inc();
    backupDuration.labelValues(id(instance)).observe(took.toMillis() / 1000.0);
    totalsChanged = true;
  }

  @Override
  public void restoreFinished(PiholeInstance target, boolean succeeded, String message) {
    restoreRuns.labelValues(id(target), succeeded ? "success" : "failure").inc();
  }

  @Override
  public void retentionDeleted(PiholeInstance instance, String rule) {
    retentionDeletions.labelValues(rule).inc();
    totalsChanged = true;
  }

  @Override
  public void archiveProblem(PiholeInstance instance, Backup backup, String problem) {
    archiveProblems.labelValues(id(instance)).inc();
  }
}
