package io.piholecheckpoint.core.registry;

/** A change that the instance's origin or state does not allow. */
public class InstanceConflictException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public InstanceConflictException(String message) {
    super(message);
  }
}
