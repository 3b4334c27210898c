package io.piholecheckpoint.core.archive;

public class BackupNotFoundException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public BackupNotFoundException(String message) {
    super(message);
  }

  /**
   * A backup on record whose archive is gone from BACKUP_DIR (and from every copy): 404 wherever it is asked for — a download, a
   * restore, a dry run — as the archive asked for is not there; the record stays and says so.
   */
  public static BackupNotFoundException archiveMissing(long backupId, String fileName) {
    return new BackupNotFoundException("the archive of backup " + backupId + " (" + fileName + ") is missing from the backup directory");
  }
}
