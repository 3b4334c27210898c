package io.piholecheckpoint.web.page;

import io.piholecheckpoint.core.backup.catalog.BackupRepository;
import io.piholecheckpoint.core.instance.PiholeInstance;
import io.piholecheckpoint.core.units.ByteSize;
import java.util.List;

/** The model of an instance's page. */
public record InstancePage(
    DashboardPage.Card instance,
    String timeZone,
    boolean fromEnvironment,
    String envPrefix,
    String piholeVersion,
    String latestBackupVersions,
    int backups,
    String storage,
    String chart,
    String statusFilter,
    String triggerFilter,
    String nextPage,
    List<RestoreRow> restores,
    List<OffsiteView.Named> destinations) {

  /** One line of the restore audit trail. */
  public record RestoreRow(long id, String time, long backupId, String mode, String state, String message, Long snapshotId) {
  }

  /**
   * @param chart the size chart, as {@link SizeChart#svg} draws it
   * @param latestBackupVersions the Pi-hole versions in its newest successful backup, as {@link io.piholecheckpoint.core.gateway.PiholeVersions#describe}
   *     says them: an instance known only from imported archives has no other
   */
  static InstancePage of(PiholeInstance i, DashboardPage.Card card, BackupRepository.Stats stats, String chart, String timeZone,
      String status, String trigger, String nextPage, List<RestoreRow> restores, List<OffsiteView.Named> destinations, String latestBackupVersions) {
    return new InstancePage(card, timeZone, i.fromEnvironment(), i.settingsPrefix(), i.status().piholeVersion(), latestBackupVersions, stats.backups(),
        ByteSize.format(stats.bytes()), chart, status == null ? "" : status, trigger == null ? "" : trigger, nextPage,
        restores, destinations);
  }
}
