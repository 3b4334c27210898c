package io.piholecheckpoint.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.piholecheckpoint.testing.ChunkedUpload;
import io.piholecheckpoint.testing.InProcessApp;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * What the container answers by itself under /api/v1 (before or instead of our servlets), sent
 * as raw bytes: the right status, and the API's JSON error shape rather than an HTML page.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ApiContainerErrorsIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String HEAD = "Host: 127.0.0.1\nConnection: close\n";

  @TempDir
  static Path dir;

  private InProcessApp app;

  @BeforeAll
  void start() throws Exception {
    app = InProcessApp.start(dir.resolve("data"), dir.resolve("backups"), Map.of("PIHOLE_HOME_URL", "http://127.0.0.1:9"));
  }

  @AfterAll
  void stop() {
    app.close();
  }

  static Stream<Arguments> corpus() {
    return Stream.of(
        Arguments.of("broken escape in the path", "GET /api/v1/instances/%zz HTTP/1.1\n" + HEAD + "\n", 400),
        Arguments.of("NUL in the path", "GET /api/v1/instances/1%00 HTTP/1.1\n" + HEAD + "\n", 400),
        Arguments.of("encoded dot segment", "GET /api/v1/instances/%2e%2e/x HTTP/1.1\n" + HEAD + "\n", 400),
        Arguments.of("broken escape in the query", "GET /api/v1/instances/1/backups?limit=%zz HTTP/1.1\n" + HEAD + "\n", 400),
        Arguments.of("NUL in a query value", "GET /api/v1/instances?q=a%00b HTTP/1.1\n" + HEAD + "\n", 400),
        Arguments.of("a control character in a query value", "GET /api/v1/instances?q=a%1bb HTTP/1.1\n" + HEAD + "\n", 400),
        Arguments.of("an empty segment before /api/", "GET //api/v1/instances HTTP/1.1\n" + HEAD + "\n", 400),
        // refused as ambiguous or suspicious, but meant for the API: they were answered with Jetty's HTML page
        Arguments.of("an encoded slash after /api", "GET /api%2fv1/instances HTTP/1.1\n" + HEAD + "\n", 400),
        Arguments.of("encoded dot segments before /api/", "GET /static/%2e%2e/api/v1/instances HTTP/1.1\n" + HEAD + "\n", 400),
        Arguments.of("an encoded backslash before api/", "GET /static/..%5capi/v1/instances HTTP/1.1\n" + HEAD + "\n", 400),
        // encoded twice (or thrice): '%' itself encoded, so the path reads "/api%2fv1/…" once decoded
        Arguments.of("a double-encoded slash after /api", "GET /api%252fv1/instances HTTP/1.1\n" + HEAD + "\n", 400),
        Arguments.of("a triple-encoded slash after /api", "GET /api%25252Fv1/instances HTTP/1.1\n" + HEAD + "\n", 400),
        Arguments.of("double-encoded dot segments before /api/", "GET /static/%252e%252e/api/v1/instances HTTP/1.1\n" + HEAD + "\n", 400),
        // the escapes themselves encoded ("%25%32%65" is "%2e" is '.'): decoded round by round, as the client meant
        Arguments.of("dot segments with every character of their escapes encoded", "GET /static/%25%32%65%25%32%65/api/v1/instances HTTP/1.1\n"
            + HEAD + "\n", 400),
        Arguments.of("an 'a' of api encoded twice", "GET /%25%36%31pi/v1/instances HTTP/1.1\n" + HEAD + "\n", 400),
        Arguments.of("an escape encoded twice beside a broken one", "GET /static/%25%32%65%25%32%65/%zz/../api/v1/instances HTTP/1.1\n" + HEAD
            + "\n", 400),
        // round 30's outsider, as curl sends them (Accept: */*): a ';' parameter on a dot segment, and overlong UTF-8 dots and slashes
        Arguments.of("a dot segment with a parameter before /api/", "GET /health/..;/api/v1/instances HTTP/1.1\n" + HEAD + "Accept: */*\n\n", 400),
        Arguments.of("overlong UTF-8 dot segments before /api/", "GET /static/%c0%ae%c0%ae/api/v1/instances HTTP/1.1\n" + HEAD + "Accept: */*\n\n", 400),
        Arguments.of("three-byte overlong dots and slash before api/", "GET /static/%e0%80%ae%e0%80%ae%e0%80%afapi/v1/instances HTTP/1.1\n" + HEAD
            + "Accept: */*\n\n", 400),
        Arguments.of("an overlong dot segment with a parameter before /api/", "GET /static/%c0%ae%c0%ae;x/api/v1/instances HTTP/1.1\n" + HEAD
            + "Accept: */*\n\n", 400),
        Arguments.of("an encoded dot segment asked as JSON", "GET /instances/%2e%2e/x HTTP/1.1\n" + HEAD + "Accept: application/json\n\n", 400),
        Arguments.of("query that is not UTF-8", "GET /api/v1/instances/1/backups?limit=%C3%28 HTTP/1.1\n" + HEAD + "\n", 400),
        Arguments.of("8 KiB+ query", "GET /api/v1/instances?" + "a".repeat(9 * 1024) + " HTTP/1.1\n" + HEAD + "\n", 414),
        Arguments.of("20 KiB header", "GET /api/v1/instances HTTP/1.1\n" + HEAD + "X-Big: " + "b".repeat(20 * 1024) + "\n\n", 431),
        Arguments.of("TRACE", "TRACE /api/v1/instances HTTP/1.1\n" + HEAD + "\n", 405),
        Arguments.of("unknown method", "PROPFIND /api/v1/instances HTTP/1.1\n" + HEAD + "\n", 405),
        Arguments.of("lower-case method", "get /api/v1/instances HTTP/1.1\n" + HEAD + "\n", 405),
        Arguments.of("PATCH", "PATCH /api/v1/backups/1 HTTP/1.1\n" + HEAD + "Content-Length: 0\n\n", 405),
        Arguments.of("PUT where only GET is", "PUT /api/v1/jobs/x HTTP/1.1\n" + HEAD + "Content-Length: 0\n\n", 405),
        // nothing is there: the method is not what is wrong
        Arguments.of("PUT under /api/ but no servlet", "PUT /api/v1/nothing HTTP/1.1\n" + HEAD + "Content-Length: 0\n\n", 404),
        Arguments.of("DELETE nothing", "DELETE /api/v2/x HTTP/1.1\n" + HEAD + "\n", 404),
        Arguments.of("a method the route does not take", "POST /api/v1/backups/1 HTTP/1.1\n" + HEAD + "Content-Length: 0\n\n", 405),
        Arguments.of("OPTIONS of nothing", "OPTIONS /api/v1/backups/1/nothing HTTP/1.1\n" + HEAD + "\n", 404),
        Arguments.of("GET nothing", "GET /api/v2/x HTTP/1.1\n" + HEAD + "\n", 404),
        Arguments.of("OPTIONS of the whole server", "OPTIONS * HTTP/1.1\n" + HEAD + "\n", 404),
        Arguments.of("illegal character in the method", "G@T /api/v1/instances HTTP/1.1\n" + HEAD + "\n", 400),
        Arguments.of("unknown HTTP version", "GET /api/v1/instances HTTP/9.9\n" + HEAD + "\n", 505),
        Arguments.of("chunked and a length", "POST /api/v1/instances HTTP/1.1\n" + HEAD
            + "Content-Type: application/json\nContent-Length: 5\nTransfer-Encoding: chunked\n\n0\n\n", 400),
        Arguments.of("a form body where JSON is read", "POST /api/v1/instances HTTP/1.1\n" + HEAD
            + "Content-Type: application/x-www-form-urlencoded\nContent-Length: 13\n\nname=x&url=y&", 415)); // not JSON: refused by its type
  }

  /** Outsider 48 (F11): a body's framing refused said nothing of it ("could not be handled"), or told to check the address. */
  @Test
  void aBodyWhoseFramingIsRefusedIsToldWhatWasWrongWithIt() throws Exception {
    String badChunk = app.exchangeFrom("127.0.0.1", "POST /api/v1/instances HTTP/1.1\n" + HEAD
        + "Content-Type: application/json\nTransfer-Encoding: chunked\n\nzz\r\n{}\r\n0\r\n\r\n");
    String both = app.exchangeFrom("127.0.0.1", "POST /api/v1/instances HTTP/1.1\n" + HEAD
        + "Content-Type: application/json\nContent-Length: 5\nTransfer-Encoding: chunked\n\n0\n\n");

    assertThat(badChunk).startsWith("HTTP/1.1 400 ");
    assertThat(JSON.readTree(badChunk.substring(badChunk.indexOf("\r\n\r\n") + 4)).at("/error/message").asText())
        .contains("chunked encoding (Transfer-Encoding: chunked) is broken").doesNotContain("zz");
    assertThat(both).startsWith("HTTP/1.1 400 ");
    assertThat(JSON.readTree(both.substring(both.indexOf("\r\n\r\n") + 4)).at("/error/message").asText())
        .contains("both a Content-Length and a Transfer-Encoding header").doesNotContain("Check the address");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("corpus")
  void containerErrorsUnderTheApiAreJsonWithTheirStatus(String what, String request, int status) throws Exception {
    String answer = app.exchangeFrom("127.0.0.1", request);

    String head = answer.substring(0, Math.max(0, answer.indexOf("\r\n\r\n")));
    JsonNode error = JSON.readTree(answer.substring(answer.indexOf("\r\n\r\n") + 4)).get("error");
    assertThat(answer).as(what).startsWith("HTTP/1.1 " + status + " ");
    assertThat(head).as(what).containsIgnoringCase("Content-Type: application/json");
    assertThat(error.get("code").asText()).as(what).isNotEmpty();
    assertThat(error.get("message").asText()).as(what).isNotEmpty().doesNotContain("Exception").doesNotContain("<");
    if (status == 405) {
      assertThat(head).as(what).doesNotContainIgnoringCase("Allow: TRACE").doesNotContainIgnoringCase("TRACE");
    }
    assertHasSecurityHeaders(what, head);
  }

  /** Refusals Jetty gives before the web app runs, for a page: its own error page, with the same security headers as every answer. */
  @ParameterizedTest(name = "{0}")
  @MethodSource("pageCorpus")
  void containerErrorsOfPagesCarryTheSecurityHeaders(String what, String request, int status) throws Exception {
    String answer = app.exchangeFrom("127.0.0.1", request);

    assertThat(answer).as(what).startsWith("HTTP/1.1 " + status + " ");
    assertHasSecurityHeaders(what, answer.substring(0, Math.max(0, answer.indexOf("\r\n\r\n"))));
  }

  /** A browser asking for a page off the API still gets a page, not the API's JSON, for a path refused as ambiguous. */
  @ParameterizedTest(name = "{0}")
  @MethodSource("ambiguousPages")
  void containerErrorsOfPagesAreHtml(String what, String request, int status) throws Exception {
    String answer = app.exchangeFrom("127.0.0.1", request);

    assertThat(answer.substring(0, Math.max(0, answer.indexOf("\r\n\r\n")))).as(what).containsIgnoringCase("Content-Type: text/html");
  }

  /**
   * Round 31's outsider: page paths with "..;" that do not read as /api/, as curl --path-as-is sends them (Accept: *&#47;*)
   * and as a browser would, are refused by Jetty before the app runs; the answer is the app's own 400 page, in its layout.
   */
  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"GET /backups/..;/instances|*/*", "GET /static/..;/x|*/*", "GET /backups/..;/instances|text/html",
      "GET /instances;x=1/../backups|text/html", "GET /static/%2e%2e/instances|*/*"})
  void pagePathsJettyRefusesGetTheAppsOwnErrorPage(String requestAndAccept) throws Exception {
    String[] parts = requestAndAccept.split("\\|");
    String answer = app.exchangeFrom("127.0.0.1", parts[0] + " HTTP/1.1\n" + HEAD + "Accept: " + parts[1] + "\n\n");

    String head = answer.substring(0, Math.max(0, answer.indexOf("\r\n\r\n")));
    String body = answer.substring(answer.indexOf("\r\n\r\n") + 4);
    assertThat(answer).as(requestAndAccept).startsWith("HTTP/1.1 400 ");
    assertThat(head).as(requestAndAccept).containsIgnoringCase("Content-Type: text/html");
    assertThat(body).as(requestAndAccept).contains("<section class=\"error-page\">", "<link rel=\"stylesheet\" href=\"/static/app.css\">",
            "not in plain form", "Pi-hole Checkpoint ")
        .doesNotContainIgnoringCase("jetty").doesNotContain("HTTP ERROR").doesNotContain("\tat ").doesNotContain("Exception");
    assertHasSecurityHeaders(requestAndAccept, head);
  }

  static Stream<Arguments> ambiguousPages() {
    String page = HEAD + "Accept: text/html\n";
    return Stream.of(
        Arguments.of("encoded dot segment", "GET /instances/%2e%2e/x HTTP/1.1\n" + page + "\n", 400),
        Arguments.of("encoded dot segments off the API", "GET /static/%2e%2e/instances HTTP/1.1\n" + page + "\n", 400),
        Arguments.of("an encoded backslash off the API", "GET /static/..%5cinstances HTTP/1.1\n" + page + "\n", 400),
        Arguments.of("escapes encoded twice off the API", "GET /static/%25%32%65%25%32%65/instances HTTP/1.1\n" + page + "\n", 400),
        Arguments.of("a dot segment with a parameter off the API", "GET /health/..;/instances HTTP/1.1\n" + page + "\n", 400),
        Arguments.of("overlong UTF-8 dot segments off the API", "GET /static/%c0%ae%c0%ae/instances HTTP/1.1\n" + page + "\n", 400));
  }

  static Stream<Arguments> pageCorpus() {
    String page = HEAD + "Accept: text/html\n";
    return Stream.of(
        Arguments.of("broken escape", "GET /instances/%zz HTTP/1.1\n" + page + "\n", 400),
        Arguments.of("encoded dot segment", "GET /instances/%2e%2e/x HTTP/1.1\n" + page + "\n", 400),
        Arguments.of("8 KiB+ query", "GET /?" + "a".repeat(9 * 1024) + " HTTP/1.1\n" + page + "\n", 414),
        Arguments.of("20 KiB header", "GET / HTTP/1.1\n" + page + "X-Big: " + "b".repeat(20 * 1024) + "\n\n", 431),
        Arguments.of("unknown HTTP version", "GET / HTTP/9.9\n" + page + "\n", 505));
  }

  static void assertHasSecurityHeaders(String what, String head) {
    assertThat(head).as(what).contains("Content-Security-Policy: default-src 'self';").contains("frame-ancestors 'none'")
        .contains("X-Content-Type-Options: nosniff").contains("X-Frame-Options: DENY").contains("Referrer-Policy: same-origin");
  }

  @ParameterizedTest
  @ValueSource(strings = {"GET", "POST", "PUT", "DELETE", "OPTIONS"})
  void aStaticAddressWithoutAFileIsNothingWhateverTheMethodAndAdvertisesNoMethods(String method) throws Exception {
    String answer = app.exchangeFrom("127.0.0.1", method + " /static/nothing.css HTTP/1.1\n" + HEAD + "Content-Length: 0\n\n");

    String head = answer.substring(0, answer.indexOf("\r\n\r\n"));
    assertThat(answer).startsWith("HTTP/1.1 404 ");
    assertThat(head).doesNotContainIgnoringCase("\r\nAllow:");
    assertHasSecurityHeaders(method, head);
  }

  @Test
  void unknownMethodsOnAnApiServletSayWhichAreAllowed() throws Exception {
    String answer = app.exchangeFrom("127.0.0.1", "PATCH /api/v1/instances/1 HTTP/1.1\n" + HEAD + "Content-Length: 0\n\n");

    assertThat(answer).startsWith("HTTP/1.1 405 ").contains("Allow: GET, HEAD, PUT, DELETE, OPTIONS");
  }

  /** Every route, pages and API alike: a method it does not take is 405 with what it does take, OPTIONS says the same, TRACE is never in it. */
  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("routes")
  void aRouteAnswersAMethodItDoesNotTakeWith405AndItsAllow(String method, String path, String allow) throws Exception {
    String answer = app.exchangeFrom("127.0.0.1", method + " " + path + " HTTP/1.1\n" + HEAD + "Content-Length: 0\n\n");
    String options = app.exchangeFrom("127.0.0.1", "OPTIONS " + path + " HTTP/1.1\n" + HEAD + "\n");
    String trace = app.exchangeFrom("127.0.0.1", "TRACE " + path + " HTTP/1.1\n" + HEAD + "\n");

    assertThat(answer).startsWith("HTTP/1.1 405 ").contains("\r\nAllow: " + allow + "\r\n");
    assertThat(options).startsWith("HTTP/1.1 204 ").contains("\r\nAllow: " + allow + "\r\n");
    assertThat(trace).startsWith("HTTP/1.1 405 ").contains("\r\nAllow: " + allow + "\r\n");
    for (String a : List.of(answer, options, trace)) {
      assertThat(a.substring(0, a.indexOf("\r\n\r\n"))).doesNotContain("TRACE");
      assertHasSecurityHeaders(method + " " + path, a);
    }
    if (path.startsWith("/api/")) {
      assertThat(answer).containsIgnoringCase("Content-Type: application/json").contains("\"method_not_allowed\"");
    }
  }

  static Stream<Arguments> routes() {
    return Stream.of(
        Arguments.of("DELETE", "/", "GET, HEAD, OPTIONS"),
        Arguments.of("PUT", "/instances/1", "GET, HEAD, POST, OPTIONS"),
        Arguments.of("POST", "/instances/new", "GET, HEAD, OPTIONS"),
        Arguments.of("DELETE", "/instances/1/delete", "POST, OPTIONS"),
        Arguments.of("POST", "/backups/1/download", "GET, HEAD, OPTIONS"),
        Arguments.of("POST", "/settings", "GET, HEAD, OPTIONS"),
        Arguments.of("GET", "/logout", "POST, OPTIONS"),
        Arguments.of("DELETE", "/login", "GET, HEAD, POST, OPTIONS"),
        Arguments.of("POST", "/health", "GET, HEAD, OPTIONS"),
        Arguments.of("POST", "/metrics", "GET, HEAD, OPTIONS"),
        Arguments.of("PUT", "/static/app.css", "GET, HEAD, OPTIONS"),
        Arguments.of("PUT", "/api/v1/instances", "GET, HEAD, POST, OPTIONS"),
        Arguments.of("POST", "/api/v1/instances/1", "GET, HEAD, PUT, DELETE, OPTIONS"),
        Arguments.of("GET", "/api/v1/instances/1/test", "POST, OPTIONS"),
        Arguments.of("DELETE", "/api/v1/instances/1/backups", "GET, HEAD, POST, OPTIONS"),
        Arguments.of("GET", "/api/v1/instances/1/backups/import", "POST, OPTIONS"),
        Arguments.of("POST", "/api/v1/instances/1/retention/preview", "GET, HEAD, OPTIONS"),
        Arguments.of("POST", "/api/v1/instances/1/restores", "GET, HEAD, OPTIONS"),
        Arguments.of("POST", "/api/v1/backups/1", "GET, HEAD, DELETE, OPTIONS"),
        Arguments.of("GET", "/api/v1/backups/1/pin", "POST, OPTIONS"),
        Arguments.of("DELETE", "/api/v1/backups/1/unpin", "POST, OPTIONS"),
        Arguments.of("GET", "/api/v1/backups/1/restore", "POST, OPTIONS"),
        Arguments.of("POST", "/api/v1/backups/1/verify", "GET, HEAD, OPTIONS"),
        Arguments.of("DELETE", "/api/v1/backups/1/contents", "GET, HEAD, OPTIONS"),
        Arguments.of("PUT", "/api/v1/backups/1/diff", "GET, HEAD, OPTIONS"),
        Arguments.of("DELETE", "/api/v1/jobs/abc", "GET, HEAD, OPTIONS"),
        Arguments.of("POST", "/api/v1/restores/1", "GET, HEAD, OPTIONS"),
        Arguments.of("POST", "/api/v1/schedules/preview", "GET, HEAD, OPTIONS"),
        Arguments.of("POST", "/api/v1/tls/certificate", "GET, HEAD, OPTIONS"),
        Arguments.of("DELETE", "/api/v1/notifications", "GET, HEAD, OPTIONS"),
        Arguments.of("GET", "/api/v1/notifications/test", "POST, OPTIONS"));
  }

  @Test
  void aJsonBodyWhereNoneIsReadIsRefusedNotIgnored() throws Exception {
    String answer = app.exchangeFrom("127.0.0.1", "POST /api/v1/instances/1/backups HTTP/1.1\n" + HEAD
        + "Content-Type: application/json\nContent-Length: 13\n\n{\"wait\":true}");

    assertThat(answer).startsWith("HTTP/1.1 400 ").contains("\"unexpected_body\"").contains("query string");
  }

  @Test
  void aChunkedUploadPastTheLimitIs413InJson() throws Exception {
    String answer = chunkedUpload("/api/v1/instances/1/backups/import", "multipart/form-data; boundary=b",
        "--b\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.zip\"\r\nContent-Type: application/zip\r\n\r\n", 51);

    assertThat(answer).startsWith("HTTP/1.1 413 ").contains("\"too_large\"").contains("50 MiB");
    try (Stream<Path> files = Files.walk(dir.resolve("backups"))) {
      assertThat(files.filter(Files::isRegularFile).map(p -> p.getFileName().toString()).filter(n -> !n.equals(".owner")))
          .as("no upload buffers or archives left behind (the private folders may stay)").isEmpty();
    }
  }

  @Test
  void aChunkedJsonBodyPastTheLimitIs413InJson() throws Exception {
    String answer = chunkedUpload("/api/v1/instances", "application/json", "{\"name\":\"", 1);

    assertThat(answer).startsWith("HTTP/1.1 413 ").contains("\"too_large\"");
  }

  @Test
  void anUploadThatIsNotMultipartIs400NotTooLarge() throws Exception {
    String answer = chunkedUpload("/api/v1/instances/1/backups/import", "application/zip", "PK", 1);

    assertThat(answer).startsWith("HTTP/1.1 400 ").contains("multipart/form-data");
  }

  private String chunkedUpload(String path, String contentType, String start, int mebibytes) throws IOException {
    return ChunkedUpload.send(URI.create(app.url("/")).getPort(), path, contentType, start, mebibytes);
  }
}
