package io.piholecheckpoint.web.api;

import io.piholecheckpoint.core.backup.catalog.BackupCatalog;
import io.piholecheckpoint.core.browse.ContentsService;
import io.piholecheckpoint.core.contents.Change;
import io.piholecheckpoint.core.contents.ChangesPage;
import io.piholecheckpoint.core.contents.ListCategory;
import io.piholecheckpoint.core.contents.LocalDnsList;
import io.piholecheckpoint.core.contents.Page;
import io.piholecheckpoint.web.Json;
import io.piholecheckpoint.web.Paths;
import io.piholecheckpoint.web.QueryParameters;
import io.piholecheckpoint.web.Routes;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * {@code GET /api/v1/backups/{id}/contents} and {@code …/diff}: what a backup holds, and how it
 * differs from another backup or the live Pi-hole. Reached through {@link BackupsApiServlet}, by name.
 */
public final class BackupContentsApiServlet extends JsonApiServlet {
  /** The addresses it serves and their methods (see {@link Routes}). */
  public static final List<String> ROUTES = List.of(
      "GET /api/v1/backups/{id}/contents",
      "GET /api/v1/backups/{id}/diff");
  /** The name to register it under. */
  public static final String NAME = "backup-contents-api";

  private final BackupCatalog backups;
  private final ContentsService contents;

  /** @param backups only to find the instance a live diff exports from */
  public BackupContentsApiServlet(BackupCatalog backups, ContentsService contents, Json json) {
    super(json);
    this.backups = backups;
    this.contents = contents;
  }

  @Override
  protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
    String[] parts = Paths.segments(request);
    long id = Paths.id(parts[0]).getAsLong();
    if (parts[1].equals("contents")) {
      QueryParameters query = QueryParameters.of(request, "category", "cursor", "after", "limit");
      json.write(response, 200, contents(id, query));
    } else {
      QueryParameters query = QueryParameters.of(request, "against", "category", "change", "cursor", "after", "limit");
      json.write(response, 200, diff(id, query));
    }
  }

  /** The first page of every list, or with {@code category} (and {@code cursor}, {@code limit}) one further page. */
  private Object contents(long id, QueryParameters query) {
    ListCategory category = query.choice("category", ListCategory.class);
    if (category == null) {
      requireCategoryFor(query, "cursor", "after", "limit");
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
    if (name == null) {
      requireCategoryFor(query, "cursor", "after", "change", "limit");
    }
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
      ChangesPage page = local.isPresent()
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

  /**
   * A cursor (or a change, or a page size) pages one list: given without {@code category} it would
   * be ignored, and the caller would read the first pages believing them the next.
   */
  private static void requireCategoryFor(QueryParameters query, String... parameters) {
    for (String parameter : parameters) {
      if (query.text(parameter) != null) {
        throw new Json.BadRequestException(400, "bad_parameter", "category", parameter + " pages one list: send it with the category it"
            + " belongs to (?category=domains&" + parameter + "=…, the category of the page that gave the cursor), or leave it out for the first"
            + " page of every list");
      }
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
}
