package io.piholecheckpoint.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.piholecheckpoint.testing.InProcessApp;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Every refusal of a request, sent as raw bytes exactly as written ({@code curl --path-as-is}): the app's own HTML error
 * page off the API (for /static, /health and /metrics too, which used to get a line of plain text), the API's JSON under
 * /api/, whether the app or Jetty refused it, with the right status and never a stack trace or the server's name.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RefusedRequestsIT {
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

  @ParameterizedTest(name = "{0} ({1})")
  @CsvSource(delimiter = '|', value = {
      "/x/../static/app.css|text/html", "/x/../static/app.css|*/*", "/static/../static/app.css|*/*",
      "/x/%2e%2e/static/app.css|*/*", "/static/%2E%2E/static/app.css|text/html", "/static/app.css;x|*/*", "/static//app.css|*/*",
      "/x/../health|*/*", "/health/../health|text/html", "/x/../metrics|*/*", "/metrics/..;/metrics|*/*", "/x/../backups|*/*",
      // outsider 46: WEB-INF and META-INF reached so were Jetty's 404, where every other such path is this 400
      "/static/../WEB-INF/web.xml|text/html", "/x/../META-INF/MANIFEST.MF|*/*", "/static/./WEB-INF/web.xml|text/html"})
  void aPathNotInPlainFormOffTheApiIsTheAppsOwn400Page(String path, String accept) throws Exception {
    Reply reply = send("GET " + path + " HTTP/1.1\n" + HEAD + "Accept: " + accept + "\n\n");

    assertThat(reply.status()).isEqualTo(400);
    assertPage(reply, "not in plain form");
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"/x/../api/v1/instances", "/api/v1/../api/v1/instances", "/static/../api/v1/instances",
      "/api/v1/%2e%2e/v1/instances", "/api/v1//instances", "/api/v1/instances;x"})
  void aPathNotInPlainFormUnderTheApiIsTheApisJson400(String path) throws Exception {
    Reply reply = send("GET " + path + " HTTP/1.1\n" + HEAD + "Accept: text/html\n\n");

    assertThat(reply.status()).isEqualTo(400);
    assertThat(reply.head()).containsIgnoringCase("Content-Type: application/json");
    assertThat(reply.body()).startsWith("{\"error\":{\"code\":\"bad_");
    assertClean(reply);
  }

  /** README: "any refused path asked for with Accept: application/json rather than text/html" gets the JSON error, off the API too. */
  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"/x/../y", "/x/../static/app.css", "/x/../backups", "/static/%2e%2e/health", "/x/../metrics",
      "/static/../WEB-INF/web.xml"})
  void aPathNotInPlainFormAskedForAsJsonIsTheJson400(String path) throws Exception {
    Reply reply = send("GET " + path + " HTTP/1.1\n" + HEAD + "Accept: application/json\n\n");

    assertThat(reply.status()).isEqualTo(400);
    assertThat(reply.head()).containsIgnoringCase("Content-Type: application/json");
    assertThat(reply.body()).startsWith("{\"error\":{\"code\":\"bad_");
    assertClean(reply);
  }

  /** Siblings Jetty refuses before the app runs, for a page: the app's page for that status, saying what is wrong. */
  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
      "malformed Host|GET /backups HTTP/1.1\\nHost: exa mple\\nConnection: close\\nAccept: text/html\\n\\n|400|Host",
      "two Hosts|GET /backups HTTP/1.1\\nHost: a\\nHost: b\\nConnection: close\\nAccept: text/html\\n\\n|400|Host",
      "headers too large|GET /backups HTTP/1.1\\nHost: 127.0.0.1\\nConnection: close\\nAccept: text/html\\nX-Big: BIG\\n\\n|431|cookies"})
  void requestsJettyRefusesOffTheApiGetTheAppsPageForTheirStatus(String what, String request, int status, String says) throws Exception {
    Reply reply = send(request.replace("\\n", "\n").replace("BIG", "b".repeat(70_000)));

    assertThat(reply.status()).as(what).isEqualTo(status);
    assertPage(reply, says);
    assertThat(reply.body()).as(what).doesNotContain("not in plain form");
  }

  /**
   * Refused while Jetty reads the request line, before any header: what the client accepts is not known, nor the path
   * always, so the answer is the API's JSON, as README says, still without Jetty's page, its name or a stack trace.
   */
  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
      "URI too long|GET /backups/LONG HTTP/1.1|414|uri_too_long", "HTTP version|GET /backups HTTP/9.9|505|http_version_not_supported",
      "broken escape|GET /backups/%zz HTTP/1.1|400|bad_request", "bad method token|G@T /backups HTTP/1.1|400|bad_request"})
  void requestsJettyCannotReadPastTheRequestLineGetTheJsonError(String what, String line, int status, String code) throws Exception {
    Reply reply = send(line.replace("LONG", "a".repeat(70_000)) + "\n" + HEAD + "Accept: text/html\n\n");

    assertThat(reply.status()).as(what).isEqualTo(status);
    assertThat(reply.head()).as(what).containsIgnoringCase("Content-Type: application/json");
    assertThat(reply.body()).as(what).startsWith("{\"error\":{\"code\":\"" + code + "\"");
    assertClean(reply);
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"FOO /backups", "POST /static/app.css", "TRACE /health", "DELETE /metrics"})
  void aMethodAnAddressOffTheApiDoesNotTakeIsThe405Page(String requestLine) throws Exception {
    Reply reply = send(requestLine + " HTTP/1.1\n" + HEAD + "Accept: */*\nContent-Length: 0\n\n");

    assertThat(reply.status()).isEqualTo(405);
    assertThat(reply.head()).contains("\r\nAllow: ");
    assertPage(reply, "Method not allowed");
  }

  /**
   * Outsider 46: an API address with a trailing slash is answered as the address (README), yet three answered 404. Sent raw,
   * each twin gets the same status and body as its address.
   */
  @ParameterizedTest(name = "{0} {1}")
  @CsvSource(delimiter = '|', value = {"GET|/api/v1/schedules/preview|?cron=0+3+*+*+*", "GET|/api/v1/tls/certificate|?url=http://127.0.0.1:9",
      "POST|/api/v1/notifications/test|", "GET|/api/v1/instances|", "GET|/api/v1/instances/1|", "GET|/api/v1/notifications|",
      "GET|/api/v1/offsite|"})
  void anApiAddressWithATrailingSlashIsAnsweredAsTheAddress(String method, String address, String query) throws Exception {
    String q = query == null ? "" : query;
    Reply plain = send(method + " " + address + q + " HTTP/1.1\n" + HEAD + "Accept: application/json\n\n");
    Reply slashed = send(method + " " + address + "/" + q + " HTTP/1.1\n" + HEAD + "Accept: application/json\n\n");

    assertThat(plain.status()).as(plain.body()).isNotEqualTo(404);
    assertThat(slashed.status()).as(slashed.body()).isEqualTo(plain.status());
    assertThat(slashed.body()).isEqualTo(plain.body());
  }

  private Reply send(String request) throws Exception {
    String answer = app.exchangeFrom("127.0.0.1", request);
    int end = Math.max(0, answer.indexOf("\r\n\r\n"));
    String head = answer.substring(0, end);
    String[] status = head.split(" ", 3);
    return new Reply(status.length > 1 ? Integer.parseInt(status[1]) : 0, head, answer.substring(Math.min(answer.length(), end + 4)));
  }

  private static void assertPage(Reply reply, String says) {
    assertThat(reply.head()).containsIgnoringCase("Content-Type: text/html;charset=utf-8");
    assertThat(reply.body()).contains("<section class=\"error-page\">", "<link rel=\"stylesheet\" href=\"/static/app.css\">", says);
    assertClean(reply);
  }

  private static void assertClean(Reply reply) {
    assertThat(reply.head()).doesNotContainIgnoringCase("\r\nServer:");
    assertThat(reply.body()).doesNotContainIgnoringCase("jetty").doesNotContain("HTTP ERROR", "\tat ", "Exception");
  }

  private record Reply(int status, String head, String body) {
  }
}
