package io.piholecheckpoint.web.api;

import io.piholecheckpoint.core.recovery.AdoptionService;
import io.piholecheckpoint.web.Json;
import io.piholecheckpoint.web.QueryParameters;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code POST /api/v1/offsite/{name}/adopt}: takes what a destination holds into the history
 * (disaster recovery), and answers what it found, adopted and skipped (with each reason counted).
 */
public final class OffsiteAdoptionApiServlet extends JsonApiServlet {
  /** The addresses it serves and their methods (see {@link io.piholecheckpoint.web.Routes}). */
  public static final List<String> ROUTES = List.of(
      "POST /api/v1/offsite/{name}/adopt");
  private static final String ACTION = "/adopt";
  private final AdoptionService adoption;

  public OffsiteAdoptionApiServlet(AdoptionService adoption, Json json) {
    super(json);
    this.adoption = adoption;
  }

  @Override
  protected void doPost(HttpServletRequest request, HttpServletResponse response) throws IOException {
    String path = request.getPathInfo() == null ? "" : request.getPathInfo();
    String name = path.startsWith("/") && path.endsWith(ACTION) ? path.substring(1, path.length() - ACTION.length()) : "";
    if (name.isEmpty() || name.contains("/")) {
      json.error(response, 404, "not_found", "no such API resource: " + request.getRequestURI());
      return;
    }
    QueryParameters.of(request);
    json.noBody(request);
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
