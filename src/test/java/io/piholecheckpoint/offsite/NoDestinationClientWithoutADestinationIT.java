package io.piholecheckpoint.offsite.s3;

import static org.assertj.core.api.Assertions.assertThat;

import io.piholecheckpoint.testing.RunningApp;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The AWS SDK is several megabytes of classes in the WAR: an app without an s3:// destination must
 * not pay for it in start time or memory, so none of its classes may load.
 */
class NoS3ClientWithoutAnS3DestinationIT {
  @TempDir
  Path dir;

  @Test
  void theAppStartsAndServesWithoutLoadingAnyClassOfTheSdk() throws Exception {
    Path loaded = dir.resolve("classes.log");
    try (RunningApp app = RunningApp.start(dir.resolve("data"), dir.resolve("backups"), Map.of(
        "JAVA_OPTS", "-XX:TieredStopAtLevel=1 -XX:+UseSerialGC -Xmx128m -Xlog:class+load=info:file=" + loaded))) {
      HttpResponse<String> health = HttpClient.newHttpClient().send(
          HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + app.port() + "/health")).build(), HttpResponse.BodyHandlers.ofString());
      assertThat(health.statusCode()).isEqualTo(200);
      app.stop(); // the class log is complete once the JVM has exited
    }
    String classes = Files.readString(loaded);
    assertThat(classes).contains("io.piholecheckpoint.app.");
    assertThat(classes.lines().filter(line -> line.contains("software.amazon.awssdk"))).isEmpty();
  }
}
