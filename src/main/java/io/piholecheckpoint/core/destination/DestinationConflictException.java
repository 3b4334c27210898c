package io.piholecheckpoint.core.destination;

/** A name taken (by the environment, or by another destination added here), or a destination of the environment changed here: 409. */
public class DestinationConflictException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public DestinationConflictException(String message) {
    super(message);
  }
}
