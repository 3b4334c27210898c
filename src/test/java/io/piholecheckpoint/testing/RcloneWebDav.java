package io.piholecheckpoint.testing;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/** Debian's rclone serving a directory over WebDAV on a loopback port, with Basic authentication. */
public final class RcloneWebDav implements AutoCloseable {
  public static final String USER = "checkpoint";
  public static final String PASSWORD = "dav-pass-7f3a91";
  private final ServerProcess server;

  private RcloneWebDav(ServerProcess server) {
    this.server = server;
  }

  /** Serves {@code root}; its (empty) configuration and its log go to {@code scratch}. */
  public static RcloneWebDav serve(Path root, Path scratch) throws Exception {
    Path config = Files.createFile(scratch.resolve("rclone.conf")); // none of the user's remotes
    ServerProcess.Command command = port -> List.of("rclone", "serve", "webdav", root.toString(), "--addr", "127.0.0.1:" + port,
        "--user", USER, "--pass", PASSWORD, "--config", config.toString(),
        // folders made and files deleted on disk by a test are seen at once, not after rclone's 5 minutes
        "--dir-cache-time", "0s", "--poll-interval", "0");
    return new RcloneWebDav(ServerProcess.start("rclone serve webdav", command, scratch.resolve("rclone.log"), Duration.ofSeconds(30)));
  }

  public int port() {
    return server.port;
  }

  @Override
  public void close() throws InterruptedException {
    server.close();
  }
}
