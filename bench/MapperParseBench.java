import io.piholecheckpoint.persistence.Database;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The mapper parse of a fresh JVM, as the server's start does it (the pool's first use parses the 16 XML mappers): this thread's
 * CPU time and bytes allocated, and the JVM's young collections, printed as "cpu_ms alloc_mb collections". With
 * {@code -Djavax.xml.xpath.XPathFactory:http://java.sun.com/jaxp/xpath/dom=com.sun.org.apache.xpath.internal.jaxp.XPathFactoryImpl}
 * MyBatis reads the mappers through the JDK's XPath, as before r49-start. Run by bench/mapper-parse.sh.
 */
public class MapperParseBench {
  public static void main(String[] args) throws Exception {
    Path dir = Files.createTempDirectory("mapper-parse");
    com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    long id = Thread.currentThread().getId();
    try (Database database = Database.open(dir.resolve("checkpoint.db"))) {
      long gcs = collections();
      long cpu = threads.getCurrentThreadCpuTime();
      long allocated = threads.getThreadAllocatedBytes(id);
      database.pool(); // parses the mappers, as the start's prepare-mybatis thread does
      System.out.printf("%d %.1f %d%n", (threads.getCurrentThreadCpuTime() - cpu) / 1_000_000,
          (threads.getThreadAllocatedBytes(id) - allocated) / 1e6, collections() - gcs);
    } finally {
      try (var files = Files.walk(dir)) {
        files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
      }
    }
  }

  private static long collections() {
    return ManagementFactory.getGarbageCollectorMXBeans().stream().mapToLong(b -> Math.max(0, b.getCollectionCount())).sum();
  }
}
