package io.piholecheckpoint.pihole;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.piholecheckpoint.core.gateway.PiholeException;
import io.piholecheckpoint.core.gateway.PiholeException.Failure;
import io.piholecheckpoint.core.gateway.PiholeTarget;
import io.piholecheckpoint.core.instance.TlsTrust;
import io.piholecheckpoint.testing.FakePihole;
import io.piholecheckpoint.testing.MovableClock;
import io.piholecheckpoint.testing.RecordingPause;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A URL that is not a Pi-hole v6's API: a 200 page is no login, and another service's 401 is no
 * wrong password (pihole-api.md documents the shapes a Pi-hole answers).
 */
class NotAPiholeTest {
  private static final Duration PATIENT = Duration.ofSeconds(60);
  private final MovableClock clock = new MovableClock(Instant.parse("2026-11-27T03:00:10Z"));
  private final PiholeClient client = new PiholeClient("test", PATIENT, clock, new RecordingPause(clock));
  private final HttpServer server = start();
  private final List<String> requests = new ArrayList<>();

  private static HttpServer start() {
    try {
      HttpServer s = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
      s.start();
      return s;
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  @AfterEach
  void stop() {
    server.stop(0);
  }

  private PiholeTarget target(Optional<String> password) {
    return new PiholeTarget("Odd", "http://127.0.0.1:" + server.getAddress().getPort(), "PIHOLE_ODD_", password, Optional.empty(),
        TlsTrust.SYSTEM, PATIENT, Set.of());
  }

  /** Every path answered alike, as a web server that is not a Pi-hole does. */
  private void answerEverything(int status, String contentType, String wwwAuthenticate, String body) {
    server.createContext("/", ex -> {
      synchronized (requests) {
        requests.add(ex.getRequestMethod() + " " + ex.getRequestURI().getPath());
      }
      reply(ex, status, contentType, wwwAuthenticate, body);
    });
  }

  private static void reply(HttpExchange ex, int status, String contentType, String wwwAuthenticate, String body) throws IOException {
    ex.getRequestBody().readAllBytes();
    ex.getResponseHeaders().set("Content-Type", contentType);
    if (wwwAuthenticate != null) {
      ex.getResponseHeaders().set("WWW-Authenticate", wwwAuthenticate);
    }
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    ex.sendResponseHeaders(status, bytes.length);
    try (OutputStream out = ex.getResponseBody()) {
      out.write(bytes);
    }
  }

  @Test
  void aWebPageAnsweringTwoHundredIsNoLogin() {
    answerEverything(200, "text/html; charset=utf-8", null, "<html><body>Welcome</body></html>");

    assertThatThrownBy(() -> client.open(target(Optional.of("s3cret-pw"))).close())
        .isInstanceOfSatisfying(PiholeException.class, e -> assertThat(e.failure()).isEqualTo(Failure.NOT_A_PIHOLE))
        .hasMessageContaining("not a Pi-hole v6 API")
        .hasMessageContaining("HTTP 200 (text/html; charset=utf-8)")
        .hasMessageContaining("PIHOLE_ODD_URL")
        .message().doesNotContain("s3cret-pw");
    assertThat(requests).as("nothing asked after a login that was none").containsExactly("POST /api/auth");
  }

  @Test
  void jsonWithoutAValidSessionIsNoLoginEither() {
    answerEverything(200, "application/json", null, "{\"status\":\"ok\"}");

    assertThatThrownBy(() -> client.open(target(Optional.of("pw"))).close())
        .isInstanceOfSatisfying(PiholeException.class, e -> assertThat(e.failure()).isEqualTo(Failure.NOT_A_PIHOLE))
        .hasMessageContaining("HTTP 200 (application/json)");
  }

  @Test
  void withoutAPasswordAPageIsNotAPiholeThatHasNone() {
    answerEverything(200, "text/html", null, "<html>hello</html>");

    assertThatThrownBy(() -> client.open(target(Optional.empty())).close())
        .isInstanceOfSatisfying(PiholeException.class, e -> assertThat(e.failure()).isEqualTo(Failure.NOT_A_PIHOLE))
        .hasMessageContaining("session check with HTTP 200 (text/html)");
  }

  @Test
  void anotherServicesBearerUnauthorizedIsNoWrongPassword() {
    // Pi-hole Checkpoint's own API answers so: an instance pointed at the wrong port
    answerEverything(401, "application/json", "Bearer", "{\"error\":{\"code\":\"unauthorized\",\"message\":\"sign in first\"}}");

    assertThatThrownBy(() -> client.open(target(Optional.of("pw"))).close())
        .isInstanceOfSatisfying(PiholeException.class, e -> assertThat(e.failure()).isEqualTo(Failure.NOT_A_PIHOLE))
        .hasMessageContaining("HTTP 401 (application/json; WWW-Authenticate: Bearer)")
        .hasMessageContaining("not a wrong Pi-hole password")
        .hasMessageContaining("not a Pi-hole v6 API")
        .message().doesNotContain("wrong password for");
  }

  @Test
  void aProxyAskingForBasicAuthIsSaidAsSuch() {
    answerEverything(401, "text/html", "Basic realm=\"lab\"", "<html>401 Authorization Required</html>");

    assertThatThrownBy(() -> client.open(target(Optional.of("pw"))).close())
        .isInstanceOfSatisfying(PiholeException.class, e -> assertThat(e.failure()).isEqualTo(Failure.NOT_A_PIHOLE))
        .hasMessageContaining("WWW-Authenticate: Basic")
        .hasMessageContaining("asks for its own sign-in")
        .message().doesNotContain("wrong password for");
  }

  @Test
  void aPiholesOwnRefusalsStayWhatTheyAre() throws Exception {
    try (FakePihole pihole = FakePihole.start("right")) {
      PiholeTarget wrong = new PiholeTarget("Home", pihole.url(), "PIHOLE_HOME_", Optional.of("wrong"), Optional.empty(), TlsTrust.SYSTEM, PATIENT, Set.of());
      PiholeTarget none = new PiholeTarget("Home", pihole.url(), "PIHOLE_HOME_", Optional.empty(), Optional.empty(), TlsTrust.SYSTEM, PATIENT, Set.of());

      assertThatThrownBy(() -> client.open(wrong).close())
          .isInstanceOfSatisfying(PiholeException.class, e -> assertThat(e.failure()).isEqualTo(Failure.WRONG_PASSWORD))
          .hasMessageContaining("wrong password for Pi-hole 'Home'");
      assertThatThrownBy(() -> client.open(none).close())
          .isInstanceOfSatisfying(PiholeException.class, e -> assertThat(e.failure()).isEqualTo(Failure.WRONG_PASSWORD))
          .hasMessageContaining("requires a password");
    }
  }
}
