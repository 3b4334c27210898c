package io.piholecheckpoint.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Locale;
import org.junit.jupiter.api.Test;

class TimeFormatTest {
  @Test
  void writesOneDecimalLikeStringFormat() {
    for (double v : new double[] {0, 0.04, 0.05, 1.25, 17.999, 18, 99.95, 100, 3.14159}) {
      assertThat(TimeFormat.oneDecimal(new StringBuilder(), v).toString()).as("%s", v).isEqualTo(String.format(Locale.ROOT, "%.1f", v));
    }
  }

  @Test
  void writesSizesInBytesKilobytesAndMegabytes() {
    assertThat(TimeFormat.size(999)).isEqualTo("999 B");
    assertThat(TimeFormat.size(1000)).isEqualTo("1.0 kB");
    assertThat(TimeFormat.size(123_456)).isEqualTo("123.5 kB");
    assertThat(TimeFormat.size(999_949)).isEqualTo("999.9 kB");
    assertThat(TimeFormat.size(1_000_000)).isEqualTo("1.0 MB");
    assertThat(TimeFormat.size(52_428_800)).isEqualTo("52.4 MB");
  }
}
