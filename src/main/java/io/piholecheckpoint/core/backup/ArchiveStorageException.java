package io.piholecheckpoint.core.backup;

/** The backup directory could not take an archive (full disk, permissions, …). */
public class ArchiveStorageException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public ArchiveStorageException(String message) {
    super(message);
  }

  public ArchiveStorageException(String message, Throwable cause) {
    super(message, cause);
  }
}
