package io.piholecheckpoint.core.offsite;

import static org.assertj.core.api.Assertions.assertThat;

import io.piholecheckpoint.core.backup.catalog.Backup;
import io.piholecheckpoint.core.offsite.queue.Copy;
import io.piholecheckpoint.persistence.MyBatisCopyRepository;
import io.piholecheckpoint.testing.Fixtures;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The daily re-check of a backup kept remote only, at two directory destinations, one of whose copies
 * was changed there: the damaged copy is sent again from the archive fetched back from the sound one,
 * as it would be from an archive still on this disk, not given up.
 */
class RemoteOnlyRecheckTest {
  @TempDir
  Path dir;

  @AutoClose
  private OffsiteGraph graph;

  @Test
  void aDamagedCopyOfARemoteOnlyBackupIsSentAgainFromASoundCopyElsewhere() throws Exception {
    graph = OffsiteGraph.encrypted(dir, "NAS", "USB");
    MyBatisCopyRepository copies = graph.copies;
    OffsiteService offsite = graph.offsite;
    Path backupDir = graph.backupDir;
    Backup backup = graph.backUp();
    assertThat(offsite.runDue()).isEqualTo(2);
    Files.delete(backupDir.resolve(backup.fileName()));
    Copy usb = copies.findByBackup(backup.id()).stream().filter(c -> c.destination().equals("USB")).findFirst().orElseThrow();
    Path stored = dir.resolve("usb").resolve(usb.remoteKey());
    byte[] tampered = Files.readAllBytes(stored);
    tampered[tampered.length / 2] ^= 1;
    Files.write(stored, tampered);
    graph.clock.advance(Duration.ofDays(8)); // every copy is due for its weekly read back

    offsite.runDaily();

    Copy damaged = copies.findById(usb.id()).orElseThrow();
    assertThat(damaged.state()).isEqualTo(Copy.State.FAILED);
    assertThat(damaged.lastError()).contains("failed verification (found when re-checked)", "it is sent again");
    assertThat(backupDir.resolve(backup.fileName())).as("fetched back from NAS to send USB's copy from").hasBinaryContent(Fixtures.archiveA());
    assertThat(copies.findByBackup(backup.id())).filteredOn(c -> c.destination().equals("NAS")).singleElement()
        .satisfies(c -> assertThat(c.state()).isEqualTo(Copy.State.VERIFIED));

    assertThat(offsite.runDue()).isEqualTo(1);

    assertThat(copies.findById(usb.id()).orElseThrow().state()).isEqualTo(Copy.State.VERIFIED);
    assertThat(Files.readAllBytes(stored)).isNotEqualTo(tampered);
  }
}
