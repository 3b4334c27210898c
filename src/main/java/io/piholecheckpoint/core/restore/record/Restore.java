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

  /**
   * This restore, its message saying what it does or waits for now, in the state it has: one still waiting for its turns is
   * queued (a wait for archive work made it "running", and a delete of its backup was refused as the source of a running restore
   * that the API called queued); it runs from its start on.
   */
  public Restore saying(String now) {
    return new Restore(id, backupId, targetId, mode, state, snapshotId, now, refusedSettings, differences, startedAt, finishedAt);
  }

  public boolean finished() {
    return state != State.RUNNING && state != State.QUEUED;
  }
}
