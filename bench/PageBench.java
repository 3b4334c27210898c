import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Page latency with INSTANCES × BACKUPS backups (20 × 1,000 and 1 × 2,000 in bench/pages.sh):
 *   java -cp 'target/pihole-checkpoint/WEB-INF/lib/*' bench/PageBench.java seed DB BACKUP_DIR INSTANCES BACKUPS
 *   java bench/PageBench.java load BASE_URL [PAGE,PAGE…]
 * -Dconcurrency=8 (a comma-separated list; default 1,8) measures only those concurrencies, -Drounds=R -Drequests=N: R rounds of N requests.
 */
public class PageBench {
  /** -Drequests=N for shorter rounds (bench/cluster.sh, whose pages are slower); 400 by default. */
  static final int REQUESTS = Integer.getInteger("requests", 400);

  public static void main(String[] args) throws Exception {
    if (args[0].equals("seed")) {
      seed(args[1], Path.of(args[2]), Integer.parseInt(args[3]), Integer.parseInt(args[4]));
    } else {
      load(args[1], args.length > 2 ? List.of(args[2].split(",")) : List.of("/", "/instances/1"));
    }
  }

  /** Rows as the application writes them; each successful backup gets an (empty) file so that it is not "missing". */
  static void seed(String db, Path backups, int instances, int perInstance) throws Exception {
    Files.createDirectories(backups);
    long now = System.currentTimeMillis();
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db)) {
      c.setAutoCommit(false);
      try (PreparedStatement instance = c.prepareStatement("INSERT INTO instance (name, slug, origin, url, schedule_kind, schedule_time, "
          + "schedule_day, max_backups, max_age_days, created_at, updated_at) VALUES (?, ?, 'UI', 'http://127.0.0.1:9', 'DAILY', '03:00', "
          + "'SUNDAY', 0, 0, ?, ?)");
           PreparedStatement backup = c.prepareStatement("INSERT INTO backup (instance_id, status, trigger_kind, file_name, size_bytes, sha256, "
               + "content_hash, ftl_version, groups_count, adlists_count, allow_exact_count, allow_regex_count, deny_exact_count, "
               + "deny_regex_count, clients_count, dns_records_count, cnames_count, changed_settings_count, error_code, error_message, "
               + "started_at, finished_at) VALUES (?, ?, 'SCHEDULED', ?, ?, ?, ?, 'v6.4.1', 2, 40, 5, 1, 1203, 3, 4, 6, 2, 12, ?, ?, ?, ?)")) {
        for (int i = 1; i <= instances; i++) {
          String slug = "pihole-" + i;
          instance.setString(1, "Pi-hole " + i);
          instance.setString(2, slug);
          instance.setLong(3, now);
          instance.setLong(4, now);
          instance.executeUpdate();
          for (int b = 0; b < perInstance; b++) {
            long at = now - (perInstance - b) * 3_600_000L;
            boolean ok = b % 10 != 0;
            String file = ok ? String.format(Locale.ROOT, "%s_%tY%<tm%<tdT%<tH%<tM%<tSZ_b%05d.zip", slug, new java.util.Date(at), b) : null;
            backup.setInt(1, i);
            backup.setString(2, ok ? "SUCCESS" : "FAILED");
            backup.setString(3, file);
            backup.setObject(4, ok ? 22_000L + b : null);
            backup.setString(5, ok ? "s" + i + "-" + b : null);
            backup.setString(6, ok ? "c" + (b / 5) : null);
            backup.setString(7, ok ? null : "unreachable");
            backup.setString(8, ok ? null : "Pi-hole at http://127.0.0.1:9 is unreachable: connection refused");
            backup.setLong(9, at);
            backup.setLong(10, at + 2000);
            backup.addBatch();
            if (ok) {
              Files.createFile(backups.resolve(file));
            }
          }
          backup.executeBatch();
        }
      }
      c.commit();
    }
  }

  static final int ROUNDS = Integer.getInteger("rounds", 3);

  /** p99 of each round of {@link #REQUESTS} requests; the table shows their median and spread. */
  static void load(String base, List<String> pages) throws Exception {
    HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    System.out.println("| page | concurrency | p99 ms, median of rounds | spread (min–max) | target | rounds × requests |");
    System.out.println("|---|---|---|---|---|---|");
    for (String page : pages) {
      for (String level : System.getProperty("concurrency", "1,8").split(",")) {
        int concurrency = Integer.parseInt(level.trim());
        run(http, base + page, concurrency, Math.min(100, REQUESTS)); // warm-up, not reported
        List<Double> p99s = new ArrayList<>();
        for (int round = 0; round < ROUNDS; round++) {
          List<Double> millis = run(http, base + page, concurrency, REQUESTS);
          Collections.sort(millis);
          p99s.add(millis.get((int) Math.ceil(millis.size() * 0.99) - 1));
        }
        Collections.sort(p99s);
        System.out.printf(Locale.ROOT, "| %s | %d | %.1f | %.1f–%.1f | ≤ 50 ms | %d × %d |%n", page, concurrency, p99s.get(ROUNDS / 2),
            p99s.get(0), p99s.get(ROUNDS - 1), ROUNDS, REQUESTS);
      }
    }
  }

  static List<Double> run(HttpClient http, String url, int concurrency, int requests) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(concurrency);
    List<Future<Double>> results = new ArrayList<>();
    for (int i = 0; i < requests; i++) {
      results.add(pool.submit(() -> {
        long start = System.nanoTime();
        HttpResponse<byte[]> response = http.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofByteArray());
        if (response.statusCode() != 200) {
          throw new IllegalStateException(url + " answered " + response.statusCode());
        }
        return (System.nanoTime() - start) / 1e6;
      }));
    }
    List<Double> millis = new ArrayList<>();
    for (Future<Double> f : results) {
      millis.add(f.get());
    }
    pool.shutdown();
    return millis;
  }
}
