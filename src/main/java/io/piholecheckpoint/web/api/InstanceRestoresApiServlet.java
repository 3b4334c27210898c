package io.piholecheckpoint.web.api;

import io.piholecheckpoint.core.registry.InstanceService;
import io.piholecheckpoint.core.restore.RestoreService;
import io.piholecheckpoint.web.Json;
import io.piholecheckpoint.web.QueryParameters;
import io.piholecheckpoint.web.Routes;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.List;
import java.util.Map;

/** {@code GET /api/v1/instances/{id}/restores}: the restores made to an instance. Reached through {@link InstancesApiServlet}. */
public final class InstanceRestoresApiServlet extends JsonApiServlet {
  /** The addresses it serves and their methods (see {@link Routes}). */
  public static final List<String> ROUTES = List.of(
      "GET /api/v1/instances/{id}/restores");
  /** The name to register it under. */
  public static final String NAME = "instance-restores-api";

  private final InstanceService instances;
  private final RestoreService restores;

  public InstanceRestoresApiServlet(InstanceService instances, RestoreService restores, Json json) {
    super(json);
    this.instances = instances;
    this.restores = restores;
  }

  @Override
  protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
    InstanceRoute route = InstanceRoute.of(request);
    QueryParameters.of(request);
    json.write(response, 200, Map.of("restores", ApiModels.RestoreJson.all(restores.history(instances.find(route.instanceId()).id()))));
  }
}
