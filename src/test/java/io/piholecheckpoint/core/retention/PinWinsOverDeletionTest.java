package io.piholecheckpoint.core.retention;

import io.piholecheckpoint.testing.BackupGraph;
import static org.assertj.core.api.Assertions.assertThat;
import java.time.Clock;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.piholecheckpoint.core.archive.Archive;
import io.piholecheckpoint.core.archive.ArchiveStore;
import io.piholecheckpoint.core.backup.catalog.Backup;
import io.piholecheckpoint.core.backup.catalog.BackupCatalog;
import io.piholecheckpoint.core.backup.catalog.BackupConflictException;
import io.piholecheckpoint.core.backup.BackupService;
import io.piholecheckpoint.core.backup.events.Events;
import io.piholecheckpoint.core.download.ArchiveDownloader;
import io.piholecheckpoint.core.download.DownloadPolicy;
import io.piholecheckpoint.core.instance.InstanceDefinition;
import io.piholecheckpoint.core.instance.PiholeInstance;
import io.piholecheckpoint.core.instance.RetentionPolicy;
import io.piholecheckpoint.core.instance.TlsTrust;
import io.piholecheckpoint.core.registry.InstanceService;
import io.piholecheckpoint.core.schedule.Schedule;
import io.piholecheckpoint.persistence.Database;
import io.piholecheckpoint.persistence.Dialect;
import io.piholecheckpoint.persistence.MyBatisBackupRepository;
import io.piholecheckpoint.persistence.MyBatisInstanceRepository;
import io.piholecheckpoint.storage.LocalArchiveStore;
import io.piholecheckpoint.teleporter.TeleporterContents;
import io.piholecheckpoint.teleporter.TeleporterInspector;
import io.piholecheckpoint.testing.MigratedDatabase;
import io.piholecheckpoint.testing.MovableClock;
import io.piholecheckpoint.testing.RecordingPause;
import io.piholecheckpoint.testing.ScriptedGateway;
import io.piholecheckpoint.testing.TestBackups;
import io.piholecheckpoint.testing.TestDialects;
import io.piholecheckpoint.testing.TestInstances;
import io.piholecheckpoint.testing.TestServices;
import io.piholecheckpoint.testing.TestTimes;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.ArgumentsSource;

/**
 * A pin and a deletion of the same backup, interleaved at the points where they used to race: the
 * repository runs the other side's step right after retention's read, right after its claim, or right
 * after a delete request's read (on the same thread, so the order is fixed, not timed). Real database
 * (both dialects), real files.
 */
@ParameterizedClass
@ArgumentsSource(TestDialects.class)
class PinWinsOverDeletionTest {
  private static final Instant NOW = Instant.parse("2026-11-27T03:00:00Z");

  @Parameter
  Dialect dialect;

  @TempDir
  Path dir;

  private Database database;
  private InterleavingBackups repository;
  private RetentionService retention;
  private BackupGraph service;
  private BackupCatalog catalog;
  private PiholeInstance home;
  private Backup older;
  private Backup newer;

  /** The repository with a step run once right after one of its calls: where the other party acts. */
  static final class InterleavingBackups extends MyBatisBackupRepository {
    Runnable afterRetentionRead = () -> { };
    Runnable afterClaim = () -> { };
    Runnable afterFind = () -> { };

    InterleavingBackups(Database database) {
      super(database);
    }

    @Override
    public List<Backup> findUpToOldestExpirable(long instanceId, int maxBackups, Instant cutoff) {
      List<Backup> read = super.findUpToOldestExpirable(instanceId, maxBackups, cutoff);
      runOnce(() -> afterRetentionRead, r -> afterRetentionRead = r);
      return read;
    }

    @Override
    public List<Expired> findExpiredWithoutKeepers(long instanceId, int maxBackups, Instant cutoff) {
      List<Expired> read = super.findExpiredWithoutKeepers(instanceId, maxBackups, cutoff);
      runOnce(() -> afterRetentionRead, r -> afterRetentionRead = r);
      return read;
    }

    @Override
    public Set<Long> claimForDeletion(List<Long> ids) {
      Set<Long> claimed = super.claimForDeletion(ids);
      runOnce(() -> afterClaim, r -> afterClaim = r);
      return claimed;
    }

    @Override
    public java.util.Optional<Backup> findById(long id) {
      java.util.Optional<Backup> found = super.findById(id);
      runOnce(() -> afterFind, r -> afterFind = r);
      return found;
    }

    private static void runOnce(java.util.function.Supplier<Runnable> step, java.util.function.Consumer<Runnable> replace) {
      Runnable now = step.get();
      replace.accept(() -> { });
      now.run();
    }
  }

  @BeforeEach
  void setUp() throws Exception {
    database = MigratedDatabase.open(dialect, Files.createDirectories(dir.resolve("db")));
    repository = new InterleavingBackups(database);
    InstanceService instances = TestInstances.service(new MyBatisInstanceRepository(database, MovableClock.ticking()));
    instances.applyEnvironment(List.of(new InstanceDefinition("HOME", "Home", "http://pi.hole", TlsTrust.SYSTEM, null, Schedule.DEFAULT,
        new RetentionPolicy(1, 0), false, true)));
    home = instances.list().get(0);
    Path backupDir = Files.createDirectories(dir.resolve("backups"));
    ArchiveStore archives = new LocalArchiveStore(backupDir, new TeleporterInspector(), d -> Long.MAX_VALUE);
    retention = new RetentionService(repository, archives, ZoneOffset.UTC, 7, Events.NONE);
    catalog = new BackupCatalog(instances, repository, archives);
    service = BackupGraph.of(catalog, instances, repository, new ArchiveDownloader(new ScriptedGateway(), TestServices.PASSWORD_ONLY,
        archives, DownloadPolicy.DEFAULT, new RecordingPause(), Clock.systemUTC()), archives, new TeleporterContents(Clock.systemUTC()), retention, MovableClock.ticking(),
        Events.NONE, TestTimes.UTC);
    older = stored("home_20261120T030000Z_aaaaaa.zip", NOW.minus(Duration.ofDays(7)));
    newer = stored("home_20261127T030000Z_bbbbbb.zip", NOW);
  }

  @AfterEach
  void close() {
    database.close();
  }

  private Backup stored(String fileName, Instant at) throws Exception {
    Files.writeString(dir.resolve("backups").resolve(fileName), "archive " + fileName);
    Backup template = TestBackups.aSuccess(0, home.id(), at);
    Archive archive = new Archive(fileName, 20, "sha-" + fileName, "content-" + fileName, template.archive().versions(),
        template.archive().summary(), null);
    return repository.insert(Backup.succeeded(home.id(), Backup.Trigger.SCHEDULED, archive, false, at, at));
  }

  private Path fileOf(Backup backup) {
    return dir.resolve("backups").resolve(backup.fileName());
  }

  @Test
  void aBackupPinnedAfterRetentionChoseItKeepsItsFileAndItsRecord() {
    repository.afterRetentionRead = () -> service.pin(older.id(), true);

    List<RetentionService.Deletion> deleted = retention.prune(home, NOW);

    assertThat(deleted).isEmpty();
    assertThat(fileOf(older)).exists();
    assertThat(repository.findById(older.id())).hasValueSatisfying(b -> {
      assertThat(b.pinned()).isTrue();
      assertThat(b.deleting()).isFalse();
    });
  }

  @Test
  void aPinOfABackupRetentionHasClaimedIsRefusedWithAReasonAndTheDeletionCompletes() {
    List<Throwable> refused = new java.util.ArrayList<>();
    repository.afterClaim = () -> refused.add(org.assertj.core.api.Assertions.catchThrowable(() -> service.pin(older.id(), true)));

    List<RetentionService.Deletion> deleted = retention.prune(home, NOW);

    assertThat(refused).hasSize(1);
    assertThat(refused.get(0)).isInstanceOf(BackupConflictException.class).hasMessage("backup " + older.id() + " is being deleted (by retention or a delete request) and can no longer be pinned");
    assertThat(deleted).extracting(d -> d.backup().id()).containsExactly(older.id());
    assertThat(fileOf(older)).doesNotExist();
    assertThat(repository.findById(older.id())).isEmpty();
    assertThat(fileOf(newer)).exists();
  }

  @Test
  void aDeleteRequestForABackupPinnedAfterItWasReadIsRefusedAndKeepsTheFile() {
    repository.afterFind = () -> service.pin(older.id(), true);

    assertThatThrownBy(() -> service.delete(older.id())).isInstanceOf(BackupConflictException.class)
        .hasMessage("backup " + older.id() + " is pinned; unpin it before deleting it");
    assertThat(fileOf(older)).exists();
    assertThat(repository.findById(older.id())).hasValueSatisfying(b -> assertThat(b.pinned()).isTrue());
  }

  @Test
  void theArchiveOfABackupBeingDeletedIsNoLongerOpened() {
    repository.afterClaim = () -> assertThatThrownBy(() -> catalog.archiveOf(older.id())).isInstanceOf(BackupConflictException.class)
        .hasMessageContaining("is being deleted");

    retention.prune(home, NOW);

    assertThat(repository.findById(older.id())).isEmpty();
  }

  @Test
  void aDeletionCutShortIsCompletedAtTheNextStartAndCannotBePinnedMeanwhile() {
    assertThat(repository.claimForDeletion(List.of(older.id(), newer.id()))).containsExactly(older.id(), newer.id());
    repository.releaseDeletion(newer.id()); // a file that could not be deleted gives its backup back

    assertThatThrownBy(() -> service.pin(older.id(), true)).isInstanceOf(BackupConflictException.class);
    assertThat(retention.finishCutShort()).isEqualTo(1);

    assertThat(fileOf(older)).doesNotExist();
    assertThat(repository.findById(older.id())).isEmpty();
    assertThat(fileOf(newer)).exists();
    assertThat(service.pin(newer.id(), true).pinned()).isTrue();
    assertThat(repository.findClaimedForDeletion()).isEmpty();
  }
}
