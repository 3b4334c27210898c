package io.piholecheckpoint.offsite;

import static org.assertj.core.api.Assertions.assertThat;

import io.piholecheckpoint.testing.RunningApp;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The AWS SDK is several megabytes of classes in the WAR, MINA SSHD a few more: an app without
 * off-site destinations must not pay for them in start time or memory, so none of their classes, nor
 * of any kind's adapter, may load. (One exception, not ours to avoid while WEB-INF/lib is the class
 * path: the JDK instantiates every java.nio FileSystemProvider there when Jetty lists them at start,
 * and MINA declares two; they are a few small classes, and nothing of the SSH client comes with them.)
 */
class NoDestinationClientWithoutADestinationIT {
  /** MINA's two java.nio file system providers, light on purpose (a facade), and what their constructors load: no SSH client. */
  private static final Set<String> FILE_SYSTEM_PROVIDERS = Set.of("org.apache.sshd.common.file.root.RootedFileSystemProvider",
      "org.apache.sshd.common.file.util.BaseFileSystem", "org.apache.sshd.common.file.root.RootedFileSystem",
      "org.apache.sshd.sftp.client.fs.SftpFileSystemProviderFacade", "org.apache.sshd.common.session.SessionContextHolder",
      "org.apache.sshd.common.session.SessionHolder", "org.apache.sshd.client.session.ClientSessionHolder",
      "org.apache.sshd.sftp.client.fs.SftpFileSystem");

  @TempDir
  Path dir;

  @Test
  void theAppStartsAndServesWithoutLoadingAnyClassOfAnyDestinationsClient() throws Exception {
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
    assertThat(classes.lines().filter(line -> line.contains("org.apache.sshd")).map(line -> line.split(" ")[1]))
        .as("of MINA only its file system providers, which the JDK loads with every other on the class path when Jetty asks which it may mount")
        .allMatch(FILE_SYSTEM_PROVIDERS::contains);
    assertThat(classes.lines().filter(line -> line.contains("io.piholecheckpoint.offsite."))).isEmpty();
  }
}
