package io.piholecheckpoint.core.archive;

/**
 * An encrypted archive that the configured {@code BACKUP_ENCRYPTION_PASSPHRASE} does not open (or none is set). Not a failure
 * that passes: every try fails the same until Pi-hole Checkpoint runs with the passphrase the archive was written with.
 */
public class WrongPassphraseException extends ArchiveStorageException {
  private static final long serialVersionUID = 1L;

  public WrongPassphraseException(String message) {
    super(message);
  }

  public WrongPassphraseException(String message, Throwable cause) {
    super(message, cause);
  }
}
