package io.piholecheckpoint.core.sync.groups;

/** A sync group (or one of its Pi-holes) that is not configured, or was refused at start. */
public class SyncGroupNotFoundException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public SyncGroupNotFoundException(String message) {
    super(message);
  }
}
