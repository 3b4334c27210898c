package io.piholecheckpoint.web.page;

import static org.assertj.core.api.Assertions.assertThat;
import io.piholecheckpoint.core.backup.catalog.BackupRepository.SizePoint;
import java.util.List;
import org.junit.jupiter.api.Test;

class SizeChartTest {
  @Test
  void drawsTheNewestSizeOnTheRightAndTheLargestAtTheTop() {
    String svg = SizeChart.sparkline(List.of(300L, 100L, 200L));

    assertThat(svg).contains("points=\"100.0,2.0 50.0,18.0 0.0,10.0\"");
    assertThat(SizeChart.sparkline(List.of(5L))).as("one point is no line").isEmpty();
  }

  @Test
  void chartsSuccessesAsPointsAndFailuresAsMarks() {
    var t = java.time.Instant.parse("2026-11-27T03:00:00Z");
    String svg = SizeChart.svg(List.of(new SizePoint(t.plusSeconds(100), null), new SizePoint(t, 22_000L)));

    assertThat(svg).contains("<circle class=\"ok\" cx=\"12.0\"").contains("<line class=\"failed\" x1=\"")
        .matches("(?s).*cy=\"\\d+\\.\\d\" r=\"3\"/>.*");
  }

  @Test
  void namesNoSizeWhenEveryAttemptFailed() {
    var t = java.time.Instant.parse("2026-11-27T03:00:00Z");
    String svg = SizeChart.svg(List.of(new SizePoint(t.plusSeconds(100), null), new SizePoint(t, null)));

    assertThat(svg).contains(">no successful backup yet</text>").doesNotContain(">1 B<");
    assertThat(SizeChart.svg(List.of(new SizePoint(t, 22_000L)))).as("a success scales it").doesNotContain("no successful backup");
  }
}
