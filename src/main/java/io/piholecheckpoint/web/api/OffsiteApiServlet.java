package io.piholecheckpoint.web.api;

import io.piholecheckpoint.core.offsite.DestinationDisabledException;
import io.piholecheckpoint.core.offsite.DestinationException.Problem;
import io.piholecheckpoint.core.offsite.OffsiteService;
import io.piholecheckpoint.core.probe.DestinationTests;
import io.piholecheckpoint.core.probe.TestOutcome;
import io.piholecheckpoint.core.recovery.AdoptionService;
import io.piholecheckpoint.web.Json;
import io.piholecheckpoint.web.Paths;
import io.piholecheckpoint.web.QueryParameters;
import io.piholecheckpoint.web.Routes;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code GET /api/v1/offsite}: each off-site destination's status, pending copies, oldest pending age and last success;
 * {@code POST /api/v1/offsite/{name}/test}: a probe written, read back and deleted there now, with the outcome;
 * {@code POST /api/v1/offsite/{name}/adopt}: what the destination holds taken into the history (disaster
 * recovery), with what it found, adopted and skipped (each reason counted).
 */
public final class OffsiteApiServlet extends JsonApiServlet {
  /** The addresses it serves and their methods (see {@link Routes}). */
  public static final List<String> ROUTES = List.of(
      "GET /api/v1/offsite",
      "POST /api/v1/offsite/{name}/test",
      "POST /api/v1/offsite/{name}/adopt");
  private final OffsiteService offsite;
  private final DestinationTests tests;
  private final AdoptionService adoption;

  public OffsiteApiServlet(OffsiteService offsite, DestinationTests tests, AdoptionService adoption, Json json) {
    super(json);
    this.offsite = offsite;
    this.tests = tests;
    this.adoption = adoption;
  }

  @Override
  protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
    QueryParameters.of(request);
    if (request.getPathInfo() != null && !request.getPathInfo().equals("/")) {
      json.error(response, 404, "not_found", "no such API resource: " + request.getRequestURI());
      return;
    }
    json.write(response, 200, Map.of("destinations", offsite.status().stream().map(ApiModels.OffsiteJson::of).toList()));
  }

  /**
   * 200 with the outcome when the probe came back equal and was deleted; when not, the problem with the outcome:
   * 503 when the destination could not be reached or was too slow (it may pass later), 422 when it answered but
   * refused or gave back something else (a setting or the destination must change).
   */
  @Override
  protected void doPost(HttpServletRequest request, HttpServletResponse response) throws IOException {
    QueryParameters.of(request);
    String[] parts = Paths.segments(request);
    if (parts.length != 2 || !parts[1].equals("test") && !parts[1].equals("adopt")) {
      json.error(response, 404, "not_found", "POST /api/v1/offsite/{name}/test or /adopt");
      return;
    }
    json.noBody(request);
    if (parts[1].equals("adopt")) {
      adopt(parts[0], response);
      return;
    }
    TestOutcome outcome = tests.test(parts[0]);
    ApiModels.TestJson test = ApiModels.TestJson.of(outcome);
    if (outcome.ok()) {
      json.write(response, 200, Map.of("test", test));
      return;
    }
    boolean down = outcome.problem() == Problem.UNREACHABLE || outcome.problem() == Problem.TIMEOUT;
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("error", new Json.ApiError(outcome.problem().name().toLowerCase(Locale.ROOT), outcome.message()));
    body.put("test", test);
    json.write(response, down ? 503 : 422, body);
  }

  /** 202 with what was found, adopted and skipped; 503 when the destination could not be listed. */
  private void adopt(String name, HttpServletResponse response) throws IOException {
    String key = name.toUpperCase(Locale.ROOT);
    offsite.disabledWhy(key).ifPresent(why -> {
      throw new DestinationDisabledException(key, why); // 409, as for the Test: it is configured, but cannot work
    });
    AdoptionService.Result result;
    try {
      result = adoption.adopt(name);
    } catch (IOException e) {
      // the destination could not be listed: its message says why and holds no secret
      json.error(response, 503, "destination_unavailable", e.getMessage());
      return;
    }
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("destination", result.destination());
    body.put("found", result.found());
    body.put("adopted", result.adopted());
    body.put("alreadyKnown", result.known());
    body.put("skipped", result.skippedTotal());
    body.put("skippedBecause", result.skipped());
    json.write(response, 202, body);
  }
}
