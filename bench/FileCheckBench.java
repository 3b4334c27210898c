import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;

/**
 * What the check before each write costs (persistence.FileIdentity): a stat of the SQLite file's path, its file key (device
 * and inode) compared with the one the app opened. ROUNDS rounds of PER_ROUND checks on the file given (a DATA_DIR's
 * checkpoint.db); prints per round the mean wall and thread-CPU nanoseconds of one check (the clocks are read once a round:
 * read around each check, they would cost as much as the check). The first rounds run cold code.
 */
public class FileCheckBench {
  public static void main(String[] args) throws Exception {
    Path file = Path.of(args[0]);
    int rounds = Integer.parseInt(args[1]);
    int per = Integer.parseInt(args[2]);
    Object opened = Files.readAttributes(file, BasicFileAttributes.class).fileKey();
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    for (int r = 1; r <= rounds; r++) {
      long w = System.nanoTime();
      long c = threads.getCurrentThreadCpuTime();
      for (int i = 0; i < per; i++) {
        if (!opened.equals(Files.readAttributes(file, BasicFileAttributes.class).fileKey())) {
          throw new IllegalStateException(file + " was replaced");
        }
      }
      long cpu = threads.getCurrentThreadCpuTime() - c;
      long wall = System.nanoTime() - w;
      System.out.println(r + " " + wall / per + " " + cpu / per);
    }
  }
}
