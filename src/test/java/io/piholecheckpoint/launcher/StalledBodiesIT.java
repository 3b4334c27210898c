package io.piholecheckpoint.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import io.piholecheckpoint.testing.Eventually;
import io.piholecheckpoint.testing.InProcessApp;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.eclipse.jetty.server.handler.QoSHandler;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Clients that announce a large body, send a few bytes of it and then say nothing (slowloris)
 * must not take the server with them: /health and the API answer while they wait, and each of
 * them is answered or closed in the end. As the outsider of round 30 did it: raw sockets against
 * the real launcher, with and without APP_PASSWORD (with it, the attacker has the API token).
 */
class StalledBodiesIT {
  private static final String TOKEN = "api-token-0123456789abcdef";
  /** More than the launcher has threads for requests (32 at most, two of them Jetty's acceptor and selector). */
  private static final int STALLED = 40;
  /**
   * The connector's idle timeout (HTTP_IDLE_TIMEOUT_SECONDS) the stalled clients wait out: short, so that the test does
   * not wait out the default 30 s twice; long enough that the stalled still fill the server while /health and the API
   * are asked (a body's turn is waited for two thirds of it, ~6.7 s).
   */
  private static final int IDLE_SECONDS = 10;

  @TempDir
  Path dir;

  @ParameterizedTest(name = "APP_PASSWORD set: {0}")
  @ValueSource(booleans = {false, true})
  void healthAndTheApiAnswerWhileStalledBodiesWaitAndTheStalledAreAnsweredOrClosed(boolean password) throws Exception {
    Map<String, String> env = new HashMap<>(Map.of("PIHOLE_HOME_URL", "http://127.0.0.1:9", // instance 1, for the uploads
        "HTTP_IDLE_TIMEOUT_SECONDS", String.valueOf(IDLE_SECONDS)));
    if (password) {
      env.put("APP_PASSWORD", "app-password-for-tests");
      env.put("API_TOKEN", TOKEN);
    }
    try (InProcessApp app = InProcessApp.start(dir.resolve("data"), dir.resolve("backups"), env)) {
      List<Socket> stalled = new ArrayList<>();
      try {
        Instant stalling = Instant.now();
        for (int i = 0; i < STALLED; i++) {
          stalled.add(stall(app.port(), i % 2 == 0 ? jsonHead() : uploadHead()));
        }
        QueuedThreadPool threads = (QueuedThreadPool) app.server().getThreadPool();
        int full = Math.min(STALLED, threads.getMaxThreads() - 2);
        Eventually.until("the stalled requests have reached the server (each on a thread or waiting for one)", Duration.ofSeconds(20),
            () -> threads.getBusyThreads() + waiting(app) >= full);

        HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        Instant asked = Instant.now();
        HttpResponse<String> health = client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + app.port() + "/health"))
            .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
        HttpResponse<String> api = client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + app.port() + "/api/v1/instances"))
            .header("Authorization", "Bearer " + TOKEN).timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(health.statusCode()).as(health.body()).isEqualTo(200);
        assertThat(api.statusCode()).as(api.body()).isEqualTo(200);
        assertThat(Duration.between(asked, Instant.now())).isLessThan(Duration.ofSeconds(10));
        assertThat(threads.getBusyThreads() + waiting(app)).as("the stalled still fill the server once /health and the API have answered "
            + "(else they answered a server the stalled had left: the idle timeout is too short for this machine)").isGreaterThanOrEqualTo(full);

        // every stalled client hears a refusal or sees its connection closed, within the idle timeout (the setting's, not the
        // default 30 s) and the wait for a turn, with a margin for a loaded machine
        Instant deadline = stalling.plusSeconds(IDLE_SECONDS + 15);
        for (Socket socket : stalled) {
          assertThat(endOf(socket, deadline)).as("what a stalled client got").matches("closed|HTTP/1\\.1 [45]\\d\\d .*");
        }
      } finally {
        for (Socket socket : stalled) {
          socket.close();
        }
      }
    }
  }

  /** Requests the body-reading limit keeps waiting without a thread; 0 where there is none. */
  private static int waiting(InProcessApp app) {
    QoSHandler limit = app.server().getDescendant(QoSHandler.class);
    return limit == null ? 0 : limit.getSuspendedRequestCount();
  }

  private static Socket stall(int port, String head) throws IOException {
    Socket socket = new Socket();
    socket.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
    socket.getOutputStream().write(head.getBytes(StandardCharsets.ISO_8859_1));
    socket.getOutputStream().flush();
    return socket;
  }

  /** A JSON body of 60,000 bytes announced, 8 sent. */
  private static String jsonHead() {
    return "POST /api/v1/instances HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer " + TOKEN
        + "\r\nContent-Type: application/json\r\nContent-Length: 60000\r\n\r\n{\"name\":";
  }

  /** An archive of 50 MB announced, its first part's head and four bytes sent. */
  private static String uploadHead() {
    return "POST /api/v1/instances/1/backups/import HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer " + TOKEN
        + "\r\nContent-Type: multipart/form-data; boundary=XX\r\nContent-Length: 50000000\r\n\r\n--XX\r\n"
        + "Content-Disposition: form-data; name=\"file\"; filename=\"a.zip\"\r\nContent-Type: application/zip\r\n\r\nPK\u0003\u0004";
  }

  /** The status line the server sent, or "closed"; fails if neither happened by {@code deadline}. */
  private static String endOf(Socket socket, Instant deadline) throws IOException {
    long left = Duration.between(Instant.now(), deadline).toMillis();
    socket.setSoTimeout((int) Math.max(1, left));
    InputStream in = socket.getInputStream();
    StringBuilder line = new StringBuilder();
    try {
      for (int b = in.read(); b >= 0 && b != '\n'; b = in.read()) {
        line.append((char) b);
      }
    } catch (SocketTimeoutException e) {
      return "still waiting";
    } catch (IOException e) {
      return "closed"; // reset by the server
    }
    return line.isEmpty() ? "closed" : line.toString().trim();
  }
}
