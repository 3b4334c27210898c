package io.piholecheckpoint.web.api;

import io.piholecheckpoint.core.job.Job;
import io.piholecheckpoint.core.sync.ReplicaPlan;
import io.piholecheckpoint.core.sync.groups.SyncGroup;
import io.piholecheckpoint.core.sync.runs.SyncRun;
import io.piholecheckpoint.core.sync.SyncService;
import io.piholecheckpoint.core.sync.SyncTickets;
import io.piholecheckpoint.core.sync.status.SyncStatus;
import io.piholecheckpoint.core.sync.SyncTicket;
import io.piholecheckpoint.core.syncgroup.ManagedSyncGroup;
import io.piholecheckpoint.core.syncgroup.SyncGroupRules;
import io.piholecheckpoint.core.syncgroup.SyncGroupService;
import io.piholecheckpoint.web.Json;
import io.piholecheckpoint.web.JsonBody;
import io.piholecheckpoint.web.QueryParameters;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;

/**
 * {@code /api/v1/sync}: the sync groups and their replicas' last runs; {@code POST …/{group}/run}
 * starts one (202; {@code ?wait=true}: 200 with each replica's outcome; {@code ?dryRun=true}: each
 * replica's difference, nothing changed); {@code GET …/{group}/runs}: the history, in cursor pages;
 * {@code POST /api/v1/sync/groups}, {@code PUT} and {@code DELETE /api/v1/sync/groups/{group}}: groups
 * added here (those of the environment are read-only: 409).
 */
public final class SyncApiServlet extends JsonApiServlet {
  public static final List<String> ROUTES = List.of(
      "GET /api/v1/sync",
      "POST /api/v1/sync/{name}/run",
      "GET /api/v1/sync/{name}/runs",
      "POST /api/v1/sync/groups",
      "PUT, DELETE /api/v1/sync/groups/{name}");
  private static final int DEFAULT_LIMIT = 50;
  /** How long {@code ?wait=true} holds the request for the run to finish, as for a backup. */
  private static final long WAIT_SECONDS = 300;
  private final SyncService sync;
  private final SyncTickets tickets;
  private final SyncStatus status;
  private final SyncGroupService added;

  /**
   * @param status where a dry run's findings go, as the Sync page's Preview's do (the drift and its metric)
   * @param added the groups added here
   */
  public SyncApiServlet(SyncService sync, SyncTickets tickets, SyncStatus status, SyncGroupService added, Json json) {
    super(json);
    this.sync = sync;
    this.tickets = tickets;
    this.status = status;
    this.added = added;
  }

  record RunJson(long id, String group, long primaryId, long replicaId, Long sourceBackupId, String outcome, String code, String message,
                 String changes, List<String> refusedSettings, Long snapshotId, Instant startedAt, Instant finishedAt) {
    static RunJson of(SyncRun r) {
      return new RunJson(r.id(), r.group(), r.primaryId(), r.replicaId(), r.sourceBackupId(), r.outcome().name().toLowerCase(Locale.ROOT), r.code(),
          r.message(), r.changes(), r.refused(), r.snapshotId(), r.startedAt(), r.finishedAt());
    }
  }

  /** A run asked for, at {@code /api/v1/jobs/{id}}: {@code runs} once it is done, {@code history} the group's runs. */
  record SyncJobJson(String id, String group, String state, List<RunJson> runs, String error, Instant queuedAt, Instant finishedAt, String url,
                     String history) {
    static SyncJobJson of(SyncTicket t) {
      Job j = t.job();
      return new SyncJobJson(j.id(), t.group(), j.state().name().toLowerCase(Locale.ROOT), t.runs().stream().map(RunJson::of).toList(), j.error(),
          j.queuedAt(), j.finishedAt(), "/api/v1/jobs/" + j.id(), "/api/v1/sync/" + t.group() + "/runs");
    }
  }

  /**
   * A group added here as stored, each setting as {@code PUT} takes it back (null: the default).
   *
   * @param disabled why it does not run, or null
   */
  record AddedJson(String id, String primary, List<String> replicas, String mode, List<String> excludeSettings, boolean keepReplicaDns, String when,
                   String snapshot, String staleAfter, String disabled) {
  }

  /** @param addedHere added on the Sync page or the API (editable there), not by SYNC_* variables */
  record GroupJson(String id, String primary, List<String> replicas, String mode, List<String> excludeSettings, boolean keepReplicaDns,
                   String when, String snapshot, String staleAfter, boolean addedHere, List<RunJson> lastRuns) {
  }

  @Override
  protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
    String[] path = segments(request);
    if (path.length == 0) {
      QueryParameters.of(request);
      List<GroupJson> groups = sync.groups().groups().stream().map(this::group).toList();
      Map<String, String> disabled = sync.groups().disabledById();
      json.write(response, 200, Map.of("groups", groups, "disabled", disabled,
          "addedHere", added.list().stream().map(g -> addedJson(g, added.disabledWhy(SyncGroup.idOf(g.name())))).toList()));
    } else if (path.length == 2 && path[1].equals("runs")) {
      QueryParameters query = QueryParameters.of(request, "limit", "before");
      int limit = (int) query.number("limit", DEFAULT_LIMIT, 1, 500);
      Long before = query.text("before") == null ? null : query.number("before", 0, 0, Long.MAX_VALUE);
      List<SyncRun> runs = sync.history(path[0], before, limit);
      Map<String, Object> body = new LinkedHashMap<>();
      body.put("runs", runs.stream().map(RunJson::of).toList());
      body.put("next", runs.size() < limit ? null : "/api/v1/sync/%s/runs?limit=%d&before=%d".formatted(path[0], limit, runs.get(runs.size() - 1).id()));
      json.write(response, 200, body);
    } else {
      json.error(response, 404, "not_found", "no such API resource: " + request.getRequestURI());
    }
  }

  @Override
  protected void doPost(HttpServletRequest request, HttpServletResponse response) throws IOException {
    String[] path = segments(request);
    if (path.length == 1 && path[0].equals("groups")) {
      QueryParameters.of(request);
      ManagedSyncGroup saved = added.add(SyncGroupRequest.form(read(request)));
      response.setHeader("Location", "/api/v1/sync/groups/" + SyncGroup.idOf(saved.name()));
      json.write(response, 201, Map.of("group", group(sync.groups().group(SyncGroup.idOf(saved.name())))));
      return;
    }
    if (path.length != 2 || !path[1].equals("run")) {
      json.error(response, 404, "not_found", "no such API resource: " + request.getRequestURI());
      return;
    }
    QueryParameters query = QueryParameters.of(request, "wait", "dryRun");
    // both read before either is acted on: ?dryRun=true&wait=maybe is a 400, not a preview that ignored a typo
    boolean dryRun = query.flag("dryRun");
    boolean wait = query.flag("wait");
    json.noBody(request); // {"dryRun":true} in a body would otherwise run a real sync
    if (dryRun) {
      Map<String, Object> replicas = new LinkedHashMap<>();
      status.look(path[0]).forEach((name, plan) -> replicas.put(name, preview(plan)));
      json.write(response, 200, Map.of("group", path[0], "dryRun", true, "replicas", replicas));
    } else {
      started(tickets.start(path[0]), wait, response);
    }
  }

  /** 200 with the group as GET lists it; 404 for a group not added here, 409 for one of the environment. */
  @Override
  protected void doPut(HttpServletRequest request, HttpServletResponse response) throws IOException {
    QueryParameters.of(request);
    String[] path = segments(request);
    if (path.length != 2 || !path[0].equals("groups")) {
      json.error(response, 404, "not_found", "PUT /api/v1/sync/groups/{group} with the fields to change");
      return;
    }
    ManagedSyncGroup saved = added.update(path[1], SyncGroupRequest.form(read(request)));
    json.write(response, 200, Map.of("group", group(sync.groups().group(SyncGroup.idOf(saved.name())))));
  }

  /** 204: the group and its runs' history are gone, its replicas stay as they are; 404, 409 as for PUT, and 409 while it runs. */
  @Override
  protected void doDelete(HttpServletRequest request, HttpServletResponse response) throws IOException {
    QueryParameters.of(request);
    String[] path = segments(request);
    if (path.length != 2 || !path[0].equals("groups")) {
      json.error(response, 404, "not_found", "DELETE /api/v1/sync/groups/{group}");
      return;
    }
    json.noBody(request);
    added.delete(path[1]);
    response.setStatus(204);
  }

  private JsonBody.Read<SyncGroupRequest> read(HttpServletRequest request) throws IOException {
    return json.read(request, SyncGroupRequest.class, SyncGroupRequest.NULLABLE);
  }

  /**
   * The run goes through the scheduler either way (so it never overlaps another run of the group):
   * 202 with its job; with {@code ?wait=true}, once it is done, 200 with each replica's run.
   */
  private void started(SyncTicket ticket, boolean wait, HttpServletResponse response) throws IOException {
    SyncTicket now = ticket;
    if (wait) {
      try {
        now = tickets.await(ticket.job().id(), WAIT_SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    response.setHeader("Location", "/api/v1/jobs/" + ticket.job().id());
    if (now.job().state() == Job.State.DONE) {
      json.write(response, 200, Map.of("group", now.group(), "runs", now.runs().stream().map(RunJson::of).toList(), "job", SyncJobJson.of(now)));
    } else if (now.job().state() == Job.State.FAILED) {
      json.error(response, 409, "sync_not_run", now.job().error());
    } else {
      json.write(response, 202, Map.of("job", SyncJobJson.of(now)));
    }
  }

  private static Map<String, Object> preview(ReplicaPlan plan) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("inSync", plan.empty() && plan.skipped() == null);
    body.put("skipped", plan.skipped());
    body.put("warning", plan.warning());
    body.put("summary", plan.summary());
    body.put("importsLists", plan.lists());
    body.put("settings", plan.settings().keySet());
    body.put("diff", plan.diff());
    return body;
  }

  private GroupJson group(SyncGroup g) {
    List<RunJson> last = sync.history(g.id(), null, g.replicas().size()).stream().map(RunJson::of).toList();
    return new GroupJson(g.id(), g.primary(), g.replicas(), g.mode().id(), List.copyOf(new TreeSet<>(g.excludedSettings())), g.keepReplicaDns(),
        g.when() == null ? "after-backup" : g.when().describe(), g.snapshot().name().toLowerCase(Locale.ROOT),
        g.staleAfter() == null ? null : g.staleAfter().toString(), !sync.groups().inEnvironment(g.name()), last);
  }

  private AddedJson addedJson(ManagedSyncGroup g, String disabled) {
    List<String> members = added.members(g);
    Map<String, String> t = g.settings();
    return new AddedJson(SyncGroup.idOf(g.name()), members.isEmpty() ? null : members.get(0), members.stream().skip(1).toList(), t.get("MODE"),
        SyncGroupRules.list(t.get("EXCLUDE_SETTINGS")), Boolean.parseBoolean(t.get("KEEP_REPLICA_DNS")), t.get("WHEN"), t.get("SNAPSHOT"),
        t.get("STALE_AFTER"), disabled);
  }

  /** The segments after /api/v1/sync: none, or {group} and what of it. */
  private static String[] segments(HttpServletRequest request) {
    String info = request.getPathInfo();
    return info == null || info.equals("/") ? new String[0] : info.substring(1).split("/");
  }
}
