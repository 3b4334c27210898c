import com.sun.management.GarbageCollectionNotificationInfo;
import io.piholecheckpoint.core.archive.ArchiveStore;
import io.piholecheckpoint.storage.LocalArchiveStore;
import io.piholecheckpoint.core.gateway.PiholeVersions;
import io.piholecheckpoint.testing.HostileArchives;
import io.piholecheckpoint.teleporter.TeleporterInspector;
import java.io.InputStream;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import javax.management.NotificationEmitter;
import javax.management.openmbean.CompositeData;

/**
 * Memory and time of taking in an archive against its number of domains: what an import and a
 * backup do once the bytes are there — stream into the archive store, inspect (CRC of every entry,
 * pihole.toml, gravity.db copied, checked, counted and dumped into the content hash), fsync, rename.
 * Run by bench/archive-size.sh:
 *   java -cp CLASSPATH bench/ArchiveSizeBench.java archive FILE DOMAINS   writes a Teleporter archive (test code builds it)
 *   java -cp CLASSPATH bench/ArchiveSizeBench.java take FILE DIR RUNS     takes it in RUNS times in one JVM; prints
 *                                                                       "seconds peakLiveMiB" each
 * Peak live is the most the heap held right after any collection during the run (as in PipelineBench).
 */
public class ArchiveSizeBench {
  static final AtomicLong peakLive = new AtomicLong();
  static final AtomicLong collections = new AtomicLong();

  public static void main(String[] args) throws Exception {
    if (args[0].equals("archive")) {
      Path file = Path.of(args[1]);
      Path db = HostileArchives.gravityWithDomains(file.resolveSibling(file.getFileName() + ".db"), Integer.parseInt(args[2]));
      HostileArchives.archive(file, db);
      Files.delete(db);
      return;
    }
    listenToCollections();
    for (int i = 0; i < Integer.parseInt(args[3]); i++) {
      take(Path.of(args[1]), Path.of(args[2]));
    }
  }

  static void take(Path archive, Path dir) throws Exception {
    ArchiveStore store = new LocalArchiveStore(dir, new TeleporterInspector(), ArchiveStore.FreeSpace.OF_FILE_STORE);
    collectAndWaitForItsNotice();
    peakLive.set(0);
    long t0 = System.nanoTime();
    try (InputStream in = Files.newInputStream(archive); ArchiveStore.Incoming incoming = store.receive("bench", Instant.now(), in, 0)) {
      Files.delete(dir.resolve(incoming.keep(PiholeVersions.UNKNOWN).fileName()));
    }
    double seconds = (System.nanoTime() - t0) / 1e9;
    collectAndWaitForItsNotice(); // notices arrive in order: those of the run's collections are in
    System.out.printf("%.3f %.1f%n", seconds, peakLive.get() / 1048576.0);
  }

  static void listenToCollections() {
    Set<String> heapPools = new HashSet<>();
    for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
      if (pool.getType() == MemoryType.HEAP) {
        heapPools.add(pool.getName());
      }
    }
    for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
      ((NotificationEmitter) gc).addNotificationListener((notification, handback) -> {
        if (notification.getType().equals(GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION)) {
          GarbageCollectionNotificationInfo info = GarbageCollectionNotificationInfo.from((CompositeData) notification.getUserData());
          long live = info.getGcInfo().getMemoryUsageAfterGc().entrySet().stream()
              .filter(e -> heapPools.contains(e.getKey())).mapToLong(e -> e.getValue().getUsed()).sum();
          peakLive.accumulateAndGet(live, Math::max);
          collections.incrementAndGet();
        }
      }, null, null);
    }
  }

  static void collectAndWaitForItsNotice() throws InterruptedException {
    long before = collections.get();
    System.gc();
    long deadline = System.nanoTime() + 5_000_000_000L;
    while (collections.get() == before && System.nanoTime() < deadline) {
      Thread.sleep(1);
    }
  }
}
