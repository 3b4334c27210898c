package io.piholecheckpoint.core.offsite;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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
import io.piholecheckpoint.core.offsite.copy.CopyOutcomes;
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
 * Check again (Settings, {@code POST /api/v1/offsite/{name}/check}) reads a damaged copy back and finds it what was sent again
 * (put right by hand): the backup whose archive is damaged on this disk too showed its verify error, and read as damaged,
 * until someone opened it. Now its archive is put right from that copy at the check, so the list and the API show the state
 * as of the check.
 */
class CheckAgainPutsBackupRightTest {
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

  @Test
  void aBackupDamagedHereWhoseCopyIsVerifiedAgainShowsNoVerifyErrorAfterTheCheck() throws Exception {
    database = MigratedDatabase.openAt(dir.resolve("checkpoint.db"));
    MyBatisCopyRepository copies = new MyBatisCopyRepository(database);
    MyBatisBackupRepository backupRepository = new MyBatisBackupRepository(database);
    MyBatisInstanceRepository instanceRepository = new MyBatisInstanceRepository(database, clock);
    InstanceService instances = TestInstances.service(instanceRepository);
    Path root = Files.createDirectories(dir.resolve("nas"));
    List<OffsiteTarget> targets = List.of(new OffsiteTarget("NAS", new FileDestination(new DestinationConfig("NAS", root.toUri(), Map.of(),
        Duration.ofSeconds(5))), List.of(), OffsiteTarget.RemoteRetention.INSTANCES_OWN, true));
    Path backupDir = Files.createDirectories(dir.resolve("backups"));
    FetchingArchiveStore archives = new FetchingArchiveStore(new LocalArchiveStore(backupDir, new TeleporterInspector(),
        ArchiveStore.FreeSpace.OF_FILE_STORE, ArchiveCipher.NONE), copies, backupRepository, targets, cipher, clock);
    CopyOutcomes outcomes = new CopyOutcomes() {
      @Override
      public void attempted(String destination, String outcome) {
      }

      @Override
      public void verifiedAgain(long backupId) {
        archives.putRight(backupId);
      }
    };
    OffsiteService offsite = new OffsiteService(new CopyRunner(targets, copies, new Uploads(archives, cipher, backupRepository, instanceRepository),
        clock, outcomes), copies, new RemotePruning(copies, backupRepository, instanceRepository, ZoneOffset.UTC, clock), clock, Map.of());
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
    Path local = backupDir.resolve(backup.fileName());
    byte[] damagedHere = Files.readAllBytes(local);
    damagedHere[damagedHere.length / 2] ^= 1;
    Files.write(local, damagedHere);
    Path stored = root.resolve(copies.findByBackup(backup.id()).get(0).remoteKey());
    byte[] sent = Files.readAllBytes(stored);
    byte[] damagedThere = sent.clone();
    damagedThere[damagedThere.length / 2] ^= 1;
    Files.write(stored, damagedThere);
    assertThatThrownBy(() -> archives.open(backup.fileName()).close()).as("damaged here and there");
    assertThat(backupRepository.findById(backup.id()).orElseThrow().verifyError()).as("the backup's check failed").isNotNull();
    Files.write(stored, sent); // the copy put right by hand

    CheckAgain.Outcome outcome = offsite.checkAgain("NAS");

    assertThat(outcome.verifiedAgain()).extracting(CheckAgain.Found::backupId).containsExactly(backup.id());
    assertThat(backupRepository.findById(backup.id()).orElseThrow().verifyError()).as("shown as of the check, not as of the next open").isNull();
    assertThat(local).as("replaced by the verified copy").hasBinaryContent(Fixtures.archiveA());
  }
}
