package io.piholecheckpoint.core.syncgroup;

/**
 * Settings that are well formed but cannot work with the Pi-holes there are: an instance that does
 * not exist or belongs to the environment, a replica of another group, a chain: 422.
 */
public class SyncGroupRefusedException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public SyncGroupRefusedException(String message) {
    super(message);
  }
}
