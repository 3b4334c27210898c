package io.piholecheckpoint.persistence;

import io.piholecheckpoint.core.sync.runs.SyncRun;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;

/**
 * A row of {@code sync_run}; refused settings are stored one per line.
 * Public only so that MyBatis may call the constructor (see {@link RestoreRow}).
 */
public record SyncRunRow(long id, String syncGroup, long primaryId, long replicaId, Long sourceBackupId, SyncRun.Outcome outcome, String code,
                         String message, String changes, String refusedSettings, Long snapshotId, Instant startedAt, Instant finishedAt) {

  static SyncRunRow of(SyncRun r) {
    return new SyncRunRow(r.id(), r.group(), r.primaryId(), r.replicaId(), r.sourceBackupId(), r.outcome(), r.code(), r.message(), r.changes(),
        String.join("\n", r.refused()), r.snapshotId(), r.startedAt(), r.finishedAt());
  }

  SyncRun toRun() {
    List<String> refused = refusedSettings == null || refusedSettings.isEmpty() ? List.of() : Arrays.asList(refusedSettings.split("\n"));
    return new SyncRun(id, syncGroup, primaryId, replicaId, sourceBackupId, outcome, code, message, changes, refused, snapshotId, startedAt, finishedAt);
  }
}
