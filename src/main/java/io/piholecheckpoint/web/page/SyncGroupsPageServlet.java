package io.piholecheckpoint.web.page;

import io.piholecheckpoint.core.instance.PiholeInstance;
import io.piholecheckpoint.core.registry.InstanceService;
import io.piholecheckpoint.core.settings.ValidationException;
import io.piholecheckpoint.core.sync.groups.SyncGroup;
import io.piholecheckpoint.core.syncgroup.ManagedSyncGroup;
import io.piholecheckpoint.core.syncgroup.SyncGroupConflictException;
import io.piholecheckpoint.core.syncgroup.SyncGroupForm;
import io.piholecheckpoint.core.syncgroup.SyncGroupRefusedException;
import io.piholecheckpoint.core.syncgroup.SyncGroupRules;
import io.piholecheckpoint.core.syncgroup.SyncGroupService;
import io.piholecheckpoint.web.Paths;
import io.piholecheckpoint.web.QueryParameters;
import io.piholecheckpoint.web.Routes;
import io.piholecheckpoint.web.Views;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The form of a sync group added on the Sync page, of Pi-holes added in the UI:
 * {@code GET /sync-groups/new} and {@code /sync-groups/{group}}; a POST saves it (checked by the
 * rules of the SYNC_* variables, in use at once); {@code POST /sync-groups/{group}/delete} deletes it
 * and its history. Groups of the environment are read-only (409).
 */
public final class SyncGroupsPageServlet extends PageServlet {
  /** The addresses it serves and their methods (see {@link Routes}). */
  public static final List<String> ROUTES = List.of(
      "GET /sync-groups/new",
      "GET /sync-groups/{name}",
      "POST /sync-groups",
      "POST /sync-groups/{name}",
      "POST /sync-groups/{name}/delete");
  /** The fields its forms send (see {@link io.piholecheckpoint.web.access.FormFields}); a new one's name among them. */
  public static final List<String> FORMS = List.of(
      "/sync-groups name " + String.join(" ", SyncGroupRules.FIELDS.values()),
      "/sync-groups/{name} " + String.join(" ", SyncGroupRules.FIELDS.values()));
  private static final String VIEW = "sync/group.ftlh";

  /**
   * @param id null for a new group
   * @param values the settings shown, by field (the API's names)
   * @param replicas the replicas chosen, by name
   * @param choices the Pi-holes added in the UI, by name: what a group here can hold
   * @param problem what the rules refused, or null
   * @param disabled why the stored group does not run, or null
   */
  public record SyncGroupPage(String id, String name, Map<String, String> values, List<String> replicas, List<String> choices,
                              Map<String, String> errors, String problem, String disabled) {
  }

  private final SyncGroupService groups;
  private final InstanceService instances;

  public SyncGroupsPageServlet(SyncGroupService groups, InstanceService instances, Views views) {
    super(views, true);
    this.groups = groups;
    this.instances = instances;
  }

  @Override
  protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
    QueryParameters.of(request);
    String[] parts = Paths.segments(request);
    if (parts.length != 1) {
      response.sendError(404);
    } else if (parts[0].equals("new")) {
      show(request, response, 200, page(null, Map.of(), List.of(), Map.of(), null));
    } else {
      ManagedSyncGroup stored = editable(parts[0]);
      List<String> members = groups.members(stored);
      Map<String, String> values = new HashMap<>();
      stored.settings().forEach((suffix, value) -> values.put(SyncGroupRules.FIELDS.get(suffix), value));
      values.put("primary", members.isEmpty() ? "" : members.get(0));
      show(request, response, 200, page(stored.name(), values, members.stream().skip(1).toList(), Map.of(), null));
    }
  }

  /** Post, redirect, get after a save or a delete; a refusal shows the form again with what was sent. */
  @Override
  protected void doPost(HttpServletRequest request, HttpServletResponse response) throws IOException {
    QueryParameters.of(request);
    String[] parts = Paths.segments(request);
    if (parts.length == 2 && parts[1].equals("delete")) {
      ManagedSyncGroup stored = editable(parts[0]);
      groups.delete(SyncGroup.idOf(stored.name()));
      seeOther(request, response, "/sync");
      return;
    }
    if (parts.length > 1) {
      response.sendError(404);
      return;
    }
    String name = parts.length == 1 ? editable(parts[0]).name() : null;
    SyncGroupForm form = form(request, name);
    try {
      ManagedSyncGroup saved = name == null ? groups.add(form) : groups.update(SyncGroup.idOf(name), form);
      seeOther(request, response, "/sync#sync-" + SyncGroup.idOf(saved.name()));
    } catch (ValidationException e) {
      show(request, response, 400, echo(form, name, e.fieldErrors(), null));
    } catch (SyncGroupConflictException e) {
      show(request, response, 409, echo(form, name, Map.of("name", e.getMessage()), null));
    } catch (SyncGroupRefusedException e) {
      show(request, response, 422, echo(form, name, Map.of(), e.getMessage()));
    }
  }

  /** One added here; one of the environment is a 409 (read-only), an unknown one a 404. */
  private ManagedSyncGroup editable(String id) {
    if (groups.inEnvironment(id)) {
      throw new SyncGroupConflictException(id + " is configured in the environment (SYNC_" + id.toUpperCase(java.util.Locale.ROOT)
          + "_*) and is read-only here");
    }
    return groups.find(id);
  }

  /** Every field of the page, sent or not: a select left at its default is a default, not "keep what was stored". */
  private static SyncGroupForm form(HttpServletRequest request, String name) {
    Map<String, String> values = new HashMap<>();
    SyncGroupRules.FIELDS.forEach((suffix, field) -> values.put(suffix, request.getParameter(field) == null ? "" : request.getParameter(field)));
    String[] replicas = request.getParameterValues("replicas");
    return new SyncGroupForm(name != null ? name : request.getParameter("name"), values.get("PRIMARY"),
        replicas == null ? List.of() : Arrays.asList(replicas), values);
  }

  private SyncGroupPage echo(SyncGroupForm form, String name, Map<String, String> errors, String problem) {
    Map<String, String> values = new HashMap<>();
    form.values().forEach((suffix, value) -> values.put(SyncGroupRules.FIELDS.get(suffix), value));
    if (name == null && form.name() != null) {
      values.put("name", form.name());
    }
    return page(name, values, form.replicas(), errors, problem);
  }

  private SyncGroupPage page(String name, Map<String, String> values, List<String> replicas, Map<String, String> errors, String problem) {
    List<String> choices = instances.list().stream().filter(i -> !i.removed() && !i.fromEnvironment()).map(PiholeInstance::name).toList();
    String id = name == null ? null : SyncGroup.idOf(name);
    String disabled = id == null ? null : groups.disabledWhy(id);
    return new SyncGroupPage(id, name, values, replicas, choices, errors, problem, disabled);
  }

  private void show(HttpServletRequest request, HttpServletResponse response, int status, SyncGroupPage page) throws IOException {
    views.render(request, response, status, VIEW, page);
  }
}
