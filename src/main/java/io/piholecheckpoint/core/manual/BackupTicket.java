package io.piholecheckpoint.core.manual;

import io.piholecheckpoint.core.backup.Backup;
import java.time.Instant;

/**
 * A backup asked for by a person or a script, followed from "queued" to "done" or "failed".
 *
 * @param bytes received so far
 * @param expectedBytes about how many will arrive (the previous backup's size); null when there was none
 * @param backupId the record written, once there is one
 */
public record BackupTicket(String id, long instanceId, State state, long bytes, Long expectedBytes, Long backupId, String errorCode, String error,
                           Instant queuedAt, Instant finishedAt) {

  public enum State { QUEUED, LOGGING_IN, DOWNLOADING, VERIFYING, DONE, FAILED }

  public boolean finished() {
    return state == State.DONE || state == State.FAILED;
  }

  BackupTicket with(State newState, long newBytes) {
    return new BackupTicket(id, instanceId, newState, newBytes, expectedBytes, backupId, errorCode, error, queuedAt, finishedAt);
  }

  BackupTicket expecting(long total) {
    return new BackupTicket(id, instanceId, state, bytes, total, backupId, errorCode, error, queuedAt, finishedAt);
  }

  BackupTicket finishedWith(Backup backup, Instant at) {
    return new BackupTicket(id, instanceId, backup.successful() ? State.DONE : State.FAILED, bytes, expectedBytes, backup.id(),
        backup.errorCode(), backup.errorMessage(), queuedAt, at);
  }

  BackupTicket failedWith(String code, String message, Instant at) {
    return new BackupTicket(id, instanceId, State.FAILED, bytes, expectedBytes, null, code, message, queuedAt, at);
  }
}
