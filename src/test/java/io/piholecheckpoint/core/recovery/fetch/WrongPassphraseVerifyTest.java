package io.piholecheckpoint.core.recovery.fetch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.piholecheckpoint.core.archive.ArchiveStore;
import io.piholecheckpoint.core.archive.WrongPassphraseException;
import io.piholecheckpoint.core.backup.catalog.Backup;
import io.piholecheckpoint.core.offsite.OffsiteGraph;
import io.piholecheckpoint.crypto.OpenPgpArchiveCipher;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A backup kept remote only, its copy encrypted on the way, checked by a Pi-hole Checkpoint that runs with another
 * passphrase (a recovery with the wrong BACKUP_ENCRYPTION_PASSPHRASE): the copy is what was sent, and still it is no
 * usable backup.
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

    assertThat(recovered.verify(backup.archive())).hasValueSatisfying(problem -> assertThat(problem)
        .contains("cannot decrypt", "is BACKUP_ENCRYPTION_PASSPHRASE the passphrase it was written with?"));
    try (var files = Files.walk(graph.backupDir)) {
      assertThat(files.filter(Files::isRegularFile)).as("no archive, plain or not, kept on this disk").isEmpty();
    }
    assertThat(graph.archives.verify(backup.archive())).as("the passphrase it was written with opens it").isEmpty();
    assertThatThrownBy(() -> recovered.open(backup.fileName())).isInstanceOf(WrongPassphraseException.class);
  }
}
