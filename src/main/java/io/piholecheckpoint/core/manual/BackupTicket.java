package io.piholecheckpoint.core.manual;

import io.piholecheckpoint.core.backup.Backup;
import java.time.Instant;

/**
 * A backup asked for by a person or a script, followed from "queued" to "done" or "failed".
 *
 * @param backupId the record written, once there is one
 */
public record BackupTicket(String id, long instanceId, State state, long bytes, Long backupId, String errorCode, String error,
                           Instant queuedAt, Instant finishedAt) {

  public enum State { QUEUED, LOGGING_IN, DOWNLOADING, VERIFYING, DONE, FAILED }

  public boolean finished() {
    return state == State.DONE || state == State.FAILED;
  }

  BackupTicket with(State newState, long newBytes) {
    return new BackupTicket(id, instanceId, newState, newBytes, backupId, errorCode, error, queuedAt, finishedAt);
  }

  BackupTicket finishedWith(Backup backup, Instant at) {
    return new BackupTicket(id, instanceId, backup.successful() ? State.DONE : State.FAILED, bytes, backup.id(),
        backup.errorCode(), backup.errorMessage(), queuedAt, at);
  }

  BackupTicket failedWith(String code, String message, Instant at) {
    return new BackupTicket(id, instanceId, State.FAILED, bytes, null, code, message, queuedAt, at);
  }
}
