package io.piholecheckpoint.web;

import io.piholecheckpoint.core.backup.Backup;
import io.piholecheckpoint.core.backup.BackupHistory;
import io.piholecheckpoint.core.backup.BackupQueue;
import io.piholecheckpoint.core.backup.BackupRepository;
import io.piholecheckpoint.core.backup.BackupService;
import io.piholecheckpoint.core.backup.BackupTicket;
import io.piholecheckpoint.core.download.ConnectionTester;
import io.piholecheckpoint.core.instance.InstanceForm;
import io.piholecheckpoint.core.instance.InstanceNotFoundException;
import io.piholecheckpoint.core.instance.InstanceService;
import io.piholecheckpoint.core.instance.PiholeInstance;
import io.piholecheckpoint.core.retention.RetentionService;
import io.piholecheckpoint.web.ApiModels.BackupJson;
import io.piholecheckpoint.web.ApiModels.InstanceJson;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.Part;
import java.io.IOException;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;

/**
 * {@code /api/v1/instances}: list, show, create, change, delete and test instances; list
 * their backups (cursor pages), start a backup, preview retention.
 */
public final class InstancesApiServlet extends JsonApiServlet {
  private static final int DEFAULT_LIMIT = 100;
  private static final int MAX_LIMIT = 1000;
  /** How long {@code ?wait=true} holds the request for a backup to finish. */
  private static final long WAIT_SECONDS = 300;
  private static final String[] NONE = {};
  private static final String[] BACKUP_PAGE = {"limit", "before", "status", "trigger"};

  private final InstanceService instances;
  private final BackupService backups;
  private final BackupQueue queue;
  private final RetentionService retention;
  private final ConnectionTester tester;
  private final io.piholecheckpoint.core.restore.RestoreService restores;
  private final Clock clock;
  private final ZoneId zone;

  /** @param zone TIME_ZONE, the offset of the fire times it answers */
  public InstancesApiServlet(ApiServices services, Json json, ZoneId zone) {
    super(json);
    this.zone = zone;
    this.instances = services.instances();
    this.backups = services.backups();
    this.queue = services.queue();
    this.retention = services.retention();
    this.tester = services.tester();
    this.restores = services.restores();
    this.clock = services.clock();
  }


  @Override
  protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
    Route route = Route.of(request);
    QueryParameters query = QueryParameters.of(request, route.action().equals("backups") ? BACKUP_PAGE : NONE);
    switch (route.action()) {
      case "" -> json.write(response, 200, route.id().isEmpty()
          ? Map.of("instances", describeAll())
          : describe(instances.find(route.id().getAsLong())));
      case "backups" -> showBackups(query, response, route.id().getAsLong());
      case "retention/preview" -> showRetentionPreview(response, route.id().getAsLong());
      case "restores" -> json.write(response, 200, Map.of("restores", restores.history(instances.find(route.id().getAsLong()).id())));
      default -> json.error(response, 404, "not_found", "no such API resource: " + request.getRequestURI());
    }
  }

  @Override
  protected void doPost(HttpServletRequest request, HttpServletResponse response) throws IOException {
    Route route = Route.of(request);
    QueryParameters query = QueryParameters.of(request, route.action().equals("backups") ? new String[] {"wait"} : NONE);
    if (route.id().isEmpty() && route.action().isEmpty()) {
      PiholeInstance created = instances.create(InstanceForms.fromJson(readInstance(request), InstanceForm.blank()));
      response.setHeader("Location", "/api/v1/instances/" + created.id());
      json.write(response, 201, describe(created));
    } else if (route.action().equals("backups")) {
      json.noBody(request);
      startBackup(query.flag("wait"), response, route.id().getAsLong());
    } else if (route.action().equals("backups/import")) {
      importArchive(request, response, route.id().getAsLong());
    } else if (route.action().equals("test")) {
      json.noBody(request);
      json.write(response, 200, tester.test(route.id().getAsLong()));
    } else {
      json.error(response, 404, "not_found", "no such API resource: " + request.getRequestURI());
    }
  }

  @Override
  protected void doPut(HttpServletRequest request, HttpServletResponse response) throws IOException {
    Route route = Route.of(request);
    QueryParameters.of(request, NONE);
    if (route.id().isEmpty() || !route.action().isEmpty()) {
      json.error(response, 404, "not_found", "PUT /api/v1/instances/{id} with the fields to change");
      return;
    }
    long id = route.id().getAsLong();
    var body = readInstance(request);
    json.write(response, 200, describe(instances.update(id, InstanceForms.fromJson(body, InstanceForm.of(instances.find(id))))));
  }

  private JsonBody.Read<ApiRequests.InstanceRequest> readInstance(HttpServletRequest request) throws IOException {
    return json.read(request, ApiRequests.InstanceRequest.class, ApiRequests.InstanceRequest.NULLABLE);
  }

  @Override
  protected void doDelete(HttpServletRequest request, HttpServletResponse response) throws IOException {
    Route route = Route.of(request);
    String what = QueryParameters.of(request, "backups").choice("backups", "keep", "delete");
    if (route.id().isEmpty() || !route.action().isEmpty()) {
      json.error(response, 404, "not_found", "DELETE /api/v1/instances/{id}?backups=keep|delete");
    } else if (what == null) {
      throw new Json.BadRequestException(400, "bad_parameter", "backups", "say what happens to its backups: ?backups=keep (they stay visible) or ?backups=delete (files too)");
    } else {
      json.noBody(request);
      backups.deleteInstance(route.id().getAsLong(), what.equals("delete"));
      response.setStatus(204);
    }
  }

  /** The archive in multipart field {@code file}; see {@link ArchiveUpload}. */
  private void importArchive(HttpServletRequest request, HttpServletResponse response, long id) throws IOException {
    instances.find(id);
    Part file = ArchiveUpload.read(request);
    try (var in = file.getInputStream()) {
      Backup backup = backups.importArchive(id, in);
      json.write(response, 201, BackupJson.of(backup, null));
    } finally {
      file.delete();
    }
  }

  private InstanceJson describe(PiholeInstance i) {
    return InstanceJson.of(i, backups.stats(i.id()).lastSuccessAt(), nextRuns(i));
  }

  private List<OffsetDateTime> nextRuns(PiholeInstance i) {
    return instances.schedules().nextRuns(i).stream().map(t -> t.atZone(zone).toOffsetDateTime()).toList();
  }

  private List<InstanceJson> describeAll() {
    Map<Long, Instant> lastSuccess = backups.lastSuccessPerInstance();
    return instances.list().stream().map(i -> InstanceJson.of(i, lastSuccess.get(i.id()), nextRuns(i))).toList();
  }

  private void showBackups(QueryParameters query, HttpServletResponse response, long id) throws IOException {
    int limit = (int) query.number("limit", DEFAULT_LIMIT, 1, MAX_LIMIT);
    Long before = query.text("before") == null ? null : query.number("before", 0, 0, Long.MAX_VALUE);
    BackupRepository.Page page = new BackupRepository.Page(before, query.choice("status", Backup.Status.class),
        query.choice("trigger", Backup.Trigger.class), limit);
    List<Backup> history = backups.history(id, page);
    Set<Long> unchanged = BackupHistory.unchangedSincePrevious(history);
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("backups", history.stream().map(b -> BackupJson.of(b, unchanged.contains(b.id()))).toList());
    body.put("next", history.size() < limit ? null : "/api/v1/instances/%d/backups?limit=%d&before=%d".formatted(id, limit, history.get(history.size() - 1).id()));
    json.write(response, 200, body);
  }

  private void showRetentionPreview(HttpServletResponse response, long id) throws IOException {
    PiholeInstance instance = instances.find(id);
    List<ApiModels.DeletionJson> plan = retention.preview(instance, clock.instant()).stream().map(ApiModels.DeletionJson::of).toList();
    json.write(response, 200, Map.of("policy", instance.retention().describe(), "wouldDelete", plan));
  }

  /**
   * 202 with the job while it runs; once finished (with {@code ?wait=true}): 201 with the
   * backup, or 502 (504 on a timeout) with the error and the failed record.
   */
  private void startBackup(boolean wait, HttpServletResponse response, long id) throws IOException {
    BackupTicket ticket = queue.enqueue(id);
    if (wait) {
      try {
        ticket = queue.await(ticket.id(), WAIT_SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    response.setHeader("Location", "/api/v1/jobs/" + ticket.id());
    if (!ticket.finished()) {
      json.write(response, 202, Map.of("job", ApiModels.JobJson.of(ticket)));
      return;
    }
    Backup backup = ticket.backupId() == null ? null : backups.find(ticket.backupId());
    if (backup != null && backup.successful()) {
      json.write(response, 201, BackupJson.of(backup, null));
      return;
    }
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("error", new Json.ApiError(ticket.errorCode(), ticket.error()));
    body.put("backup", backup == null ? null : BackupJson.of(backup, null));
    json.write(response, "timeout".equals(ticket.errorCode()) ? 504 : 502, body);
  }

  /** "/12/retention/preview" is id 12, action "retention/preview"; "" is the collection. */
  private record Route(OptionalLong id, String action) {
    static Route of(HttpServletRequest request) {
      String[] parts = Paths.segments(request);
      if (parts.length == 0) {
        return new Route(OptionalLong.empty(), "");
      }
      OptionalLong id = Paths.id(parts[0]);
      if (id.isEmpty()) {
        throw new InstanceNotFoundException(parts[0]);
      }
      return new Route(id, String.join("/", java.util.Arrays.copyOfRange(parts, 1, parts.length)));
    }
  }
}
