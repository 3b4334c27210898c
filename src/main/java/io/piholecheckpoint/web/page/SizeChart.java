package io.piholecheckpoint.web.page;

import io.piholecheckpoint.core.backup.catalog.BackupRepository.SizePoint;
import io.piholecheckpoint.core.units.ByteSize;
import io.piholecheckpoint.web.TimeFormat;
import java.time.Instant;
import java.util.List;
import java.util.OptionalLong;

/**
 * Archive size and outcome over time as inline SVG, drawn on the server: no chart library and
 * no script. Only numbers and fixed text go into it, so it is safe to emit unescaped.
 */
final class SizeChart {
  private static final int WIDTH = 640;
  private static final int HEIGHT = 140;
  private static final int PAD = 12;

  private SizeChart() {
  }

  /** A small line of archive sizes ({@code sizes} newest first), oldest left. */
  static String sparkline(List<Long> sizes) {
    if (sizes.size() < 2) {
      return "";
    }
    long max = sizes.stream().mapToLong(Long::longValue).max().orElse(1);
    long min = sizes.stream().mapToLong(Long::longValue).min().orElse(0);
    double range = Math.max(1, max - min);
    StringBuilder points = new StringBuilder();
    for (int i = 0; i < sizes.size(); i++) {
      double x = 100.0 * (sizes.size() - 1 - i) / (sizes.size() - 1);
      double y = 18 - 16 * ((sizes.get(i) - min) / range);
      TimeFormat.oneDecimal(points, x).append(',');
      TimeFormat.oneDecimal(points, y).append(' ');
    }
    return "<svg class=\"sparkline\" viewBox=\"0 0 100 20\" preserveAspectRatio=\"none\" role=\"img\" aria-label=\"Archive sizes\">"
        + "<polyline points=\"" + points.toString().trim() + "\"/></svg>";
  }

  /** @param newestFirst the attempts to plot */
  static String svg(List<SizePoint> newestFirst) {
    StringBuilder svg = new StringBuilder("<svg class=\"chart\" viewBox=\"0 0 %d %d\" role=\"img\" aria-label=\"Archive size and outcome over time\">"
        .formatted(WIDTH, HEIGHT));
    if (newestFirst.isEmpty()) {
      return svg.append("<text x=\"12\" y=\"70\">No backups to chart yet.</text></svg>").toString();
    }
    Instant first = newestFirst.get(newestFirst.size() - 1).finishedAt();
    Instant last = newestFirst.get(0).finishedAt();
    double span = Math.max(1, last.toEpochMilli() - first.toEpochMilli());
    OptionalLong largest = newestFirst.stream().filter(SizePoint::successful).mapToLong(SizePoint::sizeBytes).max();
    long maxSize = largest.orElse(1);
    StringBuilder line = new StringBuilder();
    for (int i = newestFirst.size() - 1; i >= 0; i--) {
      SizePoint b = newestFirst.get(i);
      double x = PAD + (WIDTH - 2 * PAD) * ((b.finishedAt().toEpochMilli() - first.toEpochMilli()) / span);
      if (b.successful()) {
        double y = HEIGHT - PAD - (HEIGHT - 3 * PAD) * ((double) b.sizeBytes() / maxSize);
        TimeFormat.oneDecimal(line, x).append(',');
        TimeFormat.oneDecimal(line, y).append(' ');
        TimeFormat.oneDecimal(TimeFormat.oneDecimal(svg.append("<circle class=\"ok\" cx=\""), x).append("\" cy=\""), y).append("\" r=\"3\"/>");
      } else {
        TimeFormat.oneDecimal(TimeFormat.oneDecimal(svg.append("<line class=\"failed\" x1=\""), x).append("\" y1=\"").append(HEIGHT - PAD).append("\" x2=\""), x)
            .append("\" y2=\"").append(HEIGHT - 2).append("\"/>");
      }
    }
    svg.append("<polyline class=\"size\" points=\"").append(line.toString().trim()).append("\"/>");
    svg.append("<text x=\"").append(PAD).append("\" y=\"").append(PAD).append("\">")
        // with failures only there is no size to scale by: "1 B" would read as a size
        .append(largest.isPresent() ? ByteSize.format(maxSize) : "no successful backup yet").append("</text>");
    return svg.append("</svg>").toString();
  }
}
