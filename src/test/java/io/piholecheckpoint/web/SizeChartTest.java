package io.piholecheckpoint.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;

class SizeChartTest {
  @Test
  void writesOneDecimalLikeStringFormat() {
    for (double v : new double[] {0, 0.04, 0.05, 1.25, 17.999, 18, 99.95, 100, 3.14159}) {
      assertThat(SizeChart.oneDecimal(new StringBuilder(), v).toString()).as("%s", v).isEqualTo(String.format(Locale.ROOT, "%.1f", v));
    }
  }

  @Test
  void drawsTheNewestSizeOnTheRightAndTheLargestAtTheTop() {
    String svg = SizeChart.sparkline(List.of(300L, 100L, 200L));

    assertThat(svg).contains("points=\"100.0,2.0 50.0,18.0 0.0,10.0\"");
    assertThat(SizeChart.sparkline(List.of(5L))).as("one point is no line").isEmpty();
  }

  @Test
  void chartsSuccessesAsPointsAndFailuresAsMarks() {
    var t = java.time.Instant.parse("2026-11-27T03:00:00Z");
    String svg = SizeChart.svg(List.of(io.piholecheckpoint.testing.TestBackups.aFailure(2, 1, t.plusSeconds(100)),
        io.piholecheckpoint.testing.TestBackups.aSuccess(1, 1, t)));

    assertThat(svg).contains("<circle class=\"ok\" cx=\"12.0\"").contains("<line class=\"failed\" x1=\"")
        .matches("(?s).*cy=\"\\d+\\.\\d\" r=\"3\"/>.*");
  }
}
