package io.piholecheckpoint.web.page;

import io.piholecheckpoint.core.backup.catalog.Backup;
import io.piholecheckpoint.core.backup.catalog.BackupCatalog;
import io.piholecheckpoint.web.CommittedReads;
import io.piholecheckpoint.core.backup.catalog.BackupCatalog.InstanceHistory;
import io.piholecheckpoint.core.backup.catalog.BackupRepository;
import io.piholecheckpoint.core.registry.InstanceService;
import io.piholecheckpoint.core.restore.record.Restore;
import io.piholecheckpoint.core.restore.RestoreService;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * What an instance's page reads from the database: the instance, one page of its history with
 * the totals and the off-site copies of its backups, the size chart (drawn once per read) and its restores. Kept until the next commit,
 * as the dashboard's overview is: reading and mapping these rows again for every request was
 * most of the page's cost under load.
 */
public final class InstanceReads {
  /** Attempts in the size chart, newest first, whatever page of the history is shown. */
  static final int CHART_POINTS = 100;
  /** Pages kept per commit; the cursor comes from the request, so any number may be asked for. */
  private static final int PAGES_KEPT = 64;

  /**
   * @param offsite the off-site badges of the page's backups, by backup id (absent: no copies)
   * @param destinations the off-site destinations that take this instance
   */
  /** @param latestBackupVersions see {@link InstancePage#of} */
  record Reads(InstanceHistory history, String chart, List<Restore> restores, Map<Long, List<OffsiteView.Badge>> offsite,
               List<OffsiteView.Named> destinations, Map<Long, String> remoteOnly, String latestBackupVersions) {
  }

  private record Key(long instanceId, BackupRepository.Page page) {
  }

  private final CommittedReads<Key, Reads> reads;

  public InstanceReads(InstanceService instances, BackupCatalog backups, RestoreService restores, OffsiteView offsite, LongSupplier dataVersion) {
    this.reads = new CommittedReads<>(key -> {
      var instance = instances.find(key.instanceId());
      InstanceHistory history = backups.historyOf(instance, backups.history(key.instanceId(), key.page()));
      return new Reads(history, SizeChart.svg(backups.sizeHistory(key.instanceId(), CHART_POINTS)), restores.history(key.instanceId()),
          offsite.badges(history.recent().stream().map(Backup::id).toList()), offsite.destinationsOf(instance),
          offsite.remoteOnly(history.recent()), latestBackupVersions(backups, key.instanceId()));
    }, dataVersion, PAGES_KEPT);
  }

  /** Whatever page of the history is shown, filtered or not: the newest successful backup's. */
  private static String latestBackupVersions(BackupCatalog backups, long instanceId) {
    return backups.history(instanceId, new BackupRepository.Page(null, Backup.Status.SUCCESS, null, 1)).stream().findFirst()
        .map(b -> b.archive().versions().describe()).orElse(null);
  }

  /** @throws io.piholecheckpoint.core.registry.InstanceNotFoundException when there is no such instance */
  Reads of(long instanceId, BackupRepository.Page page) {
    return reads.get(new Key(instanceId, page));
  }
}
