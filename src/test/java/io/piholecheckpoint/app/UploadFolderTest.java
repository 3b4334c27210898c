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
  void deletesWhatAProcessThatDiedMidUploadLeft() throws Exception {
    Path crashed = Files.createDirectories(root().resolve("crashed-process"));
    Files.write(crashed.resolve("MultiPart123.tmp"), new byte[] {'P', 'K'});
    Files.createFile(crashed.resolve(".owner")); // its lock died with it

    try (UploadFolder folder = UploadFolder.open(root())) {

      assertThat(crashed).doesNotExist();
      assertThat(folder.path()).isDirectory().hasParent(root());
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
