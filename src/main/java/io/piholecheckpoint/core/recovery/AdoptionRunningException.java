package io.piholecheckpoint.core.recovery;

/** An adoption of off-site copies is already running: one at a time, so that none is adopted twice. */
public final class AdoptionRunningException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  AdoptionRunningException(String message) {
    super(message);
  }
}
