package io.piholecheckpoint.metrics;

import io.piholecheckpoint.core.backup.catalog.Backup;
import io.piholecheckpoint.core.backup.runs.UnstartedRuns;
import io.piholecheckpoint.core.backup.events.Events;
import io.piholecheckpoint.core.instance.PiholeInstance;
import io.piholecheckpoint.core.offsite.copy.CopyOutcomes;
import io.piholecheckpoint.core.sync.runs.SyncOutcomes;
import io.piholecheckpoint.core.sync.runs.SyncRun;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.core.metrics.Info;
import io.prometheus.metrics.instrumentation.jvm.JvmBufferPoolMetrics;
import io.prometheus.metrics.instrumentation.jvm.JvmClassLoadingMetrics;
import io.prometheus.metrics.instrumentation.jvm.JvmCompilationMetrics;
import io.prometheus.metrics.instrumentation.jvm.JvmGarbageCollectorMetrics;
import io.prometheus.metrics.instrumentation.jvm.JvmMemoryMetrics;
import io.prometheus.metrics.instrumentation.jvm.JvmNativeMemoryMetrics;
import io.prometheus.metrics.instrumentation.jvm.JvmRuntimeInfoMetric;
import io.prometheus.metrics.instrumentation.jvm.JvmThreadsMetrics;
import io.prometheus.metrics.instrumentation.jvm.ProcessMetrics;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.List;
import java.util.Locale;

/**
 * The counters and the duration histogram of {@code /metrics}, fed by {@link Events}, in the
 * registry that {@link CheckpointMetrics} adds its gauges to (no global one). Built before the
 * services, which tell it what happens.
 */
public final class MetricCounters implements Events, CopyOutcomes, SyncOutcomes, UnstartedRuns.Listener {
  private static final String NATIVE_MEMORY_TRACKING = "-XX:NativeMemoryTracking=";
  private final PrometheusRegistry registry = new PrometheusRegistry();
  private final Counter backupRuns;
  private final Counter restoreRuns;
  private final Counter retentionDeletions;
  private final Counter notifications;
  private final Counter archiveProblems;
  private final Histogram backupDuration;
  private final Counter offsiteCopies;
  private final Counter syncRuns;
  private final Counter offsiteAdopted;
  private final Counter runsNotStarted;
  private volatile boolean totalsChanged = true;
  private final RemovableGcListeners gcListeners = new RemovableGcListeners();

  public MetricCounters(String version, String commit, String built) {
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
    offsiteCopies = Counter.builder().name("checkpoint_offsite_copies_total").help("Off-site copy attempts by destination and outcome")
        .labelNames("destination", "outcome").register(registry);
    syncRuns = Counter.builder().name("checkpoint_sync_runs_total").help("Sync runs of each replica by outcome")
        .labelNames("group", "replica", "outcome").register(registry);
    offsiteAdopted = Counter.builder().name("checkpoint_offsite_adopted_total")
        .help("Off-site copies taken into the history by adoption (outcome adopted), or skipped with a reason (outcome skipped), by destination")
        .labelNames("destination", "outcome").register(registry);
    runsNotStarted = Counter.builder().name("checkpoint_scheduled_runs_not_started_total")
        .help("Scheduled backup runs that failed before they wrote any record (database busy or down, settings unreadable), by instance")
        .labelNames("config_id").register(registry);
  }

  @Override
  public void runNotStarted(long instanceId) {
    runsNotStarted.labelValues(Long.toString(instanceId)).inc();
  }

  @Override
  public void finished(SyncRun run, PiholeInstance replica) {
    syncRuns.labelValues(run.group(), replica.name(), run.outcome().name().toLowerCase(Locale.ROOT)).inc();
  }

  @Override
  public void adopted(String destination, int adopted, int skipped) {
    offsiteAdopted.labelValues(destination, "adopted").inc(adopted);
    offsiteAdopted.labelValues(destination, "skipped").inc(skipped);
    if (adopted > 0) {
      totalsChanged = true;
    }
  }

  @Override
  public void attempted(String destination, String outcome) {
    offsiteCopies.labelValues(destination, outcome).inc();
  }

  /**
   * The JVM's own metrics, registered by the first scrape rather than at start (their management classes are ~0.1 s
   * that a start would otherwise wait for): JvmMetrics' set, without its native-memory gauges unless native memory
   * tracking is on. Those ask the JVM through the platform's MBean server, which making costs ~1.5 MiB resident and
   * ~0.1 s of CPU, and without tracking (the image's options) the answer is that there is none: they register nothing.
   */
  void registerJvmMetrics() {
    JvmThreadsMetrics.builder().register(registry);
    JvmBufferPoolMetrics.builder().register(registry);
    JvmClassLoadingMetrics.builder().register(registry);
    JvmCompilationMetrics.builder().register(registry);
    JvmGarbageCollectorMetrics.builder().register(registry);
    gcListeners.registerAllocationMetrics(registry);
    JvmMemoryMetrics.builder().register(registry);
    if (nativeMemoryTracked(ManagementFactory.getRuntimeMXBean().getInputArguments())) {
      JvmNativeMemoryMetrics.builder().register(registry);
    }
    JvmRuntimeInfoMetric.builder().register(registry);
    ProcessMetrics.builder().register(registry);
  }

  /** Whether the JVM's options turn native memory tracking on (the last NativeMemoryTracking option is the one that counts). */
  static boolean nativeMemoryTracked(List<String> jvmOptions) {
    String mode = "off";
    for (String option : jvmOptions) {
      if (option.startsWith(NATIVE_MEMORY_TRACKING)) {
        mode = option.substring(NATIVE_MEMORY_TRACKING.length());
      }
    }
    return !mode.equals("off");
  }

  PrometheusRegistry registry() {
    return registry;
  }

  /** Whether a backup or retention changed the history totals since the last call. */
  boolean takeTotalsChanged() {
    boolean changed = totalsChanged;
    totalsChanged = false;
    return changed;
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

  /** Neither: something was sent and its result not verified (a failure that changed nothing is "failure"). */
  @Override
  public void restoreUnverified(PiholeInstance target, String message) {
    restoreRuns.labelValues(id(target), "unverified").inc();
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

  /** Takes back what the JVM metrics left on the JVM itself (a listener on its garbage collectors): at the app's stop. */
  public void close() {
    gcListeners.close();
  }
}
