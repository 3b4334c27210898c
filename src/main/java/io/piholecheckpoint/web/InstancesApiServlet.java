package io.piholecheckpoint.web;

import com.fasterxml.jackson.databind.JsonNode;
import io.piholecheckpoint.core.backup.Backup;
import io.piholecheckpoint.core.backup.BackupHistory;
import io.piholecheckpoint.core.backup.BackupQueue;
import io.piholecheckpoint.core.backup.BackupRepository;
import io.piholecheckpoint.core.backup.BackupService;
import io.piholecheckpoint.core.backup.BackupTicket;
import io.piholecheckpoint.core.backup.ConnectionTester;
import io.piholecheckpoint.core.instance.InstanceForm;
import io.piholecheckpoint.core.instance.InstanceNotFoundException;
import io.piholecheckpoint.core.instance.InstanceService;
import io.piholecheckpoint.core.instance.PiholeInstance;
import io.piholecheckpoint.core.retention.RetentionService;
import io.piholecheckpoint.web.ApiModels.BackupJson;
import io.piholecheckpoint.web.ApiModels.InstanceJson;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.Part;
import java.io.IOException;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
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
  /** Pi-hole's own upload limit for Teleporter archives, plus room for the multipart framing. */
  private static final long UPLOAD_LIMIT = 50L * 1024 * 1024 + 64 * 1024;
  /** How long {@code ?wait=true} holds the request for a backup to finish. */
  private static final long WAIT_SECONDS = 300;

  private final InstanceService instances;
  private final BackupService backups;
  private final BackupQueue queue;
  private final RetentionService retention;
  private final ConnectionTester tester;
  private final io.piholecheckpoint.core.restore.RestoreService restores;
  private final Clock clock;

  public InstancesApiServlet(ApiServices services, Json json) {
    super(json);
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
    switch (route.action()) {
      case "" -> json.write(response, 200, route.id().isEmpty()
          ? Map.of("instances", describeAll())
          : describe(instances.find(route.id().getAsLong())));
      case "backups" -> showBackups(request, response, route.id().getAsLong());
      case "retention/preview" -> showRetentionPreview(response, route.id().getAsLong());
      case "restores" -> json.write(response, 200, Map.of("restores", restores.history(instances.find(route.id().getAsLong()).id())));
      default -> json.error(response, 404, "not_found", "no such API resource: " + request.getRequestURI());
    }
  }

  @Override
  protected void doPost(HttpServletRequest request, HttpServletResponse response) throws IOException {
    Route route = Route.of(request);
    if (route.id().isEmpty() && route.action().isEmpty()) {
      PiholeInstance created = instances.create(InstanceForms.fromJson(json.readBody(request), InstanceForm.blank()));
      response.setHeader("Location", "/api/v1/instances/" + created.id());
      json.write(response, 201, describe(created));
    } else if (route.action().equals("backups")) {
      startBackup(request, response, route.id().getAsLong());
    } else if (route.action().equals("backups/import")) {
      importArchive(request, response, route.id().getAsLong());
    } else if (route.action().equals("test")) {
      json.write(response, 200, tester.test(route.id().getAsLong()));
    } else {
      json.error(response, 404, "not_found", "no such API resource: " + request.getRequestURI());
    }
  }

  @Override
  protected void doPut(HttpServletRequest request, HttpServletResponse response) throws IOException {
    Route route = Route.of(request);
    if (route.id().isEmpty() || !route.action().isEmpty()) {
      json.error(response, 404, "not_found", "PUT /api/v1/instances/{id} with the fields to change");
      return;
    }
    long id = route.id().getAsLong();
    JsonNode body = json.readBody(request);
    json.write(response, 200, describe(instances.update(id, InstanceForms.fromJson(body, InstanceForm.of(instances.find(id))))));
  }

  @Override
  protected void doDelete(HttpServletRequest request, HttpServletResponse response) throws IOException {
    Route route = Route.of(request);
    String what = request.getParameter("backups");
    if (route.id().isEmpty() || !route.action().isEmpty()) {
      json.error(response, 404, "not_found", "DELETE /api/v1/instances/{id}?backups=keep|delete");
    } else if (!"keep".equals(what) && !"delete".equals(what)) {
      json.error(response, 400, "bad_request", "say what happens to its backups: ?backups=keep (they stay visible) or ?backups=delete (files too)");
    } else {
      backups.deleteInstance(route.id().getAsLong(), what.equals("delete"));
      response.setStatus(204);
    }
  }

  /** The archive in multipart field {@code file}, at most 50 MiB (the limit of Pi-hole's own upload). */
  private void importArchive(HttpServletRequest request, HttpServletResponse response, long id) throws IOException {
    instances.find(id);
    if (request.getContentLengthLong() > UPLOAD_LIMIT) {
      throw new Json.BadRequestException(413, "the archive is larger than 50 MiB");
    }
    Part file;
    try {
      file = request.getPart("file");
    } catch (IllegalStateException e) {
      throw new Json.BadRequestException(413, "the archive is larger than 50 MiB");
    } catch (ServletException e) {
      throw new Json.BadRequestException(400, "send the archive as multipart/form-data, in a field named 'file'");
    }
    if (file == null) {
      throw new Json.BadRequestException(400, "send the archive as multipart/form-data, in a field named 'file'");
    }
    try (var in = file.getInputStream()) {
      Backup backup = backups.importArchive(id, in);
      json.write(response, 201, BackupJson.of(backup, null));
    } finally {
      file.delete();
    }
  }

  private InstanceJson describe(PiholeInstance i) {
    return InstanceJson.of(i, backups.stats(i.id()).lastSuccessAt());
  }

  private List<InstanceJson> describeAll() {
    Map<Long, Instant> lastSuccess = backups.lastSuccessPerInstance();
    return instances.list().stream().map(i -> InstanceJson.of(i, lastSuccess.get(i.id()))).toList();
  }

  private void showBackups(HttpServletRequest request, HttpServletResponse response, long id) throws IOException {
    int limit = number(request, "limit", DEFAULT_LIMIT, 1, MAX_LIMIT);
    String before = request.getParameter("before");
    BackupRepository.Page page = new BackupRepository.Page(before == null ? null : (long) number(request, "before", 0, 0, Integer.MAX_VALUE),
        enumParameter(request, "status", Backup.Status.class), enumParameter(request, "trigger", Backup.Trigger.class), limit);
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
  private void startBackup(HttpServletRequest request, HttpServletResponse response, long id) throws IOException {
    BackupTicket ticket = queue.enqueue(id);
    if ("true".equals(request.getParameter("wait"))) {
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

  private static int number(HttpServletRequest request, String name, int fallback, int min, int max) {
    String raw = request.getParameter(name);
    if (raw == null) {
      return fallback;
    }
    try {
      int n = Integer.parseInt(raw);
      if (n >= min && n <= max) {
        return n;
      }
    } catch (NumberFormatException e) {
      // answered below
    }
    throw new Json.BadRequestException(400, name + " must be a whole number from " + min + " to " + max);
  }

  private static <E extends Enum<E>> E enumParameter(HttpServletRequest request, String name, Class<E> type) {
    String raw = request.getParameter(name);
    if (raw == null || raw.isEmpty()) {
      return null;
    }
    try {
      return Enum.valueOf(type, raw.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new Json.BadRequestException(400, name + " must be one of " + java.util.Arrays.toString(type.getEnumConstants()).toLowerCase(Locale.ROOT));
    }
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
        throw new InstanceNotFoundException(-1);
      }
      return new Route(id, String.join("/", java.util.Arrays.copyOfRange(parts, 1, parts.length)));
    }
  }
}
