package io.piholecheckpoint.web.api;

import io.piholecheckpoint.core.backup.InstanceDeletion;
import io.piholecheckpoint.core.download.ConnectionTester;
import io.piholecheckpoint.core.instance.PiholeInstance;
import io.piholecheckpoint.core.overview.InstanceOverview;
import io.piholecheckpoint.core.overview.InstanceQuery;
import io.piholecheckpoint.core.registry.InstanceService;
import io.piholecheckpoint.core.settings.InstanceForm;
import io.piholecheckpoint.web.Json;
import io.piholecheckpoint.web.JsonBody;
import io.piholecheckpoint.web.ListLinks;
import io.piholecheckpoint.web.QueryParameters;
import io.piholecheckpoint.web.Routes;
import io.piholecheckpoint.web.api.ApiModels.InstanceJson;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

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
  /** Instances per page of the list unless ?size= says otherwise: all of them for most installations. */
  static final int DEFAULT_SIZE = 100;
  private static final String[] LIST_PARAMETERS = {"q", "status", "page", "size"};

  private final InstanceOverview overview;
  private final Supplier<InstanceOverview.Snapshot> everything;
  private final InstanceDeletion deletion;
  private final ConnectionTester tester;
  private final ZoneId zone;

  /**
   * @param overview the list searched, filtered and paged, with each instance's last success
   * @param everything every instance's row and totals, kept until the next commit (shared with the dashboard)
   * @param deletion deleting an instance, with its backups or keeping them
   * @param zone TIME_ZONE, the offset of the fire times it answers
   */
  public InstancesApiServlet(InstanceService instances, InstanceOverview overview, Supplier<InstanceOverview.Snapshot> everything, InstanceDeletion deletion, ConnectionTester tester, ZoneId zone, Json json) {
    super(json);
    this.instances = instances;
    this.overview = overview;
    this.everything = everything;
    this.deletion = deletion;
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
    if (route.id().isEmpty() && route.action().isEmpty()) {
      json.write(response, 200, list(QueryParameters.of(request, LIST_PARAMETERS)));
    } else if (route.action().isEmpty()) {
      QueryParameters.of(request, NONE);
      json.write(response, 200, describe(instances.find(route.instanceId())));
    } else {
      QueryParameters.of(request, NONE);
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
      var body = readInstance(request);
      InstanceForm form = ApiRequests.form(body, InstanceForm.blank());
      instances.refuseWith(null, form, ApiRequests.unused(body, form, InstanceForm.blank()));
      PiholeInstance created = instances.create(form);
      response.setHeader("Location", "/api/v1/instances/" + created.id());
      json.write(response, 201, describe(created));
    } else if (route.action().equals("test")) {
      json.noBody(request);
      ConnectionTester.ConnectionTest test = tester.test(route.instanceId());
      // A failed test is an error answer, as the off-site Test's is: 503 when waiting may cure it, 422 when a setting or
      // the Pi-hole must change; `curl -f` and monitoring then see the failure, and the body still says what was found.
      json.write(response, test.ok() ? 200 : test.mayPassLater() ? 503 : 422, ApiModels.ConnectionTestJson.of(test));
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
    InstanceForm base = InstanceForm.of(instances.find(id));
    InstanceForm form = ApiRequests.form(body, base);
    instances.refuseWith(id, form, ApiRequests.unused(body, form, base));
    json.write(response, 200, describe(instances.update(id, form)));
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
      deletion.deleteInstance(route.instanceId(), what.equals("delete"));
      response.setStatus(204);
    }
  }

  private InstanceJson describe(PiholeInstance i) {
    return InstanceJson.of(i, overview.lastSuccessOf(i.id()), nextRuns(i));
  }

  private List<OffsetDateTime> nextRuns(PiholeInstance i) {
    return instances.schedules().nextRuns(i).stream().map(t -> t.atZone(zone).toOffsetDateTime()).toList();
  }

  /** One page of the list: {@code next} is the address of the following page, null on the last. */
  record ListJson(List<InstanceJson> instances, int page, int size, int total, int pages, String next) {
  }

  private ListJson list(QueryParameters query) {
    InstanceQuery asked = new InstanceQuery(query.text("q"), query.instanceFilter("status"),
        (int) query.number("page", 1, 1, Integer.MAX_VALUE), (int) query.number("size", DEFAULT_SIZE, 1, InstanceQuery.MAX_SIZE));
    InstanceOverview.Selection page = overview.select(everything.get(), asked);
    List<InstanceJson> listed = page.instances().stream()
        .map(i -> InstanceJson.of(i, page.statsOf(i).lastSuccessAt(), nextRuns(i))).toList();
    String next = asked.page() < page.pages() ? "/api/v1/instances?" + ListLinks.query(asked, asked.status(), asked.page() + 1, DEFAULT_SIZE) : null;
    return new ListJson(listed, asked.page(), asked.size(), page.total(), page.pages(), next);
  }
}
