package io.piholecheckpoint.web;

import io.piholecheckpoint.core.backup.BackupService;
import io.piholecheckpoint.core.backup.ContentsService;
import io.piholecheckpoint.core.contents.Change;
import io.piholecheckpoint.core.contents.ListCategory;
import io.piholecheckpoint.core.contents.Page;
import io.piholecheckpoint.core.restore.Restore;
import io.piholecheckpoint.core.restore.RestoreMode;
import io.piholecheckpoint.core.restore.RestoreParts;
import io.piholecheckpoint.core.restore.RestorePreview;
import io.piholecheckpoint.core.restore.RestoreService;
import java.util.Map;
import java.util.Optional;
import io.piholecheckpoint.core.contents.LocalDnsList;
import io.piholecheckpoint.core.integrity.IntegrityService;
import io.piholecheckpoint.web.ApiModels.BackupJson;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Objects;
import java.util.OptionalLong;

/** {@code /api/v1/backups/{id}}: show, delete, pin or unpin a backup; re-check its file; its contents and diffs. */
public final class BackupsApiServlet extends JsonApiServlet {
  private final BackupService backups;
  private final IntegrityService integrity;
  private final ContentsService contents;
  private final RestoreService restores;

  public BackupsApiServlet(BackupService backups, IntegrityService integrity, ContentsService contents, RestoreService restores, Json json) {
    super(json);
    this.backups = backups;
    this.integrity = integrity;
    this.contents = contents;
    this.restores = restores;
  }


  @Override
  protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
    String[] parts = Paths.segments(request);
    OptionalLong id = parts.length >= 1 ? Paths.id(parts[0]) : OptionalLong.empty();
    String action = id.isPresent() && parts.length == 2 ? parts[1] : "";
    QueryParameters query = switch (action) {
      case "contents" -> QueryParameters.of(request, "category", "cursor", "after", "limit");
      case "diff" -> QueryParameters.of(request, "against", "category", "change", "cursor", "after", "limit");
      default -> QueryParameters.of(request);
    };
    if (id.isPresent() && parts.length == 1) {
      json.write(response, 200, BackupJson.of(backups.find(id.getAsLong()), null));
    } else if (id.isPresent() && parts.length == 2 && parts[1].equals("verify")) {
      json.write(response, 200, integrity.verify(id.getAsLong()));
    } else if (id.isPresent() && parts.length == 2 && parts[1].equals("contents")) {
      json.write(response, 200, contents(id.getAsLong(), query));
    } else if (action.equals("diff")) {
      json.write(response, 200, diff(id.getAsLong(), query));
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
    long target = body.target() != null ? body.target() : backups.find(id).instanceId();
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
    json.write(response, 202, Map.of("restore", started));
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

  /** The first page of every list, or with {@code category} (and {@code cursor}, {@code limit}) one further page. */
  private Object contents(long id, QueryParameters query) {
    ListCategory category = query.choice("category", ListCategory.class);
    if (category == null) {
      return ContentsJson.of(contents.contents(id));
    }
    try {
      return ContentsJson.page(category.id(), null, contents.page(id, category, cursor(query), limit(query)));
    } catch (IllegalArgumentException e) {
      throw new Json.BadRequestException(400, "bad_parameter", "cursor", e.getMessage());
    }
  }

  /**
   * {@code against=live} compares with a fresh export of the backup's own instance; with
   * {@code category} and {@code change} (and {@code cursor}, {@code limit}), one page of one change
   * of one list of a diff between two backups: {@code {category, change, total, items, next}}.
   */
  private Object diff(long id, QueryParameters query) {
    String against = query.text("against");
    String name = query.text("category");
    if ("live".equals(against)) {
      if (name != null) {
        throw new Json.BadRequestException(400, "a live export is discarded after the first page: compare with a backup to page further");
      }
      return contents.diffAgainstLive(id, backups.find(id).instanceId());
    }
    OptionalLong other = Paths.id(against == null ? "" : against);
    if (other.isEmpty()) {
      throw new Json.BadRequestException(400, "bad_parameter", "against", "say what to compare with: ?against=<backup id> or ?against=live");
    }
    if (name == null) {
      return contents.diff(other.getAsLong(), id);
    }
    Change change = Objects.requireNonNullElse(query.choice("change", Change.class), Change.ADDED);
    Optional<LocalDnsList> local = LocalDnsList.find(name);
    ListCategory category = local.isPresent() ? null : diffCategory(name);
    try {
      Page<String> page = local.isPresent()
          ? contents.localDnsChanges(other.getAsLong(), id, local.get(), change, cursor(query), limit(query))
          : contents.changes(other.getAsLong(), id, category, change, cursor(query), limit(query));
      return ContentsJson.page(name, change.id(), page);
    } catch (IllegalArgumentException e) {
      throw new Json.BadRequestException(400, "bad_parameter", "cursor", e.getMessage());
    }
  }

  private static ListCategory diffCategory(String name) {
    try {
      return ListCategory.of(name);
    } catch (IllegalArgumentException e) {
      throw new Json.BadRequestException(400, "bad_parameter", "category",
          "category must be one of groups, adlists, domains, clients, dnsRecords, cnames");
    }
  }

  /** {@code cursor}, or {@code after} as it was called before (not both). */
  private static String cursor(QueryParameters query) {
    if (query.text("cursor") != null && query.text("after") != null) {
      throw new Json.BadRequestException(400, "bad_parameter", "after", "after is the old name of cursor: send one of them");
    }
    return query.text("cursor") != null ? query.text("cursor") : query.text("after");
  }

  private static int limit(QueryParameters query) {
    return (int) query.number("limit", Page.DEFAULT_SIZE, 1, Page.MAX_SIZE);
  }

  @Override
  protected void doDelete(HttpServletRequest request, HttpServletResponse response) throws IOException {
    QueryParameters.of(request);
    String[] parts = Paths.segments(request);
    OptionalLong id = parts.length == 1 ? Paths.id(parts[0]) : OptionalLong.empty();
    if (id.isEmpty()) {
      json.error(response, 404, "not_found", "DELETE /api/v1/backups/{id}");
      return;
    }
    json.noBody(request);
    backups.delete(id.getAsLong());
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
    if (id.isEmpty() || !(parts[1].equals("pin") || parts[1].equals("unpin"))) {
      json.error(response, 404, "not_found", "POST to /api/v1/backups/{id}/pin, /unpin or /restore");
      return;
    }
    json.noBody(request);
    json.write(response, 200, BackupJson.of(backups.pin(id.getAsLong(), parts[1].equals("pin")), null));
  }
}
