package io.piholecheckpoint.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.prometheus.metrics.instrumentation.jvm.JvmMetrics;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The JVM's metrics at /metrics: JvmMetrics' set, its native-memory gauges only when the JVM tracks native memory. */
class JvmMetricsTest {
  @Test
  void theJvmsMetricsAreJvmMetricsOwnSetWhichWithoutNativeMemoryTrackingHasNoNativeMemoryGauge() {
    MetricCounters counters = new MetricCounters("1", "c", "b");
    PrometheusRegistry all = new PrometheusRegistry();

    counters.registerJvmMetrics();
    JvmMetrics.builder().register(all);

    assertThat(names(counters.registry())).contains("jvm_memory_used_bytes", "jvm_threads_current")
        .noneMatch(name -> name.startsWith("jvm_native_memory"))
        .containsAll(names(all));
  }

  @Test
  void nativeMemoryIsTrackedWhenTheLastOfTheJvmsOptionsForItSaysSummaryOrDetail() {
    assertThat(MetricCounters.nativeMemoryTracked(List.of("-Xmx96m", "-XX:+UseSerialGC"))).isFalse();
    assertThat(MetricCounters.nativeMemoryTracked(List.of("-XX:NativeMemoryTracking=summary"))).isTrue();
    assertThat(MetricCounters.nativeMemoryTracked(List.of("-XX:NativeMemoryTracking=detail", "-Xmx96m"))).isTrue();
    assertThat(MetricCounters.nativeMemoryTracked(List.of("-XX:NativeMemoryTracking=summary", "-XX:NativeMemoryTracking=off"))).isFalse();
    assertThat(MetricCounters.nativeMemoryTracked(List.of("-XX:NativeMemoryTracking=off", "-XX:NativeMemoryTracking=summary"))).isTrue();
  }

  private static List<String> names(PrometheusRegistry registry) {
    return registry.scrape().stream().map(snapshot -> snapshot.getMetadata().getPrometheusName()).toList();
  }
}
