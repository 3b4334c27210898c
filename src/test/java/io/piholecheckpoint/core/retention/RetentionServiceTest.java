package io.piholecheckpoint.core.retention;

import static io.piholecheckpoint.testing.TestBackups.aFailure;
import static io.piholecheckpoint.testing.TestBackups.aSuccess;
import static io.piholecheckpoint.testing.TestInstances.aDefinition;
import static org.assertj.core.api.Assertions.assertThat;

import io.piholecheckpoint.core.backup.catalog.Backup;
import io.piholecheckpoint.core.instance.PiholeInstance;
import io.piholecheckpoint.core.registry.InstanceService;
import io.piholecheckpoint.storage.LocalArchiveStore;
import io.piholecheckpoint.teleporter.TeleporterInspector;
import io.piholecheckpoint.testing.InMemoryBackupRepository;
import io.piholecheckpoint.testing.InMemoryInstanceRepository;
import io.piholecheckpoint.testing.TestInstances;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RetentionServiceTest {
  private static final Instant NOW = Instant.parse("2026-11-27T03:00:00Z");

  @TempDir
  Path dir;

  private final InMemoryBackupRepository backups = new InMemoryBackupRepository();
  private RetentionService retention;
  private PiholeInstance home;

  @BeforeEach
  void setUp() {
    retention = new RetentionService(backups, new LocalArchiveStore(dir, new TeleporterInspector(), d -> Long.MAX_VALUE), ZoneOffset.UTC, 7, io.piholecheckpoint.core.backup.events.Events.NONE);
    InstanceService instances = TestInstances.service(new InMemoryInstanceRepository());
    instances.applyEnvironment(List.of(aDefinition("HOME", "http://a")));
    home = instances.list().get(0);
  }

  @Test
  void expiresOldFailedRecordsButKeepsTheLatestFailure() {
    backups.add(aFailure(1, home.id(), NOW.minus(Duration.ofDays(30))));
    backups.add(aFailure(2, home.id(), NOW.minus(Duration.ofDays(20))));
    backups.add(aFailure(3, home.id(), NOW.minus(Duration.ofDays(10))));
    backups.add(aFailure(4, home.id(), NOW.minus(Duration.ofDays(1))));

    List<RetentionService.Deletion> pruned = retention.prune(home, NOW);

    assertThat(pruned).extracting(d -> d.backup().id()).containsExactly(3L, 2L, 1L);
    assertThat(pruned).extracting(RetentionService.Deletion::reason).containsOnly("failed record older than FAILED_RECORD_DAYS=7");
    assertThat(backups.all()).extracting(Backup::id).containsExactly(4L);
  }

  @Test
  void keepsAFailedRecordOlderThanTheLimitWhenItIsTheLatestFailure() {
    backups.add(aFailure(1, home.id(), NOW.minus(Duration.ofDays(30))));

    assertThat(retention.prune(home, NOW)).isEmpty();
  }

  @Test
  void deletesTheFileThenTheRecord() throws Exception {
    Backup newest = aSuccess(2, home.id(), NOW);
    Backup old = aSuccess(1, home.id(), NOW.minus(Duration.ofDays(40)));
    backups.add(newest);
    backups.add(old);
    Path oldFile = Files.writeString(dir.resolve(old.fileName().replace("home_1.zip", "home_20260101T000000Z_aaaaaa.zip")), "x");
    Backup oldWithRealName = new Backup(old.id(), old.instanceId(), old.status(), old.trigger(),
        new io.piholecheckpoint.core.archive.Archive(oldFile.getFileName().toString(), 1, "x", "y", old.archive().versions(), old.archive().summary(), null),
        null, null, old.startedAt(), old.finishedAt(), null, false, false, false, null);
    backups.delete(old.id());
    backups.add(oldWithRealName);

    retention.prune(home, NOW);

    assertThat(oldFile).doesNotExist();
    assertThat(backups.all()).extracting(Backup::id).containsExactly(2L);
  }

  @Test
  void previewsWithoutDeleting() {
    backups.add(aSuccess(2, home.id(), NOW));
    backups.add(aSuccess(1, home.id(), NOW.minus(Duration.ofDays(40))));

    List<RetentionService.Deletion> plan = retention.preview(home, NOW);

    assertThat(plan).extracting(d -> d.backup().id()).containsExactly(1L);
    assertThat(backups.all()).hasSize(2);
  }
}
