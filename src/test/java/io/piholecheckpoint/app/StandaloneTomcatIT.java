package io.piholecheckpoint.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.piholecheckpoint.testing.ChunkedUpload;
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
    StandaloneTomcat stopped;
    try (StandaloneTomcat tomcat = StandaloneTomcat.start(dir, Map.of("DATA_DIR", dir.resolve("data").toString(),
        "BACKUP_DIR", dir.resolve("backups").toString(), "CHECKPOINT_MIGRATE_ON_START", "true"))) {
      stopped = tomcat;
      try {
        Eventually.until("/health answers 200 from Tomcat", Duration.ofSeconds(90),
            () -> tomcat.isAlive() && status(http, tomcat.url("/health")) == 200);
        HttpResponse<String> dashboard = http.send(HttpRequest.newBuilder(URI.create(tomcat.url("/"))).build(), HttpResponse.BodyHandlers.ofString());

        assertThat(dashboard.statusCode()).isEqualTo(200);
        assertThat(dashboard.body()).contains("No Pi-hole configured yet");
        assertThat(status(http, tomcat.url("/health/"))).as("1.x's monitor address").isEqualTo(200);
        assertThat(http.send(HttpRequest.newBuilder(URI.create(tomcat.url("/settings/?x=1"))).build(), HttpResponse.BodyHandlers.discarding())
            .headers().firstValue("Location")).as("1.x's page address").hasValue("/settings?x=1");
        assertThat(dir.resolve("data/checkpoint.db")).as("DATA_DIR came from a system property").exists();
        answersApiInputErrorsInJson(http, tomcat.url(""), tomcat.port());
      } catch (Exception | AssertionError e) {
        throw new AssertionError("Tomcat output:\n" + tomcat.log(), e);
      }
    }
    // Tomcat's checks for what a stopped application left behind: a redeploy would keep the old one in memory
    assertThat(stopped.log()).contains("Stopping service")
        .doesNotContain("but failed to unregister it").doesNotContain("but has failed to stop it");
  }

  /** What the WAR itself controls works the same in Tomcat: strict bodies, 405 in JSON, 413 for a chunked upload. */
  private static void answersApiInputErrorsInJson(HttpClient http, String url, int port) throws Exception {
    HttpResponse<String> created = http.send(HttpRequest.newBuilder(URI.create(url + "/api/v1/instances"))
        .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"T\",\"url\":\"http://127.0.0.1:9\"}"))
        .build(), HttpResponse.BodyHandlers.ofString());
    HttpResponse<String> wrongType = http.send(HttpRequest.newBuilder(URI.create(url + "/api/v1/backups/1/restore"))
        .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString("{\"dryRun\":\"yes\"}"))
        .build(), HttpResponse.BodyHandlers.ofString());
    HttpResponse<String> patch = http.send(HttpRequest.newBuilder(URI.create(url + "/api/v1/instances"))
        .method("PATCH", HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
    String upload = ChunkedUpload.send(port, "/api/v1/instances/1/backups/import", "multipart/form-data; boundary=b",
        "--b\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.zip\"\r\n\r\n", 51);

    assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
    assertThat(wrongType.statusCode()).isEqualTo(400);
    assertThat(wrongType.body()).contains("\"field\":\"dryRun\"");
    assertThat(patch.statusCode()).isEqualTo(405);
    assertThat(patch.headers().firstValue("Allow")).hasValue("GET, HEAD, POST, OPTIONS");
    assertThat(upload).startsWith("HTTP/1.1 413").contains("\"too_large\"");
  }

  private static int status(HttpClient http, String url) {
    try {
      return http.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.discarding()).statusCode();
    } catch (Exception e) {
      return -1;
    }
  }
}
