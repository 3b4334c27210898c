package io.piholecheckpoint.core.recovery.fetch;

import static org.assertj.core.api.Assertions.assertThat;

import io.piholecheckpoint.core.archive.ArchiveCipher;
import io.piholecheckpoint.core.archive.ArchiveFiles;
import io.piholecheckpoint.core.archive.ArchiveStore;
import io.piholecheckpoint.core.backup.catalog.Backup;
import io.piholecheckpoint.core.offsite.OffsiteGraph;
import io.piholecheckpoint.crypto.OpenPgpArchiveCipher;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An archive stored encrypted here and gone from this disk, opened by a reader (a download): fetched back from its encrypted
 * off-site copy, which is decrypted to check it against the backup's record. That decryption is the reader's plain archive;
 * decrypting the file just kept once more (a 50 MB archive through AES under the image's C1-only JVM) proved nothing new.
 */
class FetchedArchiveDecryptedOnceTest {
  @TempDir
  Path dir;

  @AutoClose
  private OffsiteGraph graph;

  private final AtomicInteger decryptions = new AtomicInteger();

  /** {@code inner}, counting each decryption. */
  private ArchiveCipher counted(ArchiveCipher inner) {
    return new ArchiveCipher() {
      @Override
      public boolean encryptsNewArchives() {
        return inner.encryptsNewArchives();
      }

      @Override
      public void encrypt(InputStream plain, OutputStream encrypted) throws IOException {
        inner.encrypt(plain, encrypted);
      }

      @Override
      public void decrypt(InputStream encrypted, OutputStream plain) throws IOException {
        decryptions.incrementAndGet();
        inner.decrypt(encrypted, plain);
      }
    };
  }

  @Test
  void anArchiveFetchedBackToBeOpenedIsDecryptedOnce() throws Exception {
    graph = OffsiteGraph.encryptedHereToo(dir, counted(new OpenPgpArchiveCipher(OffsiteGraph.PASSPHRASE.toCharArray())), "NAS");
    Backup backup = graph.backUp();
    assertThat(backup.fileName()).endsWith(ArchiveCipher.SUFFIX);
    assertThat(graph.offsite.runDue()).isEqualTo(1);
    Files.delete(graph.backupDir.resolve(backup.fileName()));
    decryptions.set(0);

    try (ArchiveStore.PlainArchive opened = graph.archives.open(backup.fileName())) {
      assertThat(ArchiveFiles.sha256Of(opened.path())).isEqualTo(backup.archive().sha256());
      assertThat(opened.name()).isEqualTo(backup.fileName().substring(0, backup.fileName().length() - ArchiveCipher.SUFFIX.length()));
    }

    assertThat(decryptions).as("decryptions of the archive").hasValue(1);
    assertThat(graph.backupDir.resolve(backup.fileName())).as("kept here again, encrypted").exists();
    try (var files = Files.walk(graph.backupDir)) {
      assertThat(files.filter(Files::isRegularFile).map(f -> f.getFileName().toString()))
          .as("no plain copy left once the reader closed it").allMatch(name -> !name.endsWith(".part"));
    }
  }

  @Test
  void anArchiveFetchedBackOnlyToBeKeptLeavesNoPlainCopy() throws Exception {
    graph = OffsiteGraph.encryptedHereToo(dir, counted(new OpenPgpArchiveCipher(OffsiteGraph.PASSPHRASE.toCharArray())), "NAS");
    Backup backup = graph.backUp();
    assertThat(graph.offsite.runDue()).isEqualTo(1);
    Files.delete(graph.backupDir.resolve(backup.fileName()));

    graph.archives.fetchIfMissing(backup.fileName());

    try (var files = Files.walk(graph.backupDir)) {
      assertThat(files.filter(Files::isRegularFile).map(f -> f.getFileName().toString())).contains(backup.fileName())
          .allMatch(name -> !name.endsWith(".part") && !name.endsWith(".zip"));
    }
    try (ArchiveStore.PlainArchive opened = graph.archives.open(backup.fileName())) {
      assertThat(ArchiveFiles.sha256Of(opened.path())).isEqualTo(backup.archive().sha256());
    }
  }
}
