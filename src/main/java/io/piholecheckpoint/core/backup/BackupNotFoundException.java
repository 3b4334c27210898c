package io.piholecheckpoint.core.backup;

public class BackupNotFoundException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public BackupNotFoundException(String message) {
    super(message);
  }
}
