package io.piholecheckpoint.core.backup.catalog;

/** A backup cannot start now: one is already running, or the instance is no longer backed up. */
public class BackupConflictException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public BackupConflictException(String message) {
    super(message);
  }
}
