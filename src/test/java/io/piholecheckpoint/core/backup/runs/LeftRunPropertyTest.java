package io.piholecheckpoint.core.backup.runs;

import static org.assertj.core.api.Assertions.assertThat;

import io.piholecheckpoint.core.backup.catalog.Backup;
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
 * Every record LeftRun writes of a run cut off, for every runner, zone and instant (the hours the clocks go back and forward
 * among them): its times read as TIME_ZONE's, as on the page around it, never as a UTC instant; the log's words name the zone.
 */
class LeftRunPropertyTest {
  /** An instant as UTC writes it (2026-12-05T03:00), which a record of a run must not show. */
  private static final String ISO_INSTANT = "\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}";

  @Property
  void aRecordOfARunCutOffHasNoUtcInstantOnlyTheLocalTimesOfItsStartAndRerun(@ForAll("zones") String zoneId,
      @ForAll @LongRange(min = 1_700_000_000L, max = 1_900_000_000L) long startSecond, @ForAll @LongRange(min = 0, max = 86_400) long later,
      @ForAll RunMarkers.Runner runner, @ForAll boolean unrecorded, @ForAll boolean named) {
    LocalTimeText times = new LocalTimeText(ZoneId.of(zoneId));
    Instant started = Instant.ofEpochSecond(startSecond, 839_000_000);
    Instant again = started.plusSeconds(later);
    RunMarkers.Marker left = new RunMarkers.Marker(1, Backup.Trigger.SCHEDULED, started, named ? "node-a" : null);

    String record = LeftRun.describe(left, runner, unrecorded, again, times);
    String logged = LeftRun.describe(left, runner, unrecorded, again, times.inLog());

    assertThat(record).doesNotContainPattern(ISO_INSTANT).doesNotContain(started.toString())
        .contains("(started " + times.of(started)).contains("again at " + times.of(again));
    assertThat(logged).doesNotContainPattern(ISO_INSTANT)
        .contains("(started " + times.inLog().of(started)).contains("again at " + times.inLog().of(again));
    assertThat(times.inLog().of(started)).as("the log's time names its zone").startsWith(times.of(started).substring(0, 19) + " ")
        .hasSizeGreaterThan(20);
  }

  @Provide
  Arbitrary<String> zones() {
    return Arbitraries.of("UTC", "Europe/Berlin", "America/New_York", "Australia/Lord_Howe", "Asia/Kolkata", "America/Sao_Paulo");
  }
}
