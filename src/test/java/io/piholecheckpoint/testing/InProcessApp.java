package io.piholecheckpoint.testing;

import io.piholecheckpoint.app.AppListener;
import io.piholecheckpoint.app.MigrateCommand;
import io.piholecheckpoint.launcher.Launcher;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneId;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.server.AbstractConnector;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;

/**
 * Pi-hole Checkpoint in the test's own JVM, for tests of what it serves rather than of its
 * process: the real migration step on the DATA_DIR, then {@link Launcher} on a free port of the
 * loopback interface with the built WAR, reading its settings from the map the test gives (and
 * never from this JVM's environment). What is about processes (the entrypoint, signals, locks,
 * JVM options, class-data archives) is tested with {@link RunningApp}.
 */
public final class InProcessApp implements ServedApp {
  private final Server server;
  private final CapturedOutput output;
  private final ZoneId zone;

  private InProcessApp(Server server, CapturedOutput output, ZoneId zone) {
    this.server = server;
    this.output = output;
    this.zone = zone;
  }

  /**
   * The migration step on {@code dataDir}, in this JVM: for a test of a forked server ({@code entrypoint.sh serve}) or
   * a refusal to start, where the step's own process is not what it tests, a JVM fewer.
   */
  public static void migrate(Path dataDir, Path backupDir) {
    MigrateCommand.migrate(Map.of("DATA_DIR", dataDir.toString(), "BACKUP_DIR", backupDir.toString()), line -> { });
  }

  /** Migrates, then serves until {@link #close()}; {@code env} as RunningApp's (a null value: not set). */
  public static InProcessApp start(Path dataDir, Path backupDir, Map<String, String> env) throws Exception {
    return start(dataDir, backupDir, env, Map.of());
  }

  /**
   * As {@link #start(Path, Path, Map)}, its Pi-hole client on {@code piholeClock}: a login with 2FA that would wait for the next
   * TOTP step moves the clock on instead, so a test of several such logins takes no 30 s per login (give the fake Pi-hole the
   * same clock). Only for Pi-holes that do not restart: the client's waits for FTL's restart would not wait either.
   */
  public static InProcessApp start(Path dataDir, Path backupDir, Map<String, String> env, SkippingClock piholeClock) throws Exception {
    return start(dataDir, backupDir, env, Map.of(AppListener.PIHOLE_TIME_ATTRIBUTE, piholeClock.piholeTime()));
  }

  private static InProcessApp start(Path dataDir, Path backupDir, Map<String, String> env, Map<String, Object> attributes) throws Exception {
    Map<String, String> settings = new HashMap<>(Map.of(
        "DATA_DIR", dataDir.toString(),
        "BACKUP_DIR", backupDir.toString(),
        "PIHOLE_RETRIES", "0")); // tests of retries set their own
    settings.putAll(env);
    AwayFromNow.apply(settings);
    settings.values().removeIf(Objects::isNull);
    CapturedOutput output = CapturedOutput.start();
    try {
      MigrateCommand.migrate(settings, System.out::println);
      return new InProcessApp(Launcher.start("127.0.0.1", 0, war(), settings, attributes), output, AwayFromNow.zone(settings.get("TIME_ZONE")));
    } catch (Exception | Error e) {
      output.close();
      throw new AssertionError("Pi-hole Checkpoint did not start:\n" + output.text(), e);
    }
  }

  /** The exploded WAR that {@code mvn package} built (integration tests run after it). */
  private static Path war() {
    Path war = RunningApp.home().resolve("target/pihole-checkpoint");
    if (!Files.isDirectory(war.resolve("WEB-INF"))) {
      throw new IllegalStateException("no exploded WAR at " + war + "; integration tests run after 'mvn package'");
    }
    return war;
  }

  /** The running Jetty, for tests that look at its threads or handlers while they attack it. */
  public Server server() {
    return server;
  }

  @Override
  public ZoneId zone() {
    return zone;
  }

  @Override
  public int port() {
    return ((ServerConnector) server.getConnectors()[0]).getLocalPort();
  }

  @Override
  public String output() {
    return output.text();
  }

  /** Stops the server as SIGTERM would (the web app's context is destroyed); its output stays readable. */
  public void stop() throws Exception {
    try {
      server.stop();
    } finally {
      output.close();
    }
  }

  /**
   * Stops the server at the test's end. The connections the test's client keeps open are idle, and
   * a stop gives an idle connection Jetty's second (the connector's shutdown idle timeout) before it
   * closes it: ~1 s of every test that starts an app. Here they close at once; {@link #stop()}, for
   * tests of the stop itself, keeps Jetty's timing as the launcher has it. A stop that outlasts Jetty's
   * graceful wait fails with what held it: the connections still open and the threads, as they were
   * just before the wait ran out (by then they are closed, and a trace of the stop alone says nothing).
   */
  @Override
  public void close() {
    try {
      if (!server.isStopped()) {
        for (Connector connector : server.getConnectors()) {
          if (connector instanceof AbstractConnector c) {
            c.setShutdownIdleTimeout(1); // 0 would be no timeout at all
          }
        }
        stopSayingWhatHeldIt();
      }
    } finally {
      output.close();
    }
  }

  private void stopSayingWhatHeldIt() {
    CompletableFuture<String> held = CompletableFuture.supplyAsync(this::whatHoldsTheStop,
        CompletableFuture.delayedExecutor(Math.max(0, server.getStopTimeout() - 200), TimeUnit.MILLISECONDS));
    try {
      stop();
    } catch (Exception e) {
      throw new IllegalStateException("Pi-hole Checkpoint did not stop within Jetty's " + server.getStopTimeout() + " ms. "
          + held.getNow("(nothing seen: the stop failed before the wait ran out)"), e);
    } finally {
      held.cancel(false);
    }
  }

  /** The server's open connections and this JVM's threads, for a stop that takes too long. */
  private String whatHoldsTheStop() {
    StringBuilder said = new StringBuilder("Just before Jetty's graceful wait ran out, the connections still open:");
    for (Connector connector : server.getConnectors()) {
      connector.getConnectedEndPoints().forEach(endPoint -> said.append("\n  ").append(endPoint));
    }
    said.append("\nand the threads:");
    Thread.getAllStackTraces().forEach((thread, stack) -> {
      said.append("\n\"").append(thread.getName()).append("\" ").append(thread.getState());
      for (StackTraceElement frame : stack) {
        said.append("\n    at ").append(frame);
      }
    });
    return said.toString();
  }
}
