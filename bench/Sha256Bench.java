import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.security.MessageDigest;
import java.util.Arrays;

/**
 * SHA-256 throughput of this JVM, as CPU time of this thread (which the machine's load hardly moves):
 * ROUNDS rounds of hashing MB megabytes in 64 kB updates, one line per round "round MB/s". The first
 * rounds run before the JIT has compiled the digest (C1 after ~200 calls, C2 later when tiered).
 * Run with the server's options and without them: bench/sha256.sh.
 */
public class Sha256Bench {
  public static void main(String[] args) throws Exception {
    int rounds = Integer.parseInt(args[0]);
    int mb = Integer.parseInt(args[1]);
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    byte[] buffer = new byte[64 * 1024];
    Arrays.fill(buffer, (byte) 0x5a);
    MessageDigest digest = MessageDigest.getInstance("SHA-256");
    for (int round = 1; round <= rounds; round++) {
      long before = threads.getCurrentThreadCpuTime();
      for (int i = 0; i < mb * 16; i++) {
        digest.update(buffer);
      }
      digest.digest();
      double seconds = (threads.getCurrentThreadCpuTime() - before) / 1e9;
      System.out.printf("%d %.1f%n", round, mb / seconds);
    }
  }
}
