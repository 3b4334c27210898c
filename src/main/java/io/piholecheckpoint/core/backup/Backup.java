package io.piholecheckpoint.core.backup;

import java.time.Instant;

/**
 * One backup attempt. A successful one names a verified archive in the backup directory; a
 * failed one has no file and says why.
 */
public record Backup(
    long id,
    long instanceId,
    Status status,
    Trigger trigger,
    String fileName,
    long sizeBytes,
    String sha256,
    String piholeVersion,
    String errorCode,
    String errorMessage,
    Instant startedAt,
    Instant finishedAt) {

  public enum Status { SUCCESS, FAILED }

  public enum Trigger { MANUAL, SCHEDULED }

  static Backup succeeded(long instanceId, Trigger trigger, StoredArchive archive, String version, Instant startedAt, Instant finishedAt) {
    return new Backup(0, instanceId, Status.SUCCESS, trigger, archive.fileName(), archive.sizeBytes(), archive.sha256(),
        version, null, null, startedAt, finishedAt);
  }

  static Backup failed(long instanceId, Trigger trigger, String code, String message, Instant startedAt, Instant finishedAt) {
    return new Backup(0, instanceId, Status.FAILED, trigger, null, 0, null, null, code, message, startedAt, finishedAt);
  }

  public boolean successful() {
    return status == Status.SUCCESS;
  }
}
