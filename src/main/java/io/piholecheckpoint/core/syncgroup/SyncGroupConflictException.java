package io.piholecheckpoint.core.syncgroup;

/** A name taken (by the environment, or by another group added here), or a group of the environment changed here: 409. */
public class SyncGroupConflictException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public SyncGroupConflictException(String message) {
    super(message);
  }
}
