package io.piholecheckpoint.core.recovery.fetch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.piholecheckpoint.core.archive.ArchiveCipher;
import io.piholecheckpoint.core.archive.ArchiveStore;
import io.piholecheckpoint.core.backup.catalog.Backup;
import io.piholecheckpoint.core.offsite.OffsiteGraph;
import io.piholecheckpoint.core.offsite.copy.CopyDamagedException;
import io.piholecheckpoint.core.offsite.remote.OffsiteTarget;
import io.piholecheckpoint.core.offsite.remote.OffsiteTargets;
import io.piholecheckpoint.crypto.OpenPgpArchiveCipher;
import io.piholecheckpoint.testing.ForwardingDestination;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A backup kept remote only whose record names another archive than its copy holds (as an adopted copy whose manifest's
 * archiveSha256 is wrong): the copy is what was sent, and still not the backup. Trying again changes nothing: the copy is
 * marked so (409 offsite_copy_damaged, /health degraded), counted as a damaged copy, and not downloaded again at every read.
 */
class RecordNotMatchingCopyTest {
  @TempDir
  Path dir;

  @AutoClose
  private OffsiteGraph graph;

  @Test
  void aCopyWhoseArchiveIsNotTheOneRecordedIsMarkedDamagedOnceAndNotFetchedAgain() throws Exception {
    graph = OffsiteGraph.encrypted(dir, "NAS");
    Backup backup = graph.backUp();
    assertThat(graph.offsite.runDue()).isEqualTo(1);
    Files.delete(graph.backupDir.resolve(backup.fileName()));
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("checkpoint.db"));
        PreparedStatement s = c.prepareStatement("UPDATE backup SET sha256 = ? WHERE id = ?")) {
      s.setString(1, "0".repeat(64));
      s.setLong(2, backup.id());
      assertThat(s.executeUpdate()).isOne();
    }
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
    List<String> outcomes = new CopyOnWriteArrayList<>();
    ArchiveStore store = new FetchingArchiveStore(graph.local, graph.copies, graph.backupRepository, OffsiteTargets.of(counted),
        new OpenPgpArchiveCipher(OffsiteGraph.PASSPHRASE.toCharArray()), graph.clock, (destination, outcome) -> outcomes.add(destination + " " + outcome));

    assertThatThrownBy(() -> store.open(backup.fileName())).isInstanceOf(CopyDamagedException.class)
        .hasMessageContaining("not the one its backup recorded");
    assertThat(graph.copies.findDamaged("NAS")).as("the copy is marked as not matching").hasSize(1);
    assertThatThrownBy(() -> store.open(backup.fileName())).isInstanceOf(CopyDamagedException.class);
    assertThat(archivesRead).as("archives downloaded").hasValue(1);
    assertThat(outcomes).as("checkpoint_offsite_copies_total, as the daily re-check counts a damaged copy").containsExactly("NAS damaged");
  }
}
