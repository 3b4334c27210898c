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
}
