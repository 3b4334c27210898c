package io.piholecheckpoint.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class TimeFormatTest {
  @Test
  void writesOneDecimalLikeStringFormat() {
    for (double v : new double[] {0, 0.04, 0.05, 1.25, 17.999, 18, 99.95, 100, 3.14159}) {
      assertThat(TimeFormat.oneDecimal(new StringBuilder(), v).toString()).as("%s", v).isEqualTo(String.format(Locale.ROOT, "%.1f", v));
    }
  }

  /** Berlin's clocks go back at 03:00 on 31 October 2027: 02:00-02:59 come twice, first at +02:00, then at +01:00. */
  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "2027-10-31T00:30:00Z | 2027-10-31 02:30:00 +02:00",
      "2027-10-31T01:30:00Z | 2027-10-31 02:30:00 +01:00",
      "2027-10-31T02:30:00Z | 2027-10-31 03:30:00",
      "2027-10-30T23:59:59Z | 2027-10-31 01:59:59",
      "2027-03-28T01:30:00Z | 2027-03-28 03:30:00",
      "2026-12-06T02:00:00Z | 2026-12-06 03:00:00"})
  void namesTheOffsetOnlyWhereTheLocalTimeComesTwice(Instant at, String shown) {
    TimeFormat format = new TimeFormat(ZoneId.of("Europe/Berlin"), Clock.systemUTC());

    assertThat(format.absolute(at)).isEqualTo(shown);
  }
}
