package io.piholecheckpoint.core.sync.status;

import static org.assertj.core.api.Assertions.assertThat;

import io.piholecheckpoint.core.contents.ContentDiff;
import io.piholecheckpoint.core.sync.ReplicaPlan;
import io.piholecheckpoint.core.sync.runs.SyncRun;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SyncDriftTest {
  private static final Instant AT = Instant.parse("2026-12-03T06:00:00Z");
  private final SyncDrift drift = new SyncDrift();

  /** +3 domains, −1 adlist and one setting to change. */
  private static ReplicaPlan plan() {
    Map<String, ContentDiff.Category> categories = new LinkedHashMap<>();
    categories.put("adlists", new ContentDiff.Category(List.of(), List.of("https://a.example/list"), List.of(), 0, 1, 0, ContentDiff.Next.NONE));
    categories.put("domains", new ContentDiff.Category(List.of("deny exact a.example", "deny exact b.example"), List.of(), List.of(), 3, 0, 0,
        ContentDiff.Next.NONE));
    ContentDiff diff = new ContentDiff(categories, List.of(new ContentDiff.SettingChange("dns.blockTTL", "2", "5")));
    return new ReplicaPlan(diff, true, null, null, Map.of("dns.blockTTL", "5"), null, null);
  }

  private static SyncRun run(SyncRun.Outcome outcome, List<String> refused, Instant at) {
    return new SyncRun(7, "home", 1, 2, 3L, outcome, null, outcome.name(), null, refused, null, at, at.plusSeconds(2));
  }

  @Test
  void aPreviewCountsEveryItemThatDiffersAndKeepsTheDiff() {
    drift.previewed("home", 2, plan(), AT);

    SyncDrift.Drift found = drift.of("home", 2, null);
    assertThat(found.items()).isEqualTo(5);
    assertThat(found.summary()).isEqualTo("\u22121 adlist, +3 domains, 1 setting");
    assertThat(found.diff()).isEqualTo(plan().diff());
    assertThat(found.at()).isEqualTo(AT);
    assertThat(drift.of("home", 3, null)).as("another replica").isNull();
  }

  @Test
  void aSuccessfulRunLeavesNothingAPartialOneTheRefusedKeysAndAFailureWhatWasKnown() {
    drift.previewed("home", 2, plan(), AT);

    drift.finished(run(SyncRun.Outcome.FAILED, List.of(), AT.plusSeconds(60)), null);
    assertThat(drift.of("home", 2, null).items()).isEqualTo(5);
    drift.finished(run(SyncRun.Outcome.PARTIAL, List.of("dns.upstreams: forced by FTLCONF_dns_upstreams"), AT.plusSeconds(120)), null);
    assertThat(drift.of("home", 2, null)).isEqualTo(new SyncDrift.Drift(AT.plusSeconds(122), 1, "1 refused setting", null, null));
    drift.finished(run(SyncRun.Outcome.SYNCED, List.of(), AT.plusSeconds(180)), null);
    assertThat(drift.of("home", 2, null)).isEqualTo(new SyncDrift.Drift(AT.plusSeconds(182), 0, "in sync", null, null));
    assertThat(drift.runsHeard()).isEqualTo(3);
  }

  @Test
  void withoutALookSinceTheStartTheLastRecordedRunSaysIt() {
    assertThat(drift.of("home", 2, run(SyncRun.Outcome.IN_SYNC, List.of(), AT)).items()).isZero();
    assertThat(drift.of("home", 2, run(SyncRun.Outcome.FAILED, List.of(), AT))).isNull();
  }
}
