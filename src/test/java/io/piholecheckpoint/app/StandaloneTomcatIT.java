package io.piholecheckpoint.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.piholecheckpoint.testing.Eventually;
import io.piholecheckpoint.testing.StandaloneTomcat;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The WAR, unchanged, in a stock Apache Tomcat 11 (unpacked by Maven before the integration
 * tests), configured by JVM system properties instead of the environment, migrating at start.
 */
class StandaloneTomcatIT {
  @TempDir
  Path dir;

  @Test
  void theWarDeploysIntoTomcatConfiguredBySystemProperties() throws Exception {
    HttpClient http = HttpClient.newHttpClient();
    try (StandaloneTomcat tomcat = StandaloneTomcat.start(dir, Map.of("DATA_DIR", dir.resolve("data").toString(),
        "BACKUP_DIR", dir.resolve("backups").toString(), "CHECKPOINT_MIGRATE_ON_START", "true"))) {
      try {
        Eventually.until("/health answers 200 from Tomcat", Duration.ofSeconds(90),
            () -> tomcat.isAlive() && status(http, tomcat.url("/health")) == 200);
        HttpResponse<String> dashboard = http.send(HttpRequest.newBuilder(URI.create(tomcat.url("/"))).build(), HttpResponse.BodyHandlers.ofString());

        assertThat(dashboard.statusCode()).isEqualTo(200);
        assertThat(dashboard.body()).contains("No Pi-hole configured yet");
        assertThat(dir.resolve("data/checkpoint.db")).as("DATA_DIR came from a system property").exists();
      } catch (Exception | AssertionError e) {
        throw new AssertionError("Tomcat output:\n" + tomcat.log(), e);
      }
    }
  }

  private static int status(HttpClient http, String url) {
    try {
      return http.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.discarding()).statusCode();
    } catch (Exception e) {
      return -1;
    }
  }
}
