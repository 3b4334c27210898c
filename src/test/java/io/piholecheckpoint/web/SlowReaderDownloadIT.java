package io.piholecheckpoint.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.piholecheckpoint.testing.Eventually;
import io.piholecheckpoint.testing.FakePihole;
import io.piholecheckpoint.testing.InProcessApp;
import io.piholecheckpoint.testing.LargeArchives;
import io.piholecheckpoint.testing.MadeOnce;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * An archive download to a client that reads slowly but steadily gets the whole body; one that stops reading is still cut
 * after the idle timeout. Round 43's outsider: 20 MB at curl --limit-rate 300k ended short (curl rc=18) with Jetty's "Idle
 * timeout expired: 30001/30000 ms", data flowing all along. Here the idle timeout is 2 s and the archive 8 MB, so the same
 * ratio of timeout to send buffer shows in seconds: Jetty counts a write as progress only when the kernel says the socket
 * is writable again, and on a send buffer autotuned to megabytes that takes a third of it drained.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SlowReaderDownloadIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String TOKEN = "api-token-0123456789abcdef";
  private static final int FTL_DB_BYTES = 8_000_000;
  /** Bytes a second: well above what the fixed send buffer needs within the 2 s timeout, well below what 4 MB of it needed. */
  private static final int SLOW_RATE = 400_000;

  @TempDir
  static Path dir;

  private byte[] archive;
  private FakePihole pihole;
  private InProcessApp app;
  private String downloadPath;

  @BeforeAll
  void backUpALargeArchive() throws Exception {
    archive = Files.readAllBytes(MadeOnce.archive("random-ftl-db-" + FTL_DB_BYTES, LargeArchives.class,
        work -> LargeArchives.withRandomFtlDatabase(work, "random-ftl-db", FTL_DB_BYTES)));
    pihole = FakePihole.builder().password("labpass").archive(archive).start();
    app = InProcessApp.start(dir.resolve("data"), dir.resolve("backups"), Map.of("API_TOKEN", TOKEN, "APP_PASSWORD", "app-password-for-tests",
        "PIHOLE_HOME_URL", pihole.url(), "PIHOLE_HOME_PASSWORD", "labpass", "HTTP_IDLE_TIMEOUT_SECONDS", "2"));
    HttpResponse<String> backup = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + app.port()
        + "/api/v1/instances/1/backups?wait=true")).header("Authorization", "Bearer " + TOKEN).POST(HttpRequest.BodyPublishers.noBody()).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(backup.statusCode()).as(backup.body()).isBetween(200, 201);
    JsonNode made = JSON.readTree(backup.body());
    downloadPath = (made.has("backup") ? made.get("backup") : made).get("downloadUrl").asText();
  }

  @AfterAll
  void stop() {
    if (app != null) {
      app.close();
    }
    if (pihole != null) {
      pihole.close();
    }
  }

  @Test
  void aReaderThatKeepsReadingSlowlyGetsTheWholeArchive() throws Exception {
    try (Socket socket = request()) {
      InputStream in = socket.getInputStream();
      long length = contentLength(head(in));
      ByteArrayOutputStream body = new ByteArrayOutputStream();
      byte[] chunk = new byte[8192];
      long start = System.nanoTime();
      try {
        for (int n; body.size() < length && (n = in.read(chunk, 0, (int) Math.min(chunk.length, length - body.size()))) >= 0; ) {
          body.write(chunk, 0, n);
          // the reader's pace, not a wait for the server: it reads no faster than SLOW_RATE, always a little
          long due = start + body.size() * 1_000_000_000L / SLOW_RATE;
          LockSupport.parkNanos(due - System.nanoTime());
        }
      } catch (IOException e) {
        throw new AssertionError("cut after " + body.size() + " of " + length + " bytes:\n" + app.output(), e);
      }

      assertThat(length).isEqualTo(archive.length);
      assertThat(body.size()).as("bytes read at %d bytes/s before the end", SLOW_RATE).isEqualTo(archive.length);
      assertThat(body.toByteArray()).isEqualTo(archive);
    }
  }

  @Test
  void aReaderThatStopsReadingIsCutAfterTheIdleTimeout() throws Exception {
    try (Socket socket = request()) {
      InputStream in = socket.getInputStream();
      long length = contentLength(head(in));
      // not a byte more read until the server has given up on the write
      Eventually.until("the server's idle timeout ends the stalled download", Duration.ofSeconds(30),
          () -> app.server().getConnectors()[0].getConnectedEndPoints().stream()
              .noneMatch(end -> end.getRemoteSocketAddress() instanceof InetSocketAddress client && client.getPort() == socket.getLocalPort()));
      socket.setSoTimeout(30_000);
      long read = 0;
      try {
        byte[] chunk = new byte[65536];
        for (int n; read < length && (n = in.read(chunk)) >= 0; ) {
          read += n;
        }
      } catch (IOException e) {
        // a reset ends it as well as a close
      }
      assertThat(read).as("bytes of %d before the connection ended", length).isLessThan(length);
    }
  }

  /** A connection whose receive buffer holds little, so that what the client has not read stays in the server's send buffer. */
  private Socket request() throws IOException {
    Socket socket = new Socket();
    socket.setReceiveBufferSize(32 * 1024);
    socket.connect(new InetSocketAddress("127.0.0.1", app.port()));
    socket.setSoTimeout(60_000);
    socket.getOutputStream().write(("GET " + downloadPath + " HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " + TOKEN + "\r\n\r\n")
        .getBytes(StandardCharsets.US_ASCII));
    socket.getOutputStream().flush();
    return socket;
  }

  private static String head(InputStream in) throws IOException {
    StringBuilder head = new StringBuilder();
    while (!head.toString().endsWith("\r\n\r\n")) {
      int b = in.read();
      if (b < 0) {
        throw new AssertionError("the connection ended in the head: " + head);
      }
      head.append((char) b);
    }
    assertThat(head.toString()).startsWith("HTTP/1.1 200 ");
    return head.toString();
  }

  private static long contentLength(String head) {
    for (String line : head.split("\r\n")) {
      if (line.toLowerCase(Locale.ROOT).startsWith("content-length:")) {
        return Long.parseLong(line.substring("content-length:".length()).trim());
      }
    }
    throw new AssertionError("no Content-Length in " + head);
  }
}
