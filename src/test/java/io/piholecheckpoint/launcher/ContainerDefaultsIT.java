package io.piholecheckpoint.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import io.piholecheckpoint.testing.InProcessApp;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the launcher sets up instead of parsing Jetty's webdefault-ee10.xml: the static files are
 * served as that descriptor's default servlet served them (types, ranges, no listing), and a JSP
 * path is an ordinary 404.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ContainerDefaultsIT {
  @TempDir
  static Path dir;

  private final HttpClient client = HttpClient.newHttpClient();
  private InProcessApp app;

  @BeforeAll
  void start() throws Exception {
    app = InProcessApp.start(dir.resolve("data"), dir.resolve("backups"), Map.of());
  }

  @AfterAll
  void stop() {
    app.close();
  }

  @Test
  void servesAStaticFileWithItsTypeAndWholeAsTheDefaultServletDid() throws Exception {
    byte[] file = Files.readAllBytes(Path.of("target/pihole-checkpoint/static/app.css"));

    HttpResponse<byte[]> answer = get("/static/app.css", null);

    assertThat(answer.statusCode()).isEqualTo(200);
    assertThat(answer.headers().firstValue("Content-Type")).hasValue("text/css");
    assertThat(answer.headers().firstValue("Accept-Ranges")).hasValue("bytes");
    assertThat(answer.body()).isEqualTo(file);
  }

  @Test
  void servesARangeOfAStaticFile() throws Exception {
    byte[] file = Files.readAllBytes(Path.of("target/pihole-checkpoint/static/app.css"));

    HttpResponse<byte[]> answer = get("/static/app.css", "bytes=0-9");

    assertThat(answer.statusCode()).isEqualTo(206);
    assertThat(answer.body()).isEqualTo(java.util.Arrays.copyOf(file, 10));
  }

  @Test
  void neitherListsTheStaticFolderNorServesMissingFilesOrJsp() throws Exception {
    assertThat(get("/static/", null).statusCode()).isEqualTo(404);
    assertThat(get("/static/missing.css", null).statusCode()).isEqualTo(404);
    assertThat(get("/index.jsp", null).statusCode()).isEqualTo(404);
  }

  private HttpResponse<byte[]> get(String path, String range) throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + app.port() + path));
    if (range != null) {
      request.header("Range", range);
    }
    return client.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
  }
}
