package io.piholecheckpoint.scheduling;

import static org.assertj.core.api.Assertions.assertThat;

import io.piholecheckpoint.core.archive.ArchiveCipher;
import io.piholecheckpoint.core.archive.work.ArchiveWork;
import io.piholecheckpoint.core.offsite.OffsiteService;
import io.piholecheckpoint.core.offsite.RemotePruning;
import io.piholecheckpoint.core.offsite.copy.CopyOutcomes;
import io.piholecheckpoint.core.offsite.copy.CopyRunner;
import io.piholecheckpoint.core.offsite.copy.Uploads;
import io.piholecheckpoint.core.offsite.queue.Copy;
import io.piholecheckpoint.core.offsite.remote.DestinationConfig;
import io.piholecheckpoint.core.offsite.remote.OffsiteTarget;
import io.piholecheckpoint.offsite.file.FileDestination;
import io.piholecheckpoint.persistence.Database;
import io.piholecheckpoint.persistence.MyBatisBackupRepository;
import io.piholecheckpoint.persistence.MyBatisCopyRepository;
import io.piholecheckpoint.persistence.MyBatisInstanceRepository;
import io.piholecheckpoint.testing.MigratedDatabase;
import io.piholecheckpoint.testing.MovableClock;
import io.piholecheckpoint.testing.TestServices;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The daily job runs the local maintenance and then the off-site round. */
class MaintenanceJobTest {
  @TempDir
  Path dir;

  private final MovableClock clock = new MovableClock(Instant.parse("2026-12-03T04:15:00Z"));

  @Test
  void theDailyRoundReChecksTheOffsiteCopiesAfterTheLocalMaintenance() throws Exception {
    TestServices local = new TestServices(Files.createDirectories(dir.resolve("backups")), clock);
    try (Database database = MigratedDatabase.openAt(dir.resolve("checkpoint.db"))) {
      MyBatisCopyRepository copies = new MyBatisCopyRepository(database);
      MyBatisBackupRepository backups = new MyBatisBackupRepository(database);
      MyBatisInstanceRepository instances = new MyBatisInstanceRepository(database, clock);
      FileDestination nas = new FileDestination(new DestinationConfig("NAS", Files.createDirectories(dir.resolve("nas")).toUri(), Map.of(),
          Duration.ofSeconds(5)));
      OffsiteTarget target = new OffsiteTarget("NAS", nas, List.of(), OffsiteTarget.RemoteRetention.INSTANCES_OWN, true);
      OffsiteService offsite = new OffsiteService(new CopyRunner(List.of(target), copies, new Uploads(local.archives, ArchiveCipher.NONE, backups,
          instances), clock, CopyOutcomes.NONE), copies, new RemotePruning(copies, backups, instances, ZoneOffset.UTC, clock), clock);
      // a copy verified a day ago whose object is no longer there
      copies.enqueue(List.of(Copy.queued(7, 1, "NAS", "home.zip", "home/home.zip.gpg", clock.instant(), clock.instant())));
      long id = copies.findByBackup(7).get(0).id();
      copies.markCopied(id, 10, "0".repeat(64), clock.instant());
      copies.markVerified(id, clock.instant());
      clock.advance(Duration.ofDays(1));

      new MaintenanceJob(local.maintenance, ArchiveWork.unbounded(), offsite).execute(null);

      assertThat(copies.findById(id)).hasValueSatisfying(c -> {
        assertThat(c.state()).isEqualTo(Copy.State.FAILED);
        assertThat(c.lastError()).contains("vanished from");
      });
    }
  }
}
