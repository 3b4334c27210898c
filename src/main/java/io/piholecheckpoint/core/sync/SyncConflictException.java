package io.piholecheckpoint.core.sync;

/**
 * A sync that cannot start now: a run of the group is queued or in progress, or this process does
 * not run the scheduler; or a group that is running cannot be changed or deleted until it is done.
 */
public class SyncConflictException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public SyncConflictException(String message) {
    super(message);
  }
}
