package io.piholecheckpoint.core.destination;

/** Settings that are well formed but that the rules refuse (overlapping another destination, a wrong key, no passphrase): 422. */
public class DestinationRefusedException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public DestinationRefusedException(String message) {
    super(message);
  }
}
