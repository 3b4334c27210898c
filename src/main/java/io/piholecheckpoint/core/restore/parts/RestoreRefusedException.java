package io.piholecheckpoint.core.restore.parts;

/**
 * A restore that cannot do what its mode says with this backup, e.g. lists asked of an archive
 * that holds none: refused before anything is recorded or sent, dry run or not.
 */
public class RestoreRefusedException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public RestoreRefusedException(String message) {
    super(message);
  }
}
