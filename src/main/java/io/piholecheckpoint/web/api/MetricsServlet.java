package io.piholecheckpoint.web.api;

import io.piholecheckpoint.web.Routes;
import io.prometheus.metrics.expositionformats.ExpositionFormatWriter;
import io.prometheus.metrics.expositionformats.ExpositionFormats;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.List;
import java.util.function.Supplier;

/**
 * {@code GET /metrics} (and {@code /metrics/}, no redirect: see web.access.SlashTwins): Prometheus text format, or
 * OpenMetrics when the scraper asks for it in {@code Accept}. Guarded by METRICS_TOKEN in
 * the access filter when that is set.
 */
public final class MetricsServlet extends HttpServlet {
  /** The addresses it serves and their methods (see {@link Routes}). */
  public static final List<String> ROUTES = List.of(
      "GET /metrics");
  private final Supplier<MetricSnapshots> metrics;
  private final ExpositionFormats formats = ExpositionFormats.init();

  /** @param metrics a scrape of every metric, as Prometheus reads them */
  public MetricsServlet(Supplier<MetricSnapshots> metrics) {
    this.metrics = metrics;
  }

  @Override
  protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
    ExpositionFormatWriter writer = formats.findWriter(request.getHeader("Accept"));
    response.setContentType(writer.getContentType());
    response.setHeader("Cache-Control", "no-store");
    writer.write(response.getOutputStream(), metrics.get());
  }
}
