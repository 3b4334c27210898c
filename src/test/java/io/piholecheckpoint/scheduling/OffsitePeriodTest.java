package io.piholecheckpoint.scheduling;

import static org.assertj.core.api.Assertions.assertThat;

import io.piholecheckpoint.core.schedule.Spread;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The off-site run's period is a constructor parameter so that an integration test need not wait out a minute
 * (PassphraseRecheckIT); the app keeps looking for due copies every minute, as the README says.
 */
class OffsitePeriodTest {
  @TempDir
  Path dir;

  @Test
  void theAppLooksForDueCopiesEveryMinuteUnlessGivenAnotherPeriod() {
    assertThat(Schedules.OFFSITE_EVERY).isEqualTo(Duration.ofMinutes(1));
    try (TestSchedules app = new TestSchedules(dir.resolve("scheduler.lock"), ZoneOffset.UTC, Clock.systemUTC(), Duration.ofSeconds(5),
        Schedules.OFFSITE_FIRST, Spread.NONE, null)) {
      assertThat(app.offsiteEvery()).as("every constructor without a period").isEqualTo(Duration.ofMinutes(1));
    }
    try (TestSchedules test = new TestSchedules(dir.resolve("scheduler.lock"), ZoneOffset.UTC, Clock.systemUTC(), Duration.ofSeconds(5),
        Schedules.OFFSITE_FIRST, Spread.NONE, null, Duration.ofSeconds(2))) {
      assertThat(test.offsiteEvery()).isEqualTo(Duration.ofSeconds(2));
    }
  }
}
