package io.piholecheckpoint.core.schedule;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.ZoneId;
import org.junit.jupiter.api.Test;

class LocalTimeTextTest {
  private final LocalTimeText berlin = new LocalTimeText(ZoneId.of("Europe/Berlin"));

  @Test
  void writesTheLocalTimeAsThePagesDoWithTheOffsetOnlyInTheHourThatComesTwice() {
    assertThat(berlin.of(Instant.parse("2026-12-06T02:00:00Z"))).isEqualTo("2026-12-06 03:00:00");
    assertThat(berlin.of(Instant.parse("2027-10-31T00:30:00Z"))).isEqualTo("2027-10-31 02:30:00 +02:00");
    assertThat(berlin.of(Instant.parse("2027-10-31T01:30:00Z"))).isEqualTo("2027-10-31 02:30:00 +01:00");
  }

  @Test
  void forTheLogEveryTimeCarriesItsOffsetSoThatItIsNotTakenForTheLinesUtcStamp() {
    LocalTimeText logged = berlin.inLog();

    assertThat(logged.of(Instant.parse("2026-12-06T02:00:00Z"))).isEqualTo("2026-12-06 03:00:00 +01:00");
    assertThat(logged.of(Instant.parse("2027-07-01T01:00:00Z"))).isEqualTo("2027-07-01 03:00:00 +02:00");
    assertThat(logged.of(Instant.parse("2027-10-31T00:30:00Z"))).isEqualTo("2027-10-31 02:30:00 +02:00");
    assertThat(logged.of(Instant.parse("2027-10-31T01:30:00Z"))).isEqualTo("2027-10-31 02:30:00 +01:00");
    assertThat(new LocalTimeText(ZoneId.of("America/New_York")).inLog().of(Instant.parse("2026-12-06T08:00:00Z")))
        .isEqualTo("2026-12-06 03:00:00 -05:00");
    assertThat(new LocalTimeText(ZoneId.of("UTC")).inLog().of(Instant.parse("2026-12-06T02:00:00Z"))).isEqualTo("2026-12-06 02:00:00 UTC");
    assertThat(new LocalTimeText(ZoneId.of("Etc/UTC")).inLog().of(Instant.parse("2026-12-06T02:00:00Z"))).isEqualTo("2026-12-06 02:00:00 UTC");
  }
}
