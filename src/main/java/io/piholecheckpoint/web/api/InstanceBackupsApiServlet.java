package io.piholecheckpoint.web.api;

import io.piholecheckpoint.core.backup.ArchiveImports;
import io.piholecheckpoint.core.backup.ServerStoppingException;
import io.piholecheckpoint.core.backup.catalog.Backup;
import io.piholecheckpoint.core.backup.catalog.BackupCatalog;
import io.piholecheckpoint.core.backup.catalog.BackupHistory;
import io.piholecheckpoint.core.backup.catalog.BackupRepository;
import io.piholecheckpoint.core.job.Job;
import io.piholecheckpoint.core.manual.BackupQueue;
import io.piholecheckpoint.core.manual.BackupTicket;
import io.piholecheckpoint.core.offsite.catalog.OffsiteCatalog;
import io.piholecheckpoint.core.offsite.queue.Copy;
import io.piholecheckpoint.core.registry.InstanceService;
import io.piholecheckpoint.web.Json;
import io.piholecheckpoint.web.QueryParameters;
import io.piholecheckpoint.web.Routes;
import io.piholecheckpoint.web.api.ApiModels.BackupJson;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.Part;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code /api/v1/instances/{id}/backups}: list an instance's backups (cursor pages), start one,
 * import an archive as one. Reached through {@link InstancesApiServlet}, by name.
 */
public final class InstanceBackupsApiServlet extends JsonApiServlet {
  /** The addresses it serves and their methods (see {@link Routes}). */
  public static final List<String> ROUTES = List.of(
      "GET, POST /api/v1/instances/{id}/backups",
      "POST /api/v1/instances/{id}/backups/import");
  /** The name to register it under. */
  public static final String NAME = "instance-backups-api";
  private static final int DEFAULT_LIMIT = 100;
  private static final int MAX_LIMIT = 1000;
  /** How long {@code ?wait=true} holds the request for a backup to finish. */
  private static final long WAIT_SECONDS = 300;
  /** The error code of a backup that stopping the server cut short. */
  private static final String CANCELLED = "cancelled";

  private final InstanceService instances;
  private final BackupCatalog catalog;
  private final ArchiveImports imports;
  private final BackupQueue queue;
  private final OffsiteCatalog offsite;

  public InstanceBackupsApiServlet(InstanceService instances, BackupCatalog catalog, ArchiveImports imports, BackupQueue queue, OffsiteCatalog offsite,
                                   Json json) {
    super(json);
    this.offsite = offsite;
    this.instances = instances;
    this.catalog = catalog;
    this.imports = imports;
    this.queue = queue;
  }

  @Override
  protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
    InstanceRoute route = InstanceRoute.of(request);
    QueryParameters query = QueryParameters.of(request, "limit", "before", "status", "trigger");
    showBackups(query, response, route.instanceId());
  }

  @Override
  protected void doPost(HttpServletRequest request, HttpServletResponse response) throws IOException {
    InstanceRoute route = InstanceRoute.of(request);
    if (route.action().equals("backups/import")) {
      QueryParameters.of(request);
      importArchive(request, response, route.instanceId());
      return;
    }
    QueryParameters query = QueryParameters.of(request, "wait");
    json.noBody(request);
    if (postedByAPage(request) && !query.flag("wait")) {
      // "Back up now" in a browser without JavaScript: post, redirect, get — the instance page, where the backup shows
      queue.enqueue(route.instanceId());
      response.setStatus(303);
      response.setHeader("Location", request.getContextPath() + "/instances/" + route.instanceId());
      return;
    }
    startBackup(query.flag("wait"), response, route.instanceId());
  }

  /** A page's form sent by the browser itself: a form body, and a page wanted, not JSON (app.js asks for JSON). */
  private static boolean postedByAPage(HttpServletRequest request) {
    String type = request.getContentType();
    String accept = request.getHeader("Accept");
    return type != null && type.startsWith("application/x-www-form-urlencoded") && accept != null && accept.contains("text/html")
        && !accept.contains("application/json");
  }

  /** The archive in multipart field {@code file}; see {@link ArchiveUpload}. */
  private void importArchive(HttpServletRequest request, HttpServletResponse response, long id) throws IOException {
    instances.find(id);
    Part file;
    try {
      file = ArchiveUpload.read(request);
    } catch (IOException | RuntimeException e) {
      if (imports.stopping()) {
        // the server cut the upload off: not a malformed request, and the client may send it again
        throw new ServerStoppingException("Pi-hole Checkpoint is stopping: the upload was cut off and nothing was kept; send it again once it is back", e);
      }
      throw e;
    }
    try (var in = file.getInputStream()) {
      Backup backup = imports.importArchive(id, in);
      json.write(response, 201, withCopies(backup));
    } finally {
      file.delete();
    }
  }

  private void showBackups(QueryParameters query, HttpServletResponse response, long id) throws IOException {
    int limit = (int) query.number("limit", DEFAULT_LIMIT, 1, MAX_LIMIT);
    Long before = query.text("before") == null ? null : query.number("before", 0, 0, Long.MAX_VALUE);
    BackupRepository.Page page = new BackupRepository.Page(before, query.choice("status", Backup.Status.class),
        query.choice("trigger", Backup.Trigger.class), limit);
    List<Backup> history = catalog.history(id, page);
    Set<Long> unchanged = BackupHistory.unchangedSincePrevious(history);
    // the page's copies in one query, not one per backup
    Map<Long, List<Copy>> copies = offsite.copiesOf(history.stream().map(Backup::id).toList());
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("backups", history.stream().map(b -> BackupJson.of(b, unchanged.contains(b.id())).withOffsite(copies.getOrDefault(b.id(), List.of()), offsite))
        .toList());
    body.put("next", history.size() < limit ? null : "/api/v1/instances/%d/backups?limit=%d&before=%d".formatted(id, limit, history.get(history.size() - 1).id()));
    json.write(response, 200, body);
  }

  /**
   * 202 with the job while it runs; once finished (with {@code ?wait=true}): 201 with the
   * backup, or 502 (504 on a timeout, 503 when the server is stopping and cancelled it, 409 when the passphrase is
   * refused) with the
   * error and the failed record.
   */
  private void startBackup(boolean wait, HttpServletResponse response, long id) throws IOException {
    BackupTicket ticket = queue.enqueue(id);
    if (wait) {
      try {
        ticket = queue.await(ticket, WAIT_SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    Job job = ticket.job();
    response.setHeader("Location", "/api/v1/jobs/" + job.id());
    if (!job.finished()) {
      json.write(response, 202, Map.of("job", ApiModels.JobJson.of(ticket)));
      return;
    }
    Backup backup = ticket.backup();
    if (backup != null && backup.successful()) {
      json.write(response, 201, withCopies(backup));
      return;
    }
    Map<String, Object> body = new LinkedHashMap<>();
    if (CANCELLED.equals(job.errorCode())) {
      // the server is stopping: say so plainly, and let the client go (the connection will not be reused)
      response.setHeader("Connection", "close");
      body.put("error", new Json.ApiError(CANCELLED, "the server is stopping; the backup was cancelled and nothing was kept"));
      body.put("backup", backup == null ? null : withCopies(backup));
      json.write(response, 503, body);
      return;
    }
    body.put("error", new Json.ApiError(job.errorCode(), job.error()));
    body.put("backup", backup == null ? null : withCopies(backup));
    // a passphrase refused at the start: no fault of the Pi-hole (502) nor one that passes by waiting (503), as a read it does not open
    json.write(response, "timeout".equals(job.errorCode()) ? 504 : "wrong_passphrase".equals(job.errorCode()) ? 409 : 502, body);
  }

  /** One backup as every answer gives it: with its off-site copies (those queued when it succeeded; none for a failure). */
  private BackupJson withCopies(Backup backup) {
    return BackupJson.of(backup, null).withOffsite(offsite.copiesOf(backup.id()), offsite);
  }
}
