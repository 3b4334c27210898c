package io.piholecheckpoint.core.recovery.fetch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.piholecheckpoint.core.archive.ArchiveCipher;
import io.piholecheckpoint.core.archive.ArchiveStore;
import io.piholecheckpoint.core.archive.WrongPassphraseException;
import io.piholecheckpoint.core.backup.catalog.Backup;
import io.piholecheckpoint.core.offsite.OffsiteGraph;
import io.piholecheckpoint.core.offsite.remote.OffsiteTarget;
import io.piholecheckpoint.crypto.OpenPgpArchiveCipher;
import io.piholecheckpoint.testing.ForwardingDestination;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A backup kept remote only, its copy encrypted on the way, checked by a Pi-hole Checkpoint that runs with another
 * passphrase (a recovery with the wrong BACKUP_ENCRYPTION_PASSPHRASE): the copy is what was sent, and still it is no
 * usable backup; nor is it found damaged.
 */
class WrongPassphraseVerifyTest {
  @TempDir
  Path dir;

  @AutoClose
  private OffsiteGraph graph;

  @Test
  void aCopyTheConfiguredPassphraseDoesNotOpenFailsVerificationAndKeepsNothingOnDisk() throws Exception {
    graph = OffsiteGraph.encrypted(dir, "NAS"); // written with OffsiteGraph.PASSPHRASE
    Backup backup = graph.backUp();
    assertThat(graph.offsite.runDue()).isEqualTo(1);
    Files.delete(graph.backupDir.resolve(backup.fileName()));
    ArchiveStore recovered = new FetchingArchiveStore(graph.local, graph.copies, graph.backupRepository, graph.targets,
        new OpenPgpArchiveCipher("not the passphrase it was written with".toCharArray()), graph.clock);

    // it cannot be checked, which is no damage: thrown, not returned as what is wrong with the file (recorded as damaged)
    assertThatThrownBy(() -> recovered.verify(backup.archive())).isInstanceOf(WrongPassphraseException.class)
        .hasMessageContainingAll("cannot decrypt", "is BACKUP_ENCRYPTION_PASSPHRASE the passphrase it was written with?");
    try (var files = Files.walk(graph.backupDir)) {
      assertThat(files.filter(Files::isRegularFile)).as("no archive, plain or not, kept on this disk").isEmpty();
    }
    assertThat(graph.archives.verify(backup.archive())).as("the passphrase it was written with opens it").isEmpty();
    assertThatThrownBy(() -> recovered.open(backup.fileName())).isInstanceOf(WrongPassphraseException.class);
  }
  /** Every copy is encrypted with the one passphrase: the first that it does not open says it of all, not one download per destination. */
  @Test
  void aFetchStopsAtTheFirstEncryptedCopyThePassphraseDoesNotOpen() throws Exception {
    graph = OffsiteGraph.encrypted(dir, "NAS", "USB");
    Backup backup = graph.backUp();
    assertThat(graph.offsite.runDue()).isEqualTo(2);
    Files.delete(graph.backupDir.resolve(backup.fileName()));
    AtomicInteger archivesRead = new AtomicInteger();
    List<OffsiteTarget> counted = graph.targets.stream().map(t -> new OffsiteTarget(t.name(), new ForwardingDestination(t.destination()) {
      @Override
      public InputStream open(String key) throws IOException {
        if (key.endsWith(ArchiveCipher.SUFFIX)) {
          archivesRead.incrementAndGet();
        }
        return super.open(key);
      }
    }, t.instances(), t.retention(), t.encrypt())).toList();
    ArchiveStore recovered = new FetchingArchiveStore(graph.local, graph.copies, graph.backupRepository, counted,
        new OpenPgpArchiveCipher("not the passphrase it was written with".toCharArray()), graph.clock);

    assertThatThrownBy(() -> recovered.open(backup.fileName())).isInstanceOf(WrongPassphraseException.class);
    assertThat(archivesRead).as("archives downloaded").hasValue(1);
  }
}
