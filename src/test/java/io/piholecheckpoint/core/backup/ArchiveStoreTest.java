package io.piholecheckpoint.core.backup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.piholecheckpoint.testing.Fixtures;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.time.Instant;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ArchiveStoreTest {
  private static final Instant AT = Instant.parse("2026-11-27T03:00:04Z");

  @TempDir
  Path dir;

  @Test
  void storesAnArchiveReadableOnlyByItsOwner() throws Exception {
    StoredArchive stored = new ArchiveStore(dir).store("home", AT, new ByteArrayInputStream(Fixtures.archiveA()));

    assertThat(Files.getPosixFilePermissions(dir.resolve(stored.fileName())))
        .containsExactlyInAnyOrder(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);
  }

  @Test
  void refusesACorruptedArchiveAndLeavesNoFile() throws Exception {
    byte[] corrupted = Fixtures.archiveA();
    corrupted[500] ^= 0x5a; // inside the compressed pihole.toml

    assertThatThrownBy(() -> new ArchiveStore(dir).store("home", AT, new ByteArrayInputStream(corrupted)))
        .isInstanceOf(InvalidArchiveException.class).hasMessageContaining("damaged");
    try (var files = Files.list(dir)) {
      assertThat(files).isEmpty();
    }
  }

  @Test
  void leavesNothingBehindWhenTheStreamBreaks() throws Exception {
    InputStream breaking = new InputStream() {
      private int sent;

      @Override
      public int read() throws IOException {
        if (sent++ > 1000) {
          throw new IOException("connection reset");
        }
        return 'P';
      }
    };

    assertThatThrownBy(() -> new ArchiveStore(dir).store("home", AT, breaking)).hasMessage("connection reset");
    try (var files = Files.list(dir)) {
      assertThat(files).isEmpty();
    }
  }

  @Test
  void removesIncompleteDownloadsOfAKilledRun() throws Exception {
    Files.writeString(dir.resolve(".incoming-123.part"), "half");
    Files.writeString(dir.resolve("keep.txt"), "mine");

    int removed = new ArchiveStore(dir).removeIncomplete();

    assertThat(removed).isEqualTo(1);
    try (var files = Files.list(dir)) {
      assertThat(files).extracting(p -> p.getFileName().toString()).containsExactly("keep.txt");
    }
  }

  @Test
  void findsOnlyFileNamesOfItsOwnShape() throws Exception {
    ArchiveStore store = new ArchiveStore(dir);
    StoredArchive stored = store.store("home", AT, new ByteArrayInputStream(Fixtures.archiveA()));
    Files.writeString(dir.getParent().resolve("secret.zip"), "x");

    assertThat(store.find(stored.fileName())).isPresent();
    assertThat(store.find("../secret.zip")).isEmpty();
    assertThat(store.find(null)).isEmpty();
    assertThat(Set.of(stored.fileName())).allMatch(n -> n.startsWith("home_20261127T030004Z_"));
  }
}
