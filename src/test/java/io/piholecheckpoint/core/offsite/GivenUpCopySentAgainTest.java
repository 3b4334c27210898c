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
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A copy that could not be made while the archive was on this disk (its destination down), at two directory destinations:
 * once the local archive is gone, it is made from the sound copy at the other one, and a copy given up for want of the
 * archive is sent again as soon as the archive is back here by a fetch.
 */
class GivenUpCopySentAgainTest {
  @TempDir
  Path dir;

  private final MovableClock clock = new MovableClock(Instant.parse("2026-12-02T03:00:00Z"));
  private final ArchiveCipher cipher = new OpenPgpArchiveCipher("correct horse battery staple".toCharArray());
  private Database database;
  private MyBatisCopyRepository copies;
  private ArchiveStore archives;
  private OffsiteService offsite;
  private Path backupDir;
  private Path usbRoot;
  private Backup backup;

  @BeforeEach
  void backupCopiedToNasOnlyWhileUsbIsDown() throws Exception {
    database = MigratedDatabase.openAt(dir.resolve("checkpoint.db"));
    copies = new MyBatisCopyRepository(database);
    MyBatisBackupRepository backupRepository = new MyBatisBackupRepository(database);
    MyBatisInstanceRepository instanceRepository = new MyBatisInstanceRepository(database, clock);
    InstanceService instances = TestInstances.service(instanceRepository);
    List<OffsiteTarget> targets = List.of(target("NAS"), target("USB"));
    usbRoot = dir.resolve("usb");
    backupDir = Files.createDirectories(dir.resolve("backups"));
    archives = new FetchingArchiveStore(new LocalArchiveStore(backupDir, new TeleporterInspector(), ArchiveStore.FreeSpace.OF_FILE_STORE,
        ArchiveCipher.NONE), copies, backupRepository, targets, cipher, clock);
    offsite = new OffsiteService(new CopyRunner(targets, copies, new Uploads(archives, cipher, backupRepository, instanceRepository),
        clock, (d, o) -> { }), copies, new RemotePruning(copies, backupRepository, instanceRepository, ZoneOffset.UTC, clock), clock, Map.of());
    ScriptedGateway gateway = new ScriptedGateway();
    BackupService backups = new BackupService(new BackupCatalog(instances, backupRepository, archives), instances, backupRepository,
        new ArchiveDownloader(gateway, TestServices.PASSWORD_ONLY, archives, DownloadPolicy.DEFAULT, new RecordingPause()), archives,
        new TeleporterContents(), new RetentionService(backupRepository, archives, ZoneOffset.UTC, 7, Events.NONE), clock,
        new CopyOnBackup(offsite, () -> { }));
    instances.applyEnvironment(List.of(new InstanceDefinition("HOME", "Home", "http://pi.hole", TlsTrust.SYSTEM, null, Schedule.DEFAULT,
        new RetentionPolicy(10, 0), false, true)));
    gateway.answer(Fixtures.archiveA());
    backup = backups.runBackup(instances.list().get(0).id(), Backup.Trigger.MANUAL);
    Files.delete(usbRoot); // the USB disk is not mounted

    assertThat(offsite.runDue()).isEqualTo(1);

    assertThat(usb().state()).isEqualTo(Copy.State.FAILED);
    assertThat(usb().nextAttemptAt()).isNotNull();
    Files.delete(backupDir.resolve(backup.fileName())); // remote only from now on: kept at NAS
    Files.createDirectories(usbRoot);
    clock.advance(Duration.ofMinutes(5)); // past the USB copy's backoff
  }

  @AfterEach
  void close() {
    if (database != null) {
      database.close();
    }
  }

  @Test
  void aCopyWhoseLocalArchiveIsGoneIsMadeFromASoundCopyElsewhereInsteadOfGivenUp() {
    assertThat(offsite.runDue()).isEqualTo(1);

    assertThat(usb().state()).isEqualTo(Copy.State.VERIFIED);
    assertThat(usbRoot.resolve(usb().remoteKey())).exists();
  }

  @Test
  void aCopyGivenUpIsSentAgainAtTheNextRunOnceAFetchBroughtItsArchiveBack() {
    copies.markFailed(usb().id(), "the archive is no longer in BACKUP_DIR; this copy is given up", clock.instant(), null);
    archives.fetchIfMissing(backup.fileName()); // a download of the remote only backup

    assertThat(backupDir.resolve(backup.fileName())).hasBinaryContent(Fixtures.archiveA());

    assertThat(offsite.runDue()).isEqualTo(1);

    assertThat(usb().state()).isEqualTo(Copy.State.VERIFIED);
  }

  private Copy usb() {
    return copies.findByBackup(backup.id()).stream().filter(c -> c.destination().equals("USB")).findFirst().orElseThrow();
  }

  private OffsiteTarget target(String name) throws Exception {
    Path root = Files.createDirectories(dir.resolve(name.toLowerCase()));
    return new OffsiteTarget(name, new FileDestination(new DestinationConfig(name, root.toUri(), Map.of(), Duration.ofSeconds(5))), List.of(),
        OffsiteTarget.RemoteRetention.INSTANCES_OWN, true);
  }
}
