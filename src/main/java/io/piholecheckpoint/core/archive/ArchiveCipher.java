package io.piholecheckpoint.core.archive;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/**
 * Encryption of archives at rest. Encrypted archives are stored as {@code <name>.zip.gpg};
 * their recorded size and SHA-256 are those of the Teleporter archive inside, so checksums,
 * contents, diffs, restores and downloads work the same for both kinds.
 */
public interface ArchiveCipher {
  String SUFFIX = ".gpg";

  /** No passphrase: new archives are stored as they are; an encrypted one cannot be read. */
  ArchiveCipher NONE = new ArchiveCipher() {
    @Override
    public boolean encryptsNewArchives() {
      return false;
    }

    @Override
    public void encrypt(InputStream plain, OutputStream encrypted) {
      throw new IllegalStateException("no passphrase");
    }

    @Override
    public void decrypt(InputStream encrypted, OutputStream plain) {
      throw new WrongPassphraseException("this archive is encrypted and no BACKUP_ENCRYPTION_PASSPHRASE is set; set the passphrase it was written with");
    }
  };

  boolean encryptsNewArchives();

  /**
   * Asked before a new archive is received to be written with {@link #encrypt}: nothing is downloaded or written when it
   * throws. A passphrase that opens the archives' check file (or no passphrase) lets every write through.
   *
   * @throws PassphraseRefusedException when the passphrase is known not to be the one the archives were written with
   */
  default void requireWritable() {
  }

  void encrypt(InputStream plain, OutputStream encrypted) throws IOException;

  /**
   * Writes the plain archive to {@code plain}, and only then checks the integrity packet.
   *
   * @throws ArchiveDamagedException when its integrity check fails: the file changed since it was written
   * @throws WrongPassphraseException when the passphrase does not open it (a file damaged where the passphrase is checked looks alike)
   */
  void decrypt(InputStream encrypted, OutputStream plain) throws IOException;
}
