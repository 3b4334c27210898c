package io.piholecheckpoint.core.recovery.fetch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.piholecheckpoint.core.archive.ArchiveCipher;
import io.piholecheckpoint.core.archive.ArchiveStore;
import io.piholecheckpoint.core.archive.WrongPassphraseException;
import io.piholecheckpoint.core.backup.BackupService;
import io.piholecheckpoint.core.backup.catalog.Backup;
import io.piholecheckpoint.core.backup.catalog.BackupCatalog;
import io.piholecheckpoint.core.backup.events.Events;
import io.piholecheckpoint.core.download.ArchiveDownloader;
import io.piholecheckpoint.core.download.DownloadPolicy;
import io.piholecheckpoint.core.instance.InstanceDefinition;
import io.piholecheckpoint.core.instance.RetentionPolicy;
import io.piholecheckpoint.core.instance.TlsTrust;
import io.piholecheckpoint.core.offsite.CopyOnBackup;
import io.piholecheckpoint.core.offsite.OffsiteService;
import io.piholecheckpoint.core.offsite.RemotePruning;
import io.piholecheckpoint.core.offsite.copy.CopyRunner;
import io.piholecheckpoint.core.offsite.copy.Uploads;
import io.piholecheckpoint.core.offsite.remote.DestinationConfig;
import io.piholecheckpoint.core.offsite.remote.OffsiteTarget;
import io.piholecheckpoint.core.registry.InstanceService;
import io.piholecheckpoint.core.retention.RetentionService;
import io.piholecheckpoint.core.schedule.Schedule;
import io.piholecheckpoint.crypto.OpenPgpArchiveCipher;
import io.piholecheckpoint.offsite.file.FileDestination;
import io.piholecheckpoint.persistence.Database;
import io.piholecheckpoint.persistence.MyBatisBackupRepository;
import io.piholecheckpoint.persistence.MyBatisCopyRepository;
import io.piholecheckpoint.persistence.MyBatisInstanceRepository;
import io.piholecheckpoint.storage.LocalArchiveStore;
import io.piholecheckpoint.teleporter.TeleporterContents;
import io.piholecheckpoint.teleporter.TeleporterInspector;
import io.piholecheckpoint.testing.Fixtures;
import io.piholecheckpoint.testing.MigratedDatabase;
import io.piholecheckpoint.testing.MovableClock;
import io.piholecheckpoint.testing.RecordingPause;
import io.piholecheckpoint.testing.ScriptedGateway;
import io.piholecheckpoint.testing.TestInstances;
import io.piholecheckpoint.testing.TestServices;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A backup kept remote only, its copy encrypted on the way, checked by a Pi-hole Checkpoint that runs with another
 * passphrase (a recovery with the wrong BACKUP_ENCRYPTION_PASSPHRASE): the copy is what was sent, and still it is no
 * usable backup.
 */
class WrongPassphraseVerifyTest {
  @TempDir
  Path dir;

  private final MovableClock clock = new MovableClock(Instant.parse("2026-12-02T03:00:00Z"));
  private Database database;

  @AfterEach
  void close() {
    if (database != null) {
      database.close();
    }
  }

  @Test
  void aCopyTheConfiguredPassphraseDoesNotOpenFailsVerificationAndKeepsNothingOnDisk() throws Exception {
    database = MigratedDatabase.openAt(dir.resolve("checkpoint.db"));
    MyBatisCopyRepository copies = new MyBatisCopyRepository(database);
    MyBatisBackupRepository backupRepository = new MyBatisBackupRepository(database);
    MyBatisInstanceRepository instanceRepository = new MyBatisInstanceRepository(database, clock);
    InstanceService instances = TestInstances.service(instanceRepository);
    Path root = Files.createDirectories(dir.resolve("nas"));
    List<OffsiteTarget> targets = List.of(new OffsiteTarget("NAS", new FileDestination(new DestinationConfig("NAS", root.toUri(), Map.of(),
        Duration.ofSeconds(5))), List.of(), OffsiteTarget.RemoteRetention.INSTANCES_OWN, true));
    Path backupDir = Files.createDirectories(dir.resolve("backups"));
    LocalArchiveStore local = new LocalArchiveStore(backupDir, new TeleporterInspector(), ArchiveStore.FreeSpace.OF_FILE_STORE, ArchiveCipher.NONE);
    ArchiveCipher written = new OpenPgpArchiveCipher("correct horse battery staple".toCharArray());
    ArchiveStore archives = new FetchingArchiveStore(local, copies, backupRepository, targets, written, clock);
    OffsiteService offsite = new OffsiteService(new CopyRunner(targets, copies, new Uploads(archives, written, backupRepository, instanceRepository),
        clock, (d, o) -> { }), copies, new RemotePruning(copies, backupRepository, instanceRepository, ZoneOffset.UTC, clock), clock, Map.of());
    ScriptedGateway gateway = new ScriptedGateway();
    BackupService backups = new BackupService(new BackupCatalog(instances, backupRepository, archives), instances, backupRepository,
        new ArchiveDownloader(gateway, TestServices.PASSWORD_ONLY, archives, DownloadPolicy.DEFAULT, new RecordingPause()), archives,
        new TeleporterContents(), new RetentionService(backupRepository, archives, ZoneOffset.UTC, 7, Events.NONE), clock,
        new CopyOnBackup(offsite, () -> { }));
    instances.applyEnvironment(List.of(new InstanceDefinition("HOME", "Home", "http://pi.hole", TlsTrust.SYSTEM, null, Schedule.DEFAULT,
        new RetentionPolicy(10, 0), false, true)));
    gateway.answer(Fixtures.archiveA());
    Backup backup = backups.runBackup(instances.list().get(0).id(), Backup.Trigger.MANUAL);
    assertThat(offsite.runDue()).isEqualTo(1);
    Files.delete(backupDir.resolve(backup.fileName()));
    ArchiveStore recovered = new FetchingArchiveStore(local, copies, backupRepository, targets,
        new OpenPgpArchiveCipher("not the passphrase it was written with".toCharArray()), clock);

    assertThat(recovered.verify(backup.archive())).hasValueSatisfying(problem -> assertThat(problem)
        .contains("cannot decrypt", "is BACKUP_ENCRYPTION_PASSPHRASE the passphrase it was written with?"));
    try (var files = Files.walk(backupDir)) {
      assertThat(files.filter(Files::isRegularFile)).as("no archive, plain or not, kept on this disk").isEmpty();
    }
    assertThat(archives.verify(backup.archive())).as("the passphrase it was written with opens it").isEmpty();
    assertThatThrownBy(() -> recovered.open(backup.fileName())).isInstanceOf(WrongPassphraseException.class);
  }
}
