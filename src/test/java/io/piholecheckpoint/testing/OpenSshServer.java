package io.piholecheckpoint.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Debian's OpenSSH server on a free loopback port, with host and client keys made by ssh-keygen in
 * a folder of its own and SFTP served by internal-sftp. It signs in the user the test runs as, so it
 * works unprivileged too (sshd then serves only its own user).
 */
public final class OpenSshServer implements AutoCloseable {
  public static final Path SSHD = Path.of("/usr/sbin/sshd");
  /** Enough of the log for the last few connections (VERBOSE: a handful of lines each). */
  private static final int STATE_LOG_LINES = 80;
  public final Path dir;
  public final int port;
  public final String user = System.getProperty("user.name");
  private final ServerProcess server;

  private OpenSshServer(Path dir, ServerProcess server) {
    this.dir = dir;
    this.port = server.port;
    this.server = server;
  }

  public static OpenSshServer start(Path dir) throws Exception {
    return start(dir, "");
  }

  /**
   * @param sftpOptions given to internal-sftp, as a NAS's administrator would: {@code -P read,opendir} has the server refuse
   *     those requests (permission denied) while signing in and the rest work
   */
  public static OpenSshServer start(Path dir, String sftpOptions) throws Exception {
    keygen(dir.resolve("host_ed25519"), "ed25519");
    // a second host key, offered first, as on a stock server: the pinned Ed25519 key must still be the one asked for
    keygen(dir.resolve("host_ecdsa"), "ecdsa");
    keygen(dir.resolve("client"), "ed25519");
    Files.copy(dir.resolve("client.pub"), dir.resolve("authorized_keys"));
    if ("root".equals(System.getProperty("user.name"))) {
      // as root sshd insists on its privilege-separation folder, which only the packaged service makes
      Files.createDirectories(Path.of("/run/sshd"));
    }
    ServerProcess.Command command = port -> {
      Files.writeString(dir.resolve("sshd_config"), String.join("\n",
          "ListenAddress 127.0.0.1",
          "Port " + port,
          "HostKey " + dir.resolve("host_ecdsa"),
          "HostKey " + dir.resolve("host_ed25519"),
          "PidFile " + dir.resolve("sshd.pid"),
          "AuthorizedKeysFile " + dir.resolve("authorized_keys"),
          "StrictModes no",
          "UsePAM no",
          "PasswordAuthentication yes", // for users with a password: only the throwaway user of the password test has one
          "KbdInteractiveAuthentication no",
          "PermitRootLogin prohibit-password",
          ("Subsystem sftp internal-sftp " + sftpOptions).strip(),
          "LogLevel VERBOSE", ""));
      return List.of(SSHD.toString(), "-D", "-e", "-f", dir.resolve("sshd_config").toString());
    };
    return new OpenSshServer(dir, ServerProcess.start("sshd", command, dir.resolve("sshd.log"), Duration.ofSeconds(20)));
  }

  /** Makes a key pair at {@code file} and {@code file.pub}, without a passphrase unless one is given. */
  public static void keygen(Path file, String type, String... passphrase) throws Exception {
    run("ssh-keygen", "-q", "-t", type, "-N", passphrase.length > 0 ? passphrase[0] : "", "-C", "test", "-f", file.toString());
  }

  /** The fingerprint as {@code ssh-keygen -lf} prints it (the second word of its line). */
  public static String fingerprint(Path publicKey) throws Exception {
    return run("ssh-keygen", "-lf", publicKey.toString()).split(" ")[1];
  }

  public Path hostKey() {
    return dir.resolve("host_ed25519.pub");
  }

  public Path clientKey() {
    return dir.resolve("client");
  }

  public Path log() {
    return server.log;
  }

  /** SIGSTOP or SIGCONT to sshd and every session process it forked (one that ended meanwhile is skipped). */
  public void signal(String signal) throws Exception {
    run("kill", "-" + signal, Long.toString(server.process.pid()));
    for (ProcessHandle session : server.process.descendants().toList()) {
      new ProcessBuilder("kill", "-" + signal, Long.toString(session.pid())).start().waitFor();
    }
  }

  /** Ends every open connection (its session processes), as a network cut would; sshd keeps listening. */
  public void cutConnections() {
    server.process.descendants().forEach(ProcessHandle::destroyForcibly);
  }

  /**
   * What sshd is doing now, for the report of a case that failed: its TCP sockets on the port (the listener's queue, each
   * connection and the process that serves it), its processes and the end of its log. A connection that got no answer is
   * then told apart: never accepted (waiting in the listener's queue), accepted by a process that stalled, or never there.
   */
  public String state() {
    List<String> pids = new java.util.ArrayList<>(List.of(Long.toString(server.process.pid())));
    server.process.descendants().forEach(p -> pids.add(Long.toString(p.pid())));
    List<String> log;
    try {
      log = Files.readAllLines(log());
    } catch (IOException e) {
      log = List.of("(no log: " + e.getMessage() + ")");
    }
    return "sshd on 127.0.0.1:" + port + (server.process.isAlive() ? "" : " (ended)") + "\n"
        + output("ss", "-tanpo", "( sport = :" + port + " or dport = :" + port + " )")
        + output("ps", "-o", "pid,ppid,stat,lstart,args", "-p", String.join(",", pids))
        + "last lines of " + log() + ":\n" + String.join("\n", log.subList(Math.max(0, log.size() - STATE_LOG_LINES), log.size())) + "\n";
  }

  private static String output(String... command) {
    try {
      Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      p.waitFor(30, TimeUnit.SECONDS);
      return "$ " + String.join(" ", command) + "\n" + out;
    } catch (IOException e) {
      return "$ " + String.join(" ", command) + ": " + e.getMessage() + "\n";
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "$ " + String.join(" ", command) + ": interrupted\n";
    }
  }

  public static String run(String... command) throws Exception {
    return runWithInput("", command);
  }

  public static String runWithInput(String input, String... command) throws Exception {
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    try (var stdin = p.getOutputStream()) {
      stdin.write(input.getBytes(StandardCharsets.UTF_8));
    }
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
      throw new IllegalStateException(String.join(" ", command) + " failed: " + out);
    }
    return out.strip();
  }

  @Override
  public void close() throws InterruptedException {
    server.close();
  }
}
