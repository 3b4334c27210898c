package io.piholecheckpoint.persistence;

import io.piholecheckpoint.core.backup.catalog.Backup;
import java.time.Instant;

/**
 * The key of the run a record tells of, unique among the records (a unique index on {@code run_key}): what makes an end
 * written twice — a retry after an outage swallowed its commit's reply, or another node's interrupted mark committed at the
 * same instant — one record. Instants count in whole milliseconds, as they are stored.
 */
final class RunKeys {
  private RunKeys() {
  }

  /** A backup run: its instance, start and node (the same three an interrupted record of it is found by). */
  static String of(Backup record) {
    return "backup/" + record.instanceId() + "/" + millis(record.startedAt()) + "/" + (record.node() == null ? "" : record.node());
  }

  /**
   * A sync run of one replica: its group, replica, start, end and outcome (a group's runs of one replica follow one another;
   * one that is left alone, or fails before it is sent anything, starts and ends in the same millisecond, and says so).
   */
  static String of(SyncRunRow run) {
    return "sync/" + run.syncGroup() + "/" + run.replicaId() + "/" + millis(run.startedAt()) + "/" + millis(run.finishedAt()) + "/" + run.outcome()
        + "/" + (run.code() == null ? "" : run.code());
  }

  private static String millis(Instant at) {
    return at == null ? "" : Long.toString(at.toEpochMilli());
  }
}
