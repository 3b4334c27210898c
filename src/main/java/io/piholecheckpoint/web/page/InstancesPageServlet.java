package io.piholecheckpoint.web.page;

import io.piholecheckpoint.core.backup.catalog.Backup;
import io.piholecheckpoint.core.backup.catalog.BackupCatalog;
import io.piholecheckpoint.core.backup.catalog.BackupRepository;
import io.piholecheckpoint.core.backup.InstanceDeletion;
import io.piholecheckpoint.core.instance.PiholeInstance;
import io.piholecheckpoint.core.registry.InstanceConflictException;
import io.piholecheckpoint.core.registry.InstanceNotFoundException;
import io.piholecheckpoint.core.registry.InstanceService;
import io.piholecheckpoint.core.restore.record.Restore;
import io.piholecheckpoint.core.settings.InstanceForm;
import io.piholecheckpoint.core.settings.ValidationException;
import io.piholecheckpoint.web.InstanceForms;
import io.piholecheckpoint.web.Paths;
import io.piholecheckpoint.web.QueryParameters;
import io.piholecheckpoint.web.Routes;
import io.piholecheckpoint.web.TimeFormat;
import io.piholecheckpoint.web.Views;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

/** {@code /instances}: an instance's page with its history, and the form to add or change one. */
public final class InstancesPageServlet extends PageServlet {
  /** The addresses it serves and their methods (see {@link Routes}). */
  public static final List<String> ROUTES = List.of(
      "POST /instances",
      "GET /instances/new",
      "GET, POST /instances/{id}",
      "GET /instances/{id}/edit",
      "POST /instances/{id}/delete");
  /** The fields its forms send (see {@link io.piholecheckpoint.web.access.FormFields}). */
  public static final List<String> FORMS = List.of(
      "/instances " + String.join(" ", InstanceForms.FIELDS),
      "/instances/{id} " + String.join(" ", InstanceForms.FIELDS),
      "/instances/{id}/delete backups");
  private static final String VIEW_PAGE = "instances/show.ftlh";
  private static final String VIEW_FORM = "instances/form.ftlh";
  private static final int PAGE_SIZE = 50;
  /** The history's trigger filter takes every trigger a backup can have, as the API does (its page offers the same). */
  private static final String[] TRIGGERS = Arrays.stream(Backup.Trigger.values()).map(t -> t.name().toLowerCase(Locale.ROOT))
      .toArray(String[]::new);

  private final InstanceService instances;
  private final InstanceDeletion deletion;
  private final InstanceReads reads;
  private final TimeFormat time;
  private final DashboardPage.Live live;

  public InstancesPageServlet(InstanceService instances, InstanceDeletion deletion, InstanceReads reads, DashboardPage.Live live,
                              TimeFormat time, Views views) {
    super(views, true);
    this.instances = instances;
    this.deletion = deletion;
    this.reads = reads;
    this.live = live;
    this.time = time;
  }

  @Override
  protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
    String[] parts = Paths.segments(request);
    if (parts.length == 1 && parts[0].equals("new")) {
      QueryParameters.of(request);
      views.render(request, response, 200, VIEW_FORM, newForm(InstanceForm.blank(), Map.of()));
    } else if (parts.length == 1) {
      showInstance(request, response, id(parts[0]));
    } else if (parts.length == 2 && parts[1].equals("edit")) {
      QueryParameters.of(request);
      PiholeInstance instance = instances.find(id(parts[0]));
      showForm(request, response, instance, null, instances.storedProblems(instance), 200);
    } else {
      throw new InstanceNotFoundException(-1);
    }
  }

  @Override
  protected void doPost(HttpServletRequest request, HttpServletResponse response) throws IOException {
    String[] parts = Paths.segments(request);
    if (parts.length == 0) {
      processCreate(request, response);
    } else if (parts.length == 1) {
      processUpdate(request, response, id(parts[0]));
    } else if (parts.length == 2 && parts[1].equals("delete")) {
      long id = instances.find(id(parts[0])).id(); // a wrong id is a 404 whatever the form says
      String what = request.getParameter("backups");
      if (!"keep".equals(what) && !"delete".equals(what)) {
        throw new InstanceConflictException("Choose what happens to its backups before deleting the instance.");
      }
      deletion.deleteInstance(id, what.equals("delete"));
      seeOther(request, response, "/");
    } else {
      throw new InstanceNotFoundException(-1);
    }
  }

  private void showInstance(HttpServletRequest request, HttpServletResponse response, long id) throws IOException {
    QueryParameters query = QueryParameters.of(request, "status", "trigger", "before");
    String status = filter(query, "status", "success", "failed");
    String trigger = filter(query, "trigger", TRIGGERS);
    String before = query.text("before");
    if (before != null && Paths.id(before).isEmpty()) {
      throw QueryParameters.wrong("before", "the id of a backup (the page links carry it)");
    }
    BackupRepository.Page page = new BackupRepository.Page(before == null ? null : Long.parseLong(before),
        status == null ? null : Backup.Status.valueOf(status.toUpperCase(Locale.ROOT)),
        trigger == null ? null : Backup.Trigger.valueOf(trigger.toUpperCase(Locale.ROOT)), PAGE_SIZE);
    InstanceReads.Reads read = reads.of(id, page);
    BackupCatalog.InstanceHistory history = read.history();
    List<Backup> rows = history.recent();
    String next = rows.size() < PAGE_SIZE ? null : "?before=" + rows.get(rows.size() - 1).id()
        + (status == null ? "" : "&status=" + status) + (trigger == null ? "" : "&trigger=" + trigger);
    List<Restore> restored = read.restores();
    Map<Long, String> notes = restored.stream().filter(r -> r.snapshotId() != null)
        .collect(java.util.stream.Collectors.toMap(Restore::snapshotId, r -> "safety backup before restoring backup " + r.backupId(), (a, b) -> a));
    DashboardPage.Card card = DashboardPage.card(history, time, rows.size(), live, live.runningJob(history.instance().id()),
        live.scheduler().nextRun(history.instance().id()).orElse(null), notes, read.offsite(), read.remoteOnly());
    List<InstancePage.RestoreRow> restoreRows = restored.stream()
        .map(r -> new InstancePage.RestoreRow(r.id(), time.absolute(r.startedAt()), r.backupId(), r.mode().id(),
            r.state().name().toLowerCase(Locale.ROOT), r.message(), r.snapshotId()))
        .toList();
    views.render(request, response, 200, VIEW_PAGE, InstancePage.of(history.instance(), card, history.stats(), read.chart(), time.zoneId(), status, trigger, next,
        restoreRows, read.destinations(), read.latestBackupVersions()));
  }

  private void showForm(HttpServletRequest request, HttpServletResponse response, PiholeInstance instance, InstanceForm form, Map<String, String> errors, int status)
      throws IOException {
    var secrets = instances.secretsOf(instance.id());
    views.render(request, response, status, VIEW_FORM, new FormPage(instance.id(), form == null ? InstanceForm.of(instance) : form, errors,
        instance.fromEnvironment(), instance.settingsPrefix(), secrets.password(), secrets.totpSecret(),
        // the saved schedule's runs beside the saved values (none while it is paused); beside a refused form, those of the schedule typed
        form == null ? shown(instances.schedules().nextRuns(instance)) : runsOf(form), time.zoneId()));
  }

  /** A new instance's form, with the next runs of the schedule it shows: without JavaScript too. */
  private FormPage newForm(InstanceForm form, Map<String, String> errors) {
    return new FormPage(null, form, errors, false, null, false, false, runsOf(form), time.zoneId());
  }

  /** The next runs of the schedule in a form's fields, asked for as app.js asks (its crontab line); none while they are refused. */
  private List<String> runsOf(InstanceForm form) {
    Optional<String> line = "cron".equals(form.scheduleKind()) ? Optional.ofNullable(form.cron()) : InstanceForms.crontab(form);
    try {
      return shown(line.map(instances.schedules()::ofCron).orElse(List.of()));
    } catch (ValidationException refused) {
      return List.of();
    }
  }

  private List<String> shown(List<Instant> runs) {
    return runs.stream().map(time::absolute).toList();
  }

  /** Post, redirect, get: a reload never submits twice. */
  private void processCreate(HttpServletRequest request, HttpServletResponse response) throws IOException {
    InstanceForm form = InstanceForms.fromParameters(request, InstanceForm.blank());
    Map<String, String> unused = InstanceForms.unusedIn(request, form);
    try {
      instances.refuseWith(null, form, unused);
      PiholeInstance created = instances.create(form);
      seeOther(request, response, "/instances/" + created.id());
    } catch (ValidationException e) {
      views.render(request, response, 400, VIEW_FORM, newForm(form.echoable(), e.fieldErrors()));
    }
  }

  private void processUpdate(HttpServletRequest request, HttpServletResponse response, long id) throws IOException {
    PiholeInstance instance = instances.find(id);
    // an environment instance's form shows its settings read-only: only the switch is sent back
    InstanceForm form = instance.fromEnvironment() ? InstanceForm.of(instance).withActive(request.getParameter("active") != null)
        : InstanceForms.fromParameters(request, InstanceForm.of(instance));
    Map<String, String> unused = instance.fromEnvironment() ? Map.of() : InstanceForms.unusedIn(request, form);
    try {
      instances.refuseWith(id, form, unused);
      instances.update(id, form);
      seeOther(request, response, "/instances/" + id);
    } catch (ValidationException e) {
      showForm(request, response, instance, form.echoable(), e.fieldErrors(), 400);
    }
  }

  /** One of {@code allowed}; empty (the form's "all") or absent is no filter; anything else a 400. */
  private static String filter(QueryParameters query, String name, String... allowed) {
    String value = query.text(name);
    return value == null || value.isEmpty() ? null : query.choice(name, allowed);
  }

  private static long id(String segment) {
    OptionalLong id = Paths.id(segment);
    if (id.isEmpty()) {
      throw new InstanceNotFoundException(-1);
    }
    return id.getAsLong();
  }
}
