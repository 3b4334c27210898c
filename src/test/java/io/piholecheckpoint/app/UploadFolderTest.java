package io.piholecheckpoint.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class UploadFolderTest {
  @TempDir
  Path dir;

  private Path root() {
    return dir.resolve(".uploads");
  }

  @Test
  void aTakeoverDeletesWhatAProcessThatDiedMidUploadLeft() throws Exception {
    Path crashed = Files.createDirectories(root().resolve("crashed-process"));
    Files.write(crashed.resolve("MultiPart123.tmp"), new byte[] {'P', 'K'});
    Files.createFile(crashed.resolve(".owner")); // its lock died with it

    try (UploadFolder folder = UploadFolder.open(root())) {
      UploadFolder.removeAbandoned(root());

      assertThat(crashed).doesNotExist();
      assertThat(folder.path()).isDirectory().hasParent(root());
    }
  }

  /** Outsider (medium-high): a standby's start deleted the buffer of the running process's upload in flight. */
  @Test
  void aStartDeletesNothingItMayBeAStandbyBesideARunningProcess() throws Exception {
    Path other = Files.createDirectories(root().resolve("other-process"));
    Path buffer = Files.write(other.resolve("MultiPart123.tmp"), new byte[] {'P', 'K'});

    try (UploadFolder folder = UploadFolder.open(root())) {

      assertThat(buffer).exists();
    }
  }

  /**
   * Outsider (medium-high): the process holding the schedules tested its own folder's lock at its takeover, and closing that
   * test dropped its lock (POSIX drops a process's every lock on a file at any close of it): another process then took its
   * upload in flight for a dead one's and deleted it. Here the other process is a real one, a JVM of its own.
   */
  @Test
  void anotherProcessLeavesTheFolderOfThisOneAloneAfterThisOnesTakeover() throws Exception {
    try (UploadFolder mine = UploadFolder.open(root())) {
      Path inFlight = Files.write(mine.path().resolve("MultiPart456.tmp"), new byte[] {'P', 'K'});
      UploadFolder.removeAbandoned(root()); // this process's takeover

      Process other = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
          System.getProperty("java.class.path"), OtherProcessTakeover.class.getName(), root().toString())
          .redirectErrorStream(true).start();
      String said = new String(other.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);

      assertThat(other.waitFor()).as(said).isZero();
      assertThat(inFlight).as(said).exists();
    }
  }

  /** A second process's takeover on the same folder. */
  static final class OtherProcessTakeover {
    public static void main(String[] args) {
      UploadFolder.removeAbandoned(Path.of(args[0]));
    }
  }

  @Test
  void leavesTheFolderOfALiveProcessAlone() throws Exception {
    try (UploadFolder first = UploadFolder.open(root())) {
      Path inFlight = Files.write(first.path().resolve("MultiPart456.tmp"), new byte[] {'P', 'K'});

      try (UploadFolder second = UploadFolder.open(root())) {

        assertThat(inFlight).exists();
        assertThat(second.path()).isNotEqualTo(first.path());
      }
    }
  }

  @Test
  void isReadableByItsOwnerOnlyAndGoneAfterClose() throws Exception {
    Path path;
    try (UploadFolder folder = UploadFolder.open(root())) {
      path = folder.path();
      Files.write(path.resolve("MultiPart789.tmp"), new byte[] {'P', 'K'});

      assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(path))).isEqualTo("rwx------");
      assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(root()))).isEqualTo("rwx------");
    }

    assertThat(path).doesNotExist();
    try (Stream<Path> left = Files.list(root())) {
      assertThat(left).isEmpty();
    }
  }
}
