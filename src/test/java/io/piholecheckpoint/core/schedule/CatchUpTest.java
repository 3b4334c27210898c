package io.piholecheckpoint.core.schedule;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

class CatchUpTest {
  /** Daily at 03:00 UTC. */
  private static final Function<Instant, Instant> DAILY_AT_3 = t -> {
    Instant today = t.truncatedTo(java.time.temporal.ChronoUnit.DAYS).plus(Duration.ofHours(3));
    return today.isAfter(t) ? today : today.plus(Duration.ofDays(1));
  };

  @Test
  void catchesUpARunMissedWhileDown() {
    assertThat(CatchUp.missedRun(Instant.parse("2026-11-26T03:00:04Z"), Instant.parse("2026-11-27T09:00:00Z"), DAILY_AT_3))
        .contains(Instant.parse("2026-11-27T03:00:00Z"));
  }

  @Test
  void coalescesSeveralMissedRunsIntoOne() {
    assertThat(CatchUp.missedRun(Instant.parse("2026-11-20T03:00:04Z"), Instant.parse("2026-11-27T09:00:00Z"), DAILY_AT_3))
        .as("one answer: one catch-up run").contains(Instant.parse("2026-11-21T03:00:00Z"));
  }

  @Test
  void missesNothingWhenTheLastRunWasOnTime() {
    assertThat(CatchUp.missedRun(Instant.parse("2026-11-27T03:00:04Z"), Instant.parse("2026-11-27T09:00:00Z"), DAILY_AT_3)).isEmpty();
  }

  @Test
  void runsARunThatIsOnlySecondsLate() {
    assertThat(CatchUp.missedRun(Instant.parse("2026-11-26T03:00:04Z"), Instant.parse("2026-11-27T03:00:20Z"), DAILY_AT_3))
        .contains(Instant.parse("2026-11-27T03:00:00Z"));
  }

  @Test
  void hasNothingToCatchUpForANewInstance() {
    assertThat(CatchUp.missedRun(null, Instant.parse("2026-11-27T09:00:00Z"), DAILY_AT_3)).isEmpty();
  }
}
