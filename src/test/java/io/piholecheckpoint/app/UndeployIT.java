package io.piholecheckpoint.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.piholecheckpoint.testing.Eventually;
import io.piholecheckpoint.testing.HttpAgent;
import io.piholecheckpoint.testing.StandaloneJetty;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The WAR undeployed from a stock Jetty 12 that goes on running, as a redeploy does: every thread the application started stops.
 * A thread left parked (the Prometheus client's scheduler) pins the whole application in Metaspace, once per redeploy. Whether
 * the class loader is collected too is printed, not asserted: one is still held after the threads are gone (not found yet).
 */
class UndeployIT {
  private static final String METRICS_TOKEN = "undeploy-metrics-token-0123456789abcdef";
  /** Threads the application or its libraries start; Jetty's own (qtp…, Scanner, Session…) serve the container. */
  private static final Pattern APP_THREAD = Pattern.compile(
      "\"(prometheus-metrics-scheduler|HttpClient-|manual-backup|notify|dead-man-pings|restore|pihole-download-watchdog|copy-check"
          + "|app-password-hash|prepare-web|Quartz|backups|sqlite)[^\"]*\"");

  @TempDir
  Path dir;

  @Test
  void anUndeployLeavesNoThreadOfTheApplication() throws Exception {
    Map<String, String> settings = Map.of("APP_PASSWORD", "undeploy-password", "METRICS_TOKEN", METRICS_TOKEN,
        "DATA_DIR", dir.resolve("data").toString(), "BACKUP_DIR", dir.resolve("backups").toString(), "CHECKPOINT_MIGRATE_ON_START", "true");
    try (StandaloneJetty jetty = StandaloneJetty.start(dir, settings, new StandaloneJetty.Deployment("ROOT.war", true, null))) {
      HttpAgent agent = new HttpAgent("http://127.0.0.1:" + jetty.port());
      Eventually.until("/health answers 200", Duration.ofSeconds(90), () -> status(agent, "/health") == 200);
      // the metrics and the sign-in page: what starts the Prometheus client's and the page engine's parts
      assertThat(agent.get("/metrics", "Authorization", "Bearer " + METRICS_TOKEN).statusCode()).isEqualTo(200);
      assertThat(agent.get("/login").statusCode()).isEqualTo(200);
      assertThat(loaders(jetty)).as("the application is deployed in a WebAppClassLoader of its own").isPositive();

      jetty.undeploy();
      Eventually.until("the application stopped", Duration.ofSeconds(60), () -> jetty.log().contains("Pi-hole Checkpoint stopped"));
      String[] left = new String[1];
      try {
        // the JDK HttpClient's threads end once their client is collected: a GC before each look
        Eventually.until("no thread of the application left", Duration.ofSeconds(60), Duration.ofSeconds(2), () -> {
          jcmd(jetty, "GC.run");
          left[0] = appThreads(jcmd(jetty, "Thread.print"));
          return left[0].isEmpty();
        });
      } catch (AssertionError e) {
        throw new AssertionError("left after the undeploy: threads " + left[0] + "\ncontainer log:\n" + tail(jetty.log()), e);
      }
      System.out.printf("UndeployIT: %d WebAppClassLoader(s) on the heap after the undeploy and a full GC%n", loaders(jetty));
    }
  }

  private static String appThreads(String dump) {
    StringBuilder found = new StringBuilder();
    dump.lines().filter(line -> line.startsWith("\"")).map(APP_THREAD::matcher).filter(java.util.regex.Matcher::lookingAt)
        .forEach(m -> found.append(m.group()).append(' '));
    return found.toString().trim();
  }

  /** The WebAppClassLoader instances on Jetty's heap (0 when none: the histogram leaves the class out). */
  private static long loaders(StandaloneJetty jetty) throws Exception {
    for (String line : jcmd(jetty, "GC.class_histogram").lines().toList()) {
      if (line.trim().endsWith("org.eclipse.jetty.ee.webapp.WebAppClassLoader")) {
        return Long.parseLong(line.trim().split("\\s+")[1]);
      }
    }
    return 0;
  }

  private static String jcmd(StandaloneJetty jetty, String command) throws Exception {
    Process p = new ProcessBuilder(List.of("jcmd", Long.toString(jetty.pid()), command)).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
      throw new AssertionError("jcmd " + command + " failed: " + out);
    }
    return out;
  }

  private static int status(HttpAgent agent, String path) {
    try {
      return agent.get(path).statusCode();
    } catch (Exception e) {
      return -1;
    }
  }

  private static String tail(String log) {
    return log.length() < 6000 ? log : log.substring(log.length() - 6000);
  }
}
