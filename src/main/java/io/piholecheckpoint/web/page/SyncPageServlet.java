package io.piholecheckpoint.web.page;

import io.piholecheckpoint.core.contents.ContentDiff;
import io.piholecheckpoint.core.sync.status.SyncDrift;
import io.piholecheckpoint.core.sync.groups.SyncGroup;
import io.piholecheckpoint.core.sync.runs.SyncRun;
import io.piholecheckpoint.core.sync.status.SyncStatus;
import io.piholecheckpoint.core.syncgroup.ManagedSyncGroup;
import io.piholecheckpoint.core.syncgroup.SyncGroupService;
import io.piholecheckpoint.web.Paths;
import io.piholecheckpoint.web.QueryParameters;
import io.piholecheckpoint.web.Routes;
import io.piholecheckpoint.web.TimeFormat;
import io.piholecheckpoint.web.Views;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * {@code GET /sync}: each sync group, its primary and replicas, each replica's last run and its
 * drift; {@code POST /sync/{group}/run} (Sync now) and {@code POST /sync/{group}/preview} (each
 * replica's difference, nothing changed) are plain forms that redirect back to the page, which
 * shows what they did: they work alike with and without JavaScript.
 */
public final class SyncPageServlet extends PageServlet {
  /** The addresses it serves and their methods (see {@link Routes}). */
  public static final List<String> ROUTES = List.of(
      "GET /sync",
      "POST /sync/{name}/run",
      "POST /sync/{name}/preview");
  private static final String VIEW = "sync/index.ftlh";

  /** The page: the groups that run, then those that do not, with why. */
  public record SyncPage(String timeZone, List<GroupRow> groups, List<DisabledRow> disabled) {
  }

  /**
   * @param when after-backup, or the schedule in words
   * @param requestedAt when Sync now was pressed, while some replica has not run since; else null
   * @param checkError why the last Preview failed; else null
   * @param addedHere added on this page (it can be changed here), not by SYNC_* variables
   */
  public record GroupRow(String id, String name, String primary, String mode, String when, String snapshot, boolean keepReplicaDns,
                         String excluded, String staleAfter, String requestedAt, String checkError, boolean addedHere, List<ReplicaRow> replicas) {
  }

  /** @param editId the group's id when it was added here (it is fixed or deleted on its form), else null */
  public record DisabledRow(String name, String why, String editId) {
  }

  /**
   * One replica.
   *
   * @param state the last outcome ({@code synced}, {@code in_sync}, {@code partial}, {@code failed}) or {@code never}
   * @param drift the last look in words ("in sync", "+3 domains"), null when nothing is known
   * @param diff what the last Preview found, null when the drift is what a run left
   * @param warning what the last Preview found a run would run into, with the fix; else null
   */
  public record ReplicaRow(String name, String state, String lastRunAt, String lastRunAge, String took, String message, String changes,
                           List<String> refused, String lastSuccess, String failingSince, boolean stale, String drift, long driftItems,
                           String driftAt, ContentDiff diff, String warning) {
  }

  private final SyncStatus sync;
  private final SyncGroupService added;
  private final TimeFormat time;

  public SyncPageServlet(SyncStatus sync, SyncGroupService added, TimeFormat time, Views views) {
    super(views);
    this.sync = sync;
    this.added = added;
    this.time = time;
  }

  @Override
  protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
    QueryParameters.of(request);
    if (Paths.segments(request).length != 0) {
      response.sendError(404);
      return;
    }
    List<GroupRow> groups = sync.groups().stream().map(this::group).toList();
    Set<String> addedNames = added.list().stream().map(ManagedSyncGroup::name).collect(Collectors.toSet());
    List<DisabledRow> disabled = new ArrayList<>(sync.disabled().entrySet().stream().map(e -> {
      boolean editable = addedNames.contains(e.getKey()) && !added.inEnvironment(SyncGroup.idOf(e.getKey()));
      return new DisabledRow(e.getKey(), e.getValue(), editable ? SyncGroup.idOf(e.getKey()) : null);
    }).toList());
    // one added here whose name the environment takes is told apart from the environment's in its row's name
    sync.disabledAddedHere().forEach((name, why) -> {
      if (added.inEnvironment(SyncGroup.idOf(name))) {
        disabled.add(new DisabledRow(name + " (added here)", why, SyncGroup.idOf(name)));
      }
    });
    views.render(request, response, 200, VIEW, new SyncPage(time.zoneId(), groups, disabled));
  }

  /** Post, redirect, get: a reload of the page neither syncs nor previews again. */
  @Override
  protected void doPost(HttpServletRequest request, HttpServletResponse response) throws IOException {
    QueryParameters.of(request);
    String[] parts = Paths.segments(request);
    if (parts.length != 2 || !(parts[1].equals("run") || parts[1].equals("preview"))) {
      response.sendError(404);
      return;
    }
    if (parts[1].equals("run")) {
      sync.start(parts[0]);
    } else {
      sync.preview(parts[0]);
    }
    seeOther(request, response, "/sync#sync-" + parts[0]);
  }

  private GroupRow group(SyncStatus.GroupStatus g) {
    SyncGroup group = g.group();
    return new GroupRow(group.id(), group.name(), g.primary(), group.mode().id(), group.afterBackup() ? "after each backup of the primary"
        : group.when().describe(), group.snapshot().name().toLowerCase(Locale.ROOT), group.keepReplicaDns(),
        String.join(", ", new TreeSet<>(group.excludedSettings())), g.replicas().isEmpty() ? null
            : window(g.replicas().get(0).staleAfter()), g.requestedAt() == null ? null : time.absolute(g.requestedAt()), g.checkError(),
        !added.inEnvironment(group.id()), g.replicas().stream().map(this::replica).toList());
  }

  private ReplicaRow replica(SyncStatus.ReplicaStatus r) {
    SyncRun last = r.lastRun();
    SyncDrift.Drift drift = r.drift();
    return new ReplicaRow(r.name(), r.state(), last == null ? null : time.absolute(last.finishedAt()), last == null ? null : time.relative(last.finishedAt()),
        last == null ? null : took(Duration.between(last.startedAt(), last.finishedAt())), last == null ? null : last.message(),
        last == null ? null : last.changes(), last == null ? List.of() : last.refused(),
        r.lastSuccessAt() == null ? null : time.relative(r.lastSuccessAt()), r.failingSince() == null ? null : time.absolute(r.failingSince()), r.stale(),
        drift == null ? null : drift.summary(), drift == null ? 0 : drift.items(), drift == null ? null : time.relative(drift.at()),
        drift == null ? null : drift.diff(), drift == null ? null : drift.warning());
  }

  /** A staleness window as it was likely written: "2 days", "36 h", "90 min", "30 s". */
  private static String window(Duration d) {
    if (d.toSecondsPart() != 0) {
      return d.toSeconds() + " s";
    }
    if (d.toMinutesPart() != 0) {
      return d.toMinutes() + " min";
    }
    return d.toHoursPart() == 0 ? d.toDays() + (d.toDays() == 1 ? " day" : " days") : d.toHours() + " h";
  }

  private static String took(Duration d) {
    return String.format(Locale.ROOT, "%.1f s", d.toMillis() / 1000.0);
  }
}
