package io.piholecheckpoint.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.piholecheckpoint.core.backup.events.Events;
import io.piholecheckpoint.core.instance.Origin;
import io.piholecheckpoint.core.instance.PiholeInstance;
import io.piholecheckpoint.core.instance.RetentionPolicy;
import io.piholecheckpoint.core.instance.TlsTrust;
import io.piholecheckpoint.core.schedule.Schedule;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** checkpoint_restore_runs_total: a restore that sent something and could not verify it is neither a success nor a failure. */
class RestoreOutcomesTest {
  private static final PiholeInstance HOME = new PiholeInstance(3, "Home", "home", Origin.ENV, "HOME", "http://home.lan", TlsTrust.SYSTEM, null,
      Schedule.DEFAULT, RetentionPolicy.DEFAULT, false, true, false, false, PiholeInstance.Status.UNKNOWN);

  @Test
  void anUnverifiedRestoreIsCountedAsUnverifiedThroughTheListenersAsTheRunnerTellsThem() {
    MetricCounters counters = new MetricCounters("1", "c", "b");
    Events events = Events.all(List.of(counters));

    events.restoreFinished(HOME, true, "verified");
    events.restoreFinished(HOME, false, "failed");
    events.restoreUnverified(HOME, "sent; the result was not verified");
    events.restoreUnverified(HOME, "sent; the result was not verified");

    CounterSnapshot restores = (CounterSnapshot) counters.registry().scrape().stream()
        .filter(s -> s.getMetadata().getPrometheusName().startsWith("checkpoint_restore_runs")).findFirst().orElseThrow();
    Map<String, Double> byOutcome = restores.getDataPoints().stream()
        .collect(Collectors.toMap(d -> d.getLabels().get("outcome"), CounterSnapshot.CounterDataPointSnapshot::getValue));
    assertThat(byOutcome).containsExactlyInAnyOrderEntriesOf(Map.of("success", 1.0, "failure", 1.0, "unverified", 2.0));
  }
}
