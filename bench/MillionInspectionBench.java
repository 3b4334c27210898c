import com.sun.management.OperatingSystemMXBean;
import io.piholecheckpoint.teleporter.TeleporterInspector;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;

/**
 * Wall and CPU time of inspecting one large Teleporter archive (CRCs, gravity.db unpacked, checked, counted
 * and dumped into the content hash), each inspection by a new inspector so nothing is remembered between them, or with
 * {@code same} all by one inspector (the same archive inspected again: an import of a backed-up archive, a restore's check).
 * CPU is the whole process's (JIT and GC included). Run by bench/million-inspection.sh:
 *   java -cp CLASSPATH bench/MillionInspectionBench.java ARCHIVE RUNS [same]
 * prints one line per inspection: "wall_ms cpu_ms content_hash".
 */
public class MillionInspectionBench {
  public static void main(String[] args) throws Exception {
    Path archive = Path.of(args[0]);
    int runs = Integer.parseInt(args[1]);
    OperatingSystemMXBean os = (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    boolean same = args.length > 2 && args[2].equals("same");
    TeleporterInspector one = new TeleporterInspector();
    for (int i = 0; i < runs; i++) {
      long cpu = os.getProcessCpuTime();
      long wall = System.nanoTime();
      String hash = (same ? one : new TeleporterInspector()).inspect(archive).contentHash();
      System.out.printf("%d %d %s%n", (System.nanoTime() - wall) / 1_000_000, (os.getProcessCpuTime() - cpu) / 1_000_000, hash);
    }
  }
}
