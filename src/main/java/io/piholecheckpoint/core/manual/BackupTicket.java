package io.piholecheckpoint.core.manual;

import io.piholecheckpoint.core.backup.Backup;
import java.time.Instant;

/**
 * A backup asked for by a person or a script, followed from "queued" to "done" or "failed".
 *
 * @param bytes received so far
 * @param expectedBytes about how many will arrive (the previous backup's size); null when there was none
 * @param backup the record written, once there is one (as stored: who waited for it need not read it)
 */
public record BackupTicket(String id, long instanceId, State state, long bytes, Long expectedBytes, Backup backup, String errorCode, String error,
                           Instant queuedAt, Instant finishedAt) {

  public enum State { QUEUED, LOGGING_IN, DOWNLOADING, VERIFYING, DONE, FAILED }

  /** The id of the record written, once there is one. */
  public Long backupId() {
    return backup == null ? null : backup.id();
  }

  public boolean finished() {
    return state == State.DONE || state == State.FAILED;
  }

  BackupTicket with(State newState, long newBytes) {
    return new BackupTicket(id, instanceId, newState, newBytes, expectedBytes, backup, errorCode, error, queuedAt, finishedAt);
  }

  BackupTicket expecting(long total) {
    return new BackupTicket(id, instanceId, state, bytes, total, backup, errorCode, error, queuedAt, finishedAt);
  }

  BackupTicket finishedWith(Backup backup, Instant at) {
    return new BackupTicket(id, instanceId, backup.successful() ? State.DONE : State.FAILED, bytes, expectedBytes, backup,
        backup.errorCode(), backup.errorMessage(), queuedAt, at);
  }

  BackupTicket failedWith(String code, String message, Instant at) {
    return new BackupTicket(id, instanceId, State.FAILED, bytes, expectedBytes, null, code, message, queuedAt, at);
  }
}
