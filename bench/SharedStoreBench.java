import io.piholecheckpoint.core.archive.Archive;
import io.piholecheckpoint.core.archive.ArchiveInspector;
import io.piholecheckpoint.core.archive.ArchiveStore;
import io.piholecheckpoint.core.archive.ContentSummary;
import io.piholecheckpoint.core.gateway.PiholeVersions;
import io.piholecheckpoint.core.offsite.remote.DestinationConfig;
import io.piholecheckpoint.offsite.s3.S3Destination;
import io.piholecheckpoint.storage.LocalArchiveStore;
import io.piholecheckpoint.storage.SharedArchiveStore;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.Map;
import java.util.stream.Stream;

/**
 * An archive kept in and read back from an S3 primary store (STORAGE_URL=s3://…), in one warm JVM,
 * for bench/shared-storage.sh; compiled with bench/PipelineBench.java, whose heap measures it shares:
 *   java -cp CLASSES:CLASSPATH SharedStoreBench ENDPOINT s3://BUCKET/PREFIX KEY SECRET FILE CACHE_DIR RUNS
 * prints per run "keep seconds peakUsedMiB peakLiveMiB" (received into the cache, uploaded, the store's
 * size and SHA-256 compared) and "fetch seconds peakUsedMiB peakLiveMiB" (opened by a node with an empty
 * cache: downloaded, compared with the store's size and SHA-256, fsynced, renamed). The Teleporter
 * inspection is left out (a fixed answer): it is the same with or without a shared store.
 */
public class SharedStoreBench {
  public static void main(String[] args) throws Exception {
    Path file = Path.of(args[4]);
    Path cacheDir = Path.of(args[5]);
    ArchiveInspector same = archive -> new ArchiveInspector.Inspection("bench", new ContentSummary(0, 0, 0, 0, 0, 0, 0, 0, 0, 0));
    DestinationConfig config = new DestinationConfig("BENCH", URI.create(args[1]), Map.of("ENDPOINT", args[0], "ACCESS_KEY_ID", args[2],
        "SECRET_ACCESS_KEY", args[3], "PATH_STYLE", "true"), Duration.ofSeconds(60));
    try (S3Destination s3 = new S3Destination(config)) {
      for (int i = 0; i < Integer.parseInt(args[6]); i++) {
        SharedArchiveStore store = new SharedArchiveStore(s3, new LocalArchiveStore(cacheDir, same, ArchiveStore.FreeSpace.OF_FILE_STORE),
            1L << 40, Clock.systemUTC());
        PipelineBench.resetPeaks();
        long t0 = System.nanoTime();
        Archive kept;
        try (InputStream in = Files.newInputStream(file); ArchiveStore.Incoming incoming = store.receive("bench", Instant.now(), in, 0)) {
          kept = incoming.keep(PiholeVersions.UNKNOWN);
        }
        System.out.print("keep ");
        PipelineBench.printPeaks((System.nanoTime() - t0) / 1e9);
        wipe(cacheDir);
        PipelineBench.resetPeaks();
        t0 = System.nanoTime();
        try (ArchiveStore.PlainArchive plain = store.open(kept.fileName())) {
          if (Files.size(plain.path()) != Files.size(file)) {
            throw new AssertionError("the fetched archive's size differs");
          }
        }
        System.out.print("fetch ");
        PipelineBench.printPeaks((System.nanoTime() - t0) / 1e9);
        store.delete(kept.fileName());
      }
    }
  }

  private static void wipe(Path dir) throws Exception {
    try (Stream<Path> all = Files.walk(dir)) {
      for (Path p : all.sorted(Comparator.reverseOrder()).filter(p -> !p.equals(dir)).toList()) {
        Files.delete(p);
      }
    }
  }
}
