package io.piholecheckpoint.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.piholecheckpoint.testing.HttpAgent;
import io.piholecheckpoint.testing.InProcessApp;
import io.piholecheckpoint.testing.RawHttp;
import io.piholecheckpoint.testing.ServedApp;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The addresses of Pi-hole Checkpoint 1.x, which wrote every path with a trailing slash, on the
 * running app with sign-in on: its monitors' {@code /health/} answers as {@code /health} does,
 * its pages redirect to ours, and a written-out trick (dot segments, encoded separators, doubled
 * slashes, another host) gets no further than before.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class OriginalAddressesIT {
  private static final String PASSWORD = "original-addresses-password";
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir
  static Path dir;

  private InProcessApp app;

  @BeforeAll
  void start() throws Exception {
    app = InProcessApp.start(dir.resolve("data"), dir.resolve("backups"), Map.of("APP_PASSWORD", PASSWORD,
        "PIHOLE_HOME_URL", "http://127.0.0.1:9"));
  }

  @AfterAll
  void stop() {
    app.close();
  }

  private HttpResponse<String> send(String method, String path) throws Exception {
    return ServedApp.HTTP.send(HttpRequest.newBuilder(URI.create(app.url(path))).method(method, HttpRequest.BodyPublishers.noBody()).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  /** The headers, without those that differ from one answer to the next of the same resource. */
  private static Map<String, List<String>> stableHeaders(HttpResponse<?> response) {
    Map<String, List<String>> headers = new TreeMap<>(response.headers().map());
    headers.remove("date");
    headers.remove("content-length");
    return headers;
  }

  /** The health report without the two values that change by themselves: when it was made and the free bytes. */
  private static JsonNode stableReport(String body) throws Exception {
    ObjectNode report = (ObjectNode) JSON.readTree(body);
    report.remove("checkedAt");
    ((ObjectNode) report.get("storage")).remove("freeBytes");
    return report;
  }

  @ParameterizedTest
  @ValueSource(strings = {"GET", "HEAD"})
  void healthWithATrailingSlashAnswersExactlyAsHealthWithoutSignIn(String method) throws Exception {
    HttpResponse<String> ours = send(method, "/health");

    HttpResponse<String> theirs = send(method, "/health/");

    assertThat(theirs.statusCode()).isEqualTo(ours.statusCode()).isEqualTo(200);
    assertThat(stableHeaders(theirs)).isEqualTo(stableHeaders(ours));
    if (method.equals("GET")) {
      assertThat(stableReport(theirs.body())).isEqualTo(stableReport(ours.body()));
    } else {
      assertThat(theirs.body()).isEmpty();
    }
  }

  @Test
  void metricsWithATrailingSlashAnswersAsMetrics() throws Exception {
    HttpResponse<String> theirs = send("GET", "/metrics/");

    assertThat(theirs.statusCode()).isEqualTo(200);
    assertThat(theirs.body()).contains("# TYPE pihole_scheduler_up");
    assertThat(theirs.headers().firstValue("Content-Type")).isEqualTo(send("GET", "/metrics").headers().firstValue("Content-Type"));
  }

  @ParameterizedTest
  @CsvSource({
      "GET, /instances/1/, 301, /instances/1",
      "HEAD, /instances/1/, 301, /instances/1",
      "GET, /instances/1/edit/, 301, /instances/1/edit",
      "GET, /instances/new/, 301, /instances/new",
      "GET, /settings/, 301, /settings",
      "GET, /settings/?tab=notifications&x=%2F, 301, /settings?tab=notifications&x=%2F",
      "GET, /login/, 301, /login",
      "GET, /login/?next=/instances/1, 301, /login?next=/instances/1",
      "POST, /login/, 308, /login",
      "POST, /instances/1/, 308, /instances/1"})
  void aPageWithATrailingSlashRedirectsToOursWithItsQuery(String method, String target, int status, String location) throws Exception {
    RawHttp.Answer answer = RawHttp.exchange(app.port(), method + " " + target + " HTTP/1.1\nHost: 127.0.0.1\nConnection: close"
        + (method.equals("POST") ? "\nContent-Length: 0" : ""), "");

    assertThat(answer.status()).as(method + " " + target).isEqualTo(status);
    assertThat(answer.location()).isEqualTo(location);
  }

  @Test
  void aSignedInBrowserFollowsTheRedirectToThePage() throws Exception {
    HttpAgent browser = new HttpAgent(app);
    browser.get("/login");
    assertThat(browser.postForm("/login", Map.of("_csrf", browser.csrfToken(), "password", PASSWORD)).statusCode()).isEqualTo(303);

    HttpResponse<String> moved = browser.get("/instances/1/");

    assertThat(moved.statusCode()).isEqualTo(301);
    HttpResponse<String> followed = browser.get(moved.headers().firstValue("Location").orElseThrow());
    assertThat(followed.statusCode()).isEqualTo(200);
    assertThat(followed.body()).contains("Home");
  }

  @ParameterizedTest
  @ValueSource(strings = {"//evil.example/", "//evil.example/settings/", "/\\evil.example/", "/%5Cevil.example/", "/%2F%2Fevil.example/",
      "/settings//", "//settings/", "/health/../settings/", "/health/%2e%2e/settings/", "/health/%2E%2E/instances/1/",
      "/health%2F", "/health/%2F", "/settings%2F", "/instances/1%2F", "/health/./", "/health//", "/login/..;/settings/",
      "/static/../settings/"})
  void aPathThatIsNotWrittenPlainlyIsRefusedNeverRedirected(String target) throws Exception {
    RawHttp.Answer answer = RawHttp.exchange(app.port(), "GET " + target + " HTTP/1.1\nHost: 127.0.0.1\nConnection: close", "");

    assertThat(answer.status()).as(target).isEqualTo(400);
    assertThat(answer.location()).isEmpty();
  }

  @Test
  void anApiAddressWithATrailingSlashIsAnsweredAsBeforeNotRedirected() throws Exception {
    RawHttp.Answer answer = RawHttp.exchange(app.port(), "GET /api/v1/instances/ HTTP/1.1\nHost: 127.0.0.1\nConnection: close", "");

    assertThat(answer.status()).as("the API's wall, not a redirect").isEqualTo(401);
  }
}
