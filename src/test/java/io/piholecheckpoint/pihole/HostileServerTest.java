package io.piholecheckpoint.pihole;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.piholecheckpoint.core.gateway.PiholeException;
import io.piholecheckpoint.core.gateway.PiholeException.Failure;
import io.piholecheckpoint.core.gateway.PiholeTarget;
import io.piholecheckpoint.core.instance.TlsTrust;
import io.piholecheckpoint.testing.MovableClock;
import io.piholecheckpoint.testing.RecordingPause;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A "Pi-hole" URL that points at something hostile or broken: the client must stay bounded in
 * memory and time, and never follow it elsewhere.
 */
class HostileServerTest {
  private final MovableClock clock = new MovableClock(Instant.parse("2026-11-27T03:00:10Z"));
  /** Never reached by a server on loopback, even on a busy machine: the one test of a timeout sets its own. */
  private static final Duration PATIENT = Duration.ofSeconds(60);
  private final PiholeClient client = new PiholeClient("test", PATIENT, clock, new RecordingPause(clock));
  private final HttpServer server = start();
  private final HttpServer elsewhere = start();
  private final AtomicInteger requestsElsewhere = new AtomicInteger();

  private static HttpServer start() {
    try {
      HttpServer s = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
      s.setExecutor(Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "hostile-server");
        t.setDaemon(true);
        return t;
      }));
      s.start();
      return s;
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  @AfterEach
  void stop() {
    server.stop(0);
    elsewhere.stop(0);
  }

  private PiholeTarget target() {
    return target(PATIENT);
  }

  private PiholeTarget target(Duration timeout) {
    return new PiholeTarget("Home", "http://127.0.0.1:" + server.getAddress().getPort(), "PIHOLE_HOME_", Optional.of("pw"),
        Optional.empty(), TlsTrust.SYSTEM, timeout, Set.of());
  }

  private void answerLogin(com.sun.net.httpserver.HttpHandler handler) {
    server.createContext("/api/auth", handler);
  }

  @Test
  void refusesAnEnormousAnswerWithoutReadingItAll() {
    AtomicInteger sentKiB = new AtomicInteger();
    answerLogin(ex -> {
      ex.getResponseHeaders().set("Content-Type", "application/json");
      ex.sendResponseHeaders(200, 0);
      try (OutputStream out = ex.getResponseBody()) {
        byte[] kib = " ".repeat(1024).getBytes();
        for (int i = 0; i < 1024 * 1024; i++) { // up to 1 GiB
          out.write(kib);
          sentKiB.incrementAndGet();
        }
      } catch (IOException e) {
        // the client hung up, as it should
      }
    });

    assertThatThrownBy(() -> client.open(target()).close())
        .isInstanceOfSatisfying(PiholeException.class, e -> assertThat(e.failure()).isEqualTo(Failure.SERVER_ERROR))
        .hasMessageContaining("sent more than 1024 KiB where a short JSON answer was expected");
    assertThat(sentKiB.get()).as("the client stopped reading long before 1 GiB").isLessThan(512 * 1024);
  }

  @Test
  void givesUpOnAnAnswerThatDripsOneByteAtATime() {
    answerLogin(ex -> drip(ex));

    // shorter than an instance can have (whole seconds), as the test waits it out
    assertThatThrownBy(() -> client.open(target(Duration.ofMillis(500))).close())
        .isInstanceOfSatisfying(PiholeException.class, e -> assertThat(e.failure()).isEqualTo(Failure.TIMEOUT))
        .hasMessageContaining("did not finish its answer within 0.5 s");
  }

  @Test
  void doesNotFollowARedirectToAnotherHost() {
    elsewhere.createContext("/", ex -> {
      requestsElsewhere.incrementAndGet();
      ex.sendResponseHeaders(200, -1);
      ex.close();
    });
    answerLogin(ex -> {
      ex.getResponseHeaders().set("Location", "http://127.0.0.1:" + elsewhere.getAddress().getPort() + "/api/auth");
      ex.sendResponseHeaders(307, -1);
      ex.close();
    });

    assertThatThrownBy(() -> client.open(target()).close()).isInstanceOf(PiholeException.class);
    assertThat(requestsElsewhere.get()).as("the password went nowhere else").isZero();
  }

  /** Headers at once, then a byte every 100 ms, for ever (until the client hangs up). */
  private static void drip(HttpExchange ex) throws IOException {
    ex.getResponseHeaders().set("Content-Type", "application/json");
    ex.sendResponseHeaders(200, 0);
    try (OutputStream out = ex.getResponseBody()) {
      out.write('{');
      for (;;) {
        out.write(' ');
        out.flush();
        java.util.concurrent.locks.LockSupport.parkNanos(Duration.ofMillis(100).toNanos());
      }
    } catch (IOException e) {
      // the client hung up
    }
  }
}
