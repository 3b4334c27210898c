import com.sun.management.GarbageCollectionNotificationInfo;
import io.piholecheckpoint.core.offsite.remote.DestinationConfig;
import io.piholecheckpoint.offsite.sftp.SftpDestination;
import java.io.InputStream;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import javax.management.NotificationEmitter;
import javax.management.openmbean.CompositeData;

/**
 * Copies FILE to an SFTP destination as the off-site copy does (put, then check: the file read back
 * and hashed), RUNS times in one JVM. Run by bench/offsite-sftp.sh:
 *   java -cp CLASSPATH bench/SftpBench.java URL KEYFILE FINGERPRINT FILE RUNS
 * prints "putSeconds checkSeconds peakLiveMiB" per run; peak live is the most the heap held right
 * after any collection during the copy: what the copy keeps, which must not grow with the file.
 */
public class SftpBench {
  static final AtomicLong peakLive = new AtomicLong();

  public static void main(String[] args) throws Exception {
    Set<String> heapPools = new HashSet<>();
    for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
      if (pool.getType() == MemoryType.HEAP) {
        heapPools.add(pool.getName());
      }
    }
    for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
      ((NotificationEmitter) gc).addNotificationListener((notification, handback) -> {
        if (notification.getType().equals(GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION)) {
          var info = GarbageCollectionNotificationInfo.from((CompositeData) notification.getUserData());
          long live = info.getGcInfo().getMemoryUsageAfterGc().entrySet().stream()
              .filter(e -> heapPools.contains(e.getKey())).mapToLong(e -> e.getValue().getUsed()).sum();
          peakLive.accumulateAndGet(live, Math::max);
        }
      }, null, null);
    }
    Path file = Path.of(args[3]);
    long size = Files.size(file);
    var config = new DestinationConfig("BENCH", URI.create(args[0]), Map.of("PRIVATE_KEY_FILE", args[1], "HOST_KEY", args[2]), Duration.ofSeconds(30));
    try (SftpDestination d = new SftpDestination(config)) {
      for (int i = 0; i < Integer.parseInt(args[4]); i++) {
        System.gc();
        peakLive.set(0);
        long t0 = System.nanoTime();
        try (InputStream in = Files.newInputStream(file)) {
          d.put("bench/archive.zip", in, size);
        }
        long t1 = System.nanoTime();
        if (d.check("bench/archive.zip").orElseThrow().size() != size) {
          throw new IllegalStateException("size differs");
        }
        long t2 = System.nanoTime();
        System.gc(); // the notice of a last collection, so a copy that kept its bytes shows
        Thread.sleep(100);
        System.out.printf("%.3f %.3f %.1f%n", (t1 - t0) / 1e9, (t2 - t1) / 1e9, peakLive.get() / 1048576.0);
      }
    }
  }
}
