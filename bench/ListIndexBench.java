import com.sun.management.OperatingSystemMXBean;
import java.lang.management.ManagementFactory;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.HexFormat;
import org.sqlite.SQLiteConfig;

/**
 * Wall and CPU time of building the list index (teleporter.ListIndex.build: rows, row hashes, block and list
 * digests, natural keys, inserts, the natural-order index) of one unpacked gravity.db, as a backup's change summary
 * or a first contents page does, in a new index file per run. CPU is the whole process's (JIT and GC included).
 * Run by bench/list-index.sh:
 *   java -cp CLASSPATH bench/ListIndexBench.java GRAVITY_DB SCRATCH_DIR RUNS
 * prints one line per build: "wall_ms cpu_ms rows check", where check hashes every row's key and hash and every
 * block's digest (not the list digests, whose format a branch may change), computed after the clock stops.
 */
public class ListIndexBench {
  public static void main(String[] args) throws Exception {
    Path gravity = Path.of(args[0]);
    Path scratch = Path.of(args[1]);
    int runs = Integer.parseInt(args[2]);
    // package-private: the build alone, without the archive's SHA-256 and unzipping that ListIndexes adds
    Class<?> index = Class.forName("io.piholecheckpoint.teleporter.ListIndex");
    Method create = index.getDeclaredMethod("create", Path.class);
    Method build = index.getDeclaredMethod("build", Connection.class, Connection.class, String.class);
    create.setAccessible(true);
    build.setAccessible(true);
    OperatingSystemMXBean os = (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    SQLiteConfig readOnly = new SQLiteConfig();
    readOnly.setReadOnly(true);
    readOnly.setTempStore(SQLiteConfig.TempStore.MEMORY);
    for (int i = 0; i < runs; i++) {
      Path file = scratch.resolve("lists-" + i + ".db");
      Files.deleteIfExists(file);
      long cpu = os.getProcessCpuTime();
      long wall = System.nanoTime();
      try (Connection source = readOnly.createConnection("jdbc:sqlite:" + gravity);
           Connection db = (Connection) create.invoke(null, file)) {
        build.invoke(null, source, db, "bench");
      }
      long wallMs = (System.nanoTime() - wall) / 1_000_000;
      long cpuMs = (os.getProcessCpuTime() - cpu) / 1_000_000;
      System.out.printf("%d %d %s%n", wallMs, cpuMs, check(file));
      Files.delete(file);
    }
  }

  private static String check(Path file) throws Exception {
    MessageDigest sha = MessageDigest.getInstance("SHA-256");
    long rows = 0;
    try (Connection db = new SQLiteConfig().createConnection("jdbc:sqlite:" + file); Statement s = db.createStatement()) {
      try (ResultSet rs = s.executeQuery("SELECT cat, k1, k2, h, n FROM items ORDER BY cat, n, k1, k2")) {
        while (rs.next()) {
          rows++;
          sha.update((rs.getString(1) + "\u001f" + rs.getString(2) + "\u001f" + rs.getString(3) + "\u001f" + rs.getLong(4) + "\u001f" + rs.getString(5) + "\n").getBytes());
        }
      }
      try (ResultSet rs = s.executeQuery("SELECT cat, k1, k2, s1, s2, digest FROM blocks ORDER BY cat, k1, k2")) {
        while (rs.next()) {
          sha.update((rs.getString(1) + "\u001f" + rs.getString(2) + "\u001f" + rs.getString(3) + "\u001f" + rs.getString(4) + "\u001f" + rs.getString(5) + "\u001f" + rs.getString(6) + "\n").getBytes());
        }
      }
    }
    return rows + " " + HexFormat.of().formatHex(sha.digest(), 0, 8);
  }
}
