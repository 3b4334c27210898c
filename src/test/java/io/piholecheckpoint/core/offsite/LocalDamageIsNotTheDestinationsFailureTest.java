package io.piholecheckpoint.core.offsite;

import static org.assertj.core.api.Assertions.assertThat;

import io.piholecheckpoint.core.backup.catalog.Backup;
import io.piholecheckpoint.core.offsite.catalog.OffsiteCatalog;
import io.piholecheckpoint.core.offsite.queue.Copy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Outsider 49 F6: a copy that could not be made because its local archive is damaged made a working destination 'failing'
 * (and, after OFFSITE_STALE_AFTER, /health degraded) and stood as the destination's error, hiding the destination's own failure.
 * The damage is the backup's (its verify error); the copy says it and waits; the destination, not contacted, shows none of it.
 */
class LocalDamageIsNotTheDestinationsFailureTest {
  @TempDir
  Path dir;

  @Test
  void aCopyOfADamagedLocalArchiveWaitsWithoutFailingTheDestinationOrStandingAsItsError() throws Exception {
    try (OffsiteGraph graph = OffsiteGraph.encrypted(dir, "NAS")) {
      Backup damaged = graph.backUp();
      Path file = graph.backupDir.resolve(damaged.fileName());
      byte[] bytes = Files.readAllBytes(file);
      bytes[bytes.length / 2] ^= 1;
      Files.write(file, bytes);

      graph.offsite.runDue();

      Copy copy = graph.copies.findByBackup(damaged.id()).get(0);
      assertThat(copy.lastError()).as(copy.toString()).contains("is damaged on this disk");
      assertThat(copy.nextAttemptAt()).as("tried again: a Verify or the file put back may mend it").isNotNull();
      assertThat(graph.backupRepository.findById(damaged.id()).orElseThrow().verifyError()).as("the backup's problem").isNotNull();
      OffsiteCatalog.DestinationStatus nas = graph.catalog.status().get(0);
      assertThat(nas.status()).as(nas.toString()).isEqualTo("pending");
      assertThat(nas.failingSince()).isNull();
      assertThat(nas.lastError()).isNull();
      assertThat(graph.catalog.failingLongerThan(Duration.ZERO)).isEmpty();
    }
  }
}
