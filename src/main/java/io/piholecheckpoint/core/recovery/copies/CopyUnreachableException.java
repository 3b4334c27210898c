package io.piholecheckpoint.core.recovery.copies;

import io.piholecheckpoint.core.archive.ArchiveStorageException;

/**
 * An archive that is not on this disk, whose only copies are at destinations out of use now: disabled (a setting that
 * cannot work) or no longer configured. Not a backup that is unknown (404) nor one that is damaged (409): it comes back
 * once a destination that holds it is in use again, which the message names with what to do.
 */
public class CopyUnreachableException extends ArchiveStorageException {
  private static final long serialVersionUID = 1L;

  public CopyUnreachableException(String message) {
    super(message);
  }
}
