package io.piholecheckpoint.core.offsite;

import static org.assertj.core.api.Assertions.assertThat;

import io.piholecheckpoint.core.archive.ArchiveCipher;
import io.piholecheckpoint.core.archive.ArchiveStore;
import io.piholecheckpoint.core.backup.BackupService;
import io.piholecheckpoint.core.backup.catalog.Backup;
import io.piholecheckpoint.core.backup.catalog.BackupCatalog;
import io.piholecheckpoint.core.backup.events.Events;
import io.piholecheckpoint.core.download.ArchiveDownloader;
import io.piholecheckpoint.core.download.DownloadPolicy;
import io.piholecheckpoint.core.instance.InstanceDefinition;
import io.piholecheckpoint.core.instance.RetentionPolicy;
import io.piholecheckpoint.core.instance.TlsTrust;
import io.piholecheckpoint.core.offsite.copy.Copy;
import io.piholecheckpoint.core.offsite.copy.CopyRunner;
import io.piholecheckpoint.core.offsite.copy.Uploads;
import io.piholecheckpoint.core.offsite.remote.DestinationConfig;
import io.piholecheckpoint.core.offsite.remote.OffsiteTarget;
import io.piholecheckpoint.core.recovery.fetch.FetchingArchiveStore;
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
 * The daily re-check of a backup kept remote only, at two directory destinations, one of whose copies
 * was changed there: the damaged copy is sent again from the archive fetched back from the sound one,
 * as it would be from an archive still on this disk, not given up.
 */
class RemoteOnlyRecheckTest {
  @TempDir
  Path dir;

  private final MovableClock clock = new MovableClock(Instant.parse("2026-12-02T03:00:00Z"));
  private final ArchiveCipher cipher = new OpenPgpArchiveCipher("correct horse battery staple".toCharArray());
  private Database database;

  @AfterEach
  void close() {
    if (database != null) {
      database.close();
    }
  }

  private OffsiteTarget target(String name) throws Exception {
    Path root = Files.createDirectories(dir.resolve(name.toLowerCase()));
    return new OffsiteTarget(name, new FileDestination(new DestinationConfig(name, root.toUri(), Map.of(), Duration.ofSeconds(5))), List.of(),
        OffsiteTarget.RemoteRetention.INSTANCES_OWN, true);
  }

  @Test
  void aDamagedCopyOfARemoteOnlyBackupIsSentAgainFromASoundCopyElsewhere() throws Exception {
    database = MigratedDatabase.openAt(dir.resolve("checkpoint.db"));
    MyBatisCopyRepository copies = new MyBatisCopyRepository(database);
    MyBatisBackupRepository backupRepository = new MyBatisBackupRepository(database);
    MyBatisInstanceRepository instanceRepository = new MyBatisInstanceRepository(database, clock);
    InstanceService instances = TestInstances.service(instanceRepository);
    List<OffsiteTarget> targets = List.of(target("NAS"), target("USB"));
    Path backupDir = Files.createDirectories(dir.resolve("backups"));
    ArchiveStore archives = new FetchingArchiveStore(new LocalArchiveStore(backupDir, new TeleporterInspector(), ArchiveStore.FreeSpace.OF_FILE_STORE,
        ArchiveCipher.NONE), copies, backupRepository, targets, cipher, clock);
    OffsiteService offsite = new OffsiteService(new CopyRunner(targets, copies, new Uploads(archives, cipher, backupRepository, instanceRepository),
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
    assertThat(offsite.runDue()).isEqualTo(2);
    Files.delete(backupDir.resolve(backup.fileName()));
    Copy usb = copies.findByBackup(backup.id()).stream().filter(c -> c.destination().equals("USB")).findFirst().orElseThrow();
    Path stored = dir.resolve("usb").resolve(usb.remoteKey());
    byte[] tampered = Files.readAllBytes(stored);
    tampered[tampered.length / 2] ^= 1;
    Files.write(stored, tampered);
    clock.advance(Duration.ofDays(8)); // every copy is due for its weekly read back

    offsite.runDaily();

    Copy damaged = copies.findById(usb.id()).orElseThrow();
    assertThat(damaged.state()).isEqualTo(Copy.State.FAILED);
    assertThat(damaged.lastError()).contains("failed verification (found when re-checked)", "it is sent again");
    assertThat(backupDir.resolve(backup.fileName())).as("fetched back from NAS to send USB's copy from").hasBinaryContent(Fixtures.archiveA());
    assertThat(copies.findByBackup(backup.id())).filteredOn(c -> c.destination().equals("NAS")).singleElement()
        .satisfies(c -> assertThat(c.state()).isEqualTo(Copy.State.VERIFIED));

    assertThat(offsite.runDue()).isEqualTo(1);

    assertThat(copies.findById(usb.id()).orElseThrow().state()).isEqualTo(Copy.State.VERIFIED);
    assertThat(Files.readAllBytes(stored)).isNotEqualTo(tampered);
  }
}
