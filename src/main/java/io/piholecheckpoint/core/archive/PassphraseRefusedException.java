package io.piholecheckpoint.core.archive;

/**
 * A new archive refused before anything was written: BACKUP_ENCRYPTION_PASSPHRASE does not open the passphrase check beside
 * the archives, so an archive encrypted with it would open with none of the passphrases the user has. Not a failure that
 * passes (it is answered 409, as a read the passphrase does not open): every try is refused alike until the start with the
 * right passphrase, or until the check file is deleted to change the passphrase on purpose.
 */
public class PassphraseRefusedException extends WrongPassphraseException {
  private static final long serialVersionUID = 1L;

  public PassphraseRefusedException(String message) {
    super(message);
  }
}
