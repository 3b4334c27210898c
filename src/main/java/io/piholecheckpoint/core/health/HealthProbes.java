package io.piholecheckpoint.core.health;

import java.util.List;

/** What the health check asks of the parts it cannot see from the core. */
public interface HealthProbes {

  SchedulerStatus scheduler();

  /** Runs a real query, with a short timeout. */
  DatabaseStatus database();

  /** Off-site destinations whose copies have failed for longer than OFFSITE_STALE_AFTER; none when none is configured. */
  default List<String> offsiteFailing() {
    return List.of();
  }

  /** The sync groups, disabled ones with why; none when none is configured. */
  default List<HealthReport.SyncGroupHealth> syncGroups() {
    return List.of();
  }

  /** Whether the passphrase opens the destinations' copies, as found at this start; null when it does (or nothing was tried). */
  default HealthReport.PassphraseHealth passphrase() {
    return null;
  }

  /** The instances whose last scheduled run failed before it started, since which none of theirs started; kept in memory. */
  default List<HealthReport.NotStarted> notStarted() {
    return List.of();
  }

  /** Files in BACKUP_DIR named as an instance's archives, with no record, that are no sound archive: left alone, by name. */
  default List<String> unsoundFiles() {
    return List.of();
  }

  /** The nodes that run the schedules; null when not known (a test's probes). */
  default ClusterStatus cluster() {
    return null;
  }
}
