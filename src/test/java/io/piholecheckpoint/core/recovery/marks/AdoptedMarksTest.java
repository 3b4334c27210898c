package io.piholecheckpoint.core.recovery.marks;

import static org.assertj.core.api.Assertions.assertThat;

import io.piholecheckpoint.core.archive.Archive;
import io.piholecheckpoint.core.archive.ContentSummary;
import io.piholecheckpoint.core.backup.catalog.Backup;
import io.piholecheckpoint.testing.InMemoryBackupRepository;
import io.piholecheckpoint.testing.TestBackups;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class AdoptedMarksTest {
  private static final long HOME = 1;
  private final InMemoryBackupRepository backups = new InMemoryBackupRepository();
  private final Instant t = Instant.parse("2026-12-01T03:00:00Z");

  /**
   * A manifest that does not say how its backup was judged: a backup taken from the Pi-hole is judged against the last good one
   * taken from it, as a download is, not against a bigger upload between them (which would flag an unchanged Pi-hole).
   */
  @Test
  void anAdoptedBackupTakenFromThePiholeIsJudgedAgainstTheLastOneTakenFromItNotAnUpload() {
    backups.insert(TestBackups.aSuccess(0, HOME, t));
    ContentSummary bigger = new ContentSummary(2, 2, 1, 0, 300_000, 1, 0, 1, 1, 1, 10);
    Archive big = TestBackups.anArchive("home_upload.zip", "content-upload");
    backups.insert(TestBackups.imported(new Backup(0, HOME, Backup.Status.SUCCESS, Backup.Trigger.IMPORTED,
        new Archive(big.fileName(), big.sizeBytes(), big.sha256(), big.contentHash(), big.versions(), bigger, null),
        null, null, t.plusSeconds(3600), t.plusSeconds(3600), null, false, false, false, null)));

    Backup adopted = AdoptedMarks.record(HOME, TestBackups.anArchive("home_adopted.zip", "content-adopted"), "scheduled", null, false,
        t.plusSeconds(7200), t.plusSeconds(7200), backups);
    Backup adoptedUpload = AdoptedMarks.record(HOME, TestBackups.anArchive("home_adopted_upload.zip", "content-adopted-upload"), "imported",
        null, false, t.plusSeconds(5400), t.plusSeconds(5400), backups); // after the upload, before the adopted backup

    assertThat(adopted.suspicious()).as("the Pi-hole held what its backup before held").isFalse();
    assertThat(adoptedUpload.suspicious()).as("an upload is compared with the last good backup, an upload included").isTrue();
  }
}
