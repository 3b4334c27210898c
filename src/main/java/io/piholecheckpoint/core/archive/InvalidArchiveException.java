package io.piholecheckpoint.core.archive;

/** What a Pi-hole sent is not a usable Teleporter archive. */
public class InvalidArchiveException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public InvalidArchiveException(String message) {
    super(message);
  }

  public InvalidArchiveException(String message, Throwable cause) {
    super(message, cause);
  }
}
