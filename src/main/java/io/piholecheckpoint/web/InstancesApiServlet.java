package io.piholecheckpoint.web;

import io.piholecheckpoint.core.backup.Backup;
import io.piholecheckpoint.core.backup.BackupConflictException;
import io.piholecheckpoint.core.backup.BackupHistory;
import io.piholecheckpoint.core.backup.BackupQueue;
import io.piholecheckpoint.core.backup.BackupTicket;
import io.piholecheckpoint.core.backup.BackupService;
import io.piholecheckpoint.core.instance.InstanceNotFoundException;
import io.piholecheckpoint.core.instance.InstanceService;
import io.piholecheckpoint.core.retention.RetentionService;
import io.piholecheckpoint.web.ApiModels.BackupJson;
import io.piholecheckpoint.web.ApiModels.InstanceJson;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.time.Clock;

/**
 * {@code /api/v1/instances}: list and show instances, list their backups, start a manual
 * backup, and preview what retention would delete.
 */
public final class InstancesApiServlet extends HttpServlet {
  private static final int DEFAULT_LIMIT = 100;
  private static final int MAX_LIMIT = 1000;

  /** How long {@code ?wait=true} holds the request for a backup to finish. */
  private static final long WAIT_SECONDS = 300;

  private final InstanceService instances;
  private final BackupService backups;
  private final BackupQueue queue;
  private final RetentionService retention;
  private final Json json;
  private final Clock clock;

  public InstancesApiServlet(ApiServices services, Json json) {
    this.instances = services.instances();
    this.backups = services.backups();
    this.queue = services.queue();
    this.retention = services.retention();
    this.json = json;
    this.clock = services.clock();
  }

  @Override
  protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
    String[] parts = Paths.segments(request);
    try {
      if (parts.length == 0) {
        showList(response);
      } else if (parts.length == 1 && id(parts[0]).isPresent()) {
        showInstance(response, id(parts[0]).getAsLong());
      } else if (parts.length == 2 && parts[1].equals("backups") && id(parts[0]).isPresent()) {
        showBackups(request, response, id(parts[0]).getAsLong());
      } else if (parts.length == 3 && parts[1].equals("retention") && parts[2].equals("preview") && id(parts[0]).isPresent()) {
        showRetentionPreview(response, id(parts[0]).getAsLong());
      } else {
        json.error(response, 404, "not_found", "no such API resource: " + request.getRequestURI());
      }
    } catch (InstanceNotFoundException e) {
      json.error(response, 404, "instance_not_found", e.getMessage());
    } catch (NumberFormatException e) {
      json.error(response, 400, "bad_request", "limit must be a whole number from 1 to " + MAX_LIMIT);
    }
  }

  @Override
  protected void doPost(HttpServletRequest request, HttpServletResponse response) throws IOException {
    String[] parts = Paths.segments(request);
    if (parts.length != 2 || !parts[1].equals("backups") || id(parts[0]).isEmpty()) {
      json.error(response, parts.length == 0 ? 405 : 404, "not_found", "POST to /api/v1/instances/{id}/backups to start a backup");
      return;
    }
    try {
      BackupTicket ticket = queue.enqueue(id(parts[0]).getAsLong());
      if ("true".equals(request.getParameter("wait"))) {
        ticket = queue.await(ticket.id(), WAIT_SECONDS);
      }
      processBackup(response, ticket);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      json.error(response, 503, "shutting_down", "Pi-hole Checkpoint is shutting down");
    } catch (InstanceNotFoundException e) {
      json.error(response, 404, "instance_not_found", e.getMessage());
    } catch (BackupConflictException e) {
      json.error(response, 409, "backup_conflict", e.getMessage());
    }
  }

  private void showList(HttpServletResponse response) throws IOException {
    List<InstanceJson> list = instances.list().stream()
        .map(i -> InstanceJson.of(i, backups.latestSuccess(i.id()).map(Backup::finishedAt).orElse(null))).toList();
    json.write(response, 200, Map.of("instances", list));
  }

  private void showInstance(HttpServletResponse response, long id) throws IOException {
    json.write(response, 200, InstanceJson.of(instances.find(id), backups.latestSuccess(id).map(Backup::finishedAt).orElse(null)));
  }

  private void showBackups(HttpServletRequest request, HttpServletResponse response, long id) throws IOException {
    String raw = request.getParameter("limit");
    int limit = raw == null ? DEFAULT_LIMIT : Integer.parseInt(raw);
    if (limit < 1 || limit > MAX_LIMIT) {
      throw new NumberFormatException("out of range");
    }
    List<Backup> history = backups.history(id, limit);
    Set<Long> unchanged = BackupHistory.unchangedSincePrevious(history);
    json.write(response, 200, Map.of("backups", history.stream().map(b -> BackupJson.of(b, unchanged.contains(b.id()))).toList()));
  }

  private void showRetentionPreview(HttpServletResponse response, long id) throws IOException {
    List<ApiModels.DeletionJson> plan = retention.preview(instances.find(id), clock.instant()).stream().map(ApiModels.DeletionJson::of).toList();
    json.write(response, 200, Map.of("policy", instances.find(id).retention().describe(), "wouldDelete", plan));
  }

  /**
   * 202 with the job while it runs; once finished (with {@code ?wait=true}): 201 with the
   * backup, or 502 (504 on a timeout) with the error and the failed record.
   */
  private void processBackup(HttpServletResponse response, BackupTicket ticket) throws IOException {
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

  private static OptionalLong id(String segment) {
    return Paths.id(segment);
  }
}
