package io.piholecheckpoint.web;

import io.piholecheckpoint.metrics.CheckpointMetrics;
import io.prometheus.metrics.expositionformats.ExpositionFormatWriter;
import io.prometheus.metrics.expositionformats.ExpositionFormats;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;

/**
 * {@code GET /metrics} (and {@code /metrics/}, no redirect): Prometheus text format, or
 * OpenMetrics when the scraper asks for it in {@code Accept}. Guarded by METRICS_TOKEN in
 * {@link AccessFilter} when that is set.
 */
public final class MetricsServlet extends HttpServlet {
  private final CheckpointMetrics metrics;
  private final ExpositionFormats formats = ExpositionFormats.init();

  public MetricsServlet(CheckpointMetrics metrics) {
    this.metrics = metrics;
  }

  @Override
  protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
    if (request.getPathInfo() != null && !request.getPathInfo().equals("/")) {
      response.sendError(404);
      return;
    }
    ExpositionFormatWriter writer = formats.findWriter(request.getHeader("Accept"));
    response.setContentType(writer.getContentType());
    response.setHeader("Cache-Control", "no-store");
    writer.write(response.getOutputStream(), metrics.scrape());
  }
}
