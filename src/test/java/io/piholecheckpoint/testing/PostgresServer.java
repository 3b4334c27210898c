package io.piholecheckpoint.testing;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import javax.crypto.Mac;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * A PostgreSQL cluster owned by the tests: {@code initdb} in a temp directory, {@code pg_ctl start}
 * on a free loopback port, one per test JVM (an initdb costs ~1 s of CPU; a database made from a
 * template costs a file copy), stopped when the JVM exits. Each caller gets a fresh database of its
 * own. The server is Debian's ({@code /usr/lib/postgresql/<version>/bin}), which .ci/test installs;
 * without it the tests that need it are skipped, saying so.
 *
 * <p>initdb and postgres refuse to run as root, so as root (CI's containers) the cluster is made
 * and run as {@code nobody} through {@code runuser}; its directory is handed to that user.
 */
public final class PostgresServer implements AutoCloseable {
  /** The role the tests sign in as, with a password: scram-sha-256 over TCP, as a real server asks. */
  public static final String USER = "checkpoint";
  public static final String PASSWORD = "test-secret-password";
  private static final String RUN_AS = "nobody";
  private static final AtomicInteger DATABASES = new AtomicInteger();
  private static PostgresServer shared;
  private static boolean stoppedAtExit;
  /** PBKDF2's rounds in the role's SCRAM secret: the client repeats them at every connect (see {@link #scramSecret}). */
  static final int SCRAM_ITERATIONS = 16;

  private final Path bin;
  private final Path dir;
  private final int port;
  private final boolean asRoot;

  private PostgresServer(Path bin, Path dir, int port, boolean asRoot) {
    this.bin = bin;
    this.dir = dir;
    this.port = port;
    this.asRoot = asRoot;
  }

  /** The JVM's cluster, started at the first call; skips the calling test when PostgreSQL is not installed. */
  public static synchronized PostgresServer shared() {
    if (shared == null) {
      Optional<Path> bin = binaries();
      assumeCovered();
      assumeTrue(bin.isPresent(), "PostgreSQL's server binaries (initdb, pg_ctl) are not in /usr/lib/postgresql/*/bin:"
          + " install Debian's postgresql (.ci/test does) to run the tests against PostgreSQL");
      if (!stoppedAtExit) {
        // before the start, not after it: a JVM that exits while its cluster starts (EarlyTemplates starts it on a thread of
        // its own) waits in the hook for this lock, so for the start to end, and then stops what it started
        Runtime.getRuntime().addShutdownHook(new Thread(PostgresServer::stopShared, "stop-postgres"));
        stoppedAtExit = true;
      }
      shared = start(bin.get());
    }
    return shared;
  }

  private static synchronized void stopShared() {
    if (shared != null) {
      shared.stop();
    }
  }

  /** Whether the tests can run PostgreSQL here and this run covers it ({@link TestDialects}). */
  public static boolean installed() {
    return TestDialects.postgresql() && binaries().isPresent();
  }

  /** Skips the calling test in a run that leaves PostgreSQL to another phase: the unit phase leaves it to failsafe's. */
  private static void assumeCovered() {
    assumeTrue(TestDialects.postgresql(), "this run covers " + TestDialects.covered() + " (checkpoint.dialects): PostgreSQL's cases"
        + " run in the integration phase (mvn verify), or in the unit phase with -Dunit.dialects=sqlite,postgresql");
  }

  private static Optional<Path> binaries() {
    Path root = Path.of("/usr/lib/postgresql");
    if (!Files.isDirectory(root)) {
      return Optional.empty();
    }
    try (Stream<Path> versions = Files.list(root)) {
      return versions.map(v -> v.resolve("bin")).filter(b -> Files.isExecutable(b.resolve("initdb")) && Files.isExecutable(b.resolve("pg_ctl")))
          .max(Comparator.comparing(b -> versionOf(b.getParent())));
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  private static int versionOf(Path dir) {
    try {
      return Integer.parseInt(dir.getFileName().toString());
    } catch (NumberFormatException e) {
      return 0;
    }
  }

  /**
   * A cluster of the test's own, not the JVM's shared one: for a test that stops the server under
   * the app ({@link #halt}, {@link #resume}); stopped with {@link #close}.
   */
  public static PostgresServer own() {
    Optional<Path> bin = binaries();
    assumeCovered();
    assumeTrue(bin.isPresent(), "PostgreSQL's server binaries (initdb, pg_ctl) are not in /usr/lib/postgresql/*/bin:"
        + " install Debian's postgresql (.ci/test does) to run the tests against PostgreSQL");
    return start(bin.get());
  }

  private static PostgresServer start(Path bin) {
    boolean asRoot = "root".equals(System.getProperty("user.name"));
    try {
      Path dir = Files.createTempDirectory("postgres-test");
      // the server's user must reach its directory: as root it is not the owner of the temp dir
      Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
      Path password = dir.resolve("password");
      Files.writeString(password, PASSWORD + "\n", StandardCharsets.UTF_8);
      if (asRoot) {
        run(List.of("chown", "-R", RUN_AS, dir.toString()), dir, false);
      }
      PostgresServer server = new PostgresServer(bin, dir, freePort(), asRoot);
      server.run(List.of(bin.resolve("initdb").toString(), "-D", dir.resolve("data").toString(), "-U", USER, "--pwfile=" + password,
          "--auth-local=trust", "--auth-host=scram-sha-256", "-E", "UTF8", "--no-locale", "--no-sync"));
      server.resume();
      server.execute("ALTER ROLE " + USER + " PASSWORD '" + scramSecret(PASSWORD, SCRAM_ITERATIONS) + "'");
      return server;
    } catch (IOException e) {
      throw new UncheckedIOException("could not start the test PostgreSQL", e);
    }
  }

  /** Starts the server (again) on its port, and waits until it accepts connections. */
  public void resume() {
    // fsync off: a test cluster that dies is thrown away anyway, and a commit's sync is most of a test's time.
    // No write of the server's own while a test runs: the catalogue's data version is the WAL position, which a
    // replica's standby snapshot (every 15 s at wal_level replica) or an autovacuum of a reused database moves on.
    run(List.of(bin.resolve("pg_ctl").toString(), "-D", dir.resolve("data").toString(), "-l", dir.resolve("server.log").toString(),
        "-w", "-t", "60", "-o", "-p " + port + " -c listen_addresses=127.0.0.1 -k " + dir
            + " -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200"
            + " -c wal_level=minimal -c max_wal_senders=0 -c autovacuum=off",
        "start"));
  }

  /**
   * Stops the server under the app: every connection cut, no client waited for; {@link #resume} starts it again. A fast
   * stop, not an immediate one: with this cluster's synchronous_commit=off an immediate stop would also lose the last
   * commits (a session just signed in), which a real server, committing synchronously, keeps.
   */
  public void halt() {
    run(List.of(bin.resolve("pg_ctl").toString(), "-D", dir.resolve("data").toString(), "-m", "fast", "-w", "stop"));
  }

  /** Stops an {@link #own} cluster and removes it. */
  public void close() {
    stop();
  }

  /**
   * The role's SCRAM-SHA-256 secret as PostgreSQL keeps it ({@code pg_authid.rolpassword}), with {@code iterations} of
   * PBKDF2. The server sends the count to the client, which derives the key with it at every connect: with the 4,096
   * that initdb's password gets, that derivation was a third of OffsiteServiceTest's test thread (JFR; the test JVMs run
   * C1 only, which has no SHA intrinsic), as every test connects anew. Sign-in stays SCRAM over TCP with a password
   * that a wrong one fails (PostgresServerTest); only the cost the tests do not test goes.
   */
  static String scramSecret(String password, int iterations) {
    try {
      byte[] salt = new byte[16];
      new SecureRandom().nextBytes(salt);
      byte[] salted = SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256")
          .generateSecret(new PBEKeySpec(password.toCharArray(), salt, iterations, 256)).getEncoded();
      Mac hmac = Mac.getInstance("HmacSHA256");
      hmac.init(new SecretKeySpec(salted, "HmacSHA256"));
      byte[] clientKey = hmac.doFinal("Client Key".getBytes(StandardCharsets.UTF_8));
      byte[] serverKey = hmac.doFinal("Server Key".getBytes(StandardCharsets.UTF_8));
      byte[] storedKey = MessageDigest.getInstance("SHA-256").digest(clientKey);
      Base64.Encoder base64 = Base64.getEncoder();
      return "SCRAM-SHA-256$" + iterations + ":" + base64.encodeToString(salt) + "$" + base64.encodeToString(storedKey) + ":"
          + base64.encodeToString(serverKey);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("could not make the test role's SCRAM secret", e);
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }

  private void run(List<String> command) {
    List<String> full = new ArrayList<>();
    if (asRoot) {
      full.addAll(List.of("runuser", "-u", RUN_AS, "--"));
    }
    full.addAll(command);
    run(full, dir, true);
  }

  private static void run(List<String> command, Path dir, boolean logged) {
    try {
      Path log = Files.createTempFile("postgres-command", ".log");
      Process process = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).redirectOutput(log.toFile()).start();
      if (!process.waitFor(120, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        throw new IllegalStateException(command + " did not finish within 120 s: " + Files.readString(log));
      }
      String output = Files.readString(log);
      Files.delete(log);
      if (process.exitValue() != 0) {
        String server = logged && Files.exists(dir.resolve("server.log")) ? "\n" + Files.readString(dir.resolve("server.log")) : "";
        throw new IllegalStateException(command + " failed (" + process.exitValue() + "): " + output + server);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** jdbc:postgresql://127.0.0.1:port/name */
  public String url(String database) {
    return "jdbc:postgresql://127.0.0.1:" + port + "/" + database;
  }

  public int port() {
    return port;
  }

  /**
   * A new, empty database (optionally a copy of {@code template}); its JDBC URL. Each is ~8 MB on
   * disk, so the ones made well before are dropped as new ones are made (a test holds its own for
   * a few moments; one still connected is left, as DROP DATABASE refuses it, and so is one marked
   * IS_TEMPLATE).
   */
  public String createDatabase(String template) {
    int number = DATABASES.incrementAndGet();
    String name = "test_" + ProcessHandle.current().pid() + "_" + number;
    execute("CREATE DATABASE " + name + (template == null ? "" : " TEMPLATE " + template));
    synchronized (made) {
      made.add(name);
      while (made.size() > KEPT) {
        String old = made.remove(0);
        try {
          execute("DROP DATABASE IF EXISTS " + old);
        } catch (IllegalStateException e) {
          // still in use, or marked a template (IS_TEMPLATE): left until the cluster goes
        }
      }
    }
    return url(name);
  }

  private static final int KEPT = 16;
  private final List<String> made = new ArrayList<>();

  /** Runs one statement in the cluster's maintenance database (CREATE DATABASE cannot run in a transaction of another). */
  public void execute(String sql) {
    try (Connection connection = DriverManager.getConnection(url("postgres"), USER, PASSWORD); Statement statement = connection.createStatement()) {
      statement.execute(sql);
    } catch (SQLException e) {
      throw new IllegalStateException("could not run " + sql + ": " + e.getMessage(), e);
    }
  }

  private void stop() {
    try {
      run(List.of(bin.resolve("pg_ctl").toString(), "-D", dir.resolve("data").toString(), "-m", "immediate", "-w", "stop"));
    } catch (RuntimeException e) {
      // the JVM is exiting: the temp directory goes either way
    }
    try {
      // not waited for: the JVM is exiting, and its test runner allows it only so long
      new ProcessBuilder("rm", "-rf", dir.toString()).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
    } catch (IOException e) {
      // left in the temp directory
    }
  }
}
