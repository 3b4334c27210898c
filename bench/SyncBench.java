import io.piholecheckpoint.core.archive.ArchiveStore;
import io.piholecheckpoint.core.backup.catalog.Backup;
import io.piholecheckpoint.core.backup.catalog.BackupCatalog;
import io.piholecheckpoint.core.backup.BackupService;
import io.piholecheckpoint.core.backup.events.Events;
import io.piholecheckpoint.core.download.ArchiveDownloader;
import io.piholecheckpoint.core.download.DownloadPolicy;
import io.piholecheckpoint.core.gateway.ImportScope;
import io.piholecheckpoint.core.gateway.PiholeSession;
import io.piholecheckpoint.core.gateway.PiholeTarget;
import io.piholecheckpoint.core.instance.PiholeInstance;
import io.piholecheckpoint.core.instance.TlsTrust;
import io.piholecheckpoint.core.registry.InstanceService;
import io.piholecheckpoint.core.restore.RestoreMode;
import io.piholecheckpoint.core.retention.RetentionService;
import io.piholecheckpoint.core.secrets.Credentials;
import io.piholecheckpoint.core.sync.groups.SyncGroup;
import io.piholecheckpoint.core.sync.groups.SyncGroups;
import io.piholecheckpoint.core.sync.runs.SyncRun;
import io.piholecheckpoint.core.sync.SyncRunner;
import io.piholecheckpoint.core.sync.SyncService;
import io.piholecheckpoint.pihole.PiholeClient;
import io.piholecheckpoint.storage.LocalArchiveStore;
import io.piholecheckpoint.teleporter.TeleporterContents;
import io.piholecheckpoint.teleporter.TeleporterInspector;
import io.piholecheckpoint.testing.FakePihole;
import io.piholecheckpoint.testing.InMemoryBackupRepository;
import io.piholecheckpoint.testing.InMemoryInstanceRepository;
import io.piholecheckpoint.testing.InMemorySyncRuns;
import io.piholecheckpoint.testing.RecordingPause;
import io.piholecheckpoint.testing.TestInstances;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * One sync run of a primary and one replica, both fake Pi-holes over real HTTP in this JVM (so the
 * heap figure includes the fakes' archives, held in memory): the wall time of the run and the peak
 * heap used during it (the heap pools' peaks, reset before the run). Run by bench/sync.sh:
 *   java -Xmx96m -cp CLASSPATH bench/SyncBench.java PRIMARY.zip REPLICA.zip RUNS WORKDIR
 * Before each run the replica is set back to REPLICA.zip; prints "outcome seconds peak_mib fakes_peak_mib" per run
 * (the last: the peak of the import alone, see {@link #fakesPeak}).
 */
public class SyncBench {
  /**
   * The peak heap of the same JVM while the fake replica takes the primary's archive by a
   * gravity-only import sent straight through the client, without the sync's exports and diff:
   * the share of the peak that is the fakes' (their import works on whole archives in memory).
   */
  static long fakesPeak(FakePihole main, FakePihole replica, byte[] replicaArchive, Path dir) throws Exception {
    Path primary = Files.write(dir.resolve("primary.zip"), main.currentArchive());
    replica.archive(replicaArchive);
    System.gc();
    ManagementFactory.getMemoryPoolMXBeans().forEach(MemoryPoolMXBean::resetPeakUsage);
    PiholeClient client = new PiholeClient("bench", Duration.ofSeconds(10), Clock.systemUTC(), d -> Thread.sleep(d.toMillis()));
    try (PiholeSession session = client.open(new PiholeTarget("r", replica.url(), null, Optional.of("labpass"), Optional.empty(), TlsTrust.SYSTEM,
        Duration.ofSeconds(10)))) {
      session.importTeleporter(primary, ImportScope.LISTS);
      session.awaitRestart(Duration.ofSeconds(30));
    }
    return ManagementFactory.getMemoryPoolMXBeans().stream().filter(p -> p.getType() == MemoryType.HEAP).mapToLong(p -> p.getPeakUsage().getUsed()).sum();
  }

  public static void main(String[] args) throws Exception {
    byte[] primaryArchive = Files.readAllBytes(Path.of(args[0]));
    byte[] replicaArchive = Files.readAllBytes(Path.of(args[1]));
    int runs = Integer.parseInt(args[2]);
    Path dir = Files.createDirectories(Path.of(args[3]));
    Clock clock = Clock.systemUTC();
    try (FakePihole main = FakePihole.builder().password("labpass").archive(primaryArchive).start();
         FakePihole replica = FakePihole.builder().password("labpass").archive(replicaArchive).start()) {
      InstanceService instances = TestInstances.service(new InMemoryInstanceRepository());
      instances.applyEnvironment(List.of(TestInstances.aDefinition("MAIN", main.url()), TestInstances.aDefinition("R", replica.url())));
      InMemoryBackupRepository repository = new InMemoryBackupRepository();
      ArchiveStore archives = new LocalArchiveStore(dir, new TeleporterInspector(), ArchiveStore.FreeSpace.OF_FILE_STORE);
      BackupCatalog catalog = new BackupCatalog(instances, repository, archives);
      Credentials credentials = new Credentials() {
        @Override
        public Optional<String> passwordFor(PiholeInstance instance) {
          return Optional.of("labpass");
        }

        @Override
        public Optional<String> totpSecretFor(PiholeInstance instance) {
          return Optional.empty();
        }
      };
      PiholeClient client = new PiholeClient("bench", Duration.ofSeconds(10), clock, d -> Thread.sleep(d.toMillis()));
      ArchiveDownloader downloader = new ArchiveDownloader(client, credentials, archives, DownloadPolicy.DEFAULT, new RecordingPause());
      TeleporterContents reader = new TeleporterContents();
      BackupService backups = new BackupService(catalog, instances, repository, downloader, archives, reader,
          new RetentionService(repository, archives, ZoneOffset.UTC, 7, Events.NONE), clock, Events.NONE);
      InMemorySyncRuns history = new InMemorySyncRuns();
      SyncGroup group = new SyncGroup("BENCH", "MAIN", List.of("R"), RestoreMode.LISTS_AND_DNS, Set.of(), false, null, SyncGroup.Snapshot.NEVER);
      SyncService sync = new SyncService(new SyncGroups(List.of(group), Map.of(), instances), backups, catalog,
          new SyncRunner(backups, catalog, downloader, reader, history, clock), history, (g, ticket) -> { }, clock);
      backups.runBackup(instances.list().get(0).id(), Backup.Trigger.MANUAL);
      for (int i = 0; i < runs; i++) {
        replica.archive(replicaArchive);
        System.gc();
        ManagementFactory.getMemoryPoolMXBeans().forEach(MemoryPoolMXBean::resetPeakUsage);
        long start = System.nanoTime();
        SyncRun run = sync.run("bench").get(0);
        double seconds = (System.nanoTime() - start) / 1e9;
        long peak = ManagementFactory.getMemoryPoolMXBeans().stream().filter(p -> p.getType() == MemoryType.HEAP)
            .mapToLong(p -> p.getPeakUsage().getUsed()).sum();
        System.out.printf("%s %.3f %.1f %.1f%n", run.outcome(), seconds, peak / 1048576.0, fakesPeak(main, replica, replicaArchive, dir) / 1048576.0);
      }
    }
  }
}
