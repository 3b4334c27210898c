package io.piholecheckpoint.core.files;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Only a regular file of a sensible size is read: anything else would block the reader forever or fill its memory. */
class SecretFilesTest {
  @TempDir
  Path dir;

  private static String read(Path file, boolean followLinks) throws Exception {
    // on another thread with a bound: the old reader blocks forever on a FIFO, which must fail this test, not hang it
    return CompletableFuture.supplyAsync(() -> {
      try {
        return SecretFiles.read(file, "APP_PASSWORD_FILE=" + file, SecretFiles.SECRET, followLinks, StandardCharsets.UTF_8);
      } catch (Exception e) {
        throw new java.util.concurrent.CompletionException(e);
      }
    }).get(Duration.ofSeconds(10).toSeconds(), TimeUnit.SECONDS);
  }

  @Test
  void aRegularFileIsReadWhole() throws Exception {
    Path file = Files.writeString(dir.resolve("pw"), "hunter2\n");

    assertThat(read(file, true)).isEqualTo("hunter2\n");
  }

  @Test
  void aFifoIsRefusedWithoutWaitingForAWriter() throws Exception {
    Path fifo = dir.resolve("pw");
    assertThat(new ProcessBuilder("mkfifo", fifo.toString()).inheritIO().start().waitFor()).isZero();

    assertThatThrownBy(() -> read(fifo, true)).rootCause().isInstanceOf(OwnedPaths.Unusable.class)
        .hasMessage("APP_PASSWORD_FILE=" + fifo + " is not a regular file (a FIFO, a socket or a device, which could block or never end):"
            + " name a regular file that holds the value");
  }

  @Test
  void aFolderIsRefused() throws Exception {
    Path folder = Files.createDirectory(dir.resolve("pw"));

    assertThatThrownBy(() -> read(folder, true)).rootCause().isInstanceOf(OwnedPaths.Unusable.class)
        .hasMessageStartingWith("APP_PASSWORD_FILE=" + folder + " is a folder");
  }

  @Test
  void aDeviceThatNeverEndsIsRefused() {
    Path zero = Path.of("/dev/zero");

    assertThatThrownBy(() -> read(zero, true)).rootCause().isInstanceOf(OwnedPaths.Unusable.class)
        .hasMessageContaining("/dev/zero is not a regular file");
  }

  @Test
  void aFileOfMegabytesIsRefusedAsTheWrongFile() throws Exception {
    Path big = Files.write(dir.resolve("pw"), new byte[(int) SecretFiles.SECRET + 1]);

    assertThatThrownBy(() -> read(big, true)).rootCause().isInstanceOf(OwnedPaths.Unusable.class)
        .hasMessageContaining("is larger than 64 KiB").hasMessageContaining("likely the wrong file");
  }

  @Test
  void aFileOfExactlyTheCapIsRead() throws Exception {
    Path full = Files.write(dir.resolve("pw"), new byte[(int) SecretFiles.SECRET]);

    assertThat(read(full, true)).hasSize((int) SecretFiles.SECRET);
  }

  @Test
  void aLinkIsFollowedWhereLinksAreAllowed() throws Exception {
    Path target = Files.writeString(dir.resolve("target"), "hunter2");
    Path link = Files.createSymbolicLink(dir.resolve("pw"), target);

    assertThat(read(link, true)).isEqualTo("hunter2");
  }

  @Test
  void aLinkIsRefusedWhereLinksAreNot() throws Exception {
    Path target = Files.writeString(dir.resolve("target"), "hunter2");
    Path link = Files.createSymbolicLink(dir.resolve("pw"), target);

    assertThatThrownBy(() -> read(link, false)).rootCause().isInstanceOf(OwnedPaths.Unusable.class)
        .hasMessageStartingWith("APP_PASSWORD_FILE=" + link + " is a symbolic link (to " + target + ")");
  }

  @Test
  void aLinkToAFifoIsRefusedToo() throws Exception {
    Path fifo = dir.resolve("fifo");
    assertThat(new ProcessBuilder("mkfifo", fifo.toString()).inheritIO().start().waitFor()).isZero();
    Path link = Files.createSymbolicLink(dir.resolve("pw"), fifo);

    assertThatThrownBy(() -> read(link, true)).rootCause().isInstanceOf(OwnedPaths.Unusable.class)
        .hasMessageContaining("is not a regular file");
  }
}
