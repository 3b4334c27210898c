package io.piholecheckpoint.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.piholecheckpoint.testing.Eventually;
import io.piholecheckpoint.testing.StandaloneJetty;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The WAR, unchanged, in a stock Jetty 12 distribution (jetty-home, unpacked by Maven before
 * the integration tests), configured by the environment and migrating at start, as an
 * operator of their own servlet container would run it.
 */
class StandaloneJettyIT {
  @TempDir
  Path dir;

  @Test
  void theWarDeploysIntoStandaloneJettyAndAnswersHealthAndDashboard() throws Exception {
    try (StandaloneJetty jetty = StandaloneJetty.start(dir, Map.of("DATA_DIR", dir.resolve("data").toString(),
        "BACKUP_DIR", dir.resolve("backups").toString(), "CHECKPOINT_MIGRATE_ON_START", "true"))) {
      try {
        HttpClient http = HttpClient.newHttpClient();

        Eventually.until("/health answers 200", Duration.ofSeconds(60),
            () -> http.send(HttpRequest.newBuilder(URI.create(jetty.url("/health"))).build(), HttpResponse.BodyHandlers.discarding()).statusCode() == 200);
        HttpResponse<String> dashboard = http.send(HttpRequest.newBuilder(URI.create(jetty.url("/"))).build(), HttpResponse.BodyHandlers.ofString());

        assertThat(dashboard.statusCode()).isEqualTo(200);
        assertThat(dashboard.body()).contains("No Pi-hole configured yet");
        assertThat(http.send(HttpRequest.newBuilder(URI.create(jetty.url("/health/"))).build(), HttpResponse.BodyHandlers.discarding())
            .statusCode()).as("1.x's monitor address").isEqualTo(200);
        HttpResponse<Void> page = http.send(HttpRequest.newBuilder(URI.create(jetty.url("/settings/?x=1"))).build(), HttpResponse.BodyHandlers.discarding());
        assertThat(page.statusCode()).as("1.x's page address").isEqualTo(301);
        assertThat(page.headers().firstValue("Location")).hasValue("/settings?x=1");
        assertThat(dir.resolve("data/checkpoint.db")).exists();
        assertThat(java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("data/checkpoint.db"))))
            .as("the database is the owner's only, whatever the container's umask").isEqualTo("rw-------");
        assertThat(java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("backups"))))
            .isEqualTo("rwx------");
      } catch (Exception | AssertionError e) {
        throw new AssertionError("standalone Jetty log:\n" + jetty.log(), e);
      }
    }
  }
}
