package io.piholecheckpoint.web;

import io.piholecheckpoint.core.health.HealthReport;
import io.piholecheckpoint.core.health.HealthService;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;

/** {@code GET|HEAD /health}: 200 when the scheduler runs and the database answers, else 503. */
public final class HealthServlet extends HttpServlet {
  private final HealthService health;
  private final Json json;

  public HealthServlet(HealthService health, Json json) {
    this.health = health;
    this.json = json;
  }

  @Override
  protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
    HealthReport report = health.check();
    json.write(response, report.available() ? 200 : 503, report);
  }
}
