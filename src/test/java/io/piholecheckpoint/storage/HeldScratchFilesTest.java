package io.piholecheckpoint.storage;

import static org.assertj.core.api.Assertions.assertThat;

import io.piholecheckpoint.core.archive.ArchiveStore;
import io.piholecheckpoint.core.archive.scratch.ScratchDirectory;
import io.piholecheckpoint.teleporter.TeleporterInspector;
import io.piholecheckpoint.testing.StartedProcesses;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A download's scratch file is held by its process: a node sharing the scratch folder removes it once that process was
 * killed (SIGKILL: no shutdown hook, no finally), never while it still writes. The downloading process is a real second JVM.
 */
class HeldScratchFilesTest {
  @TempDir
  Path dir;

  private ArchiveStore store() {
    return new LocalArchiveStore(dir, new TeleporterInspector(), ArchiveStore.FreeSpace.OF_FILE_STORE);
  }

  private List<String> scratchFiles() throws IOException {
    try (var files = Files.list(dir.resolve(ScratchDirectory.NAME))) {
      return files.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }

  /** A node mid-download: receives into {@code args[0]} from a Pi-hole that sent 64 KiB and then nothing more. */
  static final class Downloading {
    public static void main(String[] args) throws Exception {
      CountDownLatch never = new CountDownLatch(1);
      InputStream stalled = new InputStream() {
        private int sent;

        @Override
        public int read() {
          throw new UnsupportedOperationException();
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
          if (sent < 64 * 1024) {
            int n = Math.min(len, 64 * 1024 - sent);
            sent += n;
            return n;
          }
          System.out.println("receiving");
          System.out.flush();
          try {
            never.await();
          } catch (InterruptedException e) {
            throw new IOException(e);
          }
          return -1;
        }
      };
      new LocalArchiveStore(Path.of(args[0]), new TeleporterInspector(), ArchiveStore.FreeSpace.OF_FILE_STORE)
          .receive("home", Instant.parse("2026-12-05T03:00:00Z"), stalled, 0);
    }
  }

  private Process startDownloading() throws Exception {
    Path java = Path.of(System.getProperty("java.home"), "bin", "java");
    Process node = StartedProcesses.start(new ProcessBuilder(java.toString(), "-XX:TieredStopAtLevel=1", "-cp",
        System.getProperty("java.class.path"), Downloading.class.getName(), dir.toString()).redirectErrorStream(true));
    BufferedReader out = new BufferedReader(new InputStreamReader(node.getInputStream(), StandardCharsets.UTF_8));
    StringBuilder said = new StringBuilder();
    for (String line; (line = out.readLine()) != null; ) { // null: it ended without getting so far
      if (line.equals("receiving")) {
        return node;
      }
      said.append(line).append('\n');
    }
    throw new AssertionError("the downloading process ended before it received anything:\n" + said);
  }

  @Test
  void aKilledProcesssDownloadIsRemovedByAnyNodeButNotWhileItLives() throws Exception {
    Process node = startDownloading();
    try {
      List<String> during = scratchFiles();
      assertThat(during).hasSize(2).allMatch(n -> n.startsWith(".incoming-"));
      Path part = dir.resolve(ScratchDirectory.NAME).resolve(during.get(0));
      assertThat(Files.size(part)).isEqualTo(64 * 1024);

      assertThat(store().removeAbandoned()).as("its process is alive").isZero();
      assertThat(store().removeIncomplete()).as("even the clean-up at a lone start spares a live process's file").isZero();
      assertThat(scratchFiles()).isEqualTo(during);
    } finally {
      StartedProcesses.kill(node);
    }
    assertThat(node.waitFor(10, TimeUnit.SECONDS)).isTrue();

    assertThat(store().removeAbandoned()).as("the download and its lock file").isOne();
    assertThat(scratchFiles()).isEmpty();
  }

  @Test
  void thisProcesssOwnFileIsHeldUntilItIsDiscarded() throws Exception {
    DurableWriter writer = new DurableWriter(dir);
    Path temp = writer.createTemp();
    Files.writeString(temp, "half");
    Files.writeString(dir.resolve(ScratchDirectory.NAME).resolve(".incoming-1.part"), "an older version's, which held nothing");

    assertThat(store().removeAbandoned()).isOne();
    assertThat(store().removeIncomplete()).isZero();
    assertThat(temp).hasContent("half");

    writer.discard(temp);
    assertThat(scratchFiles()).isEmpty();
  }

  /**
   * Outsider (medium-high), a sibling of the upload buffers: the clean-up at a takeover deleted the copy of a gravity.db, the list
   * index being built or the diff a live process (a standby serving a page, or this one) was using, with its SQLite journal.
   */
  @Test
  void theCleanUpAtATakeoverSparesTheTemporaryFilesALiveProcessUses() throws Exception {
    ScratchDirectory scratch = ScratchDirectory.of(dir);
    Path copy = scratch.createFile("gravity-", ".db");
    Files.writeString(copy, "in use");
    Path journal = Files.writeString(copy.resolveSibling(copy.getFileName() + "-journal"), "in use");

    assertThat(store().removeIncomplete()).isZero();
    assertThat(copy).hasContent("in use");
    assertThat(journal).exists();

    ScratchDirectory.release(copy);
    assertThat(store().removeIncomplete()).as("the journal its process left").isOne();
    assertThat(scratchFiles()).isEmpty();
  }
}
