package io.piholecheckpoint.offsite.sftp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.piholecheckpoint.core.offsite.remote.DestinationConfig;
import io.piholecheckpoint.core.offsite.remote.DestinationException;
import io.piholecheckpoint.core.offsite.remote.DestinationException.Problem;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A KNOWN_HOSTS_FILE that is no regular file: opening a FIFO waits for a writer forever, so it must be refused with what
 * to do, when the destination is set up and again right before a connection reads it, never waited on.
 */
class HostKeyPinTest {
  /** Far past the answer, which comes at once: only a wait on the FIFO takes longer. */
  private static final Duration HANGS = Duration.ofSeconds(20);

  @TempDir
  Path dir;

  @Test
  void aFifoIsRefusedWhenTheDestinationIsSetUp() throws Exception {
    Path fifo = mkfifo(dir.resolve("known_hosts"));

    assertTimeoutPreemptively(HANGS, () -> assertThatThrownBy(() -> HostKeyPin.from(config(fifo)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("OFFSITE_NAS_KNOWN_HOSTS_FILE=" + fifo + " is not a regular file (a FIFO")
        .hasMessageContaining("name a regular file"));
  }

  @Test
  void aFolderIsRefusedWhenTheDestinationIsSetUp() throws IOException {
    Path folder = Files.createDirectory(dir.resolve("known_hosts.d"));

    assertThatThrownBy(() -> HostKeyPin.from(config(folder))).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("OFFSITE_NAS_KNOWN_HOSTS_FILE=" + folder + " is a folder");
  }

  @Test
  void aMissingFileIsStillNamedUnreadable() {
    Path missing = dir.resolve("nowhere");

    assertThatThrownBy(() -> HostKeyPin.from(config(missing))).isInstanceOf(IllegalArgumentException.class)
        .hasMessage("OFFSITE_NAS_KNOWN_HOSTS_FILE names " + missing + ", which is not a readable file");
  }

  /** The file was fine at the start and is a FIFO now: the connection is refused before it is made, not left waiting. */
  @Test
  void aFileSwappedForAFifoIsRefusedBeforeAConnectionReadsIt() throws Exception {
    Path knownHosts = Files.writeString(dir.resolve("known_hosts"), "[127.0.0.1]:22 ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIA\n");
    HostKeyPin pin = HostKeyPin.from(config(knownHosts));
    Files.delete(knownHosts);
    mkfifo(knownHosts);

    try (ServerSocket listening = new ServerSocket(0)) { // a connection would be taken, and then wait for the SSH banner
      SftpSessions sessions = new SftpSessions("backup", "127.0.0.1", listening.getLocalPort(), "pw", List.of(), pin, Duration.ofSeconds(5));
      assertTimeoutPreemptively(HANGS, () -> assertThatThrownBy(sessions::open).isInstanceOfSatisfying(DestinationException.class, e -> {
        assertThat(e.problem()).isEqualTo(Problem.REFUSED);
        assertThat(e.getMessage()).contains("OFFSITE_NAS_KNOWN_HOSTS_FILE=" + knownHosts + " is not a regular file")
            .contains("nothing was sent");
      }));
    }
  }

  private static DestinationConfig config(Path knownHosts) {
    return new DestinationConfig("NAS", URI.create("sftp://backup@127.0.0.1/backups"), Map.of("KNOWN_HOSTS_FILE", knownHosts.toString()),
        Duration.ofSeconds(5));
  }

  private static Path mkfifo(Path path) throws IOException, InterruptedException {
    assertThat(new ProcessBuilder("mkfifo", path.toString()).inheritIO().start().waitFor()).isZero();
    return path;
  }
}
