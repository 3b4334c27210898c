package io.piholecheckpoint.core.restore.record;

import io.piholecheckpoint.core.restore.parts.RestoreMode;
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

  /**
   * QUEUED: waiting for the restore before it; RUNNING; then VERIFIED or DIFFERENT (changed and
   * checked), UNVERIFIED (the Pi-hole was changed, or may have been, but not checked) or FAILED
   * (nothing was sent that changes it).
   */
  public enum State { QUEUED, RUNNING, VERIFIED, DIFFERENT, UNVERIFIED, FAILED }

  /** This restore running, its message saying what it does now. */
  public Restore running(String now) {
    return new Restore(id, backupId, targetId, mode, State.RUNNING, snapshotId, now, refusedSettings, differences, startedAt, finishedAt);
  }

  /** Finished having sent the backup to the Pi-hole: it holds what was restored (or may, when it was not checked). */
  public boolean changedPihole() {
    return state == State.VERIFIED || state == State.DIFFERENT || state == State.UNVERIFIED;
  }

  public boolean finished() {
    return state != State.RUNNING && state != State.QUEUED;
  }
}
