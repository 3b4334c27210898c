package io.piholecheckpoint.core.offsite;

/** A Check again of the damaged copies at a destination is already running: one at a time, its answer is the one to wait for. */
public final class CheckRunningException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  CheckRunningException(String destination) {
    super("a check of the damaged off-site copies at " + destination + " is running; ask again when it has finished");
  }
}
