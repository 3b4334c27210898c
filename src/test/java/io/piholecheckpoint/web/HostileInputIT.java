package io.piholecheckpoint.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import io.piholecheckpoint.testing.Eventually;
import io.piholecheckpoint.testing.Fixtures;
import io.piholecheckpoint.testing.HeadlessChromium;
import io.piholecheckpoint.testing.InProcessApp;
import io.piholecheckpoint.testing.TestArchives;
import java.net.InetSocketAddress;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.chrome.ChromeDriver;

/** Odd ids, traversal, oversized and malformed bodies and markup payloads, sent to the running app. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class HostileInputIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String MARKUP = "<img src=x onerror=\"document.title='pwned'\">";
  private static final String SCRIPT = MARKUP + "<script>document.title='pwned'</script>";
  private static final List<String> ODD_IDS = List.of("..%2F..%2F..%2Fetc%2Fpasswd", "%2e%2e", "%2e%2e%2f%2e%2e%2fetc",
      "99999999999999999999999", "9223372036854775807", "-1", "0", "abc", "1%00", "1.5", "0x10", "%201", "%F0%9F%92%A9");
  private static final List<String> ID_PATHS = List.of(
      "GET /api/v1/instances/{id}", "GET /api/v1/instances/{id}/backups", "GET /api/v1/instances/{id}/retention/preview",
      "GET /api/v1/instances/{id}/restores", "GET /api/v1/backups/{id}", "GET /api/v1/backups/{id}/verify",
      "GET /api/v1/backups/{id}/contents", "GET /api/v1/backups/{id}/diff", "GET /api/v1/restores/{id}", "GET /api/v1/jobs/{id}",
      "GET /backups/{id}", "GET /backups/{id}/download", "GET /instances/{id}", "GET /instances/{id}/edit",
      "POST /api/v1/instances/{id}/backups", "POST /api/v1/instances/{id}/test", "POST /api/v1/backups/{id}/pin",
      "POST /api/v1/backups/{id}/restore", "POST /instances/{id}/delete", "POST /instances/{id}",
      "PUT /api/v1/instances/{id}", "DELETE /api/v1/instances/{id}?backups=delete", "DELETE /api/v1/backups/{id}");

  @TempDir
  static Path dir;

  private HttpServer hostilePihole;
  private InProcessApp app;

  @BeforeAll
  void start() throws Exception {
    hostilePihole = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    hostilePihole.createContext("/", ex -> {
      byte[] body = ("{\"error\":{\"key\":\"bad_request\",\"message\":" + JSON.writeValueAsString(MARKUP) + ",\"hint\":null}}")
          .getBytes(StandardCharsets.UTF_8);
      ex.getResponseHeaders().set("Content-Type", "application/json");
      ex.sendResponseHeaders(400, body.length);
      ex.getResponseBody().write(body);
      ex.close();
    });
    hostilePihole.start();
    app = InProcessApp.start(dir.resolve("data"), dir.resolve("backups"), Map.of(
        "PIHOLE_HOME_URL", "http://127.0.0.1:" + hostilePihole.getAddress().getPort(), "PIHOLE_HOME_PASSWORD", "pw"));
    assertThat(app.upload("/api/v1/instances/1/backups/import", "file", "a.zip", Fixtures.archiveA()).statusCode()).isEqualTo(201);
  }

  @AfterAll
  void stop() {
    app.close();
    hostilePihole.stop(0);
  }

  private String statusAndBody(String method, String path, String body) throws Exception {
    String request = method + " " + path + " HTTP/1.1\nHost: 127.0.0.1\nConnection: close\nAccept: application/json\n"
        + (body == null ? "" : "Content-Type: application/json\nContent-Length: " + body.getBytes(StandardCharsets.UTF_8).length + "\n")
        + "\n" + (body == null ? "" : body);
    return app.exchangeFrom("127.0.0.1", request);
  }

  @Test
  void oddIdsInEveryPathAreRefusedCleanlyAndChangeNothing() throws Exception {
    for (String template : ID_PATHS) {
      String method = template.substring(0, template.indexOf(' '));
      for (String id : ODD_IDS) {
        String path = template.substring(method.length() + 1).replace("{id}", id);
        String answer = statusAndBody(method, path, method.equals("PUT") || path.endsWith("/restore") ? "{}" : null);

        assertThat(answer).as(method + " " + path).matches("(?s)HTTP/1.1 (400|404|405) .*")
            .doesNotContain("Exception").doesNotContain("at io.piholecheckpoint").doesNotContain("root:x:0:0");
      }
    }
    assertThat(app.get("/api/v1/instances/1").statusCode()).isEqualTo(200);
    assertThat(app.get("/api/v1/backups/1").statusCode()).isEqualTo(200);
  }

  @Test
  void dotSegmentsNeverLeaveTheApp() throws Exception {
    for (String path : List.of("/backups/../../../../etc/passwd", "/static/../../../../etc/passwd", "/backups/1/../../../WEB-INF/web.xml",
        "/static/%2e%2e/WEB-INF/web.xml", "/WEB-INF/web.xml", "/static/..%2F..%2F..%2Fetc%2Fpasswd")) {
      String answer = statusAndBody("GET", path, null);

      assertThat(answer).as(path).doesNotContain("root:x:0:0").doesNotContain("<web-app").doesNotContain("Exception")
          .doesNotStartWith("HTTP/1.1 500");
    }
  }

  @Test
  void everyJsonEndpointRefusesOversizedAndMalformedBodies() throws Exception {
    String big = "{\"name\":\"" + "x".repeat(100 * 1024) + "\"}";
    String deep = "[".repeat(5000) + "]".repeat(5000);
    for (String endpoint : List.of("POST /api/v1/instances", "PUT /api/v1/instances/1", "POST /api/v1/backups/1/restore")) {
      String method = endpoint.substring(0, endpoint.indexOf(' '));
      String path = endpoint.substring(method.length() + 1);

      assertThat(statusAndBody(method, path, big)).as(endpoint + " oversized").startsWith("HTTP/1.1 413");
      for (String malformed : List.of("{not json", "[1,2]", "\"text\"", "", "{\"a\":1}{", deep)) {
        String answer = statusAndBody(method, path, malformed);
        assertThat(answer).as(endpoint + " with " + malformed.substring(0, Math.min(20, malformed.length())))
            .startsWith("HTTP/1.1 400").contains("\"error\"").doesNotContain("Exception");
      }
    }
    assertThat(JSON.readTree(app.get("/api/v1/instances").body()).get("instances")).hasSize(1);
  }

  @Test
  void markupInNamesPiholeMessagesAndArchivesIsShownAsText() throws Exception {
    HttpResponse<String> created = app.send("POST", "/api/v1/instances", JSON.writeValueAsString(Map.of("name", MARKUP, "url", "http://127.0.0.1:9")));
    assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
    String job = JSON.readTree(app.post("/api/v1/instances/1/backups").body()).at("/job/url").asText();
    Eventually.until("the backup of the hostile Pi-hole has failed", Duration.ofSeconds(30),
        () -> JSON.readTree(app.get(job).body()).get("state").asText().equals("failed"));
    byte[] archive = TestArchives.zip("etc/pihole/pihole.toml", ("[dns]\nupstreams = [" + JSON.writeValueAsString(SCRIPT) + "]\n")
        .getBytes(StandardCharsets.UTF_8));
    HttpResponse<String> imported = app.upload("/api/v1/instances/1/backups/import", "file", "markup.zip", archive);
    assertThat(imported.statusCode()).as(imported.body()).isEqualTo(201);
    long markupBackup = JSON.readTree(imported.body()).get("id").asLong();
    long markupInstance = JSON.readTree(created.body()).get("id").asLong();

    ChromeDriver browser = HeadlessChromium.shared();
    for (String page : List.of("/", "/instances/1", "/instances/" + markupInstance, "/instances/" + markupInstance + "/edit",
        "/backups/" + markupBackup)) {
      browser.get(app.url(page));

      assertThat(browser.getTitle()).as(page).isNotEqualTo("pwned");
      assertThat(browser.findElements(By.cssSelector("img[src=x]"))).as(page + ": no injected element").isEmpty();
      assertThat(browser.findElements(By.tagName("script"))).as(page + ": only our own scripts")
          .allSatisfy(s -> assertThat(s.getAttribute("src")).contains("/static/"));
    }
    browser.get(app.url("/"));
    assertThat(browser.findElement(By.tagName("body")).getText()).as("shown, as text").contains("<img src=x");
  }
}
