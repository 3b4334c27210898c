import io.piholecheckpoint.core.offsite.remote.Destination;
import io.piholecheckpoint.core.offsite.remote.DestinationConfig;
import io.piholecheckpoint.offsite.file.FileDestination;
import io.piholecheckpoint.offsite.webdav.WebDavDestination;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/**
 * A WebDAV or directory destination uploading an archive and reading it back, in one (warm) JVM,
 * for bench/webdav.sh and bench/offsite.sh; compiled with bench/PipelineBench.java, whose heap
 * measures it shares:
 *   java -cp CLASSES:CLASSPATH DestinationBench URL USER PASSWORD FILE RUNS   (file:// URLs ignore USER and PASSWORD)
 * prints "seconds peakUsedMiB peakLiveMiB" per run: the seconds of the upload (WebDAV: PUT and MOVE; a directory: write, fsync, rename),
 * the heap over the upload and the read back (GET, hashed).
 */
public class DestinationBench {
  public static void main(String[] args) throws Exception {
    Path file = Path.of(args[3]);
    DestinationConfig config = new DestinationConfig("BENCH", URI.create(args[0]), Map.of("USER", args[1], "PASSWORD", args[2]), Duration.ofSeconds(60));
    try (Destination d = config.url().getScheme().equals("file") ? new FileDestination(config) : new WebDavDestination(config)) {
      for (int i = 0; i < Integer.parseInt(args[4]); i++) {
        PipelineBench.resetPeaks();
        long t0 = System.nanoTime();
        try (InputStream in = Files.newInputStream(file)) {
          d.put("bench/" + file.getFileName(), in, Files.size(file));
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        if (d.check("bench/" + file.getFileName()).orElseThrow().size() != Files.size(file)) {
          throw new AssertionError("the copy's size differs");
        }
        PipelineBench.printPeaks(seconds);
      }
    }
  }
}
