package io.piholecheckpoint.offsite.file;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.piholecheckpoint.core.offsite.remote.Destination;
import io.piholecheckpoint.core.offsite.remote.DestinationConfig;
import io.piholecheckpoint.core.offsite.remote.DestinationException;
import io.piholecheckpoint.core.offsite.remote.RemoteObject;
import io.piholecheckpoint.offsite.DestinationContract;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileDestinationTest extends DestinationContract {
  @TempDir
  Path dir;

  @Override
  protected Destination destination() {
    return at(dir.toUri().toString());
  }

  private static FileDestination at(String url) {
    return new FileDestination(new DestinationConfig("NAS", java.net.URI.create(url), Map.of(), DestinationConfig.DEFAULT_TIMEOUT));
  }

  @Test
  void aLinkRepointedIntoBackupDirAfterTheStartIsRefusedAtEachCallAndNothingLandsThere() throws Exception {
    Path backupDir = Files.createDirectories(dir.resolve("backups"));
    Path dataDir = Files.createDirectories(dir.resolve("data"));
    Path nas = Files.createDirectories(dir.resolve("nas"));
    Path link = Files.createSymbolicLink(dir.resolve("lnk"), nas);
    Destination d = new FileDestination(new DestinationConfig("LNK", link.toUri(), Map.of(), DestinationConfig.DEFAULT_TIMEOUT),
        java.util.List.of(dataDir, backupDir));
    d.put("office/a.zip.gpg", new java.io.ByteArrayInputStream(new byte[] {1}), 1);
    assertThat(d.check("office/a.zip.gpg")).as("written while the link leads elsewhere").isPresent();
    Files.writeString(backupDir.resolve("kept.zip"), "an archive of BACKUP_DIR");
    // repointed as `ln -sfn backups lnk.new && mv -T lnk.new lnk` does
    Path next = Files.createSymbolicLink(dir.resolve("lnk.new"), backupDir);
    Files.move(next, link, java.nio.file.StandardCopyOption.ATOMIC_MOVE, java.nio.file.StandardCopyOption.REPLACE_EXISTING);

    assertThatThrownBy(() -> d.put("office/b.zip.gpg", new java.io.ByteArrayInputStream(new byte[] {2}), 1))
        .isInstanceOfSatisfying(DestinationException.class, e -> assertThat(e.problem()).isEqualTo(DestinationException.Problem.REFUSED))
        .hasMessageContaining(backupDir.toRealPath().toString()).hasMessageContaining("no off-site copy").hasMessageContaining("another disk");
    assertThatThrownBy(() -> d.check("kept.zip")).as("nothing there is counted verified").isInstanceOf(DestinationException.class);
    assertThatThrownBy(() -> d.list("")).isInstanceOf(DestinationException.class);
    assertThatThrownBy(() -> d.open("kept.zip")).isInstanceOf(DestinationException.class);
    assertThatThrownBy(() -> d.delete("kept.zip")).as("its retention deletes no archive of BACKUP_DIR").isInstanceOf(DestinationException.class);
    try (java.util.stream.Stream<Path> files = Files.walk(backupDir)) {
      assertThat(files.filter(Files::isRegularFile).toList()).containsExactly(backupDir.resolve("kept.zip"));
    }
  }

  @Test
  void aLinkToAFolderAroundDataDirIsRefusedToo() throws Exception {
    Path dataDir = Files.createDirectories(dir.resolve("app/data"));
    Path link = Files.createSymbolicLink(dir.resolve("lnk"), dir.resolve("app"));
    Destination d = new FileDestination(new DestinationConfig("LNK", link.toUri(), Map.of(), DestinationConfig.DEFAULT_TIMEOUT),
        java.util.List.of(dataDir));

    assertThatThrownBy(() -> d.put("office/a.zip.gpg", new java.io.ByteArrayInputStream(new byte[] {1}), 1))
        .isInstanceOf(DestinationException.class).hasMessageContaining("in or around " + dataDir.toRealPath());
    assertThat(dir.resolve("app/office")).doesNotExist();
  }

  /**
   * CI, round 47: an adoption's listing failed with 503 "listing … failed: …home_….zip.gpg.json" because a copy was deleted
   * between the walk finding it and reading its size. What goes while it is listed is simply not there; what stays is listed.
   */
  @Test
  void aListingWhileCopiesComeAndGoListsWhatStaysAndFailsOnNothingThatWent() throws Exception {
    Destination d = destination();
    Path folder = Files.createDirectories(dir.resolve("home"));
    Files.write(folder.resolve("kept.zip"), new byte[] {1});
    java.util.concurrent.atomic.AtomicBoolean done = new java.util.concurrent.atomic.AtomicBoolean();
    Thread churn = new Thread(() -> {
      for (int i = 0; !done.get(); i++) {
        try {
          Path sub = folder.resolve("d" + (i % 4));
          Files.createDirectories(sub);
          Path file = sub.resolve("gone-" + i + ".zip.gpg.json");
          Files.write(file, new byte[] {2});
          Files.delete(file);
          if (i % 8 == 0) {
            Files.deleteIfExists(sub);
          }
        } catch (IOException e) {
          // a directory this thread removes while making a file in it: the next round makes it again
        }
      }
    });
    churn.start();
    try {
      for (int i = 0; i < 3000; i++) {
        assertThat(d.list("home/")).extracting(RemoteObject::key).contains("home/kept.zip");
      }
    } finally {
      done.set(true);
      churn.join();
    }
  }

  @Test
  void aDirectoryThatIsNotThereIsAnUnmountedShareNotAnEmptyOne() {
    Destination d = at(dir.resolve("not-mounted").toUri().toString());
    assertThatThrownBy(() -> d.list("")).isInstanceOfSatisfying(DestinationException.class,
        e -> assertThat(e.problem()).isEqualTo(DestinationException.Problem.UNREACHABLE));
    assertThatThrownBy(() -> d.check("home/a.zip")).isInstanceOf(DestinationException.class).hasMessageContaining("mounted");
    assertThatThrownBy(() -> d.put("home/a.zip", new java.io.ByteArrayInputStream(new byte[] {1}), 1))
        .isInstanceOfSatisfying(DestinationException.class, e -> assertThat(e.problem()).isEqualTo(DestinationException.Problem.UNREACHABLE));
    assertThat(dir.resolve("not-mounted")).as("a copy never lands on the local disk under a share's mount point").doesNotExist();
  }

  @Test
  void aFullDiskIsFullAndKeepsNothingOfTheCopy() throws Exception {
    assumeTrue("root".equals(System.getProperty("user.name")), "a small disk needs a tmpfs mount, which needs root");
    Path small = Files.createDirectory(dir.resolve("small"));
    Process mount = new ProcessBuilder("mount", "-t", "tmpfs", "-o", "size=256k", "checkpoint-test", small.toString()).inheritIO().start();
    assumeTrue(mount.waitFor() == 0, "this machine does not let a test mount a tmpfs");
    try (Destination d = at(small.toUri().toString())) {
      byte[] archive = randomBytes(1_000_000, 3);

      assertThatThrownBy(() -> d.put("home/big.zip", new java.io.ByteArrayInputStream(archive), archive.length))
          .isInstanceOfSatisfying(DestinationException.class, e -> {
            assertThat(e.problem()).isEqualTo(DestinationException.Problem.FULL);
            assertThat(e.getMessage()).contains("the disk is full");
          });

      assertThat(d.list("")).isEmpty();
      try (var files = Files.walk(small)) {
        assertThat(files.filter(Files::isRegularFile)).as("the part is removed, the space given back").isEmpty();
      }
    } finally {
      new ProcessBuilder("umount", small.toString()).inheritIO().start().waitFor();
    }
  }

  @Test
  void leavesNoTemporaryFileAfterACutUpload() throws Exception {
    try (Destination d = destination()) {
      assertThatThrownBy(() -> d.put("home/cut.zip", text("short"), 10)).isInstanceOf(DestinationException.class);
      try (var files = Files.walk(dir)) {
        assertThat(files.filter(Files::isRegularFile)).isEmpty();
      }
    }
  }

  @Test
  void thePartAKilledProcessLeftIsRemovedWhenTheKeyIsWrittenAgain() throws Exception {
    Path left = Files.createDirectories(dir.resolve("home")).resolve("a[1].zip" + FileDestination.PART + "dead");
    Files.writeString(left, "half an archive");
    Path other = Files.writeString(dir.resolve("home/b.zip" + FileDestination.PART + "dead"), "another key's");

    try (Destination d = destination()) {
      d.put("home/a[1].zip", text("whole"), 5);
    }

    assertThat(left).doesNotExist();
    assertThat(other).exists();
    assertThat(dir.resolve("home/a[1].zip")).hasContent("whole");
  }

  /** A backup deleted after its upload was killed: the part, never listed but filling the disk, goes with the key. */
  @Test
  void thePartAKilledProcessLeftGoesWhenItsKeyIsDeleted() throws Exception {
    Path left = Files.createDirectories(dir.resolve("home")).resolve("a[1].zip" + FileDestination.PART + "dead");
    Files.writeString(left, "half an archive");
    Path other = Files.writeString(dir.resolve("home/b.zip" + FileDestination.PART + "dead"), "another key's");

    try (Destination d = destination()) {
      d.delete("home/a[1].zip");
      d.delete("elsewhere/c.zip"); // a folder never written: nothing to do
    }

    assertThat(left).doesNotExist();
    assertThat(other).exists();
  }

  @Test
  void refusesAUrlThatIsNotALocalDirectory() {
    assertThatThrownBy(() -> at("file://host/share")).hasMessageContaining("OFFSITE_NAS_URL");
  }
}
