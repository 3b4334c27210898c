package io.piholecheckpoint.core.backup;

/** Work cut short because Pi-hole Checkpoint is stopping: not the caller's fault, and worth asking again once it is back. */
public class ServerStoppingException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public ServerStoppingException(String message, Throwable cause) {
    super(message, cause);
  }
}
