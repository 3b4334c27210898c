package io.piholecheckpoint.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.piholecheckpoint.core.archive.ArchiveCipher;
import io.piholecheckpoint.core.archive.PassphraseRefusedException;
import io.piholecheckpoint.crypto.OpenPgpArchiveCipher;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** BACKUP_ENCRYPTION_PASSPHRASE tied to BACKUP_DIR by the check file, and the DATA_DIR marker that tells its deletion. */
class PassphraseCheckFileTest {
  @TempDir
  Path backupDir;
  @TempDir
  Path dataDir;

  private PassphraseCheckFile.Checked start(String passphrase) {
    return new PassphraseCheckFile(backupDir, dataDir, new OpenPgpArchiveCipher(passphrase.toCharArray())).check();
  }

  @Test
  void aStartWithAnotherPassphraseThanTheFirstTakesNoBackup() {
    assertThat(start("correct horse").problem()).isEmpty();

    PassphraseCheckFile.Checked typo = start("correct hose");

    assertThat(typo.problem()).hasValueSatisfying(p -> assertThat(p).contains("not the passphrase").contains(PassphraseCheckFile.FILE_NAME));
    assertThatThrownBy(() -> typo.cipher().requireWritable()).isInstanceOf(PassphraseRefusedException.class);
    assertThat(start("correct horse").problem()).isEmpty();
  }

  @Test
  void theMarkerIsWrittenWholeInPlaceAndLeavesNothingElseInDataDir() throws IOException {
    start("correct horse");

    try (Stream<Path> files = Files.list(dataDir)) {
      assertThat(files.map(f -> f.getFileName().toString())).containsExactly(PassphraseCheckFile.TIED);
    }
    assertThat(Files.readString(dataDir.resolve(PassphraseCheckFile.TIED))).contains(backupDir.toString()).endsWith("\n");
  }

  /** The marker tells a deleted check file (a change of passphrase on purpose) from an install that never had one. */
  @Test
  void aDeletedCheckFileTiesThePassphraseSetNowThoughOlderArchivesOpenOnlyWithTheOldOne() throws IOException {
    encryptedArchive("correct horse");
    assertThat(start("correct horse").problem()).isEmpty();
    Files.delete(backupDir.resolve(PassphraseCheckFile.FILE_NAME));

    assertThat(start("battery staple").problem()).isEmpty();
    assertThat(start("correct horse").problem()).isPresent();
  }

  @Test
  void anInstallFromBeforeTheCheckFileIsTiedOnlyByThePassphraseThatOpensItsNewestArchive() throws IOException {
    encryptedArchive("correct horse");

    assertThat(start("correct hose").problem()).hasValueSatisfying(p -> assertThat(p).contains("the newest encrypted archive"));
    assertThat(Files.exists(backupDir.resolve(PassphraseCheckFile.FILE_NAME))).isFalse();
    assertThat(Files.exists(dataDir.resolve(PassphraseCheckFile.TIED))).isFalse();
    assertThat(start("correct horse").problem()).isEmpty();
  }

  @Test
  void withoutAPassphraseNothingIsWrittenOrRefused() throws IOException {
    PassphraseCheckFile.Checked plain = new PassphraseCheckFile(backupDir, dataDir, ArchiveCipher.NONE).check();

    assertThat(plain.problem()).isEmpty();
    try (Stream<Path> inBackupDir = Files.list(backupDir); Stream<Path> inDataDir = Files.list(dataDir)) {
      assertThat(Stream.concat(inBackupDir, inDataDir)).isEmpty();
    }
  }

  private void encryptedArchive(String passphrase) throws IOException {
    try (OutputStream out = Files.newOutputStream(backupDir.resolve("home_20261206T210000Z_manual.zip" + ArchiveCipher.SUFFIX))) {
      new OpenPgpArchiveCipher(passphrase.toCharArray()).encrypt(new ByteArrayInputStream("PK".getBytes(StandardCharsets.UTF_8)), out);
    }
  }
}
