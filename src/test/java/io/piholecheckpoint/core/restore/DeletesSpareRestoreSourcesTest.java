package io.piholecheckpoint.core.restore;

import io.piholecheckpoint.testing.BackupGraph;
import io.piholecheckpoint.testing.TestTimes;
import java.time.Clock;
import io.piholecheckpoint.core.restore.parts.RestoreMode;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.piholecheckpoint.core.archive.Archive;
import io.piholecheckpoint.core.archive.ArchiveStore;
import io.piholecheckpoint.core.backup.BackupService;
import io.piholecheckpoint.core.backup.catalog.Backup;
import io.piholecheckpoint.core.backup.catalog.BackupCatalog;
import io.piholecheckpoint.core.backup.catalog.BackupConflictException;
import io.piholecheckpoint.core.backup.catalog.DeletionClaim;
import io.piholecheckpoint.core.backup.events.Events;
import io.piholecheckpoint.core.download.ArchiveDownloader;
import io.piholecheckpoint.core.download.DownloadPolicy;
import io.piholecheckpoint.core.instance.PiholeInstance;
import io.piholecheckpoint.core.registry.InstanceService;
import io.piholecheckpoint.core.restore.record.Restore;
import io.piholecheckpoint.core.retention.RetentionService;
import io.piholecheckpoint.core.settings.InstanceForm;
import io.piholecheckpoint.persistence.Database;
import io.piholecheckpoint.persistence.Dialect;
import io.piholecheckpoint.persistence.MyBatisBackupRepository;
import io.piholecheckpoint.persistence.MyBatisInstanceRepository;
import io.piholecheckpoint.persistence.MyBatisRestoreRepository;
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
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.ArgumentsSource;

/**
 * A delete request (of a backup, or of an instance with its backups) and a restore of one of those backups: whichever
 * comes second is refused, naming the other, and the backup's file and record stay. Real database (both dialects), real
 * files; the restore queued "at the same moment" is queued right after the deletion's claim, on the same thread.
 */
@ParameterizedClass
@ArgumentsSource(TestDialects.class)
class DeletesSpareRestoreSourcesTest {
  private static final Instant NOW = Instant.parse("2026-12-05T03:00:00Z");

  @Parameter
  Dialect dialect;

  @TempDir
  Path dir;

  private Database database;
  private ClaimingBackups repository;
  private MyBatisRestoreRepository restores;
  private BackupGraph service;
  private InstanceService instances;
  private PiholeInstance lab;
  private PiholeInstance office;
  private Backup source;

  /** The repository with a step run once right after a delete request's claim: where a restore is queued meanwhile. */
  static final class ClaimingBackups extends MyBatisBackupRepository {
    Runnable afterClaim = () -> { };

    ClaimingBackups(Database database) {
      super(database);
    }

    @Override
    public DeletionClaim claimUnlessRestoring(List<Long> ids, boolean evenPinned) {
      DeletionClaim claim = super.claimUnlessRestoring(ids, evenPinned);
      Runnable now = afterClaim;
      afterClaim = () -> { };
      now.run();
      return claim;
    }
  }

  @BeforeEach
  void setUp() throws Exception {
    database = MigratedDatabase.open(dialect, Files.createDirectories(dir.resolve("db")));
    repository = new ClaimingBackups(database);
    restores = new MyBatisRestoreRepository(database);
    instances = TestInstances.service(new MyBatisInstanceRepository(database, MovableClock.ticking()));
    lab = instances.create(form("Lab"));
    office = instances.create(form("Office"));
    Path backupDir = Files.createDirectories(dir.resolve("backups"));
    ArchiveStore archives = new LocalArchiveStore(backupDir, new TeleporterInspector(), d -> Long.MAX_VALUE);
    RetentionService retention = new RetentionService(repository, archives, ZoneOffset.UTC, 7, Events.NONE, restores::unfinishedSources);
    service = BackupGraph.of(new BackupCatalog(instances, repository, archives), instances, repository, new ArchiveDownloader(
        new ScriptedGateway(), TestServices.PASSWORD_ONLY, archives, DownloadPolicy.DEFAULT, new RecordingPause(), Clock.systemUTC()), archives,
        new TeleporterContents(Clock.systemUTC()), retention, MovableClock.ticking(), Events.NONE, TestTimes.UTC);
    source = stored("lab_20261205T030000Z_aaaaaa.zip");
  }

  @AfterEach
  void close() {
    database.close();
  }

  private static InstanceForm form(String name) {
    InstanceForm b = InstanceForm.blank();
    return new InstanceForm(name, "http://" + name.toLowerCase() + ".lan", "pw", null, b.tlsMode(), b.caPem(), b.fingerprint(),
        b.timeoutSeconds(), b.scheduleKind(), b.time(), b.day(), b.cron(), b.maxBackups(), b.maxAgeDays(), b.keepDaily(), b.keepWeekly(),
        b.keepMonthly(), false, true);
  }

  private Backup stored(String fileName) throws Exception {
    Files.writeString(fileOf(fileName), "archive " + fileName);
    Backup template = TestBackups.aSuccess(0, lab.id(), NOW);
    Archive archive = new Archive(fileName, 20, "sha-" + fileName, "content-" + fileName, template.archive().versions(),
        template.archive().summary(), null);
    return repository.insert(Backup.succeeded(lab.id(), Backup.Trigger.SCHEDULED, archive, false, NOW, NOW));
  }

  private Path fileOf(String fileName) {
    return dir.resolve("backups").resolve(fileName);
  }

  private Restore restoreTo(PiholeInstance target, Restore.State state) {
    return restores.insert(new Restore(0, source.id(), target.id(), RestoreMode.LISTS, state, null, "waiting for its turn", List.of(),
        List.of(), NOW, null));
  }

  private void assertKept() {
    assertThat(fileOf(source.fileName())).exists();
    assertThat(repository.findById(source.id())).hasValueSatisfying(b -> assertThat(b.deleting()).isFalse());
  }

  @Test
  void aBackupAQueuedRestoreIsAboutToReadIsNotDeletedAndTheRefusalNamesTheRestore() {
    Restore restore = restoreTo(lab, Restore.State.QUEUED);

    assertThatThrownBy(() -> service.delete(source.id())).isInstanceOf(BackupConflictException.class)
        .hasMessage("backup %d is the source of restore %d, queued; delete it after the restore ends", source.id(), restore.id());
    assertKept();
  }

  @Test
  void onceTheRestoreHasEndedTheBackupCanBeDeleted() {
    Restore restore = restoreTo(lab, Restore.State.RUNNING);
    assertThatThrownBy(() -> service.delete(source.id())).hasMessageContaining("restore %d, running".formatted(restore.id()));

    restores.update(new Restore(restore.id(), source.id(), lab.id(), RestoreMode.LISTS, Restore.State.VERIFIED, null, "done", List.of(),
        List.of(), NOW, NOW));
    service.delete(source.id());

    assertThat(fileOf(source.fileName())).doesNotExist();
    assertThat(repository.findById(source.id())).isEmpty();
  }

  @Test
  void anInstanceWhoseBackupARestoreToAnotherInstanceReadsIsNotDeletedWithItsBackups() throws Exception {
    Backup other = stored("lab_20261204T030000Z_bbbbbb.zip");
    Restore restore = restoreTo(office, Restore.State.RUNNING);

    assertThatThrownBy(() -> service.deleteInstance(lab.id(), true)).isInstanceOf(BackupConflictException.class)
        .hasMessageStartingWith("backup %d is the source of restore %d, running; delete it after the restore ends", source.id(), restore.id());
    assertKept();
    assertThat(fileOf(other.fileName())).exists();
    assertThat(repository.findById(other.id())).hasValueSatisfying(b -> assertThat(b.deleting()).as("nothing claimed").isFalse());
    assertThat(instances.find(lab.id()).removed()).isFalse();
  }

  @Test
  void aRestoreQueuedRightAfterADeleteRequestClaimedItsBackupIsRefusedAndNothingIsRecorded() {
    List<Throwable> refused = new java.util.ArrayList<>();
    repository.afterClaim = () -> refused.add(org.assertj.core.api.Assertions.catchThrowable(() -> restoreTo(lab, Restore.State.QUEUED)));

    service.delete(source.id());

    assertThat(refused).hasSize(1);
    assertThat(refused.get(0)).isInstanceOf(BackupConflictException.class).hasMessage("backup %d is being deleted; restore another backup", source.id());
    assertThat(restores.findByTarget(lab.id(), 10)).isEmpty();
    assertThat(fileOf(source.fileName())).doesNotExist();
  }

  /** Retention reads the restores' sources before it plans; one queued after that read is seen by its claim. */
  @Test
  void retentionsClaimPassesOverABackupARestoreReadsAndClaimsTheOthers() throws Exception {
    Backup other = stored("lab_20261204T030000Z_bbbbbb.zip");
    restoreTo(office, Restore.State.QUEUED);

    assertThat(repository.claimForDeletion(List.of(source.id(), other.id()))).containsExactly(other.id());
    assertKept();
  }

  @Test
  void anInstanceDeletedWithItsBackupsRefusesARestoreOfThemQueuedMeanwhile() {
    List<Throwable> refused = new java.util.ArrayList<>();
    repository.afterClaim = () -> refused.add(org.assertj.core.api.Assertions.catchThrowable(() -> restoreTo(office, Restore.State.QUEUED)));

    service.deleteInstance(lab.id(), true);

    assertThat(refused).hasSize(1);
    assertThat(refused.get(0)).isInstanceOf(BackupConflictException.class);
    assertThat(restores.findByTarget(office.id(), 10)).isEmpty();
  }
}
