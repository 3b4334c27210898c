package io.piholecheckpoint.core.recovery.fetch;

import static org.assertj.core.api.Assertions.assertThat;

import io.piholecheckpoint.core.archive.ArchiveCipher;
import io.piholecheckpoint.core.archive.ArchiveInspector;
import io.piholecheckpoint.core.archive.ArchiveStore;
import io.piholecheckpoint.core.backup.catalog.Backup;
import io.piholecheckpoint.core.offsite.OffsiteGraph;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The check of an archive on this disk reads it once: each read of an encrypted archive decrypts and hashes all of it (a
 * 50 MB restore checks its backup twice, under the image's C1-only JVM), and the one that finds it sound as recorded is
 * the one the inspection then reads, not a second pass over the same bytes.
 */
class VerifyReadsOnceTest {
  @TempDir
  Path dir;

  @AutoClose
  private OffsiteGraph graph;

  private final List<String> reads = new ArrayList<>();
  /** What was asked of the store's inspector. */
  private final List<String> asked = new ArrayList<>();

  /** {@code graph.local}, noting each call that reads a whole archive, and its inspector noting each call. */
  private ArchiveStore counted() {
    return (ArchiveStore) Proxy.newProxyInstance(ArchiveStore.class.getClassLoader(), new Class<?>[] {ArchiveStore.class}, (proxy, method, args) -> {
      if (method.getName().equals("open") || method.getName().equals("verify")) {
        reads.add(method.getName());
      }
      if (method.getName().equals("inspector")) {
        return noted(graph.local.inspector());
      }
      return invoke(method, graph.local, args);
    });
  }

  private ArchiveInspector noted(ArchiveInspector inspector) {
    return (ArchiveInspector) Proxy.newProxyInstance(ArchiveInspector.class.getClassLoader(), new Class<?>[] {ArchiveInspector.class},
        (proxy, method, args) -> {
          asked.add(method.getName());
          return invoke(method, inspector, args);
        });
  }

  private static Object invoke(Method method, Object target, Object[] args) throws Throwable {
    try {
      return method.invoke(target, args);
    } catch (InvocationTargetException e) {
      throw e.getCause();
    }
  }

  @Test
  void aSoundArchiveIsReadOnceToBeVerified() throws Exception {
    graph = OffsiteGraph.encrypted(dir);
    Backup backup = graph.backUp();
    ArchiveStore archives = new FetchingArchiveStore(counted(), graph.copies, graph.backupRepository, graph.targets, ArchiveCipher.NONE, graph.clock);

    assertThat(archives.verify(backup.archive())).isEmpty();
    assertThat(reads).as("the reads of the whole archive").containsExactly("open");
  }

  /**
   * Its SHA-256 is the one recorded, so its content hash is the one recorded too (a function of the bytes): the check proves
   * it sound for a restore without the content hash's canonical dump of every row (a million domains' took most of a preview).
   */
  @Test
  void aSoundArchivesContentHashIsNotComputedAgain() throws Exception {
    graph = OffsiteGraph.encrypted(dir);
    Backup backup = graph.backUp();
    ArchiveStore archives = new FetchingArchiveStore(counted(), graph.copies, graph.backupRepository, graph.targets, ArchiveCipher.NONE, graph.clock);

    assertThat(archives.verify(backup.archive())).isEmpty();
    assertThat(asked).as("what the check asked of the inspector").containsExactly("check");
  }

  @Test
  void anArchiveChangedOnDiskIsStillFoundSo() throws Exception {
    graph = OffsiteGraph.encrypted(dir);
    Backup backup = graph.backUp();
    Path file = graph.backupDir.resolve(backup.fileName());
    byte[] bytes = Files.readAllBytes(file);
    bytes[bytes.length / 2] ^= 1;
    Files.write(file, bytes);
    ArchiveStore archives = new FetchingArchiveStore(counted(), graph.copies, graph.backupRepository, graph.targets, ArchiveCipher.NONE, graph.clock);

    assertThat(archives.verify(backup.archive())).hasValueSatisfying(problem -> assertThat(problem).contains("changed on disk"));
  }
}
