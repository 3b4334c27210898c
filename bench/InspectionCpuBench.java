import io.piholecheckpoint.teleporter.TeleporterInspector;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * The CPU time of one inspection of a Teleporter archive that the inspector has seen before (an
 * unchanged Pi-hole's next backup: CRC of every entry, gravity.db's digest, pihole.toml's key and the
 * content hash), measured as this thread's CPU time, which the machine's load hardly moves.
 * Run by bench/inspection-cpu.sh:
 *   java -cp CLASSPATH bench/InspectionCpuBench.java ARCHIVE ROUNDS PER_ROUND
 * prints one line per round: "round median_ms" (the median of PER_ROUND inspections).
 */
public class InspectionCpuBench {
  public static void main(String[] args) throws Exception {
    Path archive = Path.of(args[0]);
    int rounds = Integer.parseInt(args[1]);
    int perRound = Integer.parseInt(args[2]);
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    TeleporterInspector inspector = new TeleporterInspector();
    for (int round = 1; round <= rounds; round++) {
      double[] ms = new double[perRound];
      for (int i = 0; i < perRound; i++) {
        long before = threads.getCurrentThreadCpuTime();
        inspector.inspect(archive);
        ms[i] = (threads.getCurrentThreadCpuTime() - before) / 1e6;
      }
      Arrays.sort(ms);
      System.out.printf("%d %.2f%n", round, ms[perRound / 2]);
    }
  }
}
