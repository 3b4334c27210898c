package io.piholecheckpoint.persistence;

import io.piholecheckpoint.core.restore.record.Restore;
import io.piholecheckpoint.core.restore.parts.RestoreMode;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;

/**
 * A row of {@code restore}; lists are stored one item per line.
 * Public only so that MyBatis may call the constructor: for a package-private one it first fails
 * an access check, and pays for an exception with a stack trace on every row.
 */
public record RestoreRow(long id, long backupId, long targetId, RestoreMode mode, Restore.State state, Long snapshotId, String message,
                  String refusedSettings, String differences, Instant startedAt, Instant finishedAt) {

  static RestoreRow of(Restore r) {
    return new RestoreRow(r.id(), r.backupId(), r.targetId(), r.mode(), r.state(), r.snapshotId(), r.message(),
        String.join("\n", r.refusedSettings()), String.join("\n", r.differences()), r.startedAt(), r.finishedAt());
  }

  Restore toRestore() {
    return new Restore(id, backupId, targetId, mode, state, snapshotId, message, lines(refusedSettings), lines(differences), startedAt, finishedAt);
  }

  private static List<String> lines(String text) {
    return text == null || text.isEmpty() ? List.of() : Arrays.asList(text.split("\n"));
  }
}
