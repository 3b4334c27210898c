package io.piholecheckpoint.core.backup.runs;

import io.piholecheckpoint.core.backup.catalog.Backup;
import io.piholecheckpoint.core.backup.catalog.BackupRepository;
import io.piholecheckpoint.core.instance.PiholeInstance;
import io.piholecheckpoint.core.job.DatabaseOutages;
import io.piholecheckpoint.core.registry.InstanceService;
import io.piholecheckpoint.core.schedule.LocalTimeText;

/**
 * Writes how a run ended: its record, the instance's status after it (if any) and the removal
 * of its {@link RunMarkers marker}. A database does all three in one transaction, so a run
 * costs one commit (one WAL fsync) at its end instead of three, and a crash leaves either all
 * of them or none (then the marker reports the run as interrupted at the next start). The
 * archive file is already fsynced and renamed when this is called. The record replaces an interrupted record of
 * the same run, which a node that took this one for dead may have written meanwhile ({@link BackupRepository#insertEnd}).
 */
public interface RunEnd {
  /** @param status the instance's status after the run, or null to leave it as it is */
  Backup write(Backup record, PiholeInstance.Status status);

  /**
   * {@code ends}, tried again through a database outage until it is recorded: the run's only record, without which its marker
   * stays and the instance counts as busy.
   *
   * @param times TIME_ZONE's: what waits is named in the log and on /health, so its start names the zone too
   */
  static RunEnd throughOutages(RunEnd ends, DatabaseOutages outages, LocalTimeText times) {
    LocalTimeText named = times.inLog();
    return (record, status) -> outages.record("the end (%s) of the backup of instance %d started at %s"
        .formatted(record.status().name().toLowerCase(java.util.Locale.ROOT), record.instanceId(), named.of(record.startedAt())),
        () -> ends.write(record, status));
  }

  /** Three writes one after another, for stores without transactions across them (tests, no database). */
  static RunEnd separately(BackupRepository backups, InstanceService instances, RunMarkers markers) {
    return (record, status) -> {
      Backup written = backups.insertEnd(record);
      if (status != null) {
        instances.recordStatus(record.instanceId(), status);
      }
      markers.ended(record.instanceId());
      return written;
    };
  }
}
