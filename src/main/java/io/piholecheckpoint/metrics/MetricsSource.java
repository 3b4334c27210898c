package io.piholecheckpoint.metrics;

import io.piholecheckpoint.core.backup.catalog.BackupRepository;
import io.piholecheckpoint.core.instance.PiholeInstance;
import io.piholecheckpoint.core.offsite.catalog.OffsiteCatalog;
import io.piholecheckpoint.core.sync.status.SyncStatus;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** The current state that gauges report at each scrape; each call must be cheap. */
public interface MetricsSource {
  /**
   * Whether the database answers a new connection now, asked first at each scrape: while it does
   * not, nothing else that reads it is asked, so that a scrape still answers and says so.
   */
  default boolean databaseUp() {
    return true;
  }

  List<PiholeInstance> instances();

  /** Aggregates of the backup history; the caller caches them between changes. */
  Map<Long, BackupRepository.Totals> totals();

  boolean schedulerRunning();

  /** The nodes alive that run the schedules: 1 for one node (SQLite); in a cluster, those checking in to Quartz's store. */
  default long clusterNodes() {
    return 1;
  }

  /** When each scheduled instance's next backup runs, by instance id: read at once for every instance. */
  Map<Long, Instant> nextRuns();

  /** Usable bytes in BACKUP_DIR, -1 when unknown. */
  long freeBytes();

  BackupRepository.FileProblems fileProblems();

  /** Each off-site destination's queue; empty when none is configured. */
  default List<OffsiteCatalog.DestinationStatus> offsite() {
    return List.of();
  }

  /** Each sync group that runs, with its replicas; empty when none is configured. Read without a query of the history but after a run or every few minutes. */
  default List<SyncStatus.GroupStatus> sync() {
    return List.of();
  }
}
