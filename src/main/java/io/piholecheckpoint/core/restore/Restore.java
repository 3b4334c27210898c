package io.piholecheckpoint.core.restore;

import java.time.Instant;
import java.util.List;

/**
 * One restore, from request to verification: the audit trail, and the job a page polls.
 *
 * @param snapshotId the safety backup taken of the target before anything changed
 * @param differences what the Pi-hole holds afterwards that differs from what was intended
 */
public record Restore(
    long id,
    long backupId,
    long targetId,
    RestoreMode mode,
    State state,
    Long snapshotId,
    String message,
    List<String> refusedSettings,
    List<String> differences,
    Instant startedAt,
    Instant finishedAt) {

  public enum State { RUNNING, VERIFIED, DIFFERENT, FAILED }

  public boolean finished() {
    return state != State.RUNNING;
  }
}
