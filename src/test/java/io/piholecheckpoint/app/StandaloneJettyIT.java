package io.piholecheckpoint.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.piholecheckpoint.testing.Eventually;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The WAR, unchanged, in a stock Jetty 12 distribution (jetty-home, unpacked by Maven before
 * the integration tests), configured by the environment and migrating at start, as an
 * operator of their own servlet container would run it.
 */
class StandaloneJettyIT {
  private static final Pattern CONNECTOR = Pattern.compile("Started oejs\\.ServerConnector@\\S+\\{HTTP/1\\.1[^}]*\\}\\{127\\.0\\.0\\.1:(\\d+)\\}");

  @TempDir
  Path dir;

  @Test
  void theWarDeploysIntoStandaloneJettyAndAnswersHealthAndDashboard() throws Exception {
    Path jettyHome = Path.of(System.getProperty("checkpoint.jettyHome"));
    Path war = Path.of(System.getProperty("checkpoint.home", ".")).resolve("target/pihole-checkpoint.war");
    Path base = Files.createDirectories(dir.resolve("jetty-base"));
    Process setup = new ProcessBuilder("java", "-jar", jettyHome.resolve("start.jar").toString(), "--add-modules=http,ee10-deploy")
        .directory(base.toFile()).redirectErrorStream(true).start();
    assertThat(setup.waitFor(60, TimeUnit.SECONDS) && setup.exitValue() == 0).as("jetty base created").isTrue();
    Files.copy(war, base.resolve("webapps/ROOT.war"));

    ProcessBuilder builder = new ProcessBuilder("java", "-Xmx128m", "-jar", jettyHome.resolve("start.jar").toString(),
        "jetty.http.host=127.0.0.1", "jetty.http.port=0").directory(base.toFile()).redirectErrorStream(true);
    builder.environment().keySet().removeIf(k -> k.startsWith("PIHOLE_"));
    builder.environment().put("DATA_DIR", dir.resolve("data").toString());
    builder.environment().put("BACKUP_DIR", dir.resolve("backups").toString());
    builder.environment().put("CHECKPOINT_MIGRATE_ON_START", "true");
    Process jetty = builder.start();
    List<String> log = new ArrayList<>();
    CompletableFuture<Integer> port = new CompletableFuture<>();
    Thread reader = new Thread(() -> read(jetty, log, port));
    reader.setDaemon(true);
    reader.start();
    try {
      String url = "http://127.0.0.1:" + port.get(90, TimeUnit.SECONDS);
      HttpClient http = HttpClient.newHttpClient();

      Eventually.until("/health answers 200", Duration.ofSeconds(60),
          () -> http.send(HttpRequest.newBuilder(URI.create(url + "/health")).build(), HttpResponse.BodyHandlers.discarding()).statusCode() == 200);
      HttpResponse<String> dashboard = http.send(HttpRequest.newBuilder(URI.create(url + "/")).build(), HttpResponse.BodyHandlers.ofString());

      assertThat(dashboard.statusCode()).isEqualTo(200);
      assertThat(dashboard.body()).contains("No Pi-hole configured yet");
      assertThat(dir.resolve("data/checkpoint.db")).exists();
      assertThat(java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("data/checkpoint.db"))))
          .as("the database is the owner's only, whatever the container's umask").isEqualTo("rw-------");
      assertThat(java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("backups"))))
          .isEqualTo("rwx------");
    } catch (Exception | AssertionError e) {
      synchronized (log) {
        throw new AssertionError("standalone Jetty log:\n" + String.join("\n", log), e);
      }
    } finally {
      jetty.toHandle().destroy();
      jetty.waitFor(30, TimeUnit.SECONDS);
    }
  }

  private static void read(Process process, List<String> log, CompletableFuture<Integer> port) {
    try (BufferedReader lines = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
      for (String line; (line = lines.readLine()) != null; ) {
        synchronized (log) {
          log.add(line);
        }
        Matcher m = CONNECTOR.matcher(line);
        if (m.find()) {
          port.complete(Integer.parseInt(m.group(1)));
        }
      }
    } catch (IOException e) {
      // process ended
    }
    port.completeExceptionally(new IllegalStateException("Jetty ended before it listened"));
  }
}
