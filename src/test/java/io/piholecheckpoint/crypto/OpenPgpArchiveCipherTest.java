package io.piholecheckpoint.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.piholecheckpoint.core.archive.ArchiveStorageException;
import io.piholecheckpoint.testing.Fixtures;
import io.piholecheckpoint.testing.Gpg;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OpenPgpArchiveCipherTest {
  private static final String PASSPHRASE = "correct horse battery staple";
  private final OpenPgpArchiveCipher cipher = new OpenPgpArchiveCipher(PASSPHRASE.toCharArray());

  @TempDir
  Path dir;

  private byte[] encrypt(byte[] plain) throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    cipher.encrypt(new ByteArrayInputStream(plain), out);
    return out.toByteArray();
  }

  private static byte[] decrypt(OpenPgpArchiveCipher with, byte[] encrypted) throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    with.decrypt(new ByteArrayInputStream(encrypted), out);
    return out.toByteArray();
  }

  @Test
  void decryptsWhatItEncryptedAndHidesTheArchive() throws Exception {
    byte[] encrypted = encrypt(Fixtures.archiveA());

    assertThat(new String(encrypted, java.nio.charset.StandardCharsets.ISO_8859_1)).doesNotContain("pihole.toml");
    assertThat(decrypt(cipher, encrypted)).isEqualTo(Fixtures.archiveA());
  }

  @Test
  void aWrongPassphraseSaysWhichSettingToCheck() throws Exception {
    byte[] encrypted = encrypt(Fixtures.archiveA());

    assertThatThrownBy(() -> decrypt(new OpenPgpArchiveCipher("another passphrase".toCharArray()), encrypted))
        .isInstanceOf(ArchiveStorageException.class).hasMessageContaining("BACKUP_ENCRYPTION_PASSPHRASE");
  }

  @Test
  void aChangedByteFailsTheIntegrityCheck() throws Exception {
    byte[] encrypted = encrypt(Fixtures.archiveA());
    encrypted[encrypted.length / 2] ^= 0x01;

    assertThatThrownBy(() -> decrypt(cipher, encrypted)).isInstanceOf(ArchiveStorageException.class);
  }

  @Test
  void gnupgDecryptsOurFiles() throws Exception {
    Path encrypted = Files.write(dir.resolve("a.zip.gpg"), encrypt(Fixtures.archiveA()));

    new Gpg(dir.resolve("gnupg")).decrypt(encrypted, dir.resolve("a.zip"), PASSPHRASE);

    assertThat(Files.readAllBytes(dir.resolve("a.zip"))).isEqualTo(Fixtures.archiveA());
  }

  @Test
  void weDecryptWhatGnupgEncryptedWithItsDefaults() throws Exception {
    Path plain = Files.write(dir.resolve("b.zip"), Fixtures.archiveA());

    new Gpg(dir.resolve("gnupg")).encrypt(plain, dir.resolve("b.zip.gpg"), PASSPHRASE);

    assertThat(decrypt(cipher, Files.readAllBytes(dir.resolve("b.zip.gpg")))).isEqualTo(Fixtures.archiveA());
  }
}
