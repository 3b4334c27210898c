package io.piholecheckpoint.offsite.webdav;

import io.piholecheckpoint.testing.Eventually;
import io.piholecheckpoint.testing.Ports;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/** Debian's rclone serving a directory over WebDAV on a loopback port, with Basic authentication. */
final class RcloneWebDav implements AutoCloseable {
  static final String USER = "checkpoint";
  static final String PASSWORD = "dav-pass-7f3a91";
  private final Process process;
  private final int port;
  private final Path log;

  private RcloneWebDav(Process process, int port, Path log) {
    this.process = process;
    this.port = port;
    this.log = log;
  }

  static RcloneWebDav serve(Path root, Path scratch) throws Exception {
    int port = Ports.unused();
    Path config = Files.createFile(scratch.resolve("rclone.conf")); // none of the user's remotes
    Path log = scratch.resolve("rclone.log");
    Process process = new ProcessBuilder("rclone", "serve", "webdav", root.toString(), "--addr", "127.0.0.1:" + port,
        "--user", USER, "--pass", PASSWORD, "--config", config.toString(),
        // folders made and files deleted on disk by a test are seen at once, not after rclone's 5 minutes
        "--dir-cache-time", "0s", "--poll-interval", "0")
        .redirectErrorStream(true).redirectOutput(log.toFile()).start();
    RcloneWebDav server = new RcloneWebDav(process, port, log);
    try {
      Eventually.until("rclone serves WebDAV on port " + port, Duration.ofSeconds(30), server::listening);
    } catch (AssertionError e) {
      server.close();
      throw new AssertionError(e.getMessage() + "; rclone said: " + Files.readString(log), e);
    }
    return server;
  }

  int port() {
    return port;
  }

  private boolean listening() {
    if (!process.isAlive()) {
      throw new IllegalStateException("rclone ended: " + read(log));
    }
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress("127.0.0.1", port), 1000);
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  private static String read(Path file) {
    try {
      return Files.readString(file);
    } catch (IOException e) {
      return "(no log: " + e.getMessage() + ")";
    }
  }

  @Override
  public void close() throws InterruptedException {
    process.destroy();
    if (!process.waitFor(10, TimeUnit.SECONDS)) {
      process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }
  }
}
