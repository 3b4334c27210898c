package io.piholecheckpoint.core.archive;

/**
 * A stored archive is not the one its backup recorded (its bytes changed on disk, or its encryption's
 * integrity check fails) and no sound copy could replace it: a permanent fault of this backup, which
 * trying again does not mend, unlike an {@link ArchiveStorageException} of a disk or store that fails now.
 */
public class ArchiveDamagedException extends ArchiveStorageException {
  private static final long serialVersionUID = 1L;

  public ArchiveDamagedException(String message) {
    super(message);
  }
}
