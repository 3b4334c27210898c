package io.piholecheckpoint.pihole;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.piholecheckpoint.core.gateway.PiholeException;
import io.piholecheckpoint.core.gateway.PiholeException.Failure;
import io.piholecheckpoint.core.gateway.PiholeTarget;
import io.piholecheckpoint.core.instance.TlsTrust;
import io.piholecheckpoint.testing.FakePihole;
import io.piholecheckpoint.testing.MovableClock;
import io.piholecheckpoint.testing.RecordingPause;
import io.piholecheckpoint.testing.SchemeTestServer;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;

/** A URL whose scheme does not match its port, over real sockets: named, with the URL to use, and permanent. */
class SchemeMismatchTest {
  private final MovableClock clock = new MovableClock(Instant.parse("2026-11-27T03:00:10Z"));
  /**
   * Timeouts that a server on loopback answering at once never reaches, even on a machine busy with
   * other builds: a request that times out is told by a plain probe, a second request, and the
   * tests of an answer would see that path instead (with 2 s to connect and 5 s to answer, a busy
   * machine's first TLS handshake once ran out). The timeout path has its own test, with its own impatient client.
   */
  private static final Duration PATIENT = Duration.ofSeconds(60);
  private final PiholeClient client = new PiholeClient("test", PATIENT, clock, new RecordingPause(clock));

  private static PiholeTarget target(String url) {
    return new PiholeTarget("Home", url, "PIHOLE_HOME_", Optional.of("labpass"), Optional.empty(), TlsTrust.SYSTEM, PATIENT, Set.of());
  }

  @ParameterizedTest
  @EnumSource(value = SchemeTestServer.Answer.class, names = {"CLOSE", "TLS_ALERT", "NGINX_400"})
  void httpToATlsPortIsNamedWithTheHttpsUrlAndIsNotTransient(SchemeTestServer.Answer answer) throws Exception {
    try (SchemeTestServer server = new SchemeTestServer(answer)) {
      assertThatThrownBy(() -> client.open(target(server.url("http") + "/admin")))
          .isInstanceOfSatisfying(PiholeException.class, e -> {
            assertThat(e.failure()).isEqualTo(Failure.SCHEME_MISMATCH);
            assertThat(e.failure().transientFailure()).isFalse();
          })
          .hasMessageContaining("speaks HTTPS (TLS) on port " + server.port() + ", but the URL says http://")
          .hasMessageContaining("use " + server.url("https") + "/admin instead").hasMessageContaining("PIHOLE_HOME_URL")
          .hasMessageNotContaining("EOF");
      assertThat(server.plainRequests()).isEqualTo(1);
      assertThat(server.handshakes()).isEqualTo(1);
    }
  }

  @Test
  void httpsToAPlainPortIsNamedWithTheHttpUrl() throws Exception {
    try (SchemeTestServer server = new SchemeTestServer(SchemeTestServer.Answer.PLAIN_HTTP)) {
      assertThatThrownBy(() -> client.open(target(server.url("https"))))
          .isInstanceOfSatisfying(PiholeException.class, e -> assertThat(e.failure()).isEqualTo(Failure.SCHEME_MISMATCH))
          .hasMessageContaining("speaks plain HTTP on port " + server.port() + ", but the URL says https://")
          .hasMessageContaining("use " + server.url("http") + " instead")
          .hasMessageNotContaining("Unrecognized SSL message");
      assertThat(server.plainRequests()).isEqualTo(1);
    }
  }

  /** The JDK's server never answers a ClientHello: the connect timeout runs out, then a plain probe tells. */
  @Test
  void httpsToTheFakePiholesPlainPortToo() throws Exception {
    PiholeClient impatient = new PiholeClient("test", Duration.ofMillis(200), clock, new RecordingPause(clock));
    try (FakePihole pihole = FakePihole.start("labpass")) {
      assertThatThrownBy(() -> impatient.open(target(pihole.url().replace("http://", "https://"))))
          .isInstanceOfSatisfying(PiholeException.class, e -> assertThat(e.failure()).isEqualTo(Failure.SCHEME_MISMATCH))
          .hasMessageContaining("use " + pihole.url() + " instead");
    }
  }

  @Test
  void aPlainServerThatAnswers400IsNotTakenForATlsPort() throws Exception {
    try (SchemeTestServer server = new SchemeTestServer(SchemeTestServer.Answer.PLAIN_HTTP)) {
      assertThatThrownBy(() -> client.open(target(server.url("http"))))
          .isInstanceOfSatisfying(PiholeException.class, e -> assertThat(e.failure()).isNotEqualTo(Failure.SCHEME_MISMATCH));
    }
  }

  @ParameterizedTest
  @CsvSource({
      "http://pi.hole:443/admin, https, https://pi.hole/admin",
      "http://pi.hole, https, https://pi.hole:80",
      "https://pi.hole:80, http, http://pi.hole",
      "https://pi.hole, http, http://pi.hole:443",
      "http://[::1]:8443, https, https://[::1]:8443",
      "http://10.0.0.2:8080/pihole, https, https://10.0.0.2:8080/pihole"})
  void rewritesTheUrlWithTheOtherSchemeKeepingThePort(String url, String scheme, String expected) {
    assertThat(SchemeMismatch.rewritten(URI.create(url), scheme)).isEqualTo(expected);
  }

  /**
   * A Pi-hole set to redirect HTTP to HTTPS (webserver.port = "80r,443s") answers the login with 308 and Location:
   * https://…: the address to use is named, the redirect is not followed with the password, and nothing is tried again.
   */
  @ParameterizedTest
  @CsvSource({"308, /admin", "301, ''"})
  void aLoginRedirectedToHttpsNamesTheUrlToUseAndIsNotFollowedNorRetried(int status, String prefix) throws Exception {
    java.util.List<String> asked = new java.util.concurrent.CopyOnWriteArrayList<>();
    com.sun.net.httpserver.HttpServer server = com.sun.net.httpserver.HttpServer.create(
        new java.net.InetSocketAddress(java.net.InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/", exchange -> {
      asked.add(exchange.getRequestMethod() + " " + exchange.getRequestURI());
      exchange.getResponseHeaders().add("Location", "https://127.0.0.1:8443" + exchange.getRequestURI());
      exchange.sendResponseHeaders(status, -1);
      exchange.close();
    });
    server.start();
    try {
      String url = "http://127.0.0.1:" + server.getAddress().getPort() + prefix;
      assertThatThrownBy(() -> client.open(target(url))).isInstanceOfSatisfying(PiholeException.class, e -> {
        assertThat(e.failure()).isEqualTo(Failure.SCHEME_MISMATCH);
        assertThat(e.failure().transientFailure()).isFalse();
      }).hasMessageContaining("redirects to https://127.0.0.1:8443 (HTTP " + status + ")")
          .hasMessageContaining("use https://127.0.0.1:8443" + prefix + " as the URL (fix PIHOLE_HOME_URL)")
          .hasMessageNotContaining("check its logs").hasMessageNotContaining("labpass");
      assertThat(asked).as("one login, not followed, not retried").containsExactly("POST " + prefix + "/api/auth");
    } finally {
      server.stop(0);
    }
  }
}
