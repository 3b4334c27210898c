package io.piholecheckpoint.core.archive;

public class BackupNotFoundException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public BackupNotFoundException(String message) {
    super(message);
  }
}
