import io.piholecheckpoint.core.archive.ArchiveStore;
import io.piholecheckpoint.storage.LocalArchiveStore;
import io.piholecheckpoint.core.gateway.PiholeSession;
import io.piholecheckpoint.core.gateway.PiholeTarget;
import io.piholecheckpoint.core.gateway.PiholeVersions;
import io.piholecheckpoint.core.instance.TlsTrust;
import io.piholecheckpoint.pihole.PiholeClient;
import io.piholecheckpoint.teleporter.TeleporterInspector;
import java.io.FileOutputStream;
import com.sun.management.GarbageCollectionNotificationInfo;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;
import javax.management.NotificationEmitter;
import javax.management.openmbean.CompositeData;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * The backup pipeline as the app runs it — the real Pi-hole client streaming the Teleporter
 * export into the real archive store (hash while streaming, inspect, fsync, rename) — against
 * bench/fake_pihole.py. Run by bench/run.sh:
 *   java -cp CLASSPATH bench/PipelineBench.java archive FILE MB      writes a Teleporter-shaped archive
 *   java -cp CLASSPATH bench/PipelineBench.java backup URL DIR RUNS  backups in one (warm) JVM; prints
 *                                                                  "seconds peakUsedMiB peakLiveMiB" each
 * Peak used counts garbage not yet collected, so it depends on when collections happen; peak live
 * is the most the heap held right after any collection during the backup: what the backup keeps.
 */
public class PipelineBench {
  public static void main(String[] args) throws Exception {
    if (args[0].equals("archive")) {
      archive(Path.of(args[1]), Integer.parseInt(args[2]));
    } else {
      for (int i = 0; i < Integer.parseInt(args[3]); i++) {
        backup(args[1], Path.of(args[2]));
      }
    }
  }

  /** pihole.toml plus an incompressible, stored entry, so that the size on the wire is the size given. */
  static void archive(Path file, int mebibytes) throws Exception {
    byte[] big = new byte[mebibytes * 1024 * 1024];
    new Random(42).nextBytes(big);
    try (ZipOutputStream zip = new ZipOutputStream(new FileOutputStream(file.toFile()))) {
      zip.putNextEntry(new ZipEntry("etc/pihole/pihole.toml"));
      zip.write("[dns]\nupstreams = [\"9.9.9.9\"]\n".getBytes());
      zip.closeEntry();
      ZipEntry entry = new ZipEntry("etc/pihole/dhcp.leases");
      entry.setMethod(ZipEntry.STORED);
      CRC32 crc = new CRC32();
      crc.update(big);
      entry.setSize(big.length);
      entry.setCrc(crc.getValue());
      zip.putNextEntry(entry);
      zip.write(big);
      zip.closeEntry();
    }
  }

  /** The most heap in use right after a collection, since the last reset. */
  static final AtomicLong peakLive = new AtomicLong();
  static final AtomicLong collections = new AtomicLong();

  static {
    java.util.Set<String> heapPools = new java.util.HashSet<>();
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

  /** GC notices come on another thread, after the collection. */
  static void collectAndWaitForItsNotice() throws InterruptedException {
    long before = collections.get();
    System.gc();
    long deadline = System.nanoTime() + 5_000_000_000L;
    while (collections.get() == before && System.nanoTime() < deadline) {
      Thread.sleep(1);
    }
  }

  static void backup(String url, Path dir) throws Exception {
    ArchiveStore store = new LocalArchiveStore(dir, new TeleporterInspector(), ArchiveStore.FreeSpace.OF_FILE_STORE);
    PiholeClient client = new PiholeClient("bench", Duration.ofSeconds(10), Clock.systemUTC(), d -> Thread.sleep(d.toMillis()));
    PiholeTarget target = new PiholeTarget("Bench", url, null, Optional.of("pw"), Optional.empty(), TlsTrust.SYSTEM, Duration.ofSeconds(60));
    resetPeaks();
    long t0 = System.nanoTime();
    try (PiholeSession session = client.open(target)) {
      session.exportTeleporter(in -> {
        try (ArchiveStore.Incoming incoming = store.receive("bench", Instant.now(), in, 0)) {
          return incoming.keep(PiholeVersions.UNKNOWN);
        }
      });
    }
    printPeaks((System.nanoTime() - t0) / 1e9);
  }

  /** Starts a measured run: a collection, then the peaks from zero. */
  static void resetPeaks() throws InterruptedException {
    collectAndWaitForItsNotice();
    for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
      pool.resetPeakUsage();
    }
    peakLive.set(0);
  }

  /** Ends a measured run: prints "seconds peakUsedMiB peakLiveMiB". Also used by bench/DestinationBench.java. */
  static void printPeaks(double seconds) throws InterruptedException {
    collectAndWaitForItsNotice(); // notices arrive in order: those of the run's collections are in
    long peak = 0;
    for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
      if (pool.getType() == MemoryType.HEAP) {
        peak += pool.getPeakUsage().getUsed();
      }
    }
    System.out.printf("%.4f %.1f %.1f%n", seconds, peak / 1048576.0, peakLive.get() / 1048576.0);
  }
}
