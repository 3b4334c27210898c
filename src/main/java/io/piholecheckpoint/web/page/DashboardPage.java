package io.piholecheckpoint.web.page;

import io.piholecheckpoint.core.archive.Archive;
import io.piholecheckpoint.core.backup.Backup;
import io.piholecheckpoint.core.backup.BackupHistory;
import io.piholecheckpoint.core.manual.BackupQueue;
import io.piholecheckpoint.core.backup.BackupCatalog.InstanceHistory;
import io.piholecheckpoint.core.health.SchedulerStatus;
import io.piholecheckpoint.core.health.SchedulerView;
import io.piholecheckpoint.core.instance.PiholeInstance;
import io.piholecheckpoint.core.units.ByteSize;
import io.piholecheckpoint.web.TimeFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/** The model of the dashboard template. */
public record DashboardPage(String timeZone, String totalStorage, String freeDisk, String schedulerState, String schedulerReason,
                            List<Card> instances) {

  public record Card(long id, String name, String url, String state, String statusMessage, String schedule, String retention,
              boolean canBackUp, String runningJob, String lastSuccessAt, String lastSuccessAge, String nextRun, String tls, Integer seatsInUse, int backupCount,
              String storage, String sparkline, List<Row> backups) {
  }

  public record Row(long id, String time, String age, String size, String status, String trigger, String error, boolean downloadable,
                    String contents, String changes, boolean unchanged, boolean pinned, boolean suspicious, boolean missing, String damage,
                    String note, List<OffsiteView.Badge> offsite, String remoteOnly) {
  }

  /** Rows shown per instance on the dashboard; the instance page has the whole history. */
  static final int ROWS_ON_DASHBOARD = 5;

  /** What the scheduler and the queue know right now: next runs, and manual backups under way. */
  public record Live(SchedulerView scheduler, BackupQueue queue) {
    String runningJob(long instanceId) {
      return queue.active(instanceId).map(t -> "/api/v1/jobs/" + t.id()).orElse(null);
    }
  }

  /** @param remoteOnly the destination each backup not on this disk is kept at, by backup id */
  static DashboardPage of(List<InstanceHistory> overview, TimeFormat time, String timeZone, Live live, long freeBytes, Map<Long, String> remoteOnly) {
    long stored = overview.stream().mapToLong(h -> h.stats().bytes()).sum();
    SchedulerStatus scheduler = live.scheduler().status();
    return new DashboardPage(timeZone, ByteSize.format(stored), ByteSize.format(freeBytes),
        scheduler.state(), scheduler.reason(), overview.stream().map(h -> card(h, time, ROWS_ON_DASHBOARD, live, Map.of(), Map.of(), remoteOnly)).toList());
  }

  /**
   * @param notes a line to show under some backups, by backup id (e.g. which restore a safety backup belongs to)
   * @param offsite the badges of the backups' off-site copies, by backup id
   * @param remoteOnly where each backup whose file is not on this disk is kept (and fetched back from), by backup id
   */
  static Card card(InstanceHistory history, TimeFormat time, int rows, Live live, Map<Long, String> notes, Map<Long, List<OffsiteView.Badge>> offsite,
                   Map<Long, String> remoteOnly) {
    PiholeInstance i = history.instance();
    return new Card(i.id(), i.name(), i.url(), i.state(), i.message(), i.schedule().describe(), i.retention().describe(),
        !i.removed(), live.runningJob(i.id()),
        history.lastSuccessAt().map(time::absolute).orElse(null),
        history.lastSuccessAt().map(time::relative).orElse(null),
        live.scheduler().nextRun(i.id()).map(at -> time.relative(at) + " · " + time.absolute(at)).orElse(null),
        i.tls().mode().name().toLowerCase(Locale.ROOT), i.status().seatsInUse(), history.stats().backups(),
        ByteSize.format(history.stats().bytes()), SizeChart.sparkline(history.recentSizes()),
        rows(history.recent().subList(0, Math.min(rows, history.recent().size())), time, notes, offsite, remoteOnly));
  }

  private static List<Row> rows(List<Backup> newestFirst, TimeFormat time, Map<Long, String> notes, Map<Long, List<OffsiteView.Badge>> offsite,
                                Map<Long, String> remoteOnly) {
    Set<Long> unchanged = BackupHistory.unchangedSincePrevious(newestFirst);
    return newestFirst.stream().map(b -> row(b, unchanged.contains(b.id()), time, notes.get(b.id()), offsite.getOrDefault(b.id(), List.of()),
        b.fileMissing() ? remoteOnly.get(b.id()) : null)).toList();
  }

  /** @param keptAt the destination a backup not on this disk is fetched back from: it downloads, and is not missing */
  private static Row row(Backup b, boolean unchanged, TimeFormat time, String note, List<OffsiteView.Badge> offsite, String keptAt) {
    Archive a = b.archive();
    return new Row(b.id(), time.absolute(b.finishedAt()), time.relative(b.finishedAt()),
        a == null ? "" : ByteSize.format(a.sizeBytes()),
        b.status().name().toLowerCase(Locale.ROOT), b.trigger().name().toLowerCase(Locale.ROOT),
        b.errorMessage(), b.successful() && (!b.fileMissing() || keptAt != null), a == null ? null : a.summary().describe(),
        a == null || unchanged ? null : a.changes(), unchanged, b.pinned(), b.suspicious(), b.fileMissing() && keptAt == null, b.verifyError(), note,
        offsite, keptAt);
  }
}
