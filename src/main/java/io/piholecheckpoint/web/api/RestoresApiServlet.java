package io.piholecheckpoint.web.api;

import io.piholecheckpoint.core.restore.RestoreService;
import io.piholecheckpoint.web.Json;
import io.piholecheckpoint.web.Paths;
import io.piholecheckpoint.web.QueryParameters;
import io.piholecheckpoint.web.Routes;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.List;
import java.util.OptionalLong;

/** {@code GET /api/v1/restores/{id}}: how a restore got on. */
public final class RestoresApiServlet extends JsonApiServlet {
  /** The addresses it serves and their methods (see {@link Routes}). */
  public static final List<String> ROUTES = List.of(
      "GET /api/v1/restores/{id}");
  private final RestoreService restores;

  public RestoresApiServlet(RestoreService restores, Json json) {
    super(json);
    this.restores = restores;
  }

  @Override
  protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
    QueryParameters.of(request);
    String[] parts = Paths.segments(request);
    OptionalLong id = parts.length == 1 ? Paths.id(parts[0]) : OptionalLong.empty();
    var restore = id.isEmpty() ? java.util.Optional.<io.piholecheckpoint.core.restore.record.Restore>empty() : restores.find(id.getAsLong());
    if (restore.isEmpty()) {
      json.error(response, 404, "restore_not_found", "no such restore");
      return;
    }
    json.write(response, 200, ApiModels.RestoreJson.of(restore.get()));
  }
}
