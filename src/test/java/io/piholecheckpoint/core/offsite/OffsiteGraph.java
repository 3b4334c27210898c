package io.piholecheckpoint.core.offsite;

import io.piholecheckpoint.testing.BackupGraph;
import io.piholecheckpoint.core.schedule.LocalTimeText;
import io.piholecheckpoint.testing.TestTimes;
import java.time.Clock;
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
import io.piholecheckpoint.core.offsite.catalog.OffsiteCatalog;
import io.piholecheckpoint.core.offsite.copy.CopyOutcomes;
import io.piholecheckpoint.core.offsite.copy.CopyRunner;
import io.piholecheckpoint.core.offsite.copy.Uploads;
import io.piholecheckpoint.core.offsite.remote.DestinationConfig;
import io.piholecheckpoint.core.offsite.remote.OffsiteTarget;
import io.piholecheckpoint.core.offsite.remote.OffsiteTargets;
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
import io.piholecheckpoint.testing.MigratedDatabase;
import io.piholecheckpoint.testing.MovableClock;
import io.piholecheckpoint.testing.RecordingPause;
import io.piholecheckpoint.testing.ScriptedGateway;
import io.piholecheckpoint.testing.TestInstances;
import io.piholecheckpoint.testing.TestServices;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The backups and their off-site copies wired as {@code Application} wires them, on a real migrated database: archives in
 * {@code dir/backups} fetched back from a verified copy when they are not there, a backup Check again verified again put
 * right at once, one directory destination per name at {@code dir/<name in lower case>}, and one Pi-hole, HOME, whose
 * {@link ScriptedGateway} answers {@code Fixtures.archiveA()}. The off-site tests that drive these parts through a real
 * database build them here, each with its own assertions.
 */
public final class OffsiteGraph implements AutoCloseable {
  /** The passphrase {@link #encrypted} archives and copies are written with. */
  public static final String PASSPHRASE = "correct horse battery staple";

  /** What every part reads the time from; the tests move it. */
  public final MovableClock clock = new MovableClock(Instant.parse("2026-12-02T03:00:00Z"));
  /** TIME_ZONE's times, away from UTC: a log line that writes a time in UTC instead is seen. */
  public final LocalTimeText times = new LocalTimeText(ZoneId.of("Europe/Berlin"));
  public final Database database;
  public final MyBatisCopyRepository copies;
  public final MyBatisBackupRepository backupRepository;
  public final InstanceService instances;
  public final List<OffsiteTarget> targets;
  public final Path backupDir;
  /** The backup directory itself, under {@link #archives}. */
  public final LocalArchiveStore local;
  public final FetchingArchiveStore archives;
  public final OffsiteService offsite;
  /** What pages, API, metrics and health read of the copies, over the same destinations. */
  public final OffsiteCatalog catalog;
  /** Check again, as Application builds it beside the service. */
  public final CheckAgain checkAgain;
  public final BackupGraph backups;
  public final long home;
  private final Path dir;

  /**
   * Copies encrypted with {@link #PASSPHRASE} to {@code destinations}, queued as each backup ends, on a SQLite file in
   * {@code dir}.
   */
  public static OffsiteGraph encrypted(Path dir, String... destinations) throws IOException {
    return on(MigratedDatabase.openAt(dir.resolve("checkpoint.db")), dir, ArchiveCipher.NONE, new OpenPgpArchiveCipher(PASSPHRASE.toCharArray()),
        List.of(destinations), true);
  }

  /** Archives stored encrypted here with {@code cipher}, and copied encrypted with it to {@code destinations}. */
  public static OffsiteGraph encryptedHereToo(Path dir, ArchiveCipher cipher, String... destinations) throws IOException {
    return on(MigratedDatabase.openAt(dir.resolve("checkpoint.db")), dir, cipher, cipher, List.of(destinations), true);
  }

  /**
   * The database, folders and destinations of {@code before} (closed by the caller) opened again, as the next start finds them,
   * with {@code cipher} for the archives here and the copies alike.
   */
  public static OffsiteGraph restartedWith(OffsiteGraph before, ArchiveCipher cipher) throws IOException {
    return on(MigratedDatabase.reopen(before.database), before.dir, cipher, cipher, before.targets.stream().map(OffsiteTarget::name).toList(), true);
  }

  /**
   * Unencrypted copies to {@code destination} on {@code database}; a backup's end is not handed on, so its copies are
   * queued only when the test hands it to a {@link CopyOnBackup} over {@link #offsite}.
   */
  public static OffsiteGraph queuedByHand(Database database, Path dir, String destination) throws IOException {
    return on(database, dir, ArchiveCipher.NONE, ArchiveCipher.NONE, List.of(destination), false);
  }

  /** The graph on {@code database}, closed again when it cannot be built: a test that fails here leaves no connection open. */
  /** @param here the cipher of the backup directory; {@code cipher} that of the copies */
  private static OffsiteGraph on(Database database, Path dir, ArchiveCipher here, ArchiveCipher cipher, List<String> destinations,
      boolean copyOnBackup) throws IOException {
    try {
      return new OffsiteGraph(database, dir, here, cipher, destinations, copyOnBackup);
    } catch (IOException | RuntimeException e) {
      database.close();
      throw e;
    }
  }

  private OffsiteGraph(Database database, Path dir, ArchiveCipher here, ArchiveCipher cipher, List<String> destinations, boolean copyOnBackup)
      throws IOException {
    this.database = database;
    this.dir = dir;
    copies = new MyBatisCopyRepository(database);
    backupRepository = new MyBatisBackupRepository(database);
    MyBatisInstanceRepository instanceRepository = new MyBatisInstanceRepository(database, clock);
    instances = TestInstances.service(instanceRepository);
    targets = directories(destinations, cipher.encryptsNewArchives());
    backupDir = Files.createDirectories(dir.resolve("backups"));
    local = new LocalArchiveStore(backupDir, new TeleporterInspector(), ArchiveStore.FreeSpace.OF_FILE_STORE, here);
    archives = new FetchingArchiveStore(local, copies, backupRepository, targets, cipher, clock);
    OffsiteTargets inUse = OffsiteTargets.of(targets);
    offsite = new OffsiteService(new CopyRunner(inUse, copies, new Uploads(archives, cipher, backupRepository, instanceRepository),
        clock, puttingRight(archives), CopyRunner.BATCH, times), copies, new RemotePruning(copies, backupRepository, instanceRepository, ZoneOffset.UTC, clock), clock);
    catalog = new OffsiteCatalog(inUse, copies, clock);
    checkAgain = new CheckAgain(inUse, copies, clock, puttingRight(archives));
    backups = BackupGraph.of(new BackupCatalog(instances, backupRepository, archives), instances, backupRepository,
        new ArchiveDownloader(new ScriptedGateway(), TestServices.PASSWORD_ONLY, archives, DownloadPolicy.DEFAULT, new RecordingPause(), Clock.systemUTC()),
        archives, new TeleporterContents(Clock.systemUTC()), new RetentionService(backupRepository, archives, ZoneOffset.UTC, 7, Events.NONE), clock,
        copyOnBackup ? new CopyOnBackup(offsite, catalog, () -> { }) : Events.NONE, TestTimes.UTC);
    instances.applyEnvironment(List.of(new InstanceDefinition("HOME", "Home", "http://pi.hole", TlsTrust.SYSTEM, null, Schedule.DEFAULT,
        new RetentionPolicy(10, 0), false, true)));
    home = instances.list().get(0).id();
  }

  /** A manual backup of HOME: {@code Fixtures.archiveA()}. */
  public Backup backUp() {
    return backups.runBackup(home, Backup.Trigger.MANUAL);
  }

  /** Where destination {@code name} keeps its copies. */
  public Path root(String name) {
    return dir.resolve(name.toLowerCase());
  }

  @Override
  public void close() {
    database.close();
  }

  private List<OffsiteTarget> directories(List<String> names, boolean encrypt) throws IOException {
    List<OffsiteTarget> directories = new ArrayList<>();
    for (String name : names) {
      Path root = Files.createDirectories(root(name));
      directories.add(new OffsiteTarget(name, new FileDestination(new DestinationConfig(name, root.toUri(), Map.of(), Duration.ofSeconds(5))),
          List.of(), OffsiteTarget.RemoteRetention.INSTANCES_OWN, encrypt));
    }
    return List.copyOf(directories);
  }

  /** As {@code Application}: a backup whose copy Check again verified again is put right from it at once. */
  private static CopyOutcomes puttingRight(FetchingArchiveStore archives) {
    return new CopyOutcomes() {
      @Override
      public void attempted(String destination, String outcome) {
      }

      @Override
      public void verifiedAgain(long backupId) {
        archives.putRight(backupId);
      }
    };
  }
}
