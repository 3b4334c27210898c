import io.piholecheckpoint.core.archive.scratch.ScratchDirectory;
import io.piholecheckpoint.core.contents.Change;
import io.piholecheckpoint.core.contents.ContentDiff;
import io.piholecheckpoint.core.contents.ListCategory;
import io.piholecheckpoint.teleporter.TeleporterContents;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Comparator;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The first view of the diff of two archives, in-process (TeleporterContents, as ContentsService calls it),
 * at the image's JVM options: DIR holds big.zip (N deny domains) and small.zip (the fixture), built by
 * testing/LargeArchives. Each round times, with nothing kept in BACKUP_DIR/.scratch but what it says:
 *   cold     no list index, no kept diff (a pair whose indexes were evicted)
 *   indexed  both list indexes kept, no kept diff (a non-adjacent pair of recent backups)
 *   reverse  the pair's diff kept in the other direction (newer → older after older → newer)
 * and prints "mode ms cpu-ms total-changes" a line each, ROUNDS rounds alternated (cold indexed reverse cold …):
 *   java @etc/jvm.options -cp 'target/classes:target/test-classes:target/pihole-checkpoint/WEB-INF/lib/*' bench/DiffFirstViewBench.java DIR ROUNDS
 */
public class DiffFirstViewBench {
  public static void main(String[] args) throws Exception {
    Path dir = Path.of(args[0]);
    int rounds = Integer.parseInt(args[1]);
    Path big = dir.resolve("big.zip");
    Path small = dir.resolve("small.zip");
    Path scratch = ScratchDirectory.beside(big).path();
    for (int round = 0; round < rounds; round++) {
      delete(scratch);
      time("cold", () -> changes(new TeleporterContents(Clock.systemUTC()).listChanges(small, big, 100)));
      delete(scratch.resolve(ScratchDirectory.DIFFS));
      time("indexed", () -> changes(new TeleporterContents(Clock.systemUTC()).listChanges(small, big, 100)));
      time("reverse", () -> changes(new TeleporterContents(Clock.systemUTC()).listChanges(big, small, 100)));
    }
  }

  interface Timed {
    long run() throws Exception;
  }

  private static void time(String mode, Timed timed) throws Exception {
    var bean = (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
    long cpu = bean.getCurrentThreadCpuTime();
    long start = System.nanoTime();
    long total = timed.run();
    System.out.printf("%s %d %d %d%n", mode, (System.nanoTime() - start) / 1_000_000, (bean.getCurrentThreadCpuTime() - cpu) / 1_000_000, total);
  }

  private static long changes(Map<ListCategory, ContentDiff.Category> diff) {
    ContentDiff.Category domains = diff.get(ListCategory.DOMAINS);
    return domains.total(Change.ADDED) * 1_000_000_000L + domains.total(Change.REMOVED) * 1000 + domains.total(Change.CHANGED);
  }

  private static void delete(Path folder) throws Exception {
    if (Files.exists(folder)) {
      try (Stream<Path> files = Files.walk(folder)) {
        files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }
}
