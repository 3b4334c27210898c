package io.piholecheckpoint.testing;

import io.piholecheckpoint.core.archive.ArchiveStore;
import io.piholecheckpoint.core.backup.BackupService;
import io.piholecheckpoint.core.backup.ChangeSummary;
import io.piholecheckpoint.core.backup.catalog.Backup;
import io.piholecheckpoint.core.download.BackupProgress;
import io.piholecheckpoint.teleporter.TeleporterContents;
import io.piholecheckpoint.core.backup.catalog.BackupCatalog;
import io.piholecheckpoint.core.backup.events.Events;
import io.piholecheckpoint.core.download.ArchiveDownloader;
import io.piholecheckpoint.core.download.DownloadPolicy;
import io.piholecheckpoint.core.instance.PiholeInstance;
import io.piholecheckpoint.core.integrity.IntegrityService;
import io.piholecheckpoint.core.job.Jobs;
import io.piholecheckpoint.core.maintenance.MaintenanceService;
import io.piholecheckpoint.core.manual.BackupTickets;
import io.piholecheckpoint.core.registry.InstanceService;
import io.piholecheckpoint.core.backup.BackupsInUse;
import io.piholecheckpoint.core.retention.RetentionService;
import io.piholecheckpoint.core.secrets.Credentials;
import io.piholecheckpoint.storage.LocalArchiveStore;
import io.piholecheckpoint.teleporter.TeleporterInspector;
import java.nio.file.Path;
import java.time.Clock;
import java.time.ZoneOffset;
import java.util.Optional;

/** The core services over in-memory repositories, a scripted Pi-hole and a real backup directory. */
public final class TestServices {
  public final InMemoryBackupRepository backupRepository = new InMemoryBackupRepository();
  public final InstanceService instances = TestInstances.service(new InMemoryInstanceRepository());
  public final ScriptedGateway gateway = new ScriptedGateway();
  public final ArchiveStore archives;
  public final RetentionService retention;
  public final BackupGraph backups;
  public final BackupCatalog catalog;
  public final Jobs jobs;
  public final BackupTickets tickets;
  public final IntegrityService integrity;
  public final MaintenanceService maintenance;

  public TestServices(Path backupDir, Clock clock) {
    this(backupDir, clock, Events.NONE);
  }

  /** With retention keeping the backups {@code inUse} names, as the application's keeps those restores are about to read. */
  public TestServices(Path backupDir, Clock clock, BackupsInUse inUse) {
    this(backupDir, clock, Events.NONE, ArchiveStore.FreeSpace.OF_FILE_STORE, inUse);
  }

  /** With {@code events} told of every backup, retention deletion and failed check. */
  public TestServices(Path backupDir, Clock clock, Events events) {
    this(backupDir, clock, events, ArchiveStore.FreeSpace.OF_FILE_STORE);
  }

  /** With the backup directory's free space as {@code freeSpace} reports it. */
  public TestServices(Path backupDir, Clock clock, Events events, ArchiveStore.FreeSpace freeSpace) {
    this(backupDir, clock, events, freeSpace, BackupsInUse.NONE);
  }

  private TestServices(Path backupDir, Clock clock, Events events, ArchiveStore.FreeSpace freeSpace, BackupsInUse inUse) {
    archives = new LocalArchiveStore(backupDir, new TeleporterInspector(), freeSpace);
    retention = new RetentionService(backupRepository, archives, ZoneOffset.UTC, 7, events, inUse);
    catalog = new BackupCatalog(instances, backupRepository, archives);
    backups = BackupGraph.of(catalog, instances, backupRepository,
        new ArchiveDownloader(gateway, PASSWORD_ONLY, archives, DownloadPolicy.DEFAULT, new RecordingPause(), Clock.systemUTC()), archives, new io.piholecheckpoint.teleporter.TeleporterContents(java.time.Clock.systemUTC()), retention, clock, events, TestTimes.UTC);
    jobs = new Jobs(new InMemoryJobRepository(), clock, "test", true);
    tickets = new BackupTickets(backups.runs(), catalog, jobs);
    integrity = new IntegrityService(instances, backupRepository, archives, events);
    maintenance = new MaintenanceService(instances, integrity, retention, clock, jobs::prune);
  }

  /**
   * The backup use cases of these services, but each queued (manual) run throws {@code failure} at its start, as a database
   * that refuses the run's first write does.
   */
  public BackupService queuedRunsFailingWith(RuntimeException failure, Clock clock) {
    return new BackupService(backups.locks(), backups.records(),
        new ArchiveDownloader(gateway, PASSWORD_ONLY, archives, DownloadPolicy.DEFAULT, new RecordingPause(), Clock.systemUTC()),
        new ChangeSummary(archives, new TeleporterContents(Clock.systemUTC())), retention, Events.NONE, clock) {
      @Override
      public Backup runQueuedBackup(long instanceId, BackupProgress progress, java.util.function.Consumer<Backup> recorded) {
        throw failure;
      }
    };
  }

  public static final Credentials PASSWORD_ONLY = new Credentials() {
    @Override
    public Optional<String> passwordFor(PiholeInstance instance) {
      return Optional.of("labpass");
    }

    @Override
    public Optional<String> totpSecretFor(PiholeInstance instance) {
      return Optional.empty();
    }
  };
}
