package io.piholecheckpoint.web.api;

import io.piholecheckpoint.core.instance.PiholeInstance;
import io.piholecheckpoint.core.registry.InstanceService;
import io.piholecheckpoint.core.retention.RetentionService;
import io.piholecheckpoint.web.Json;
import io.piholecheckpoint.web.QueryParameters;
import io.piholecheckpoint.web.Routes;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.time.Clock;
import java.util.List;
import java.util.Map;

/** {@code GET /api/v1/instances/{id}/retention/preview}: what retention would delete now. Reached through {@link InstancesApiServlet}. */
public final class RetentionPreviewApiServlet extends JsonApiServlet {
  /** The addresses it serves and their methods (see {@link Routes}). */
  public static final List<String> ROUTES = List.of(
      "GET /api/v1/instances/{id}/retention/preview");
  /** The name to register it under. */
  public static final String NAME = "retention-preview-api";

  private final InstanceService instances;
  private final RetentionService retention;
  private final Clock clock;

  public RetentionPreviewApiServlet(InstanceService instances, RetentionService retention, Clock clock, Json json) {
    super(json);
    this.instances = instances;
    this.retention = retention;
    this.clock = clock;
  }

  @Override
  protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
    InstanceRoute route = InstanceRoute.of(request);
    QueryParameters.of(request);
    PiholeInstance instance = instances.find(route.instanceId());
    List<ApiModels.DeletionJson> plan = retention.preview(instance, clock.instant()).stream().map(ApiModels.DeletionJson::of).toList();
    json.write(response, 200, Map.of("policy", instance.retention().describe(), "wouldDelete", plan));
  }
}
