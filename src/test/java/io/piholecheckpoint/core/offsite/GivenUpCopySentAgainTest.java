package io.piholecheckpoint.core.offsite;

import static org.assertj.core.api.Assertions.assertThat;

import io.piholecheckpoint.core.archive.ArchiveStore;
import io.piholecheckpoint.core.backup.catalog.Backup;
import io.piholecheckpoint.core.offsite.queue.Copy;
import io.piholecheckpoint.persistence.MyBatisCopyRepository;
import io.piholecheckpoint.testing.Fixtures;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A copy that could not be made while the archive was on this disk (its destination down), at two directory destinations:
 * once the local archive is gone, it is made from the sound copy at the other one, and a copy given up for want of the
 * archive is sent again as soon as the archive is back here by a fetch.
 */
class GivenUpCopySentAgainTest {
  @TempDir
  Path dir;

  @AutoClose
  private OffsiteGraph graph;
  private MyBatisCopyRepository copies;
  private ArchiveStore archives;
  private OffsiteService offsite;
  private Path backupDir;
  private Path usbRoot;
  private Backup backup;

  @BeforeEach
  void backupCopiedToNasOnlyWhileUsbIsDown() throws Exception {
    graph = OffsiteGraph.encrypted(dir, "NAS", "USB");
    copies = graph.copies;
    archives = graph.archives;
    offsite = graph.offsite;
    backupDir = graph.backupDir;
    usbRoot = graph.root("USB");
    backup = graph.backUp();
    Files.delete(usbRoot); // the USB disk is not mounted

    assertThat(offsite.runDue()).isEqualTo(1);

    assertThat(usb().state()).isEqualTo(Copy.State.FAILED);
    assertThat(usb().nextAttemptAt()).isNotNull();
    Files.delete(backupDir.resolve(backup.fileName())); // remote only from now on: kept at NAS
    Files.createDirectories(usbRoot);
    graph.clock.advance(Duration.ofMinutes(5)); // past the USB copy's backoff
  }

  @Test
  void aCopyWhoseLocalArchiveIsGoneIsMadeFromASoundCopyElsewhereInsteadOfGivenUp() {
    assertThat(offsite.runDue()).isEqualTo(1);

    assertThat(usb().state()).isEqualTo(Copy.State.VERIFIED);
    assertThat(usbRoot.resolve(usb().remoteKey())).exists();
  }

  @Test
  void aCopyGivenUpIsSentAgainAtTheNextRunOnceAFetchBroughtItsArchiveBack() {
    copies.markFailed(usb().id(), "the archive is no longer in BACKUP_DIR; this copy is given up", graph.clock.instant(), null);
    archives.fetchIfMissing(backup.fileName()); // a download of the remote only backup

    assertThat(backupDir.resolve(backup.fileName())).hasBinaryContent(Fixtures.archiveA());

    assertThat(offsite.runDue()).isEqualTo(1);

    assertThat(usb().state()).isEqualTo(Copy.State.VERIFIED);
  }

  private Copy usb() {
    return copies.findByBackup(backup.id()).stream().filter(c -> c.destination().equals("USB")).findFirst().orElseThrow();
  }
}
