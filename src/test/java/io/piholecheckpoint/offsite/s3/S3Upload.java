package io.piholecheckpoint.offsite.s3;

import io.piholecheckpoint.core.offsite.remote.DestinationConfig;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/**
 * Uploads one file through {@link S3Destination} in a JVM of its own, so that its heap can be
 * limited and measured: {@code S3Upload ENDPOINT s3://bucket/prefix KEY FILE} with the secret in
 * {@code S3_SECRET_ACCESS_KEY} (never on a command line). Prints the store's SHA-256, the first
 * client's build time, the first (probe) put and delete, the upload's time and the heap's peak. Used by S3DestinationIT and bench/offsite-s3.sh.
 */
public final class S3Upload {
  private S3Upload() {
  }

  public static void main(String[] args) throws Exception {
    String endpoint = args[0];
    URI url = URI.create(args[1]);
    String key = args[2];
    Path file = Path.of(args[3]);
    long built = System.nanoTime();
    try (S3Destination destination = new S3Destination(new DestinationConfig("BENCH", url, Map.of("ENDPOINT", endpoint,
        "ACCESS_KEY_ID", System.getenv("S3_ACCESS_KEY_ID"), "SECRET_ACCESS_KEY", System.getenv("S3_SECRET_ACCESS_KEY"), "PATH_STYLE", "true"),
        Duration.ofSeconds(30)))) {
      long clientMs = (System.nanoTime() - built) / 1_000_000;
      // the first request loads and links most of the SDK's request path: timed apart, as a
      // long-running app pays it once
      long first = System.nanoTime();
      byte[] probe = new byte[1024];
      destination.put(key + ".probe", new java.io.ByteArrayInputStream(probe), probe.length);
      destination.delete(key + ".probe");
      long firstMs = (System.nanoTime() - first) / 1_000_000;
      long started = System.nanoTime();
      try (InputStream in = Files.newInputStream(file)) {
        destination.put(key, in, Files.size(file));
      }
      long uploadMs = (System.nanoTime() - started) / 1_000_000;
      String sha256 = destination.check(key).orElseThrow().sha256();
      long peak = 0;
      for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
        if (pool.getType() == MemoryType.HEAP) {
          peak += pool.getPeakUsage().getUsed();
        }
      }
      System.out.println("sha256=" + sha256 + " clientMs=" + clientMs + " firstRequestsMs=" + firstMs + " uploadMs=" + uploadMs + " peakHeapMiB=" + peak / (1024 * 1024));
    }
  }
}
