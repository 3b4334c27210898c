package io.piholecheckpoint.web.api;

import io.piholecheckpoint.core.health.HealthReport;
import io.piholecheckpoint.core.health.HealthService;
import io.piholecheckpoint.web.Json;
import io.piholecheckpoint.web.Routes;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.List;

/** {@code GET|HEAD /health}: 200 when the scheduler runs and the database answers, else 503. */
public final class HealthServlet extends HttpServlet {
  /** The addresses it serves and their methods (see {@link Routes}). */
  public static final List<String> ROUTES = List.of(
      "GET /health");
  private final HealthService health;
  private final Json json;
  /** What is wrong with the deployment, said in every answer; null when nothing is. */
  private final String deployment;
  private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(HealthServlet.class);

  public HealthServlet(HealthService health, Json json) {
    this(health, json, null);
  }

  /** @param deployment what is wrong with how the container deployed the app (see {@code AppListener}); null when nothing is */
  public HealthServlet(HealthService health, Json json, String deployment) {
    this.health = health;
    this.json = json;
    this.deployment = deployment;
  }

  /**
   * {@code json}, with the serializers of this servlet's answer built: Jackson builds them from the answer's types, so an
   * answer of nulls and empty lists does, and that needs nothing of the application. A start does this on a thread of its
   * own beside the application's start, and {@link #init}, on the start's main thread, then no longer builds them there.
   */
  public static Json preparing(Json json) {
    try {
      json.prepare(new HealthJson(null, null, null, null, null, null, List.of(), List.of(), List.of(), null, null, List.of(), null));
    } catch (IOException | RuntimeException e) {
      // only a head start, as init's: the first answer builds what is missing and reports what fails
      log.debug("JSON of /health not prepared at startup: {}", e.getMessage());
    }
    return json;
  }

  /**
   * Runs the health check once while the server starts (registered to load on startup, so
   * before the port opens): its classes, queries and JSON serializers were most of the first
   * {@code /health}'s 0.6 s, which a container's health check waits for.
   */
  @Override
  public void init() throws ServletException {
    try {
      json.prepare(HealthJson.of(health.check()));
    } catch (IOException | RuntimeException e) {
      // only a head start: the first request checks again and reports what fails
      log.debug("Health check at startup failed: {}", e.getMessage());
    }
  }

  @Override
  protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
    HealthReport report = health.check();
    json.write(response, report.available() ? 200 : 503, HealthJson.of(report).deployedWith(deployment));
  }
}
