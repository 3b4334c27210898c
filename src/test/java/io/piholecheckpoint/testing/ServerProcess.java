package io.piholecheckpoint.testing;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real server the tests start in a process of its own on a loopback port, its output in a log
 * file: started, waited for until it accepts connections (its log in the error when it ended
 * instead), and stopped with every process it forked. The one starter behind {@link S3Proxy},
 * {@link OpenSshServer} and {@link RcloneWebDav}.
 */
final class ServerProcess implements AutoCloseable {
  final String name;
  final Process process;
  final int port;
  final Path log;

  private ServerProcess(String name, Process process, int port, Path log) {
    this.name = name;
    this.process = process;
    this.port = port;
    this.log = log;
  }

  static ServerProcess start(String name, List<String> command, int port, Path log, Duration limit) throws Exception {
    Process process = StartedProcesses.start(new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()));
    ServerProcess server = new ServerProcess(name, process, port, log);
    try {
      Eventually.until(name + " listens on " + port + " (log: " + log + ")", limit, server::listening);
    } catch (Exception | Error e) {
      server.close();
      throw e;
    }
    return server;
  }

  private boolean listening() throws IOException {
    if (!process.isAlive()) {
      throw new IllegalStateException(name + " ended: " + log());
    }
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress("127.0.0.1", port), 1000);
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  String log() {
    try {
      return Files.readString(log);
    } catch (IOException e) {
      return "(no log: " + e.getMessage() + ")";
    }
  }

  @Override
  public void close() throws InterruptedException {
    process.descendants().forEach(ProcessHandle::destroyForcibly);
    process.destroy();
    if (!process.waitFor(10, TimeUnit.SECONDS)) {
      process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }
  }
}
