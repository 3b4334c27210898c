package io.piholecheckpoint.crypto;

import io.piholecheckpoint.core.archive.ArchiveCipher;
import io.piholecheckpoint.core.archive.ArchiveDamagedException;
import io.piholecheckpoint.core.archive.ArchiveStorageException;
import io.piholecheckpoint.core.archive.WrongPassphraseException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.security.SecureRandom;
import java.util.Date;
import org.bouncycastle.bcpg.HashAlgorithmTags;
import org.bouncycastle.bcpg.SymmetricKeyAlgorithmTags;
import org.bouncycastle.openpgp.PGPCompressedData;
import org.bouncycastle.openpgp.PGPEncryptedData;
import org.bouncycastle.openpgp.PGPEncryptedDataGenerator;
import org.bouncycastle.openpgp.PGPEncryptedDataList;
import org.bouncycastle.openpgp.PGPException;
import org.bouncycastle.openpgp.PGPLiteralData;
import org.bouncycastle.openpgp.PGPLiteralDataGenerator;
import org.bouncycastle.openpgp.PGPMarker;
import org.bouncycastle.openpgp.PGPPBEEncryptedData;
import org.bouncycastle.openpgp.PGPUtil;
import org.bouncycastle.openpgp.bc.BcPGPObjectFactory;
import org.bouncycastle.openpgp.operator.bc.BcPBEDataDecryptorFactory;
import org.bouncycastle.openpgp.operator.bc.BcPBEKeyEncryptionMethodGenerator;
import org.bouncycastle.openpgp.operator.bc.BcPGPDataEncryptorBuilder;
import org.bouncycastle.openpgp.operator.bc.BcPGPDigestCalculatorProvider;

/**
 * OpenPGP symmetric encryption with a passphrase (AES-256, iterated and salted SHA-256 S2K,
 * integrity-protected), the format of {@code gpg --symmetric}: {@code gpg --decrypt} opens the
 * files without Pi-hole Checkpoint. Bouncy Castle's lightweight API, so no JCA provider is
 * registered. No compression: a Teleporter archive is a ZIP already.
 */
public final class OpenPgpArchiveCipher implements ArchiveCipher {
  private static final int BUFFER = 64 * 1024;

  private final char[] passphrase;
  private final SecureRandom random = new SecureRandom();

  public OpenPgpArchiveCipher(char[] passphrase) {
    this.passphrase = passphrase.clone();
  }

  @Override
  public boolean encryptsNewArchives() {
    return true;
  }

  @Override
  public void encrypt(InputStream plain, OutputStream encrypted) throws IOException {
    PGPEncryptedDataGenerator generator = new PGPEncryptedDataGenerator(
        new BcPGPDataEncryptorBuilder(SymmetricKeyAlgorithmTags.AES_256).setWithIntegrityPacket(true).setSecureRandom(random));
    try {
      generator.addMethod(new BcPBEKeyEncryptionMethodGenerator(passphrase, new BcPGPDigestCalculatorProvider().get(HashAlgorithmTags.SHA256))
          .setSecureRandom(random));
      try (OutputStream cipherOut = generator.open(encrypted, new byte[BUFFER]);
           OutputStream literal = new PGPLiteralDataGenerator().open(cipherOut, PGPLiteralData.BINARY, "pi-hole_teleporter.zip", new Date(), new byte[BUFFER])) {
        plain.transferTo(literal);
      }
    } catch (PGPException e) {
      throw new IOException("OpenPGP encryption failed: " + e.getMessage(), e);
    }
  }

  @Override
  public void decrypt(InputStream encrypted, OutputStream plain) throws IOException {
    try {
      PGPPBEEncryptedData data = passphraseEncrypted(new BcPGPObjectFactory(PGPUtil.getDecoderStream(encrypted)));
      InputStream clear = data.getDataStream(new BcPBEDataDecryptorFactory(passphrase, new BcPGPDigestCalculatorProvider()));
      Object message = new BcPGPObjectFactory(clear).nextObject();
      if (message instanceof PGPCompressedData compressed) { // written by `gpg --symmetric` with its defaults
        message = new BcPGPObjectFactory(compressed.getDataStream()).nextObject();
      }
      if (!(message instanceof PGPLiteralData literal)) {
        throw ArchiveStorageException.ofEncrypted("the encrypted file holds no archive");
      }
      literal.getInputStream().transferTo(plain);
      if (data.isIntegrityProtected() && !data.verify()) {
        throw new ArchiveDamagedException("the encrypted file fails its integrity check: it has been changed or damaged");
      }
    } catch (PGPException e) {
      throw new WrongPassphraseException("cannot decrypt the archive (" + e.getMessage()
          + ") — is BACKUP_ENCRYPTION_PASSPHRASE the passphrase it was written with?", e);
    }
  }

  private static PGPPBEEncryptedData passphraseEncrypted(BcPGPObjectFactory objects) throws IOException {
    Object next = objects.nextObject();
    if (next instanceof PGPMarker) {
      next = objects.nextObject();
    }
    if (next instanceof PGPEncryptedDataList list) {
      for (PGPEncryptedData data : list) {
        if (data instanceof PGPPBEEncryptedData pbe) {
          return pbe;
        }
      }
    }
    throw ArchiveStorageException.ofEncrypted("the file is not an OpenPGP file encrypted with a passphrase");
  }

  @Override
  public String toString() {
    return "OpenPgpArchiveCipher[AES-256]";
  }
}
