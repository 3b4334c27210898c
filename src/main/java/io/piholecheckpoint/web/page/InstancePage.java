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

  /** @param chart the size chart, as {@link SizeChart#svg} draws it */
  static InstancePage of(PiholeInstance i, DashboardPage.Card card, BackupRepository.Stats stats, String chart, String timeZone,
      String status, String trigger, String nextPage, List<RestoreRow> restores, List<OffsiteView.Named> destinations) {
    return new InstancePage(card, timeZone, i.fromEnvironment(), i.settingsPrefix(), i.status().piholeVersion(), stats.backups(),
        ByteSize.format(stats.bytes()), chart, status == null ? "" : status, trigger == null ? "" : trigger, nextPage,
        restores, destinations);
  }
}
