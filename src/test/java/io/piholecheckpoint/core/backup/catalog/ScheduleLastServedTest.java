package io.piholecheckpoint.core.backup.catalog;

import static org.assertj.core.api.Assertions.assertThat;

import io.piholecheckpoint.testing.InMemoryBackupRepository;
import io.piholecheckpoint.testing.InMemoryInstanceRepository;
import io.piholecheckpoint.testing.TestBackups;
import io.piholecheckpoint.testing.TestInstances;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class ScheduleLastServedTest {
  private final InMemoryBackupRepository backups = new InMemoryBackupRepository();
  private final BackupCatalog catalog = new BackupCatalog(TestInstances.service(new InMemoryInstanceRepository()), backups, null);

  @Test
  void aRunThatFoundThePiholeUnchangedServedTheScheduleAtItsOwnTime() {
    Instant t = Instant.parse("2026-11-27T03:00:00Z");
    Backup kept = backups.insert(TestBackups.aSuccess(0, 1, t));
    backups.insert(TestBackups.aFailure(0, 1, t.plusSeconds(60)));
    backups.markStillCurrent(kept.id(), t.plusSeconds(3600));

    assertThat(catalog.scheduleLastServed(1)).as("no catch-up at start for a fire the unchanged run served").contains(t.plusSeconds(3600));
  }
}
