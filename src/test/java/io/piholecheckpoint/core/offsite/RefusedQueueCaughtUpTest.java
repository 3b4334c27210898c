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
import io.piholecheckpoint.core.registry.InstanceService;
import io.piholecheckpoint.core.retention.RetentionService;
import io.piholecheckpoint.core.schedule.Schedule;
import io.piholecheckpoint.offsite.file.FileDestination;
import io.piholecheckpoint.persistence.Database;
import io.piholecheckpoint.persistence.Dialect;
import io.piholecheckpoint.persistence.MyBatisBackupRepository;
import io.piholecheckpoint.persistence.MyBatisCopyRepository;
import io.piholecheckpoint.persistence.MyBatisInstanceRepository;
import io.piholecheckpoint.storage.LocalArchiveStore;
import io.piholecheckpoint.teleporter.TeleporterContents;
import io.piholecheckpoint.teleporter.TeleporterInspector;
import io.piholecheckpoint.testing.MigratedDatabase;
import io.piholecheckpoint.testing.MovableClock;
import io.piholecheckpoint.testing.RecordingPause;
import io.piholecheckpoint.testing.ScriptedGateway;
import io.piholecheckpoint.testing.TestInstances;
import io.piholecheckpoint.testing.TestServices;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A backup's copies not queued because another session held the queue (PostgreSQL: a LOCK TABLE on offsite_copy; SQLite:
 * another connection's write transaction on the file), then a second backup of the same instance queued its own before the
 * off-site run's catch-up: the catch-up still queues the first one's, which nothing else would.
 */
@ParameterizedClass
@EnumSource(Dialect.class)
class RefusedQueueCaughtUpTest {
  @Parameter
  Dialect dialect;
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
  void theFirstBackupsCopiesAreQueuedByTheCatchUpAfterASecondBackupQueuedItsOwn() throws Exception {
    // the lock below is refused after 1 s on either database, not production's 30 s (PostgreSQL) or 5 s (SQLite)
    database = MigratedDatabase.openWaitingAtMost(dialect, dir, Duration.ofSeconds(1));
    MyBatisCopyRepository copies = new MyBatisCopyRepository(database);
    MyBatisBackupRepository backupRepository = new MyBatisBackupRepository(database);
    MyBatisInstanceRepository instanceRepository = new MyBatisInstanceRepository(database, clock);
    InstanceService instances = TestInstances.service(instanceRepository);
    ArchiveStore archives = new LocalArchiveStore(Files.createDirectories(dir.resolve("backups")), new TeleporterInspector(),
        ArchiveStore.FreeSpace.OF_FILE_STORE, ArchiveCipher.NONE);
    Files.createDirectories(dir.resolve("nas"));
    OffsiteTarget nas = new OffsiteTarget("NAS", new FileDestination(new DestinationConfig("NAS", dir.resolve("nas").toUri(), Map.of(),
        Duration.ofSeconds(5))), List.of(), OffsiteTarget.RemoteRetention.INSTANCES_OWN, false);
    OffsiteService offsite = new OffsiteService(new CopyRunner(List.of(nas), copies, new Uploads(archives, ArchiveCipher.NONE, backupRepository,
        instanceRepository), clock, (d, outcome) -> { }), copies, new RemotePruning(copies, backupRepository, instanceRepository,
        ZoneOffset.UTC, clock), clock, Map.of(), OffsiteAlerts.NONE, d -> { });
    // the backups' end events are handed on below, one at a time, so that the first meets the lock
    BackupService backups = new BackupService(new BackupCatalog(instances, backupRepository, archives), instances, backupRepository,
        new ArchiveDownloader(new ScriptedGateway(), TestServices.PASSWORD_ONLY, archives, DownloadPolicy.DEFAULT, new RecordingPause()),
        archives, new TeleporterContents(), new RetentionService(backupRepository, archives, ZoneOffset.UTC, 7, Events.NONE), clock,
        Events.NONE);
    instances.applyEnvironment(List.of(new InstanceDefinition("HOME", "Home", "http://pi.hole", TlsTrust.SYSTEM, null, Schedule.DEFAULT,
        new RetentionPolicy(10, 0), false, true)));
    long home = instances.list().get(0).id();
    CopyOnBackup queueing = new CopyOnBackup(offsite, () -> { });
    offsite.runDue(); // the run at start: caught up on nothing

    Backup first = backups.runBackup(home, Backup.Trigger.MANUAL);
    try (Connection locker = MigratedDatabase.connectOutside(database); Statement lock = locker.createStatement()) {
      if (dialect == Dialect.POSTGRESQL) {
        locker.setAutoCommit(false);
        lock.execute("LOCK TABLE offsite_copy IN ACCESS EXCLUSIVE MODE");
      } else {
        lock.execute("BEGIN EXCLUSIVE");
      }
      queueing.backupFinished(instances.find(home), first, Duration.ZERO);
      lock.execute("ROLLBACK");
    }
    assertThat(offsite.copiesOf(first.id())).as("refused by the lock").isEmpty();
    clock.advance(Duration.ofMinutes(1));
    Backup second = backups.runBackup(home, Backup.Trigger.MANUAL);
    queueing.backupFinished(instances.find(home), second, Duration.ZERO);

    offsite.runDue();

    assertThat(offsite.copiesOf(second.id())).extracting(Copy::state).containsExactly(Copy.State.VERIFIED);
    assertThat(offsite.copiesOf(first.id())).as("queued by the catch-up").extracting(Copy::destination).containsExactly("NAS");
    assertThat(offsite.copiesOf(first.id())).extracting(Copy::state).containsExactly(Copy.State.VERIFIED);
  }
}
