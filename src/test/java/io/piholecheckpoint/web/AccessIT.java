package io.piholecheckpoint.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.piholecheckpoint.testing.HttpAgent;
import io.piholecheckpoint.testing.InProcessApp;
import io.piholecheckpoint.testing.RawHttp;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/** Sign-in, sessions, tokens, CSRF and login throttling, attacked on the running app with APP_PASSWORD set. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AccessIT {
  static final String PASSWORD = "app-password-for-tests";
  static final String API_TOKEN = "api-token-0123456789abcdef";
  static final String METRICS_TOKEN = "metrics-token-0123456789abcdef";
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir
  static Path dir;

  private InProcessApp app;

  @BeforeAll
  void start() throws Exception {
    app = InProcessApp.start(dir.resolve("data"), dir.resolve("backups"), Map.of(
        "APP_PASSWORD", PASSWORD, "API_TOKEN", API_TOKEN, "METRICS_TOKEN", METRICS_TOKEN,
        "TRUSTED_PROXIES", "127.0.0.2", "PIHOLE_HOME_URL", "http://127.0.0.1:9"));
  }

  @AfterAll
  void stop() {
    app.close();
  }

  private HttpAgent signedIn() throws Exception {
    HttpAgent browser = new HttpAgent(app);
    browser.get("/login");
    HttpResponse<String> response = browser.postForm("/login", withToken(browser, "password", PASSWORD));
    assertThat(response.statusCode()).as(response.body()).isEqualTo(303);
    browser.get("/settings"); // a page of the session, with its token
    return browser;
  }

  private static Map<String, String> form(String... pairs) {
    Map<String, String> fields = new LinkedHashMap<>();
    for (int i = 0; i < pairs.length; i += 2) {
      fields.put(pairs[i], pairs[i + 1]);
    }
    return fields;
  }

  private Map<String, String> withToken(HttpAgent browser, String... pairs) {
    Map<String, String> fields = form(pairs);
    fields.put("_csrf", browser.csrfToken());
    return fields;
  }

  @Test
  void pagesRedirectToSignInAndTheApiAsksForCredentials() throws Exception {
    HttpAgent stranger = new HttpAgent(app);

    assertThat(stranger.get("/").headers().firstValue("Location")).hasValue("/login?next=%2F");
    assertThat(stranger.get("/backups/1/download").headers().firstValue("Location")).hasValue("/login?next=%2Fbackups%2F1%2Fdownload");
    assertThat(stranger.get("/settings").statusCode()).isEqualTo(302);
    HttpResponse<String> api = stranger.get("/api/v1/instances");
    assertThat(api.statusCode()).isEqualTo(401);
    assertThat(api.headers().firstValue("WWW-Authenticate")).hasValueSatisfying(v -> assertThat(v).startsWith("Bearer"));
    assertThat(JSON.readTree(api.body()).at("/error/code").asText()).isEqualTo("unauthorized");
    assertThat(new HttpAgent(app).send("DELETE", "/api/v1/instances/1?backups=delete", null, null).statusCode()).isEqualTo(401);
  }

  @Test
  void aDotSegmentAfterAnOpenPrefixIsRefusedNotLetThrough() throws Exception {
    String api = app.exchangeFrom("127.0.0.1", "GET /static/../api/v1/instances HTTP/1.1\nHost: 127.0.0.1\nConnection: close\n\n");
    String download = app.exchangeFrom("127.0.0.1", "GET /health/../backups/1/download HTTP/1.1\nHost: 127.0.0.1\nConnection: close\n\n");
    String delete = app.exchangeFrom("127.0.0.1", "DELETE /static/%2e%2e/api/v1/instances/1 HTTP/1.1\nHost: 127.0.0.1\nConnection: close\n\n");

    assertThat(api).startsWith("HTTP/1.1 400").contains("\"code\":\"bad_path\"").doesNotContain("\"instances\"");
    assertThat(download).startsWith("HTTP/1.1 400").contains("not in plain form");
    assertThat(delete).startsWith("HTTP/1.1 4");
    assertThat(new HttpAgent(app).get("/api/v1/instances/1", "Authorization", "Bearer " + API_TOKEN).statusCode()).isEqualTo(200);
  }

  @Test
  void healthAndStaticAssetsStayOpen() throws Exception {
    HttpAgent stranger = new HttpAgent(app);

    assertThat(stranger.get("/health").statusCode()).isEqualTo(200);
    assertThat(stranger.get("/static/app.js").statusCode()).isEqualTo(200);
    assertThat(stranger.get("/login").statusCode()).isEqualTo(200);
  }

  @Test
  void signingInStartsAFreshSessionWithSafeCookies() throws Exception {
    HttpAgent browser = new HttpAgent(app);
    browser.get("/login");
    String csrfBefore = browser.cookie("checkpoint_csrf");
    String tokenBefore = browser.csrfToken();
    browser.setCookie("checkpoint_session", "planted-by-someone-else-0123456789abcdefghijk");

    HttpResponse<String> response = browser.postForm("/login", withToken(browser, "password", PASSWORD, "next", "/settings"));

    assertThat(response.statusCode()).isEqualTo(303);
    assertThat(response.headers().firstValue("Location")).hasValue("/settings");
    assertThat(response.headers().allValues("Set-Cookie")).anySatisfy(c ->
        assertThat(c).startsWith("checkpoint_session=").contains("HttpOnly", "SameSite=Lax").doesNotContain("Secure"));
    assertThat(browser.cookie("checkpoint_session")).isNotEqualTo("planted-by-someone-else-0123456789abcdefghijk");
    assertThat(browser.cookie("checkpoint_csrf")).as("a new CSRF browser id after sign-in").isNotEqualTo(csrfBefore);
    HttpResponse<String> dashboard = browser.get("/");
    assertThat(browser.csrfToken()).as("pages carry a token of the new session").isNotEqualTo(tokenBefore);
    assertThat(dashboard.statusCode()).isEqualTo(200);
    assertThat(dashboard.body()).contains("Sign out").doesNotContain("No app password is set");
    assertThat(dashboard.headers().firstValue("Cache-Control")).hasValue("no-store");
    assertThat(browser.get("/error").statusCode()).as("the error page asked for directly is no error").isEqualTo(404);
  }

  @Test
  void signInOnlyEverRedirectsWithinTheApp() throws Exception {
    for (String next : new String[] {"//evil.example/", "https://evil.example/", "/\\evil.example"}) {
      HttpAgent browser = new HttpAgent(app);
      browser.get("/login");

      HttpResponse<String> response = browser.postForm("/login", withToken(browser, "password", PASSWORD, "next", next));

      assertThat(response.headers().firstValue("Location")).as(next).hasValue("/");
    }
  }

  @Test
  void aWrongPasswordIs401AndStartsNoSession() throws Exception {
    HttpAgent browser = new HttpAgent(app);
    browser.get("/login");

    HttpResponse<String> response = browser.postForm("/login", withToken(browser, "password", "guess"));

    assertThat(response.statusCode()).isEqualTo(401);
    assertThat(response.body()).contains("Wrong password.").doesNotContain("guess");
    assertThat(browser.cookie("checkpoint_session")).isNull();
    assertThat(browser.get("/").statusCode()).isEqualTo(302);
  }

  @Test
  void aSessionCookieReplayedAfterSignOutIsRejected() throws Exception {
    HttpAgent browser = signedIn();
    String stolen = browser.cookie("checkpoint_session");
    assertThat(browser.get("/api/v1/instances").statusCode()).isEqualTo(200);

    HttpResponse<String> out = browser.postForm("/logout", withToken(browser));

    assertThat(out.statusCode()).isEqualTo(303);
    HttpAgent replay = new HttpAgent(app);
    replay.setCookie("checkpoint_session", stolen);
    assertThat(replay.get("/api/v1/instances").statusCode()).isEqualTo(401);
    assertThat(replay.get("/").statusCode()).isEqualTo(302);
  }

  @Test
  void signOutIsAPostWithTheToken() throws Exception {
    HttpAgent browser = signedIn();

    assertThat(browser.get("/logout").statusCode()).isEqualTo(405);
    assertThat(browser.postForm("/logout", form(), "Origin", "http://evil.example").statusCode()).isEqualTo(403);
    assertThat(browser.get("/api/v1/instances").statusCode()).as("still signed in").isEqualTo(200);
  }

  @Test
  void aCrossSiteFormPostWithoutTheTokenIs403() throws Exception {
    HttpAgent browser = signedIn();

    HttpResponse<String> noToken = browser.postForm("/instances/1/delete", form("backups", "delete"), "Origin", "http://evil.example");
    HttpResponse<String> wrongToken = browser.postForm("/instances/1/delete", form("backups", "delete", "_csrf", "x".repeat(43)));
    HttpResponse<String> apiNoHeader = browser.send("POST", "/api/v1/instances/1/backups", null, null, "Origin", "http://evil.example");

    assertThat(noToken.statusCode()).isEqualTo(403);
    assertThat(noToken.body()).as("the error page, not a line of plain text").contains("<section class=\"error-page\">", "another site");
    assertThat(wrongToken.statusCode()).isEqualTo(403);
    assertThat(wrongToken.body()).contains("<section class=\"error-page\">", "no valid CSRF token");
    assertThat(apiNoHeader.statusCode()).isEqualTo(403);
    assertThat(JSON.readTree(apiNoHeader.body()).at("/error/code").asText()).isEqualTo("csrf");
    assertThat(browser.get("/api/v1/instances/1").statusCode()).as("the instance is still there").isEqualTo(200);
  }

  @Test
  void theApiTokenOpensTheApiButNotThePages() throws Exception {
    HttpAgent script = new HttpAgent(app);
    String bearer = "Bearer " + API_TOKEN;

    assertThat(script.get("/api/v1/instances", "Authorization", bearer).statusCode()).isEqualTo(200);
    assertThat(script.send("POST", "/api/v1/instances/1/backups", null, null, "Authorization", bearer).statusCode())
        .as("no CSRF token needed with the API token").isEqualTo(202);
    assertThat(script.get("/api/v1/instances", "Authorization", "Bearer " + API_TOKEN + "x").statusCode()).isEqualTo(401);
    assertThat(script.get("/", "Authorization", bearer).statusCode()).as("told, not led to the sign-in page").isEqualTo(401);
  }

  @Test
  void aPlantedCsrfCookieRepeatedAsTheTokenIs403() throws Exception {
    HttpAgent browser = signedIn();
    String planted = "p".repeat(43);
    browser.setCookie("checkpoint_csrf", planted); // e.g. by a sibling subdomain

    HttpResponse<String> form = browser.postForm("/instances/1/delete", form("backups", "delete", "_csrf", planted));
    HttpResponse<String> fetch = browser.send("POST", "/api/v1/instances/1/backups", null, null, "X-CSRF-Token", planted);

    assertThat(form.statusCode()).isEqualTo(403);
    assertThat(fetch.statusCode()).isEqualTo(403);
    assertThat(browser.get("/api/v1/instances/1").statusCode()).as("the instance is still there").isEqualTo(200);
  }

  @Test
  void theCsrfTokenIsBoundToTheSession() throws Exception {
    HttpAgent alice = signedIn();
    HttpAgent mallory = signedIn();
    alice.get("/settings");
    mallory.get("/settings");

    HttpResponse<String> withMallorysToken = alice.send("POST", "/api/v1/instances/999/backups", null, null, "X-CSRF-Token", mallory.csrfToken());
    HttpResponse<String> withHerOwn = alice.send("POST", "/api/v1/instances/999/backups", null, null, "X-CSRF-Token", alice.csrfToken());

    assertThat(alice.csrfToken()).isNotEqualTo(mallory.csrfToken());
    assertThat(withMallorysToken.statusCode()).isEqualTo(403);
    assertThat(withHerOwn.statusCode()).as("past the CSRF check: no such instance").isEqualTo(404);
  }

  @Test
  void crossSiteOriginsAndFetchMetadataAreRefusedEvenWithTheToken() throws Exception {
    HttpAgent browser = signedIn();
    browser.get("/settings");
    String token = browser.csrfToken();
    String self = app.url("");

    assertThat(browser.send("POST", "/api/v1/instances/999/backups", null, null, "X-CSRF-Token", token, "Origin", "http://evil.example")
        .statusCode()).isEqualTo(403);
    assertThat(browser.send("POST", "/api/v1/instances/999/backups", null, null, "X-CSRF-Token", token, "Origin", "null")
        .statusCode()).isEqualTo(403);
    assertThat(browser.send("POST", "/api/v1/instances/999/backups", null, null, "X-CSRF-Token", token, "Sec-Fetch-Site", "cross-site")
        .statusCode()).isEqualTo(403);
    assertThat(browser.send("POST", "/api/v1/instances/999/backups", null, null, "X-CSRF-Token", token, "Origin", self,
        "Sec-Fetch-Site", "same-origin").statusCode()).as("our own page").isEqualTo(404);
    assertThat(browser.send("POST", "/api/v1/instances/999/backups", null, null, "X-CSRF-Token", token, "Sec-Fetch-Site", "same-site")
        .statusCode()).isEqualTo(404);
    assertThat(browser.send("POST", "/api/v1/instances/999/backups", null, null, "X-CSRF-Token", token, "Origin", "null",
        "Sec-Fetch-Site", "same-origin").statusCode()).as("null from our own page, as the browser attests").isEqualTo(404);
    assertThat(browser.send("POST", "/api/v1/instances/999/backups", null, null, "X-CSRF-Token", token, "Origin", "null",
        "Sec-Fetch-Site", "cross-site").statusCode()).isEqualTo(403);
  }

  @Test
  void anOriginSentTwiceOrOfAnotherSchemeIsRefusedAndAnHttpsOriginPassesOnlyThroughATrustedTlsProxy() throws Exception {
    HttpAgent browser = signedIn();
    browser.get("/settings");
    String host = "127.0.0.1:" + app.port();
    String post = "POST /api/v1/instances/999/backups HTTP/1.1\nHost: " + host + "\nConnection: close\nContent-Length: 0\n"
        + "X-CSRF-Token: " + browser.csrfToken() + "\nCookie: checkpoint_session=" + browser.cookie("checkpoint_session") + "\n";

    String twice = app.exchangeFrom("127.0.0.3", post + "Origin: http://" + host + "\nOrigin: http://evil.example\n\n");
    String fetchTwice = app.exchangeFrom("127.0.0.3", post + "Sec-Fetch-Site: same-origin\nSec-Fetch-Site: cross-site\n\n");
    String https = app.exchangeFrom("127.0.0.3", post + "Origin: https://" + host + "\n\n");
    String httpsFaked = app.exchangeFrom("127.0.0.3", post + "Origin: https://" + host + "\nX-Forwarded-Proto: https\n\n");
    String viaTlsProxy = app.exchangeFrom("127.0.0.2", post + "Origin: https://" + host + "\nX-Forwarded-Proto: https\n\n");
    String own = app.exchangeFrom("127.0.0.3", post + "Origin: http://" + host + "\n\n");
    String nothingWithoutToken = app.exchangeFrom("127.0.0.3", ("POST /api/v1/nothing HTTP/1.1\nHost: " + host + "\nConnection: close\n"
        + "Content-Length: 0\nCookie: checkpoint_session=" + browser.cookie("checkpoint_session") + "\n\n"));

    assertThat(twice).startsWith("HTTP/1.1 403").contains("names its origin twice");
    assertThat(fetchTwice).startsWith("HTTP/1.1 403").contains("names its origin twice");
    assertThat(https).startsWith("HTTP/1.1 403").contains("TRUSTED_PROXIES");
    assertThat(httpsFaked).as("X-Forwarded-Proto from a client that is no trusted proxy").startsWith("HTTP/1.1 403");
    assertThat(viaTlsProxy).as("past the CSRF check: no such instance").startsWith("HTTP/1.1 404");
    assertThat(own).startsWith("HTTP/1.1 404");
    assertThat(nothingWithoutToken).as("nothing is there: the missing token is not what is wrong").startsWith("HTTP/1.1 404");
  }

  /**
   * What README says is checked: a request that a cookie signs in is refused from a foreign Origin, CSRF token or not; one that
   * the API token signs in is not checked for CSRF at all (no browser sends a Bearer token on its own: it is no ambient
   * authority a foreign page could ride on), with a foreign Origin, cross-site fetch metadata or a cookie beside it.
   */
  @Test
  void aForeignOriginIsRefusedForACookieButNotCheckedForTheApiToken() throws Exception {
    HttpAgent browser = signedIn();
    browser.get("/settings");
    String host = "127.0.0.1:" + app.port();
    String post = "POST /api/v1/instances/999/backups HTTP/1.1\nHost: " + host + "\nConnection: close\nContent-Length: 0\n"
        + "Origin: http://evil.example\nSec-Fetch-Site: cross-site\n";
    String cookie = "Cookie: checkpoint_session=" + browser.cookie("checkpoint_session") + "\n";

    RawHttp.Answer withCookie = RawHttp.exchange(app.port(), post + cookie + "X-CSRF-Token: " + browser.csrfToken(), "");
    RawHttp.Answer withToken = RawHttp.exchange(app.port(), post + "Authorization: Bearer " + API_TOKEN, "");
    RawHttp.Answer withTokenAndCookie = RawHttp.exchange(app.port(), post + cookie + "Authorization: Bearer " + API_TOKEN, "");

    assertThat(withCookie.status()).isEqualTo(403);
    assertThat(withCookie.body()).contains("\"code\":\"csrf\"", "another site");
    assertThat(withToken.status()).as("past the CSRF check: no such instance").isEqualTo(404);
    assertThat(withToken.body()).contains("\"code\":\"instance_not_found\"");
    assertThat(withTokenAndCookie.status()).as("the token decides, not the cookie beside it").isEqualTo(404);
  }

  /** Two tokens, even two good ones: which one counts would be the server's guess, as for a field sent twice. */
  @Test
  void theCsrfTokenHeaderSentTwiceIsRefused() throws Exception {
    HttpAgent browser = signedIn();
    browser.get("/settings");
    String host = "127.0.0.1:" + app.port();
    String post = "POST /api/v1/instances/999/backups HTTP/1.1\nHost: " + host + "\nConnection: close\nContent-Length: 0\nOrigin: http://" + host
        + "\nCookie: checkpoint_session=" + browser.cookie("checkpoint_session") + "\nX-CSRF-Token: " + browser.csrfToken() + "\n";

    String twice = app.exchangeFrom("127.0.0.3", post + "X-CSRF-Token: " + browser.csrfToken() + "\n\n");
    String once = app.exchangeFrom("127.0.0.3", post + "\n");

    assertThat(twice).startsWith("HTTP/1.1 403").contains("X-CSRF-Token header more than once", "send it once");
    assertThat(once).as("past the CSRF check: no such instance").startsWith("HTTP/1.1 404");
  }

  /**
   * A form's _csrf field beside the X-CSRF-Token header: both must be good, or a forged field rides through on a good header
   * (and which one counts would be the server's guess). Refused as any CSRF refusal: the error page for a page, JSON for the API.
   */
  @Test
  void aBadCsrfFieldBesideAGoodHeaderIsRefused() throws Exception {
    HttpAgent browser = signedIn();
    browser.get("/settings");
    String good = browser.csrfToken();

    String pageBadField = app.exchangeFrom("127.0.0.3", formPost(browser, "/backups/999/pin", good, "_csrf=forged&back=%2F"));
    String apiBadField = app.exchangeFrom("127.0.0.3", formPost(browser, "/api/v1/instances/999/backups", good, "_csrf=forged"));
    String badHeaderGoodField = app.exchangeFrom("127.0.0.3", formPost(browser, "/backups/999/pin", "forged", "_csrf=" + good + "&back=%2F"));
    String bothGood = app.exchangeFrom("127.0.0.3", formPost(browser, "/backups/999/pin", good, "_csrf=" + good + "&back=%2F"));
    String apiBothGood = app.exchangeFrom("127.0.0.3", formPost(browser, "/api/v1/instances/999/backups", good, "_csrf=" + good));

    assertThat(pageBadField).startsWith("HTTP/1.1 403").contains("<section class=\"error-page\">", "not both valid");
    assertThat(apiBadField).startsWith("HTTP/1.1 403").contains("\"code\":\"csrf\"", "not both valid");
    assertThat(badHeaderGoodField).startsWith("HTTP/1.1 403").contains("<section class=\"error-page\">", "not both valid");
    assertThat(bothGood).as("past the CSRF check: no such backup").startsWith("HTTP/1.1 404");
    assertThat(apiBothGood).as("past the CSRF check: no such instance").startsWith("HTTP/1.1 404");
  }

  /** A browser's url-encoded form post from our own page, with {@code header} as its X-CSRF-Token. */
  private String formPost(HttpAgent browser, String path, String header, String body) {
    String host = "127.0.0.1:" + app.port();
    return "POST " + path + " HTTP/1.1\nHost: " + host + "\nConnection: close\nOrigin: http://" + host
        + "\nAccept: text/html\nContent-Type: application/x-www-form-urlencoded\nContent-Length: " + body.length()
        + "\nCookie: checkpoint_session=" + browser.cookie("checkpoint_session") + "\nX-CSRF-Token: " + header + "\n\n" + body;
  }

  @Test
  void metricsAskForTheMetricsToken() throws Exception {
    HttpAgent prometheus = new HttpAgent(app);

    assertThat(prometheus.get("/metrics").statusCode()).isEqualTo(401);
    assertThat(prometheus.get("/metrics", "Authorization", "Bearer " + API_TOKEN).statusCode()).isEqualTo(401);
    assertThat(prometheus.get("/metrics", "Authorization", "Bearer " + METRICS_TOKEN).statusCode()).isEqualTo(200);
  }

  @Test
  void bruteForceGets429AndAForgedForwardedForDoesNotResetIt() throws Exception {
    HttpAgent page = new HttpAgent(app);
    page.get("/login");
    String answer = "";
    for (int i = 1; i <= 6; i++) {
      String body = "_csrf=" + page.csrfToken() + "&password=guess" + i;
      answer = app.exchangeFrom("127.0.0.3", "POST /login HTTP/1.1\nHost: 127.0.0.1\nConnection: close\n"
          + "X-Forwarded-For: 198.51.100." + i + "\nCookie: checkpoint_csrf=" + page.cookie("checkpoint_csrf") + "\n"
          + "Content-Type: application/x-www-form-urlencoded\nContent-Length: " + body.length() + "\n\n" + body);
      if (i <= 5) {
        assertThat(answer).as("try " + i).startsWith("HTTP/1.1 401");
      }
    }

    assertThat(answer).startsWith("HTTP/1.1 429").containsPattern("(?i)Retry-After: \\d+").contains("Too many wrong passwords");
    assertThat(app.output()).contains("Wrong app password from 127.0.0.3").doesNotContain("198.51.100.").doesNotContain("guess");
  }

  /** Guessing the API_TOKEN is slowed down as guessing the password is: five tries, then 429; the METRICS_TOKEN shares the count. */
  @Test
  void wrongBearerTokensGet429AfterFiveAsWrongPasswordsDo() throws Exception {
    String answer = "";
    for (int i = 1; i <= 6; i++) {
      answer = app.exchangeFrom("127.0.0.5", "GET /api/v1/instances HTTP/1.1\nHost: 127.0.0.1\nConnection: close\n"
          + "Authorization: Bearer guess-" + i + "-0123456789abcdef\n\n");
      if (i <= 5) {
        assertThat(answer).as("try " + i).startsWith("HTTP/1.1 401");
      }
    }
    String right = app.exchangeFrom("127.0.0.5", "GET /api/v1/instances HTTP/1.1\nHost: 127.0.0.1\nConnection: close\n"
        + "Authorization: Bearer " + API_TOKEN + "\n\n");
    String metrics = app.exchangeFrom("127.0.0.5", "GET /metrics HTTP/1.1\nHost: 127.0.0.1\nConnection: close\n"
        + "Authorization: Bearer " + METRICS_TOKEN + "\n\n");
    String elsewhere = app.exchangeFrom("127.0.0.6", "GET /api/v1/instances HTTP/1.1\nHost: 127.0.0.1\nConnection: close\n"
        + "Authorization: Bearer " + API_TOKEN + "\n\n");

    assertThat(answer).startsWith("HTTP/1.1 429").containsPattern("(?i)Retry-After: \\d+").contains("too_many_attempts");
    assertThat(right).as("not even the right token is tried while it waits").startsWith("HTTP/1.1 429");
    assertThat(metrics).as("one count per address").startsWith("HTTP/1.1 429");
    assertThat(elsewhere).as("another address is not slowed").startsWith("HTTP/1.1 200");
  }

  /** README: a body over 64 KiB is 413; a sign-in form that large is no wrong password, and no guess counted. */
  @Test
  void anOversizedSignInFormIs413NotAWrongPassword() throws Exception {
    HttpAgent page = new HttpAgent(app);
    page.get("/login");
    String body = "_csrf=" + page.csrfToken() + "&password=" + "x".repeat(100 * 1024);

    String answer = app.exchangeFrom("127.0.0.7", "POST /login HTTP/1.1\nHost: 127.0.0.1\nConnection: close\n"
        + "Cookie: checkpoint_csrf=" + page.cookie("checkpoint_csrf") + "\n"
        + "Content-Type: application/x-www-form-urlencoded\nContent-Length: " + body.length() + "\n\n" + body);

    assertThat(answer).startsWith("HTTP/1.1 413").contains("larger than 64 KiB").doesNotContain("Wrong password");
  }

  @Test
  void behindATrustedProxyTheForwardedClientAndSchemeCount() throws Exception {
    String viaProxy = app.exchangeFrom("127.0.0.2", "GET /login HTTP/1.1\nHost: 127.0.0.1\nConnection: close\n"
        + "X-Forwarded-For: 6.6.6.6, 192.0.2.44\nX-Forwarded-Proto: https\n\n");
    String direct = app.exchangeFrom("127.0.0.3", "GET /login HTTP/1.1\nHost: 127.0.0.1\nConnection: close\nX-Forwarded-Proto: https\n\n");

    assertThat(viaProxy).containsPattern("(?i)Set-Cookie: checkpoint_csrf=[^\\r\\n]*; Secure");
    assertThat(direct).containsPattern("(?i)Set-Cookie: checkpoint_csrf=").doesNotContainPattern("(?i)Set-Cookie: [^\\r\\n]*Secure");
  }
}
