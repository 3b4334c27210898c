package io.piholecheckpoint.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A real server the tests start in a process of its own on a loopback port, its output in a log
 * file: started, waited for until it listens (its log in the error when it ended instead), and
 * stopped with every process it forked. The one starter behind {@link S3Proxy},
 * {@link OpenSshServer} and {@link RcloneWebDav}.
 *
 * <p>The port is free when {@link Ports#unused} picks it, not when the server binds it: two test JVMs can be handed the
 * same one, and a check that only connects then finds the other JVM's server (a CI's S3 tests talked to it). So the server
 * is ready only when the listening socket on the port is one its own process (or a process it forked) holds, read from
 * /proc; when another process holds it, this one cannot bind it, and it is stopped and started again on another port.
 */
final class ServerProcess implements AutoCloseable {
  /** Ports tried before giving up: each failing needs another process to take the port first, within the server's start. */
  static final int ATTEMPTS = 5;

  /** The command line of a server listening on a given port (writing, first, the configuration that names it). */
  interface Command {
    List<String> listeningOn(int port) throws Exception;
  }

  /** Where the next port to try comes from: {@link Ports#unused}, or a test's own. */
  interface PortSource {
    int next() throws IOException;
  }

  private enum Listener { NONE, OURS, ANOTHER_PROCESS }

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

  static ServerProcess start(String name, Command command, Path log, Duration limit) throws Exception {
    return start(name, command, log, limit, Ports::unused);
  }

  static ServerProcess start(String name, Command command, Path log, Duration limit, PortSource ports) throws Exception {
    List<Integer> taken = new ArrayList<>();
    for (int attempt = 1; attempt <= ATTEMPTS; attempt++) {
      int port = ports.next();
      ServerProcess server = new ServerProcess(name,
          StartedProcesses.start(new ProcessBuilder(command.listeningOn(port)).redirectErrorStream(true).redirectOutput(log.toFile())),
          port, log);
      try {
        Listener listener = server.awaitListener(limit);
        if (listener == Listener.OURS) {
          return server;
        }
        taken.add(port);
        server.close();
      } catch (Exception | Error e) {
        server.close();
        throw e;
      }
    }
    throw new IllegalStateException(name + " found each port it was given taken by another process: " + taken + " (log of the last: "
        + log + ")");
  }

  /** Waits until a process listens on the port: ours, or another one that took it first (then ours may have ended of it). */
  private Listener awaitListener(Duration limit) throws Exception {
    Listener[] seen = {Listener.NONE};
    Eventually.until(name + " listens on " + port + " (log: " + log + ")", limit, () -> {
      seen[0] = listener();
      if (seen[0] == Listener.NONE && !process.isAlive()) {
        throw new IllegalStateException(name + " ended: " + log());
      }
      return seen[0] != Listener.NONE;
    });
    return seen[0];
  }

  /** Who listens on the port: the kernel's table of TCP sockets names each listener's inode, and /proc/PID/fd its holder's. */
  private Listener listener() throws IOException {
    Set<String> listening = listeningInodes(port);
    if (listening.isEmpty()) {
      return Listener.NONE;
    }
    Set<String> ours = new HashSet<>(socketInodes(process.pid()));
    process.descendants().forEach(p -> ours.addAll(socketInodes(p.pid())));
    return listening.stream().anyMatch(ours::contains) ? Listener.OURS : Listener.ANOTHER_PROCESS;
  }

  /** The inodes of the sockets listening on {@code port}, any address, IPv4 or IPv6. */
  static Set<String> listeningInodes(int port) throws IOException {
    String localPort = String.format(Locale.ROOT, ":%04X", port);
    Set<String> inodes = new HashSet<>();
    for (String table : List.of("/proc/net/tcp", "/proc/net/tcp6")) {
      Path file = Path.of(table);
      if (!Files.exists(file)) {
        continue;
      }
      // "sl local_address rem_address st ... uid timeout inode": 0A is LISTEN
      List<String> lines = Files.readAllLines(file);
      for (String line : lines.subList(1, lines.size())) {
        String[] fields = line.trim().split("\\s+");
        if (fields[1].endsWith(localPort) && "0A".equals(fields[3])) {
          inodes.add(fields[9]);
        }
      }
    }
    return inodes;
  }

  private static Set<String> socketInodes(long pid) {
    Set<String> inodes = new HashSet<>();
    try (Stream<Path> fds = Files.list(Path.of("/proc", Long.toString(pid), "fd"))) {
      fds.forEach(fd -> {
        try {
          String target = Files.readSymbolicLink(fd).toString(); // socket:[12345]
          if (target.startsWith("socket:[")) {
            inodes.add(target.substring("socket:[".length(), target.length() - 1));
          }
        } catch (IOException e) {
          // closed while listed: not a listener
        }
      });
    } catch (IOException e) {
      // the process ended while listed: it holds nothing
    }
    return inodes;
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
