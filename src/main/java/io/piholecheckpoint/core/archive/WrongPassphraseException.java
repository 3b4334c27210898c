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

  /**
   * Whether a backup's recorded check problem is this exception's words: earlier builds recorded a check that the
   * passphrase did not open as a damaged file, which a start with the right one must clear. Each message names the variable.
   */
  public static boolean said(String problem) {
    return problem != null && problem.contains("BACKUP_ENCRYPTION_PASSPHRASE");
  }
}
