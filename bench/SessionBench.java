import io.piholecheckpoint.core.access.Sessions;
import io.piholecheckpoint.persistence.Database;
import io.piholecheckpoint.persistence.Migrations;
import io.piholecheckpoint.persistence.MyBatisSessionStore;
import java.io.OutputStream;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;

/**
 * What a signed-in request pays for its session since sessions live in the database: ROUNDS
 * rounds of PER_ROUND Sessions.touch calls on a migrated SQLite file holding LIVE sessions (a
 * lookup by key; activity is written once a minute, so never within a round), and a sign-in's
 * Sessions.start (a delete of idle ones and an insert, one commit each). Prints per round: median
 * wall and thread-CPU microseconds of a touch, then of a start.
 */
public class SessionBench {
  public static void main(String[] args) throws Exception {
    int rounds = Integer.parseInt(args[0]);
    int per = Integer.parseInt(args[1]);
    int live = Integer.parseInt(args[2]);
    Path dir = Files.createTempDirectory("session-bench");
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    try (Database database = Database.open(dir.resolve("checkpoint.db"))) {
      database.prepareSessions();
      Migrations.migrate(database, new PrintStream(OutputStream.nullOutputStream()));
      byte[] key = "a key derived from the app password".getBytes(StandardCharsets.UTF_8);
      Sessions sessions = new Sessions(new MyBatisSessionStore(database), Clock.systemUTC(), Duration.ofHours(12), new SecureRandom(), () -> key);
      String id = sessions.start();
      for (int i = 1; i < live; i++) {
        sessions.start();
      }
      for (int r = 1; r <= rounds; r++) {
        long[] wall = new long[per];
        long[] cpu = new long[per];
        for (int i = 0; i < per; i++) {
          long w = System.nanoTime();
          long c = threads.getCurrentThreadCpuTime();
          if (!sessions.touch(id)) {
            throw new IllegalStateException("the session ended");
          }
          cpu[i] = threads.getCurrentThreadCpuTime() - c;
          wall[i] = System.nanoTime() - w;
        }
        long[] startWall = new long[20];
        long[] startCpu = new long[20];
        for (int i = 0; i < 20; i++) {
          long w = System.nanoTime();
          long c = threads.getCurrentThreadCpuTime();
          sessions.end(sessions.start());
          startCpu[i] = threads.getCurrentThreadCpuTime() - c;
          startWall[i] = System.nanoTime() - w;
        }
        System.out.printf("%d %d %d %d %d%n", r, median(wall) / 1000, median(cpu) / 1000, median(startWall) / 1000, median(startCpu) / 1000);
      }
    }
  }

  private static long median(long[] values) {
    long[] sorted = values.clone();
    Arrays.sort(sorted);
    return sorted[sorted.length / 2];
  }
}
