import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;

/**
 * What the check of an archive against its record adds to each read of it: one more SHA-256 pass
 * over the plain archive, as LocalDamage reads it (64 KiB buffer). A 1,000,000-domain archive is
 * about 14 MB. Run: {@code head -c 14000000 /dev/urandom > /tmp/a.bin && java bench/ArchiveCheckBench.java /tmp/a.bin}
 */
public class ArchiveCheckBench {
  public static void main(String[] args) throws Exception {
    Path file = Path.of(args[0]);
    long best = Long.MAX_VALUE;
    long sum = 0;
    for (int i = 0; i < 20; i++) {
      long started = System.nanoTime();
      MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
      try (InputStream in = Files.newInputStream(file)) {
        byte[] buffer = new byte[64 * 1024];
        for (int n; (n = in.read(buffer)) != -1; ) {
          sha256.update(buffer, 0, n);
        }
      }
      sha256.digest();
      long took = System.nanoTime() - started;
      if (i >= 5) {
        best = Math.min(best, took);
        sum += took;
      }
    }
    System.out.printf("%d bytes: best %.1f ms, mean %.1f ms (15 runs after 5 warm-up)%n", Files.size(file), best / 1e6, sum / 15 / 1e6);
  }
}
