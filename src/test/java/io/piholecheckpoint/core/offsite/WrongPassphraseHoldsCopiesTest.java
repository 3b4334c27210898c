package io.piholecheckpoint.core.offsite;

import static org.assertj.core.api.Assertions.assertThat;

import io.piholecheckpoint.core.offsite.catalog.OffsiteCatalog;
import io.piholecheckpoint.core.backup.catalog.Backup;
import io.piholecheckpoint.core.offsite.queue.Copy;
import io.piholecheckpoint.crypto.OpenPgpArchiveCipher;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Archives stored encrypted here, and a start with a BACKUP_ENCRYPTION_PASSPHRASE that does not open them: their copies to a
 * directory destination wait, said as the passphrase problem it is, the destination is not told as failing, and a start with
 * the right passphrase copies them at its first run.
 */
class WrongPassphraseHoldsCopiesTest {
  @TempDir
  Path dir;

  @Test
  void aLocalArchiveTheStartsPassphraseDoesNotOpenHoldsItsCopyWithoutFailingTheDestinationAndTheRightOneCopiesIt() throws Exception {
    OffsiteGraph right = OffsiteGraph.encryptedHereToo(dir, new OpenPgpArchiveCipher(OffsiteGraph.PASSPHRASE.toCharArray()), "NAS");
    Backup backup = right.backUp(); // queued, not copied before the stop
    right.close();
    OffsiteGraph wrong = OffsiteGraph.restartedWith(right, new OpenPgpArchiveCipher("not the passphrase".toCharArray()));

    try (wrong) {
      assertThat(wrong.offsite.runDue()).isZero();
      wrong.clock.advance(Duration.ofMinutes(10));
      assertThat(wrong.offsite.runDue()).isZero();

      Copy copy = wrong.copies.findByBackup(backup.id()).get(0);
      assertThat(copy.state()).as(copy.toString()).isEqualTo(Copy.State.PENDING);
      assertThat(copy.attempts()).isZero();
      assertThat(copy.failedSince()).isNull();
      assertThat(copy.lastError()).contains("BACKUP_ENCRYPTION_PASSPHRASE", "cannot be decrypted", "not at fault")
          .doesNotContain("reading the local archive failed");
      OffsiteCatalog.DestinationStatus nas = wrong.catalog.status().get(0);
      assertThat(nas.status()).as(nas.toString()).isEqualTo("pending");
      assertThat(nas.failingSince()).isNull();
      assertThat(wrong.catalog.failingLongerThan(Duration.ZERO)).isEmpty();
    }

    try (OffsiteGraph fixed = OffsiteGraph.restartedWith(wrong, new OpenPgpArchiveCipher(OffsiteGraph.PASSPHRASE.toCharArray()))) {
      fixed.clock.advance(Duration.ofMinutes(11)); // the same instant as the wrong start's last run: the copy's hold is not over

      assertThat(fixed.offsite.runDue()).as("copied at the first run of the start with the right passphrase").isEqualTo(1);
      assertThat(fixed.copies.findByBackup(backup.id()).get(0).state()).isEqualTo(Copy.State.VERIFIED);
    }
  }
}
