package io.piholecheckpoint.web.page;

import io.piholecheckpoint.core.archive.ArchiveStorageException;
import io.piholecheckpoint.core.archive.ArchiveStore;
import io.piholecheckpoint.core.archive.BackupNotFoundException;
import io.piholecheckpoint.core.backup.catalog.Backup;
import io.piholecheckpoint.core.backup.catalog.BackupCatalog;
import io.piholecheckpoint.core.browse.ContentsService;
import io.piholecheckpoint.core.contents.ArchiveContents;
import io.piholecheckpoint.core.contents.ChangesPage;
import io.piholecheckpoint.core.contents.Change;
import io.piholecheckpoint.core.contents.ContentDiff;
import io.piholecheckpoint.core.contents.Cursor;
import io.piholecheckpoint.core.contents.ListCategory;
import io.piholecheckpoint.core.contents.LocalDnsList;
import io.piholecheckpoint.core.contents.Page;
import io.piholecheckpoint.core.contents.TextPages;
import io.piholecheckpoint.core.gateway.PiholeException;
import io.piholecheckpoint.core.registry.InstanceConflictException;
import io.piholecheckpoint.core.registry.InstanceService;
import io.piholecheckpoint.core.restore.parts.ArchiveParts;
import io.piholecheckpoint.core.instance.PiholeInstance;
import io.piholecheckpoint.core.restore.record.Restore;
import io.piholecheckpoint.core.restore.parts.RestoreMode;
import io.piholecheckpoint.core.restore.parts.RestoreParts;
import io.piholecheckpoint.core.restore.parts.RestorePreview;
import io.piholecheckpoint.core.restore.RestoreService;
import io.piholecheckpoint.core.units.LogText;
import io.piholecheckpoint.web.ArchiveDownload;
import io.piholecheckpoint.web.HttpErrors;
import io.piholecheckpoint.web.Json;
import io.piholecheckpoint.web.Paths;
import io.piholecheckpoint.web.QueryParameters;
import io.piholecheckpoint.web.Routes;
import io.piholecheckpoint.web.Views;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code GET /backups/{id}}: what a backup holds, and optionally how it differs from the live
 * Pi-hole or another backup; {@code GET /backups/{id}/download}: the archive, streamed;
 * {@code POST /backups/{id}/restore}: its restore form sent without JavaScript ({@link RestoreForm});
 * {@code POST /backups/{id}/pin}, {@code /unpin}, {@code /accept}, {@code /unaccept} and {@code /delete}: the instance page's row buttons
 * sent without JavaScript ({@link RowActions}).
 */
public final class BackupsServlet extends PageServlet {
  /** The addresses it serves and their methods (see {@link Routes}). */
  public static final List<String> ROUTES = List.of(
      "GET /backups/{id}",
      "GET /backups/{id}/download",
      "POST /backups/{id}/restore",
      "POST /backups/{id}/pin",
      "POST /backups/{id}/unpin",
      "POST /backups/{id}/accept",
      "POST /backups/{id}/unaccept",
      "POST /backups/{id}/delete");
  /** The fields its forms send (see {@link io.piholecheckpoint.web.access.FormFields}): the row buttons', their confirmation's, the restore's. */
  public static final List<String> FORMS = List.of(
      "/backups/{id}/restore target mode action confirm acknowledged " + String.join(" ", RestoreForm.PART_NAMES),
      "/backups/{id}/pin back",
      "/backups/{id}/unpin back",
      "/backups/{id}/accept back",
      "/backups/{id}/unaccept back",
      "/backups/{id}/delete back confirm");
  private static final Logger log = LoggerFactory.getLogger(BackupsServlet.class);
  private static final String VIEW = "backups/show.ftlh";
  static final String UNSEEN_WARNINGS = "Not restored yet: read the warnings below first. Tick \"Yes, restore this backup now\""
      + " and press Restore again to restore it as they say.";
  private static final String[] PAGE_PARAMETERS = {"diff", "category", "change", "cursor", "list", "after", "restore"};

  /**
   * The backup page; {@code diff} is null unless one was asked for.
   *
   * @param ownerRemoved the name of the backup's own Pi-hole when it is removed (the restore form then preselects none), else null
   */
  public record BackupPage(long id, long instanceId, String fileName, ArchiveContents contents, ContentDiff diff, DiffList diffList,
                           String diffLabel, String diffAgainst, String diffError, List<Target> targets, List<Mode> modes, String pagedList,
                           String pagedCursor, Map<String, Page<String>> localDns, OffsiteView.OfBackup offsite, String node, List<Part> parts, boolean holdsLists,
                           RestoreForm.Panel restore, String piholeVersions, String ownerRemoved, Marks marks) {
    /** True when {@code list} shows a page after the first. */
    public boolean listed(String list) {
      return list.equals(pagedList);
    }
  }

  /** The badges of the backup itself, as its row in the history shows them. */
  public record Marks(boolean pinned, boolean suspicious, boolean accepted) {
  }

  /** One page of one change of one list of a diff, from {@code cursor} (null: the list's first item). */
  public record DiffList(String category, String change, ChangesPage page, String cursor) {
    public boolean first() {
      return cursor == null;
    }
  }

  /** What the page compares with, if anything: the first items of every change, or one page of one. */
  private record Compared(ContentDiff diff, DiffList list, String label, String error, int status) {
    static final Compared NOTHING = new Compared(null, null, null, null, 200);
  }

  /** An instance a backup can be restored to. */
  public record Target(long id, String name) {
  }

  /** @param checked the one chosen when the form is shown: the default mode where the archive allows it, else custom */
  public record Mode(String id, String explanation, boolean checked) {
  }

  /** A part a custom restore can tick; {@code alone}: a restore of it alone. */
  public record Part(String id, String label, RestoreParts alone) {
  }

  private static final List<Part> PARTS = List.of(new Part("lists", "Lists", new RestoreParts(true, false, false, false)),
      new Part("localDns", "Local DNS", new RestoreParts(false, true, false, false)),
      new Part("settings", "Other settings", new RestoreParts(false, false, true, false)),
      new Part("identity", "Identity: the whole pihole.toml — passwords and web server, and with them every setting and the local DNS", new RestoreParts(false, false, false, true)));

  private final BackupCatalog backups;
  private final ContentsService contents;
  private final InstanceService instances;
  private final OffsiteView offsite;
  private final RestoreService restores;
  private final RowActions rowActions;

  public BackupsServlet(BackupCatalog backups, ContentsService contents, InstanceService instances, OffsiteView offsite, RestoreService restores,
                        RowActions rowActions, Views views) {
    super(views);
    this.rowActions = rowActions;
    this.offsite = offsite;
    this.restores = restores;
    this.backups = backups;
    this.contents = contents;
    this.instances = instances;
  }

  @Override
  protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
    String[] parts = Paths.segments(request);
    OptionalLong id = parts.length >= 1 ? Paths.id(parts[0]) : OptionalLong.empty();
    response.setHeader("Cache-Control", "no-store");
    try {
      if (id.isPresent() && parts.length == 2 && parts[1].equals("download")) {
        try (ArchiveStore.PlainArchive archive = backups.archiveOf(id.getAsLong())) {
          ArchiveDownload.send(response, archive);
        }
      } else if (id.isPresent() && parts.length == 1) {
        QueryParameters query = QueryParameters.of(request, PAGE_PARAMETERS);
        Backup backup = backups.find(id.getAsLong());
        showContents(request, response, backup, query, 200, followed(query, backup));
      } else {
        response.sendError(404);
      }
    } catch (IllegalArgumentException e) {
      // a list, change or cursor this page does not know: the parameter's fault, said as a 400
      throw new Json.BadRequestException(400, Cursor.ANOTHER_LIST.equals(e.getMessage()) && id.isPresent()
          ? "this link to a further page of a list is out of date or was edited: its position is not one this server handed out"
              + " for this backup and list. Start again from the backup's first page, /backups/" + id.getAsLong()
          : e.getMessage());
    } catch (ArchiveStorageException e) {
      unreadable(response, id, e);
      throw e;
    }
  }

  /**
   * An archive this process cannot read (encrypted with another passphrase, damaged, a disk that
   * fails): logged once and without a stack trace, since the message says it all; the page that
   * says what to do comes from {@link io.piholecheckpoint.web.HttpErrors}, unless a download was
   * already under way.
   */
  private static void unreadable(HttpServletResponse response, OptionalLong id, ArchiveStorageException e) {
    log.warn("Backup {} cannot be read: {}", id.isPresent() ? id.getAsLong() : "?", LogText.escape(e.getMessage()));
    if (!response.isCommitted()) {
      response.reset();
    }
  }

  /**
   * Post, redirect, get once a restore started: the page follows it; a preview, or a form refused, is shown at once with
   * the form as it was filled in (its status that of the refusal). Nothing here changes the Pi-hole but a confirmed restore.
   */
  @Override
  protected void doPost(HttpServletRequest request, HttpServletResponse response) throws IOException {
    String[] parts = Paths.segments(request);
    OptionalLong id = parts.length == 2 ? Paths.id(parts[0]) : OptionalLong.empty();
    if (id.isPresent() && RowActions.ACTIONS.contains(parts[1])) {
      rowActions.take(request, response, id.getAsLong(), parts[1]);
      return;
    }
    if (id.isEmpty() || !parts[1].equals("restore")) {
      response.sendError(404);
      return;
    }
    QueryParameters query = QueryParameters.of(request);
    Backup backup = backups.find(id.getAsLong());
    RestoreForm form = RestoreForm.read(request, backup.instanceId());
    RestoreForm.Panel panel;
    int status = 200;
    try {
      if (form.noTarget()) {
        status = 400;
        panel = form.refused("Choose the Pi-hole to restore this backup to: its own Pi-hole is removed, and no other is chosen for you.");
      } else {
        // a restore too: what it would change is looked at first, so that its warnings are not missed
        RestorePreview found = restores.preview(backup.id(), form.target(), form.mode(), form.custom());
        if (form.preview()) {
          panel = form.previewed(backup.id(), found);
        } else if (!form.acknowledges(backup.id(), found)) {
          // a password, app password or 2FA that will change is shown before anything else; only a restore sent after it goes ahead
          status = 422;
          panel = form.previewed(backup.id(), found, UNSEEN_WARNINGS);
        } else if (!form.confirmed()) {
          status = 422;
          panel = form.unticked(backup.id(), found, "Tick \"Yes, restore this backup now\" to restore it; Preview shows first what it would change.");
        } else {
          Restore started = restores.start(backup.id(), form.target(), form.mode(), form.custom());
          seeOther(request, response, "/backups/" + backup.id() + "?restore=" + started.id() + "#restore");
          return;
        }
      }
    } catch (IllegalArgumentException e) {
      status = 400;
      panel = form.refused(e.getMessage());
    } catch (RuntimeException e) {
      HttpErrors.Answer answer = HttpErrors.of(e).orElseThrow(() -> e);
      status = answer.status();
      panel = form.refused(answer.message());
    }
    response.setHeader("Cache-Control", "no-store");
    showContents(request, response, backup, query, status, panel);
  }

  /** {@code ?restore=<id>}: a restore of this backup, started from this page; any other is not this page's to show. */
  private RestoreForm.Panel followed(QueryParameters query, Backup backup) {
    String restore = query.text("restore");
    if (restore == null) {
      return null;
    }
    long restoreId = query.number("restore", 0, 1, Long.MAX_VALUE);
    // a well-formed id of no restore of this backup names nothing: 404, as the API's restore that is not there
    return restores.find(restoreId).filter(r -> r.backupId() == backup.id()).map(RestoreForm::following)
        .orElseThrow(() -> new Json.BadRequestException(404, "restore_not_found", "restore", "there is no restore " + restoreId + " of backup " + backup.id()));
  }

  private void showContents(HttpServletRequest request, HttpServletResponse response, Backup backup, QueryParameters query, int status,
                            RestoreForm.Panel restore) throws IOException {
    if (!backup.successful()) {
      throw new BackupNotFoundException("backup " + backup.id() + " failed and has no archive");
    }
    PageQuery.check(query);
    String against = query.text("diff");
    Compared compared = compared(query, backup, against);
    List<PiholeInstance> all = instances.list();
    List<Target> targets = all.stream().filter(i -> !i.removed()).map(i -> new Target(i.id(), i.name())).toList();
    String ownerRemoved = all.stream().filter(i -> i.id() == backup.instanceId() && i.removed()).map(PiholeInstance::name).findFirst().orElse(null);
    ArchiveContents listed = listed(query, backup.id());
    // a live Pi-hole that failed answers as the API does (502, 504 on a timeout), the page still showing the backup
    ArchiveParts held = held(backup.id());
    views.render(request, response, status != 200 ? status : compared.status(), VIEW, new BackupPage(backup.id(), backup.instanceId(), backup.fileName(), listed,
        compared.diff(), compared.list(), compared.label(), against, compared.error(), targets, modes(held, restore),
        query.text("after") == null ? null : query.text("list"), query.text("after"), localDns(query, backup.id(), listed), offsite.of(backup.id()),
        backup.node(), parts(held), held.lists(), restore, backup.archive() == null ? null : backup.archive().versions().describe(), ownerRemoved,
        new Marks(backup.pinned(), backup.suspicious(), backup.accepted())));
  }

  /**
   * The files the archive holds: the form offers only what a restore of it can do, as the server refuses the rest (422).
   * An archive that cannot be opened now (gone since its contents were read, its destination out of reach) leaves the
   * page as it was: every part offered, the restore itself saying what is wrong.
   */
  private ArchiveParts held(long backupId) {
    try (ArchiveStore.PlainArchive archive = backups.archiveOf(backupId)) {
      return ArchiveParts.of(archive.path());
    } catch (IOException | RuntimeException e) {
      return new ArchiveParts(true, true);
    }
  }

  /** The modes the archive allows; the one checked is the one chosen last on this page, else the default where allowed. */
  private static List<Mode> modes(ArchiveParts held, RestoreForm.Panel restore) {
    List<RestoreMode> offered = Arrays.stream(RestoreMode.values()).filter(m -> held.holds(RestoreParts.of(m, null))).toList();
    RestoreMode fallback = offered.contains(RestoreMode.LISTS_AND_DNS) ? RestoreMode.LISTS_AND_DNS : RestoreMode.CUSTOM;
    String checked = restore != null && offered.stream().anyMatch(m -> m.id().equals(restore.mode())) ? restore.mode() : fallback.id();
    return offered.stream().map(m -> new Mode(m.id(), m.explanation(), m.id().equals(checked))).toList();
  }

  private static List<Part> parts(ArchiveParts held) {
    return PARTS.stream().filter(p -> held.holds(p.alone())).toList();
  }

  /** Local DNS records and CNAMEs a page at a time, like the gravity lists: pihole.toml may hold thousands. */
  private static Map<String, Page<String>> localDns(QueryParameters query, long backupId, ArchiveContents contents) {
    Map<String, Page<String>> pages = new LinkedHashMap<>();
    for (LocalDnsList list : LocalDnsList.values()) {
      String cursor = list.id().equals(query.text("list")) ? query.text("after") : null;
      pages.put(list.id(), TextPages.page(list.of(contents.config()), "contents:" + backupId + ":" + list.id(), cursor, Page.DEFAULT_SIZE));
    }
    return pages;
  }

  /** {@code diff=live} or {@code diff=<backup id>}; with the latter, {@code category}, {@code change} and {@code cursor} page one change. */
  private Compared compared(QueryParameters query, Backup backup, String against) {
    String category = query.text("category");
    try {
      if ("live".equals(against)) {
        if (category != null) {
          throw new IllegalArgumentException("a live export is discarded after the first page: compare with a backup to page further");
        }
        return new Compared(contents.diffAgainstLive(backup.id(), backup.instanceId()), null,
            "What restoring this backup would change on the Pi-hole now", null, 200);
      }
      if (against == null) {
        return Compared.NOTHING;
      }
      long other = Long.parseLong(against);
      String label = "Changes from backup " + against + " to this one";
      return category == null ? new Compared(contents.diff(other, backup.id()), null, label, null, 200)
          : new Compared(null, diffList(query, other, backup.id(), category), label, null, 200);
    } catch (PiholeException e) {
      return new Compared(null, null, null, e.getMessage(), e.failure() == PiholeException.Failure.TIMEOUT ? 504 : 502);
    } catch (InstanceConflictException e) {
      return new Compared(null, null, null, e.getMessage(), 409); // removed: its stale URL is not contacted
    }
  }

  private DiffList diffList(QueryParameters query, long other, long id, String category) {
    Change change = Change.of(Objects.requireNonNullElse(query.text("change"), "added"));
    String cursor = query.text("cursor");
    Optional<LocalDnsList> local = LocalDnsList.find(category);
    if (local.isEmpty() && Arrays.stream(ListCategory.values()).noneMatch(c -> c.id().equals(category))) {
      throw new IllegalArgumentException("there is no list '" + category + "': use groups, adlists, domains, clients, dnsRecords or cnames");
    }
    ChangesPage page = local.isPresent()
        ? contents.localDnsChanges(other, id, local.get(), change, cursor, Page.DEFAULT_SIZE)
        : contents.changes(other, id, ListCategory.of(category), change, cursor, Page.DEFAULT_SIZE);
    return new DiffList(category, change.id(), page, cursor);
  }

  /** The first page of every list; with {@code list} and {@code after}, that list from the page after the cursor. */
  @SuppressWarnings({"unchecked", "rawtypes"})
  private ArchiveContents listed(QueryParameters query, long id) {
    ArchiveContents c = contents.contents(id);
    String list = query.text("list");
    String after = query.text("after");
    if (list == null || after == null || LocalDnsList.find(list).isPresent()) {
      return c;
    }
    ListCategory category = ListCategory.of(list);
    Page page = contents.page(id, category, after, Page.DEFAULT_SIZE);
    return new ArchiveContents(category == ListCategory.GROUPS ? page : c.groups(), category == ListCategory.ADLISTS ? page : c.adlists(),
        category == ListCategory.DOMAINS ? page : c.domains(), category == ListCategory.CLIENTS ? page : c.clients(), c.config());
  }
}
