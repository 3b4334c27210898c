package io.piholecheckpoint.web.api;

import io.piholecheckpoint.core.backup.BackupCatalog;
import io.piholecheckpoint.core.backup.BackupService;
import io.piholecheckpoint.core.download.ConnectionTester;
import io.piholecheckpoint.core.instance.PiholeInstance;
import io.piholecheckpoint.core.registry.InstanceService;
import io.piholecheckpoint.core.settings.InstanceForm;
import io.piholecheckpoint.web.Json;
import io.piholecheckpoint.web.JsonBody;
import io.piholecheckpoint.web.QueryParameters;
import io.piholecheckpoint.web.Routes;
import io.piholecheckpoint.web.api.ApiModels.InstanceJson;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;

/**
 * {@code /api/v1/instances}: list, show, create, change, delete and test instances. What lies
 * under an instance (its backups, retention preview and restores) is served by the servlet of
 * that family, to which this one hands the request on by name: a servlet mapping cannot match
 * a path with the id in its middle.
 */
public final class InstancesApiServlet extends JsonApiServlet {
  /** The addresses it serves and their methods (see {@link Routes}). */
  public static final List<String> ROUTES = List.of(
      "GET, POST /api/v1/instances",
      "GET, PUT, DELETE /api/v1/instances/{id}",
      "POST /api/v1/instances/{id}/test");
  private static final String[] NONE = {};
  /** The servlet (by its registered name) that serves each GET and POST under {@code /{id}/}. */
  private static final Map<String, String> GET_FAMILIES = Map.of(
      "backups", InstanceBackupsApiServlet.NAME,
      "retention/preview", RetentionPreviewApiServlet.NAME,
      "restores", InstanceRestoresApiServlet.NAME);
  private static final Map<String, String> POST_FAMILIES = Map.of(
      "backups", InstanceBackupsApiServlet.NAME,
      "backups/import", InstanceBackupsApiServlet.NAME);

  private final InstanceService instances;
  private final BackupCatalog catalog;
  private final BackupService backups;
  private final ConnectionTester tester;
  private final ZoneId zone;

  /**
   * @param catalog the last success of each instance
   * @param backups deleting an instance with its backups
   * @param zone TIME_ZONE, the offset of the fire times it answers
   */
  public InstancesApiServlet(InstanceService instances, BackupCatalog catalog, BackupService backups, ConnectionTester tester, ZoneId zone, Json json) {
    super(json);
    this.instances = instances;
    this.catalog = catalog;
    this.backups = backups;
    this.tester = tester;
    this.zone = zone;
  }

  @Override
  protected void doGet(HttpServletRequest request, HttpServletResponse response) throws ServletException, IOException {
    InstanceRoute route = InstanceRoute.of(request);
    if (GET_FAMILIES.containsKey(route.action())) {
      handOn(GET_FAMILIES.get(route.action()), request, response);
      return;
    }
    QueryParameters.of(request, NONE);
    if (route.action().isEmpty()) {
      json.write(response, 200, route.id().isEmpty()
          ? Map.of("instances", describeAll())
          : describe(instances.find(route.instanceId())));
    } else {
      json.error(response, 404, "not_found", "no such API resource: " + request.getRequestURI());
    }
  }

  @Override
  protected void doPost(HttpServletRequest request, HttpServletResponse response) throws ServletException, IOException {
    InstanceRoute route = InstanceRoute.of(request);
    if (route.id().isPresent() && POST_FAMILIES.containsKey(route.action())) {
      handOn(POST_FAMILIES.get(route.action()), request, response);
      return;
    }
    QueryParameters.of(request, NONE);
    if (route.id().isEmpty() && route.action().isEmpty()) {
      PiholeInstance created = instances.create(ApiRequests.form(readInstance(request), InstanceForm.blank()));
      response.setHeader("Location", "/api/v1/instances/" + created.id());
      json.write(response, 201, describe(created));
    } else if (route.action().equals("test")) {
      json.noBody(request);
      json.write(response, 200, ApiModels.ConnectionTestJson.of(tester.test(route.instanceId())));
    } else {
      json.error(response, 404, "not_found", "no such API resource: " + request.getRequestURI());
    }
  }

  @Override
  protected void doPut(HttpServletRequest request, HttpServletResponse response) throws IOException {
    InstanceRoute route = InstanceRoute.of(request);
    QueryParameters.of(request, NONE);
    if (route.id().isEmpty() || !route.action().isEmpty()) {
      json.error(response, 404, "not_found", "PUT /api/v1/instances/{id} with the fields to change");
      return;
    }
    long id = route.instanceId();
    var body = readInstance(request);
    json.write(response, 200, describe(instances.update(id, ApiRequests.form(body, InstanceForm.of(instances.find(id))))));
  }

  private JsonBody.Read<ApiRequests.InstanceRequest> readInstance(HttpServletRequest request) throws IOException {
    return json.read(request, ApiRequests.InstanceRequest.class, ApiRequests.InstanceRequest.NULLABLE);
  }

  @Override
  protected void doDelete(HttpServletRequest request, HttpServletResponse response) throws IOException {
    InstanceRoute route = InstanceRoute.of(request);
    String what = QueryParameters.of(request, "backups").choice("backups", "keep", "delete");
    if (route.id().isEmpty() || !route.action().isEmpty()) {
      json.error(response, 404, "not_found", "DELETE /api/v1/instances/{id}?backups=keep|delete");
    } else if (what == null) {
      throw new Json.BadRequestException(400, "bad_parameter", "backups", "say what happens to its backups: ?backups=keep (they stay visible) or ?backups=delete (files too)");
    } else {
      json.noBody(request);
      backups.deleteInstance(route.instanceId(), what.equals("delete"));
      response.setStatus(204);
    }
  }

  private InstanceJson describe(PiholeInstance i) {
    return InstanceJson.of(i, catalog.stats(i.id()).lastSuccessAt(), nextRuns(i));
  }

  private List<OffsetDateTime> nextRuns(PiholeInstance i) {
    return instances.schedules().nextRuns(i).stream().map(t -> t.atZone(zone).toOffsetDateTime()).toList();
  }

  private List<InstanceJson> describeAll() {
    Map<Long, Instant> lastSuccess = catalog.lastSuccessPerInstance();
    return instances.list().stream().map(i -> InstanceJson.of(i, lastSuccess.get(i.id()), nextRuns(i))).toList();
  }
}
