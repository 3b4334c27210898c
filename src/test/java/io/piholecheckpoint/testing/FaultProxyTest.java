package io.piholecheckpoint.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class FaultProxyTest {
  private static HttpServer server;
  private static final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

  @BeforeAll
  static void start() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/", exchange -> {
      byte[] body = ("received " + exchange.getRequestBody().readAllBytes().length + " bytes").getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().add("X-Checksum", "AAAA");
      exchange.sendResponseHeaders(200, body.length);
      exchange.getResponseBody().write(body);
      exchange.close();
    });
    server.start();
  }

  @AfterAll
  static void stop() {
    server.stop(0);
  }

  private static HttpResponse<String> put(FaultProxy proxy, int bytes, Duration timeout) throws Exception {
    return client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + proxy.port() + "/x")).timeout(timeout)
        .PUT(HttpRequest.BodyPublishers.ofByteArray(new byte[bytes])).build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void forwardsUntilToldOtherwise() throws Exception {
    try (FaultProxy proxy = FaultProxy.to("127.0.0.1", server.getAddress().getPort())) {
      HttpResponse<String> answer = put(proxy, 100_000, Duration.ofSeconds(10));
      assertThat(answer.body()).isEqualTo("received 100000 bytes");
      assertThat(answer.headers().firstValue("X-Checksum")).contains("AAAA");
    }
  }

  @Test
  void replacesBytesInTheAnswer() throws Exception {
    try (FaultProxy proxy = FaultProxy.to("127.0.0.1", server.getAddress().getPort()).replaceInResponse(": AAAA", ": BBBB")) {
      assertThat(put(proxy, 10, Duration.ofSeconds(10)).headers().firstValue("X-Checksum")).contains("BBBB");
    }
    assertThat(FaultProxy.replaceAll("aXYbXY".getBytes(StandardCharsets.UTF_8), "XY".getBytes(StandardCharsets.UTF_8), "Z".getBytes(StandardCharsets.UTF_8)))
        .asString(StandardCharsets.UTF_8).isEqualTo("aZbZ");
  }

  @Test
  void cutsARequestMidStream() throws Exception {
    try (FaultProxy proxy = FaultProxy.to("127.0.0.1", server.getAddress().getPort()).cutRequestAfter(1_000)) {
      assertThatThrownBy(() -> put(proxy, 5_000_000, Duration.ofSeconds(10))).isInstanceOf(IOException.class);
    }
  }

  @Test
  void answersACannedResponseAndHealsOnForward() throws Exception {
    try (FaultProxy proxy = FaultProxy.to("127.0.0.1", server.getAddress().getPort())
        .respond(FaultProxy.httpResponse(507, "Insufficient Storage", "text/plain", "quota"))) {
      HttpResponse<String> answer = put(proxy, 10, Duration.ofSeconds(10));
      assertThat(answer.statusCode()).isEqualTo(507);
      assertThat(answer.body()).isEqualTo("quota");
      proxy.forward();
      assertThat(put(proxy, 10, Duration.ofSeconds(10)).statusCode()).isEqualTo(200);
      assertThat(proxy.connections()).isEqualTo(2);
    }
  }

  @Test
  void stallsSoThatTheClientsTimeoutFires() throws Exception {
    try (FaultProxy proxy = FaultProxy.to("127.0.0.1", server.getAddress().getPort()).stall()) {
      assertThatThrownBy(() -> put(proxy, 10, Duration.ofMillis(300))).isInstanceOf(HttpTimeoutException.class);
    }
  }

  @Test
  void refusesByClosingAtOnce() throws Exception {
    try (FaultProxy proxy = FaultProxy.to("127.0.0.1", server.getAddress().getPort()).refuse()) {
      assertThatThrownBy(() -> put(proxy, 10, Duration.ofSeconds(10))).isInstanceOf(IOException.class);
    }
  }
}
