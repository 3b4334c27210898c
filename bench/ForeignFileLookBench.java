import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.lang.reflect.Method;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Duration;
import java.util.Properties;

/**
 * What the read-only look before the catalogue's first connection costs (persistence.ForeignFile, round 50 F1), once per
 * Database.open of a file that is there: ROUNDS rounds of PER_ROUND, alternating (A B A B …) the look and, for scale, one
 * connection as the catalogue's own open it (journal_mode=WAL, the start's first connection). Prints per round and kind
 * the mean wall and thread-CPU microseconds of one.
 */
public class ForeignFileLookBench {
  public static void main(String[] args) throws Exception {
    Path file = Path.of(args[0]).toAbsolutePath();
    int rounds = Integer.parseInt(args[1]);
    int per = Integer.parseInt(args[2]);
    Method look = Class.forName("io.piholecheckpoint.persistence.ForeignFile").getDeclaredMethod("requireNone", Path.class, Duration.class);
    look.setAccessible(true);
    Properties wal = new Properties();
    wal.setProperty("journal_mode", "WAL");
    wal.setProperty("busy_timeout", "5000");
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    for (int r = 1; r <= rounds; r++) {
      for (String kind : new String[] {"look", "wal-connection"}) {
        long w = System.nanoTime();
        long c = threads.getCurrentThreadCpuTime();
        for (int i = 0; i < per; i++) {
          if (kind.equals("look")) {
            look.invoke(null, file, Duration.ofSeconds(5));
          } else {
            try (Connection connection = new org.sqlite.JDBC().connect("jdbc:sqlite:" + file, wal)) {
              connection.createStatement().executeQuery("SELECT 1").close();
            }
          }
        }
        long cpu = threads.getCurrentThreadCpuTime() - c;
        long wall = System.nanoTime() - w;
        System.out.println(r + " " + kind + " " + wall / per / 1000 + " " + cpu / per / 1000);
      }
    }
  }
}
