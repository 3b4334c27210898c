package io.piholecheckpoint.core.backup.runs;

import static org.assertj.core.api.Assertions.assertThat;

import io.piholecheckpoint.core.schedule.LocalTimeText;
import java.time.Instant;
import java.time.ZoneId;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.LongRange;

/**
 * /health's word of a scheduled run that failed before it started, for every zone and instant (the hours the clocks go
 * back and forward among them): its time is TIME_ZONE's, its zone named, never a UTC instant (outsiders' round 43–44).
 */
class UnstartedRunsPropertyTest {
  @Property
  void theMessageOfARunThatDidNotStartSaysItsTimeInTimeZoneNeverAsAUtcInstant(@ForAll("zones") String zoneId,
      @ForAll @LongRange(min = 1_700_000_000L, max = 1_900_000_000L) long second) {
    LocalTimeText times = new LocalTimeText(ZoneId.of(zoneId)).inLog();
    Instant at = Instant.ofEpochSecond(second, 839_000_000);
    UnstartedRuns runs = new UnstartedRuns(UnstartedRuns.Listener.NONE);

    runs.failed(4, "database busy: locked", at);

    assertThat(runs.current()).singleElement().extracting(u -> u.message(times)).asString()
        .isEqualTo("last scheduled run failed before it started: database busy: locked, at " + times.of(at))
        .doesNotContainPattern("\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}").doesNotContain(at.toString());
  }

  @Provide
  Arbitrary<String> zones() {
    return Arbitraries.of("UTC", "Europe/Berlin", "America/New_York", "Australia/Lord_Howe", "Asia/Kolkata", "America/Sao_Paulo");
  }
}
