package io.piholecheckpoint.metrics;

import io.piholecheckpoint.core.backup.catalog.Backup;
import io.piholecheckpoint.core.backup.catalog.BackupRepository;
import io.piholecheckpoint.core.instance.ConnectionStatus;
import io.piholecheckpoint.core.instance.PiholeInstance;
import io.piholecheckpoint.core.job.DatabaseBusyException;
import io.piholecheckpoint.core.job.DatabaseOutages;
import io.piholecheckpoint.core.offsite.catalog.OffsiteCatalog;
import io.piholecheckpoint.core.sync.status.SyncStatus;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Everything {@code /metrics} reports: the {@link MetricCounters}, and gauges that read the
 * current state from a {@link MetricsSource} at scrape time.
 * The names and labels of the original project's metrics ({@code pihole_*}, keyed by the
 * instance id as {@code config_id}) are kept, so existing dashboards work.
 *
 * <p>Scrapes stay cheap: the history totals are one aggregate query, re-run only after a backup
 * or retention changed them (or after five minutes, for deletions made in the UI).
 */
public final class CheckpointMetrics {
  private static final Duration TOTALS_MAX_AGE = Duration.ofMinutes(5);
  private static final Logger log = LoggerFactory.getLogger(CheckpointMetrics.class);

  private final PrometheusRegistry registry;
  private boolean jvmMetricsRegistered; // guarded by this
  private final MetricCounters counters;
  private final MetricsSource source;
  private final Clock clock;
  private volatile Instant totalsReadAt = Instant.MIN;
  private volatile Map<Long, BackupRepository.Totals> totals = Map.of();

  /**
   * What the gauges read from the database, read once per scrape before any gauge is asked: a read that fails (a table locked
   * by another session, the server gone mid-scrape) then leaves them all out, instead of failing the scrape with a 500.
   */
  private record Scraped(List<PiholeInstance> instances, BackupRepository.FileProblems fileProblems, List<OffsiteCatalog.DestinationStatus> offsite,
                         List<SyncStatus.GroupStatus> sync, Map<Long, BackupRepository.Totals> totals, Map<Long, Instant> nextRuns,
                         Long clusterNodes, boolean schedulerRunning) {
  }

  /** Unknown file problems are null, not zero: a dashboard must not read "0 missing" while the database cannot say. */
  private static final Scraped NOTHING = new Scraped(List.of(), null, List.of(), List.of(), Map.of(), Map.of(), null, false);
  private volatile Scraped scraped = NOTHING;
  /** Whether the database answered at this scrape; while it does not, the gauges that read it are left out rather than failing the scrape. */
  private volatile boolean databaseUp = true;
  /** Whether a read of the database at this scrape waited past its limit (another session holds a lock on a table it reads). */
  private volatile boolean databaseBusy;

  public synchronized MetricSnapshots scrape() {
    if (!jvmMetricsRegistered) {
      counters.registerJvmMetrics();
      jvmMetricsRegistered = true;
    }
    databaseUp = source.databaseUp();
    databaseBusy = false;
    scraped = NOTHING;
    if (databaseUp) {
      try {
        scraped = new Scraped(source.instances(), source.fileProblems(), source.offsite(), source.sync(), totals(), source.nextRuns(),
            source.clusterNodes(), source.schedulerRunning());
      } catch (RuntimeException e) {
        if (DatabaseOutages.busy(e)) {
          databaseBusy = true;
          log.warn("/metrics answers without the gauges read from the database: a read waited longer than it may, most likely for a lock"
              + " another database session holds on a table; {}", DatabaseBusyException.in(e).orElseThrow().whereToLook());
        } else if (DatabaseOutages.outage(e)) {
          databaseUp = false;
          log.warn("/metrics answers without the gauges read from the database: it went out of reach during the scrape (SQLState {})",
              DatabaseOutages.sqlState(e));
        } else {
          throw e;
        }
      }
    }
    return registry.scrape();
  }

  public CheckpointMetrics(MetricCounters counters, MetricsSource source, Clock clock) {
    this.counters = counters;
    this.registry = counters.registry();
    this.source = source;
    this.clock = clock;
    GaugeWithCallback.builder().name("checkpoint_database_up")
        .help("1 when the database (the SQLite file, or the PostgreSQL server) answers a new connection; while 0, the gauges read from it are left out")
        .callback(cb -> cb.call(databaseUp ? 1 : 0)).register(registry);
    GaugeWithCallback.builder().name("checkpoint_database_busy")
        .help("1 when a read of the database waited past its limit at this scrape, most likely for a lock another session holds on a table;"
            + " while 1, the gauges read from it are left out")
        .callback(cb -> cb.call(databaseBusy ? 1 : 0)).register(registry);
    // a cluster's scheduler keeps its state in the database: while that is down it runs nothing here
    GaugeWithCallback.builder().name("pihole_scheduler_up").help("1 when this process runs the backup schedules")
        .callback(cb -> cb.call(databaseUp && scraped.schedulerRunning() ? 1 : 0)).register(registry);
    GaugeWithCallback.builder().name("checkpoint_cluster_nodes").help("Nodes alive that run the schedules (1 with SQLite)")
        .callback(cb -> {
          if (scraped.clusterNodes() != null) {
            cb.call(scraped.clusterNodes());
          }
        }).register(registry);
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
        .labelNames("config_id").callback(cb -> scraped.totals().values().forEach(t -> {
          if (t.lastSuccessAt() != null) {
            cb.call(t.lastSuccessAt().toEpochMilli() / 1000.0, Long.toString(t.instanceId()));
          }
        })).register(registry);
    GaugeWithCallback.builder().name("pihole_backup_last_status").help("1 last backup succeeded, 0 failed, -1 none yet").labelNames("config_id")
        .callback(cb -> {
          Map<Long, BackupRepository.Totals> all = scraped.totals();
          scraped.instances().forEach(i -> {
            BackupRepository.Totals t = all.get(i.id());
            cb.call(t == null || t.lastStatus() == null ? -1 : t.lastStatus() == Backup.Status.SUCCESS ? 1 : 0, id(i));
          });
        }).register(registry);
    GaugeWithCallback.builder().name("pihole_backup_records").help("Backup records kept, by status").labelNames("config_id", "status")
        .callback(cb -> scraped.totals().values().forEach(t -> {
          cb.call(t.successes(), Long.toString(t.instanceId()), "success");
          cb.call(t.failures(), Long.toString(t.instanceId()), "failed");
        })).register(registry);
    GaugeWithCallback.builder().name("pihole_backup_file_size_bytes").help("Size of the newest archive").labelNames("config_id")
        .callback(cb -> scraped.totals().values().forEach(t -> cb.call(t.lastSuccessBytes(), Long.toString(t.instanceId())))).register(registry);
    GaugeWithCallback.builder().name("pihole_backup_total_size_bytes").help("Size of all archives kept").labelNames("config_id")
        .callback(cb -> scraped.totals().values().forEach(t -> cb.call(t.bytes(), Long.toString(t.instanceId())))).register(registry);
    GaugeWithCallback.builder().name("checkpoint_next_backup_timestamp_seconds").help("When the next scheduled backup runs").labelNames("config_id")
        .callback(cb -> {
          Map<Long, Instant> next = scraped.nextRuns();
          scraped.instances().forEach(i -> Optional.ofNullable(next.get(i.id())).ifPresent(at -> cb.call(at.toEpochMilli() / 1000.0, id(i))));
        })
        .register(registry);
    GaugeWithCallback.builder().name("checkpoint_backup_files_missing").help("Recorded archives whose file is gone")
        .callback(cb -> Optional.ofNullable(scraped.fileProblems()).ifPresent(p -> cb.call(p.missing()))).register(registry);
    GaugeWithCallback.builder().name("checkpoint_backup_files_corrupted").help("Archives that failed their last check")
        .callback(cb -> Optional.ofNullable(scraped.fileProblems()).ifPresent(p -> cb.call(p.damaged()))).register(registry);
    GaugeWithCallback.builder().name("checkpoint_backup_dir_free_bytes").help("Usable bytes in BACKUP_DIR")
        .callback(cb -> {
          long free = source.freeBytes();
          if (free >= 0) {
            cb.call(free);
          }
        }).register(registry);
    GaugeWithCallback.builder().name("checkpoint_offsite_pending").help("Off-site copies waiting to be copied and verified")
        .labelNames("destination").callback(cb -> scraped.offsite().forEach(d -> cb.call(d.pending(), d.name()))).register(registry);
    GaugeWithCallback.builder().name("checkpoint_offsite_last_success_timestamp_seconds").help("When a copy was last verified at the destination")
        .labelNames("destination").callback(cb -> scraped.offsite().forEach(d -> {
          if (d.lastSuccessAt() != null) {
            cb.call(d.lastSuccessAt().getEpochSecond(), d.name());
          }
        })).register(registry);
    GaugeWithCallback.builder().name("checkpoint_sync_last_success_timestamp_seconds")
        .help("End of the replica's last sync run that succeeded (synced, in sync or partial)").labelNames("group", "replica")
        .callback(cb -> replicas((g, r) -> {
          if (r.lastSuccessAt() != null) {
            cb.call(r.lastSuccessAt().toEpochMilli() / 1000.0, g, r.name());
          }
        })).register(registry);
    GaugeWithCallback.builder().name("checkpoint_sync_drift_items")
        .help("Items (list entries, local DNS lines, settings) in which the replica differed from its primary at the last look").labelNames("group", "replica")
        .callback(cb -> replicas((g, r) -> {
          if (r.drift() != null) {
            cb.call(r.drift().items(), g, r.name());
          }
        })).register(registry);
    GaugeWithCallback.builder().name("checkpoint_pihole_api_seats_in_use").help("API sessions in use on the Pi-hole at the last backup")
        .labelNames("config_id").callback(cb -> scraped.instances().forEach(i -> {
          if (i.status().seatsInUse() != null) {
            cb.call(i.status().seatsInUse(), id(i));
          }
        })).register(registry);
  }

  private Map<Long, BackupRepository.Totals> totals() {
    Instant now = clock.instant();
    if (counters.takeTotalsChanged() || totalsReadAt.plus(TOTALS_MAX_AGE).isBefore(now)) {
      totals = source.totals();
      totalsReadAt = now;
    }
    return totals;
  }

  private void replicas(java.util.function.BiConsumer<String, SyncStatus.ReplicaStatus> each) {
    scraped.sync().forEach(g -> g.replicas().forEach(r -> each.accept(g.group().id(), r)));
  }

  private static String id(PiholeInstance instance) {
    return Long.toString(instance.id());
  }

  /** At the app's stop: what the JVM metrics left on the JVM goes (see {@link MetricCounters#close}). */
  public void close() {
    counters.close();
  }
}
