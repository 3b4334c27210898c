package io.piholecheckpoint.core.health;

import java.time.Instant;
import java.util.List;

/** The state behind {@code /health}: healthy when the scheduler runs and the database answers. */
public record HealthReport(
    String status,
    Instant checkedAt,
    SchedulerStatus scheduler,
    DatabaseStatus database,
    LastBackup lastBackup,
    Storage storage,
    List<InstanceHealth> instances,
    List<String> offsiteFailing,
    List<SyncGroupHealth> syncGroups,
    ClusterStatus cluster,
    PassphraseHealth passphrase,
    List<NotStarted> notStarted) {

  public HealthReport(String status, Instant checkedAt, SchedulerStatus scheduler, DatabaseStatus database, LastBackup lastBackup, Storage storage,
                      List<InstanceHealth> instances, List<String> offsiteFailing, List<SyncGroupHealth> syncGroups, ClusterStatus cluster,
                      PassphraseHealth passphrase) {
    this(status, checkedAt, scheduler, database, lastBackup, storage, instances, offsiteFailing, syncGroups, cluster, passphrase, List.of());
  }

  /**
   * A scheduled run of an instance that failed before it wrote any record (the database busy or down at its start, its settings
   * unreadable), kept in memory until the instance's next run starts: the history has no trace of it.
   *
   * @param message "last scheduled run failed before it started: &lt;reason&gt;, at &lt;time&gt;"
   */
  public record NotStarted(long instanceId, String message, String reason, Instant at) {
  }

  /**
   * This report with the runs that failed before they started; "ok" turns "degraded" with any (a run was missed and nothing
   * in the history says so), an unavailable one stays unavailable and names them, the database being down or busy.
   */
  public HealthReport withNotStarted(List<NotStarted> runs) {
    String degraded = runs.isEmpty() || !"ok".equals(status) ? status : "degraded";
    return new HealthReport(degraded, checkedAt, scheduler, database, lastBackup, storage, instances, offsiteFailing, syncGroups, cluster,
        passphrase, List.copyOf(runs));
  }

  public HealthReport(String status, Instant checkedAt, SchedulerStatus scheduler, DatabaseStatus database, LastBackup lastBackup, Storage storage,
                      List<InstanceHealth> instances, List<String> offsiteFailing, List<SyncGroupHealth> syncGroups, ClusterStatus cluster) {
    this(status, checkedAt, scheduler, database, lastBackup, storage, instances, offsiteFailing, syncGroups, cluster, null);
  }

  /**
   * BACKUP_ENCRYPTION_PASSPHRASE does not open the copies some destinations hold (tried once per start): null when it
   * opens every one tried, or nothing was tried.
   *
   * @param status {@code wrong}, or {@code missing} when no passphrase is set; {@code unchecked} when nothing is known to be
   *     wrong but some destinations could not be read to check it yet (not degraded: it is not known to be wrong)
   * @param destinations those whose copy it did not open, or (unchecked) those not checked yet
   * @param message what that means and what to do
   * @param nextTry unchecked: when the next of those tries is due; null otherwise
   */
  public record PassphraseHealth(String status, List<String> destinations, String message, Instant nextTry) {
    public PassphraseHealth(String status, List<String> destinations, String message) {
      this(status, destinations, message, null);
    }

    /** Whether it degrades the status: wrong or missing does, not checked yet does not. */
    public boolean problem() {
      return !"unchecked".equals(status);
    }
  }

  public HealthReport(String status, Instant checkedAt, SchedulerStatus scheduler, DatabaseStatus database, LastBackup lastBackup, Storage storage,
                      List<InstanceHealth> instances, List<String> offsiteFailing, List<SyncGroupHealth> syncGroups) {
    this(status, checkedAt, scheduler, database, lastBackup, storage, instances, offsiteFailing, syncGroups, null);
  }

  /** @param offsiteFailing off-site destinations whose copies have failed for longer than OFFSITE_STALE_AFTER */
  public HealthReport(String status, Instant checkedAt, SchedulerStatus scheduler, DatabaseStatus database, LastBackup lastBackup, Storage storage,
                      List<InstanceHealth> instances, List<String> offsiteFailing) {
    this(status, checkedAt, scheduler, database, lastBackup, storage, instances, offsiteFailing, List.of());
  }

  /** @param offsiteFailing off-site destinations whose copies have failed for longer than OFFSITE_STALE_AFTER */
  public HealthReport(String status, Instant checkedAt, SchedulerStatus scheduler, DatabaseStatus database, LastBackup lastBackup, Storage storage,
                      List<InstanceHealth> instances) {
    this(status, checkedAt, scheduler, database, lastBackup, storage, instances, List.of());
  }

  /**
   * @param freeBytes usable bytes in BACKUP_DIR, -1 if unknown
   * @param lowSpace too little room for the next backup, or the last write found the disk full: backups fail until space is freed
   * @param unsoundFileCount how many files are named as our archives, with no record, and are no sound archive (left alone):
   *     shown, not degrading
   * @param unsoundFiles the first {@link io.piholecheckpoint.core.archive.UnsoundFiles#NAMED} of them, by name
   * @param filesProblem which backups' archives are missing or damaged with no sound copy to read instead, and what to do;
   *     null when none is (such an archive makes the status degraded)
   */
  public record Storage(String backupDir, long freeBytes, boolean lowSpace, int missingFiles, int damagedFiles, int unsoundFileCount,
                        List<String> unsoundFiles, String filesProblem) {
  }

  /**
   * The most recent backup attempt of any instance.
   *
   * @param failure its failure code (e.g. {@code storage_error}), null when it succeeded
   */
  public record LastBackup(Instant at, long ageSeconds, String instance, String status, String failure) {
  }

  /**
   * @param stale no successful backup for longer than {@code staleAfterSeconds}
   * @param staleAfterSeconds null for an instance that is not backed up on schedule
   */
  public record InstanceHealth(long id, String name, String status, String message, Instant lastSuccessAt, boolean stale,
                               Long staleAfterSeconds) {
  }

  /**
   * A sync group: its replicas, or why it does not run.
   *
   * @param primary the primary's name; for a disabled group, the one it names (see {@link
   *     io.piholecheckpoint.core.sync.groups.SyncGroups#primaryOf}) and "(the group is disabled)"
   * @param disabled why the group does not run (with the variable to fix), null when it runs
   * @param addedHere added in the UI or the API, not by SYNC_* variables: the environment may configure a group of the same id
   */
  public record SyncGroupHealth(String id, String primary, String disabled, List<ReplicaHealth> replicas, boolean addedHere) {
    public SyncGroupHealth(String id, String primary, String disabled, List<ReplicaHealth> replicas) {
      this(id, primary, disabled, replicas, false);
    }
  }

  /**
   * @param state the last run's outcome ({@code synced}, {@code in_sync}, {@code partial}, {@code failed}) or {@code never}
   * @param failingSince when its runs began to fail, null unless the last one failed
   * @param stale they have failed for longer than {@code staleAfterSeconds} (SYNC_&lt;GROUP&gt;_STALE_AFTER or its default)
   */
  public record ReplicaHealth(String name, String state, Instant lastRunAt, Instant lastSuccessAt, Instant failingSince, boolean stale,
                              long staleAfterSeconds) {
  }

  /** Serving and backing up ("ok" or "degraded"): what a container health check should test. */
  public boolean available() {
    return !"unavailable".equals(status);
  }
}
