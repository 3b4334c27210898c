package io.piholecheckpoint.web.api;

import io.piholecheckpoint.core.archive.ArchiveStore;
import io.piholecheckpoint.core.backup.catalog.Backup;
import io.piholecheckpoint.core.backup.catalog.BackupCatalog;
import io.piholecheckpoint.core.backup.BackupDeletions;
import io.piholecheckpoint.core.backup.trust.Acceptance;
import io.piholecheckpoint.core.integrity.IntegrityService;
import io.piholecheckpoint.core.offsite.catalog.OffsiteCatalog;
import io.piholecheckpoint.core.restore.record.Restore;
import io.piholecheckpoint.core.restore.parts.RestoreMode;
import io.piholecheckpoint.core.restore.parts.RestoreParts;
import io.piholecheckpoint.core.restore.parts.RestorePreview;
import io.piholecheckpoint.core.restore.RestoreService;
import io.piholecheckpoint.web.ArchiveDownload;
import io.piholecheckpoint.web.Json;
import io.piholecheckpoint.web.Paths;
import io.piholecheckpoint.web.QueryParameters;
import io.piholecheckpoint.web.Routes;
import io.piholecheckpoint.web.api.ApiModels.BackupJson;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;

/**
 * {@code /api/v1/backups/{id}}: show, delete, pin, unpin or accept a backup (and take the accept back); re-check its file; download
 * or restore it. Its contents and diffs are {@link BackupContentsApiServlet}'s, handed on by name.
 */
public final class BackupsApiServlet extends JsonApiServlet {
  /** The addresses it serves and their methods (see {@link Routes}). */
  public static final List<String> ROUTES = List.of(
      "GET, DELETE /api/v1/backups/{id}",
      "GET /api/v1/backups/{id}/verify",
      "GET /api/v1/backups/{id}/download",
      "POST /api/v1/backups/{id}/pin",
      "POST /api/v1/backups/{id}/unpin",
      "POST, DELETE /api/v1/backups/{id}/accept",
      "POST /api/v1/backups/{id}/restore");
  private final BackupCatalog catalog;
  private final BackupDeletions deletions;
  private final Acceptance acceptance;
  private final IntegrityService integrity;
  private final RestoreService restores;
  private final OffsiteCatalog offsite;

  public BackupsApiServlet(BackupCatalog catalog, BackupDeletions deletions, Acceptance acceptance, IntegrityService integrity, RestoreService restores, OffsiteCatalog offsite,
                           Json json) {
    super(json);
    this.offsite = offsite;
    this.catalog = catalog;
    this.deletions = deletions;
    this.acceptance = acceptance;
    this.integrity = integrity;
    this.restores = restores;
  }

  @Override
  protected void doGet(HttpServletRequest request, HttpServletResponse response) throws ServletException, IOException {
    String[] parts = Paths.segments(request);
    OptionalLong id = parts.length >= 1 ? Paths.id(parts[0]) : OptionalLong.empty();
    String action = id.isPresent() && parts.length == 2 ? parts[1] : "";
    if (action.equals("contents") || action.equals("diff")) {
      handOn(BackupContentsApiServlet.NAME, request, response);
      return;
    }
    QueryParameters.of(request);
    if (id.isPresent() && parts.length == 1) {
      json.write(response, 200, BackupJson.of(catalog.findAsOnDisk(id.getAsLong()), null).withOffsite(offsite.copiesOf(id.getAsLong()), offsite));
    } else if (id.isPresent() && parts.length == 2 && parts[1].equals("download")) {
      // the API's own address for the archive: a script's API token opens it, as every /api/v1 address (a page's takes a session)
      response.setHeader("Cache-Control", "no-store");
      try (ArchiveStore.PlainArchive archive = catalog.archiveOf(id.getAsLong())) {
        ArchiveDownload.send(response, archive);
      }
    } else if (id.isPresent() && parts.length == 2 && parts[1].equals("verify")) {
      json.write(response, 200, ApiModels.VerificationJson.of(integrity.verify(id.getAsLong())));
    } else {
      json.error(response, 404, "not_found", "no such API resource: " + request.getRequestURI());
    }
  }

  /**
   * {@code {"target": id, "mode": "lists-and-dns", "parts": {…}, "dryRun": false}}: 200 with the
   * preview for a dry run, else 202 with the restore to follow at /api/v1/restores/{id}.
   */
  private void restore(HttpServletRequest request, HttpServletResponse response, long id) throws IOException {
    ApiRequests.RestoreRequest body = json.read(request, ApiRequests.RestoreRequest.class).value();
    long target = body.target() != null ? body.target() : catalog.find(id).instanceId();
    RestoreMode mode;
    try {
      mode = RestoreMode.of(body.mode() == null ? "lists-and-dns" : body.mode());
    } catch (IllegalArgumentException e) {
      throw new Json.BadRequestException(400, "bad_request", "mode", e.getMessage());
    }
    RestoreParts custom = custom(body, mode);
    if (on(body.dryRun())) {
      RestorePreview preview = restores.preview(id, target, mode, custom);
      // warnings first: a password or 2FA that will change must be read before the list of changes
      json.write(response, 200, Map.of("mode", mode.id(), "explanation", mode.explanation(), "warnings", preview.warnings(), "preview", preview.changes()));
      return;
    }
    Restore started;
    try {
      started = restores.start(id, target, mode, custom);
    } catch (IllegalArgumentException e) {
      throw new Json.BadRequestException(400, "bad_request", "parts", e.getMessage());
    }
    response.setHeader("Location", "/api/v1/restores/" + started.id());
    json.write(response, 202, Map.of("restore", ApiModels.RestoreJson.of(started)));
  }

  /**
   * The ticked parts, checked before a dry run as before a restore: a preview of what would be
   * refused, or of parts a mode ignores, would tell the user something untrue.
   */
  private static RestoreParts custom(ApiRequests.RestoreRequest body, RestoreMode mode) {
    if (mode != RestoreMode.CUSTOM) {
      if (body.parts() != null) {
        throw new Json.BadRequestException(400, "bad_request", "parts", "parts only with mode custom; mode " + mode.id() + " restores its own parts");
      }
      return null;
    }
    ApiRequests.Parts p = body.parts() == null ? new ApiRequests.Parts(null, null, null, null) : body.parts();
    RestoreParts custom = new RestoreParts(on(p.lists()), on(p.localDns()), on(p.settings()), on(p.identity()));
    if (!custom.any()) {
      throw new Json.BadRequestException(400, "bad_request", "parts", RestoreService.NOTHING_CHOSEN);
    }
    return custom;
  }

  private static boolean on(Boolean flag) {
    return Boolean.TRUE.equals(flag);
  }

  @Override
  protected void doDelete(HttpServletRequest request, HttpServletResponse response) throws IOException {
    QueryParameters.of(request);
    String[] parts = Paths.segments(request);
    OptionalLong id = parts.length == 1 || parts.length == 2 && parts[1].equals("accept") ? Paths.id(parts[0]) : OptionalLong.empty();
    if (id.isEmpty()) {
      json.error(response, 404, "not_found", "DELETE /api/v1/backups/{id} or /api/v1/backups/{id}/accept");
      return;
    }
    json.noBody(request);
    if (parts.length == 2) {
      Backup suspicious = acceptance.unaccept(id.getAsLong());
      json.write(response, 200, BackupJson.of(suspicious, null).withOffsite(offsite.copiesOf(id.getAsLong()), offsite));
      return;
    }
    deletions.delete(id.getAsLong());
    response.setStatus(204);
  }

  @Override
  protected void doPost(HttpServletRequest request, HttpServletResponse response) throws IOException {
    QueryParameters.of(request);
    String[] parts = Paths.segments(request);
    OptionalLong id = parts.length == 2 ? Paths.id(parts[0]) : OptionalLong.empty();
    if (id.isPresent() && parts[1].equals("restore")) {
      restore(request, response, id.getAsLong());
      return;
    }
    if (id.isEmpty() || !(parts[1].equals("pin") || parts[1].equals("unpin") || parts[1].equals("accept"))) {
      json.error(response, 404, "not_found", "POST to /api/v1/backups/{id}/pin, /unpin, /accept or /restore");
      return;
    }
    json.noBody(request);
    Backup changed = parts[1].equals("accept") ? acceptance.accept(id.getAsLong()) : deletions.pin(id.getAsLong(), parts[1].equals("pin"));
    json.write(response, 200, BackupJson.of(changed, null).withOffsite(offsite.copiesOf(id.getAsLong()), offsite));
  }
}
