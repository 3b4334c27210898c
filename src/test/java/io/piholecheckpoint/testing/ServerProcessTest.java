package io.piholecheckpoint.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Iterator;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ServerProcessTest {
  @TempDir
  Path dir;

  @Test
  void aServerHandedAPortAnotherProcessHoldsIsStartedAgainOnAnotherPortAndIsTheOneAnsweringThere() throws Exception {
    Files.writeString(dir.resolve("served.txt"), "from the server this test started");
    Path config = Files.createFile(dir.resolve("rclone.conf"));
    // as another test JVM's server would: listening on the port Ports.unused hands this one
    try (ServerSocket held = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
      Iterator<Integer> ports = List.of(held.getLocalPort(), Ports.unused()).iterator();
      ServerProcess.Command rclone = port -> List.of("rclone", "serve", "http", dir.toString(), "--addr", "127.0.0.1:" + port,
          "--config", config.toString());

      try (ServerProcess server = ServerProcess.start("rclone serve http", rclone, dir.resolve("rclone.log"), Duration.ofSeconds(30),
          ports::next)) {
        assertThat(server.port).isNotEqualTo(held.getLocalPort());
        HttpResponse<String> answer = HttpClient.newHttpClient().send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port + "/served.txt")).build(),
            HttpResponse.BodyHandlers.ofString());
        assertThat(answer.body()).isEqualTo("from the server this test started");
      }
    }
  }
}
