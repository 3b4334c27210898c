package io.piholecheckpoint.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.piholecheckpoint.testing.HttpAgent;
import io.piholecheckpoint.testing.InProcessApp;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Response headers, the Host check and CSRF without an app password, on the running launcher. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SecurityIT {
  @TempDir
  static Path dir;

  private InProcessApp app;

  @BeforeAll
  void start() throws Exception {
    app = InProcessApp.start(dir.resolve("data"), dir.resolve("backups"), Map.of("ALLOWED_HOSTS", "checkpoint.lan, backup.example"));
  }

  @AfterAll
  void stop() {
    app.close();
  }

  /** java.net.http will not send a Host of our choosing, so this speaks HTTP/1.1 itself. */
  private String statusLineFor(String host) throws Exception {
    return app.statusLineOfHead("GET / HTTP/1.1\nHost: " + host + "\nConnection: close\n");
  }

  @Test
  void sendsAStrictContentSecurityPolicyAndFriends() throws Exception {
    for (String path : new String[] {"/", "/api/v1/instances", "/nothing-here"}) {
      HttpResponse<String> response = app.get(path);

      assertThat(response.headers().firstValue("Content-Security-Policy")).hasValueSatisfying(csp ->
          assertThat(csp).contains("script-src 'self'", "frame-ancestors 'none'").doesNotContain("unsafe-inline"));
      assertThat(response.headers().firstValue("X-Content-Type-Options")).hasValue("nosniff");
      assertThat(response.headers().firstValue("Referrer-Policy")).hasValue("same-origin");
    }
  }

  @Test
  void staticFilesAreServedButTheirFolderIsNotListed() throws Exception {
    assertThat(app.get("/static/app.css").statusCode()).isEqualTo(200);
    HttpResponse<String> folder = app.get("/static/");

    assertThat(folder.statusCode()).isIn(403, 404);
    assertThat(folder.body()).as("no listing of the files").doesNotContainPattern("<a href=\"[^\"]*app\\.css");
  }

  @Test
  void refusesAForeignHostAndAcceptsLocalhostIpLiteralsAndAllowedNames() throws Exception {
    assertThat(statusLineFor("evil.example")).contains(" 400 ");
    assertThat(statusLineFor("evil.example:8000")).contains(" 400 ");
    assertThat(statusLineFor("localhost:8000")).contains(" 200 ");
    assertThat(statusLineFor("192.168.1.20:8000")).contains(" 200 ");
    assertThat(statusLineFor("[::1]:8000")).contains(" 200 ");
    assertThat(statusLineFor("Checkpoint.LAN")).contains(" 200 ");
    assertThat(statusLineFor("backup.example:8000")).contains(" 200 ");
  }

  /** A health check or Prometheus in the same compose project asks by the service's name; HTTP/1.0 may send no Host at all. */
  @Test
  void theMonitorsAnswerForAnyHostWhilePagesAndTheApiKeepTheCheck() throws Exception {
    for (String path : new String[] {"/health", "/health/", "/metrics"}) {
      assertThat(app.exchangeFrom("127.0.0.1", "GET " + path + " HTTP/1.1\nHost: pihole-checkpoint:8000\nConnection: close\n\n"))
          .as(path).startsWith("HTTP/1.1 200 ");
      assertThat(app.exchangeFrom("127.0.0.1", "GET " + path + " HTTP/1.0\n\n")).as(path + " without Host").matches("(?s)HTTP/1\\.[01] 200 .*");
    }
    for (String path : new String[] {"/", "/settings", "/api/v1/instances", "/metricsx", "/health/x"}) {
      assertThat(app.exchangeFrom("127.0.0.1", "GET " + path + " HTTP/1.1\nHost: pihole-checkpoint:8000\nConnection: close\n\n"))
          .as(path).startsWith("HTTP/1.1 400 ");
    }
    assertThat(app.exchangeFrom("127.0.0.1", "GET / HTTP/1.0\n\n")).as("a page without Host").matches("(?s)HTTP/1\\.[01] 400 .*");
  }

  @Test
  void aForeignHostIsRefusedInTheCallersShapeWithTheSecurityHeaders() throws Exception {
    String api = app.exchangeFrom("127.0.0.1", "GET /api/v1/instances HTTP/1.1\nHost: evil.example\nConnection: close\n\n");
    String page = app.exchangeFrom("127.0.0.1", "GET / HTTP/1.1\nHost: evil.example\nConnection: close\n\n");
    String asked = app.exchangeFrom("127.0.0.1", "GET / HTTP/1.1\nHost: evil.example\nAccept: application/json\nConnection: close\n\n");
    String marked = app.exchangeFrom("127.0.0.1", "GET /x HTTP/1.1\nHost: <b>evil</b>.example\nConnection: close\n\n");

    assertThat(api).startsWith("HTTP/1.1 400 ").containsIgnoringCase("Content-Type: application/json")
        .contains("{\"error\":{\"code\":\"host_not_allowed\",\"message\":\"This server does not answer to the name 'evil.example'")
        .contains("ALLOWED_HOSTS");
    // was one line of plain text while every other refusal is the app's page: changed deliberately (outsiders' round 43–44)
    assertThat(page).startsWith("HTTP/1.1 400 ").containsIgnoringCase("Content-Type: text/html").contains("<section class=\"error-page\">",
        "<link rel=\"stylesheet\" href=\"/static/app.css\">", "does not answer to the name &#39;evil.example&#39;", "add it to ALLOWED_HOSTS");
    assertThat(asked).startsWith("HTTP/1.1 400 ").containsIgnoringCase("Content-Type: application/json").contains("\"code\":\"host_not_allowed\"");
    assertThat(marked).startsWith("HTTP/1.1 400 ").as("the refused name is never echoed as markup").doesNotContain("<b>evil");
    for (String answer : new String[] {api, page, asked}) {
      ApiContainerErrorsIT.assertHasSecurityHeaders("Host refusal", answer.substring(0, answer.indexOf("\r\n\r\n")));
    }
  }

  /** Outsider 45: an HTTP/1.0 request without Host was told to add '' to ALLOWED_HOSTS, which nobody can. */
  @Test
  void aRequestNamingNoHostIsToldSoNotToAddAnEmptyName() throws Exception {
    String answer = app.exchangeFrom("127.0.0.1", "GET /api/v1/instances HTTP/1.0\n\n");

    assertThat(answer).startsWith("HTTP/1.1 400 ").contains("\"code\":\"host_not_allowed\"", "no Host header")
        .doesNotContain("ALLOWED_HOSTS", "name ''");
  }

  @Test
  void withoutAnAppPasswordEveryPageSaysSo() throws Exception {
    assertThat(app.get("/").body()).contains("No app password is set: anyone who can reach this page can restore or delete backups")
        .containsPattern("<footer>Pi-hole Checkpoint [^<]+ \\((?:[0-9a-f]{10}|unknown), built \\d{4}-\\d{2}-\\d{2}T");
    assertThat(app.get("/login").statusCode()).as("no sign-in page to show: redirect").isEqualTo(302);
    assertThat(app.output()).contains("No APP_PASSWORD is set");
  }

  @Test
  void aCrossSitePostIsRefusedEvenWithoutAnAppPassword() throws Exception {
    HttpAgent attacker = new HttpAgent(app);

    HttpResponse<String> forged = attacker.postForm("/instances", java.util.Map.of("name", "evil", "url", "http://10.6.6.6"),
        "Origin", "http://evil.example");
    HttpResponse<String> forgedApi = attacker.send("POST", "/api/v1/instances", "application/json", "{\"name\":\"evil\",\"url\":\"http://10.6.6.6\"}",
        "Sec-Fetch-Site", "cross-site");

    assertThat(forged.statusCode()).isEqualTo(403);
    assertThat(forgedApi.statusCode()).isEqualTo(403);
    assertThat(app.get("/api/v1/instances").body()).doesNotContain("evil");
  }

  /** Sent as raw bytes: only Fetch metadata (or a Referer) marks these as a browser's, and a browser's must pass the CSRF rules. */
  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"Sec-Fetch-Mode: cors", "sec-fetch-dest: empty", "Sec-Fetch-Site: Cross-Site", "Sec-Fetch-Site: same-site",
      "Referer: http://evil.example/page.html", "Origin: null"})
  void aBrowsersPostWithoutOriginOrTokenIsRefused(String header) throws Exception {
    String body = "{\"name\":\"forged\",\"url\":\"http://10.6.6.6\"}";
    String answer = app.exchangeFrom("127.0.0.1", "POST /api/v1/instances HTTP/1.1\nHost: 127.0.0.1\nConnection: close\n" + header
        + "\nContent-Type: application/json\nContent-Length: " + body.length() + "\n\n" + body);

    assertThat(answer).as(header).startsWith("HTTP/1.1 403 ").contains("\"csrf\"");
    assertThat(app.get("/api/v1/instances").body()).doesNotContain("forged");
  }

  @Test
  void aScriptWithoutCookiesNeedsNoTokenAndAPageSendsItsOwn() throws Exception {
    HttpAgent browser = new HttpAgent(app);
    String page = browser.get("/instances/new").body();
    String token = browser.csrfToken();

    assertThat(page).contains("<meta name=\"csrf-token\" content=\"" + token + "\">").contains("name=\"_csrf\" value=\"" + token + "\"");
    assertThat(app.post("/api/v1/instances/999/backups").statusCode()).as("curl-style, no cookies: not a CSRF case").isEqualTo(404);
    assertThat(browser.send("POST", "/api/v1/instances/999/backups", null, null, "X-CSRF-Token", token).statusCode()).isEqualTo(404);
  }

  @Test
  void withoutAnAppPasswordAPlantedCookieIsNoTokenEither() throws Exception {
    HttpAgent browser = new HttpAgent(app);
    browser.get("/instances/new");
    String planted = "p".repeat(43);
    browser.setCookie("checkpoint_csrf", planted);

    HttpResponse<String> forged = browser.postForm("/instances", java.util.Map.of("name", "planted", "url", "http://10.6.6.6", "_csrf", planted));

    assertThat(forged.statusCode()).isEqualTo(403);
    assertThat(forged.body()).contains("no valid CSRF token");
    assertThat(app.get("/api/v1/instances").body()).doesNotContain("planted");
  }
}
