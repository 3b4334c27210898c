package io.piholecheckpoint.web.page;

import io.piholecheckpoint.core.archive.Archive;
import io.piholecheckpoint.core.archive.UnsoundFiles;
import io.piholecheckpoint.core.backup.catalog.Backup;
import io.piholecheckpoint.core.backup.catalog.BackupHistory;
import io.piholecheckpoint.core.manual.BackupQueue;
import io.piholecheckpoint.core.backup.catalog.BackupCatalog.InstanceHistory;
import io.piholecheckpoint.core.health.SchedulerStatus;
import io.piholecheckpoint.core.health.SchedulerView;
import io.piholecheckpoint.core.instance.PiholeInstance;
import io.piholecheckpoint.core.overview.InstanceFilter;
import io.piholecheckpoint.core.overview.InstanceOverview;
import io.piholecheckpoint.core.overview.InstanceQuery;
import io.piholecheckpoint.core.units.ByteSize;
import io.piholecheckpoint.web.ListLinks;
import io.piholecheckpoint.web.TimeFormat;
import java.time.Instant;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

/**
 * The model of the dashboard template.
 *
 * @param configured how many instances there are, whatever the search
 * @param filters the status filters with how many instances each shows under the search
 * @param previous the address of the page before, or null; likewise {@code next}
 * @param unsoundFiles the files in BACKUP_DIR named as our archives, with no record, that are no sound archive (left alone): how
 *     many, and the first few by name
 * @param environmentWarnings the PIHOLE_<P>_* variables that cannot be used or are ignored, and the prefixes left out, as the start logged them
 */
public record DashboardPage(String timeZone, String totalStorage, String freeDisk, String schedulerState, String schedulerReason,
                            List<Card> instances, String search, String status, int size, int page, int pages, int total, int configured,
                            List<Filter> filters, String previous, String next, UnsoundFiles unsoundFiles,
                            List<String> environmentWarnings) {

  /** A link to the same search under one status. */
  public record Filter(String word, int count, String href, boolean current) {
  }

  public record Card(long id, String name, String url, String state, String statusMessage, String schedule, String retention,
              boolean canBackUp, String runningJob, String waitingSince, String lastSuccessAt, String lastSuccessAge, String nextRun, String tls, Integer seatsInUse, int backupCount,
              String storage, String sparkline, List<Row> backups) {
  }

  public record Row(long id, String time, String age, String size, String status, String trigger, String error, boolean downloadable,
                    String contents, String changes, boolean unchanged, boolean pinned, boolean suspicious, boolean accepted, boolean missing, String damage,
                    String note, List<OffsiteView.Badge> offsite, String remoteOnly, String ftlVersion, boolean listless) {
  }

  /** Rows shown per instance on the dashboard; the instance page has the whole history. */
  static final int ROWS_ON_DASHBOARD = 5;

  /**
   * What is known right now: next runs, manual backups under way, and the unsound files the last look at BACKUP_DIR (at the
   * start, or the daily maintenance) found: named on the dashboard too, not only in /health, where nobody looking at the
   * pages would see them.
   */
  public record Live(SchedulerView scheduler, BackupQueue queue, Supplier<List<String>> unsoundFiles,
                     Supplier<List<String>> environmentWarnings) {
    String runningJob(long instanceId) {
      return queue.active(instanceId).map(t -> "/api/v1/jobs/" + t.job().id()).orElse(null);
    }

    /** The job of each instance's manual backup under way, by instance id: one read for a page of cards. */
    Map<Long, String> runningJobs() {
      Map<Long, String> jobs = new HashMap<>();
      queue.active().forEach((instance, ticket) -> jobs.put(instance, "/api/v1/jobs/" + ticket.job().id()));
      return jobs;
    }

    /** When its backup began to wait for one of the MAX_PARALLEL_BACKUPS slots, or null. */
    String waitingSince(long instanceId, TimeFormat time) {
      return scheduler.waitingSince(instanceId).map(time::absolute).orElse(null);
    }
  }

  /** @param remoteOnly the destination each backup not on this disk is kept at, by backup id */
  static DashboardPage of(InstanceOverview.Snapshot all, InstanceOverview.Selection selection, List<InstanceHistory> cards, TimeFormat time,
                          Live live, long freeBytes, Map<Long, String> remoteOnly) {
    SchedulerStatus scheduler = live.scheduler().status();
    Map<Long, String> running = live.runningJobs();
    Map<Long, Instant> nextRuns = live.scheduler().nextRuns(cards.stream().map(h -> h.instance().id()).toList());
    InstanceQuery query = selection.query();
    List<Filter> filters = Arrays.stream(InstanceFilter.values()).filter(f -> f.listed() || f == query.status())
        .map(f -> new Filter(f.word(), selection.counts().getOrDefault(f, 0), href(query, f, 1), f == query.status())).toList();
    return new DashboardPage(time.zoneId(), ByteSize.format(all.storedBytes()), ByteSize.format(freeBytes), scheduler.state(), scheduler.reason(),
        cards.stream().map(h -> card(h, time, ROWS_ON_DASHBOARD, live, running.get(h.instance().id()), nextRuns.get(h.instance().id()),
            Map.of(), Map.of(), remoteOnly)).toList(),
        query.search(), query.status().word(), query.size(), query.page(), selection.pages(), selection.total(), all.instances().size(), filters,
        query.page() > 1 ? href(query, query.status(), Math.min(query.page() - 1, selection.pages())) : null,
        query.page() < selection.pages() ? href(query, query.status(), query.page() + 1) : null, UnsoundFiles.of(live.unsoundFiles().get()),
        live.environmentWarnings().get());
  }

  private static String href(InstanceQuery query, InstanceFilter status, int page) {
    String q = ListLinks.query(query, status, page, DashboardServlet.DEFAULT_SIZE);
    return q.isEmpty() ? "/" : "/?" + q;
  }

  /**
   * @param runningJob the job of the instance's manual backup under way, or null
   * @param nextRun when the scheduler next backs it up, or null
   * @param notes a line to show under some backups, by backup id (e.g. which restore a safety backup belongs to)
   * @param offsite the badges of the backups' off-site copies, by backup id
   * @param remoteOnly where each backup whose file is not on this disk is kept (and fetched back from), by backup id
   */
  static Card card(InstanceHistory history, TimeFormat time, int rows, Live live, String runningJob, Instant nextRun, Map<Long, String> notes,
                   Map<Long, List<OffsiteView.Badge>> offsite, Map<Long, String> remoteOnly) {
    PiholeInstance i = history.instance();
    return new Card(i.id(), i.name(), i.url(), i.state(), i.message(), i.schedule().describe(), i.retention().describe(),
        !i.removed(), runningJob, live.waitingSince(i.id(), time),
        history.lastSuccessAt().map(time::absolute).orElse(null),
        history.lastSuccessAt().map(time::relative).orElse(null),
        nextRun == null ? null : time.relative(nextRun) + " · " + time.absolute(nextRun),
        i.tls().mode().name().toLowerCase(Locale.ROOT), i.status().seatsInUse(), history.stats().backups(),
        ByteSize.format(history.stats().bytes()), SizeChart.sparkline(history.recentSizes()),
        rows(history.recent().subList(0, Math.min(rows, history.recent().size())), time, notes, offsite, remoteOnly, history.listless()));
  }

  private static List<Row> rows(List<Backup> newestFirst, TimeFormat time, Map<Long, String> notes, Map<Long, List<OffsiteView.Badge>> offsite,
                                Map<Long, String> remoteOnly, Set<Long> listless) {
    Set<Long> unchanged = BackupHistory.unchangedSincePrevious(newestFirst);
    return newestFirst.stream().map(b -> row(b, unchanged.contains(b.id()), time, notes.get(b.id()), offsite.getOrDefault(b.id(), List.of()),
        b.fileMissing() ? remoteOnly.get(b.id()) : null, listless.contains(b.id()))).toList();
  }

  /**
   * @param keptAt the destination a backup not on this disk is fetched back from: it downloads, and is not missing
   * @param listless its archive holds no gravity.db: its counts of lists are not zeros but unknown
   */
  private static Row row(Backup b, boolean unchanged, TimeFormat time, String note, List<OffsiteView.Badge> offsite, String keptAt, boolean listless) {
    Archive a = b.archive();
    return new Row(b.id(), time.absolute(b.finishedAt()), time.relative(b.finishedAt()),
        a == null ? "" : ByteSize.format(a.sizeBytes()),
        b.status().name().toLowerCase(Locale.ROOT), b.trigger().name().toLowerCase(Locale.ROOT),
        b.errorMessage(), b.successful() && (!b.fileMissing() || keptAt != null),
        a == null ? null : listless ? a.summary().describeWithoutLists() : a.summary().describe(),
        a == null || unchanged ? null : a.changes(), unchanged, b.pinned(), b.suspicious(), b.accepted(), b.fileMissing() && keptAt == null, b.verifyError(), note,
        offsite, keptAt, a == null || a.versions().ftl() == null ? null : "FTL " + a.versions().ftl(), listless); // FTL: the one version the row has room for
  }
}
