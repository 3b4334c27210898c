package io.piholecheckpoint.web.api;

import io.piholecheckpoint.core.offsite.OffsiteService;
import io.piholecheckpoint.web.Json;
import io.piholecheckpoint.web.QueryParameters;
import io.piholecheckpoint.web.Routes;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.List;
import java.util.Map;

/** {@code GET /api/v1/offsite}: each off-site destination's status, pending copies, oldest pending age and last success. */
public final class OffsiteApiServlet extends JsonApiServlet {
  /** The addresses it serves and their methods (see {@link Routes}). */
  public static final List<String> ROUTES = List.of(
      "GET /api/v1/offsite");
  private final OffsiteService offsite;

  public OffsiteApiServlet(OffsiteService offsite, Json json) {
    super(json);
    this.offsite = offsite;
  }

  @Override
  protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
    QueryParameters.of(request);
    json.write(response, 200, Map.of("destinations", offsite.status().stream().map(ApiModels.OffsiteJson::of).toList()));
  }
}
