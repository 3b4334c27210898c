package io.piholecheckpoint.testing;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The WAR, unchanged, as ROOT.war in a stock Jetty 12 distribution (jetty-home, unpacked by Maven
 * before the integration tests), configured by the environment, on a free loopback port.
 */
public final class StandaloneJetty implements AutoCloseable {
  private static final Pattern CONNECTOR = Pattern.compile("Started oejs\\.ServerConnector@\\S+\\{HTTP/1\\.1[^}]*\\}\\{127\\.0\\.0\\.1:(\\d+)\\}");

  private final Process process;
  private final List<String> log;
  private final int port;
  private final Path deployed;

  private StandaloneJetty(Process process, List<String> log, int port, Path deployed) {
    this.process = process;
    this.log = log;
    this.port = port;
    this.deployed = deployed;
  }

  /** Starts Jetty in a base under {@code dir}, with {@code env} added to this JVM's environment (less PIHOLE_*), until it listens. */
  public static StandaloneJetty start(Path dir, Map<String, String> env) throws Exception {
    return start(dir, env, Deployment.ROOT);
  }

  /**
   * How the WAR is deployed.
   *
   * @param war its file name in {@code webapps}: {@code ROOT.war} at the root, {@code cp.war} at {@code /cp}
   * @param hotDeploy whether Jetty scans {@code webapps} every second, so {@link #undeploy} takes the application away
   * @param umask the process's umask, as a shell or systemd starting a stock container gives it ({@code 022}); null: this JVM's
   */
  public record Deployment(String war, boolean hotDeploy, String umask) {
    public static final Deployment ROOT = new Deployment("ROOT.war", false, null);
  }

  public static StandaloneJetty start(Path dir, Map<String, String> env, Deployment deployment) throws Exception {
    Path jettyHome = Path.of(System.getProperty("checkpoint.jettyHome"));
    Path war = Path.of(System.getProperty("checkpoint.home", ".")).resolve("target/pihole-checkpoint.war");
    Path base = Files.createDirectories(dir.resolve("jetty-base"));
    Process setup = StartedProcesses.start(new ProcessBuilder(java(List.of("-jar", jettyHome.resolve("start.jar").toString(), "--add-modules=http,ee10-deploy")))
        .directory(base.toFile()).redirectErrorStream(true));
    if (!setup.waitFor(60, TimeUnit.SECONDS) || setup.exitValue() != 0) {
      throw new AssertionError("jetty base not created: " + new String(setup.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
    }
    Path deployed = base.resolve("webapps").resolve(deployment.war());
    Files.copy(war, deployed);

    List<String> arguments = new ArrayList<>(List.of("-Xmx128m", "-jar", jettyHome.resolve("start.jar").toString(),
        "jetty.http.host=127.0.0.1", "jetty.http.port=0"));
    if (deployment.hotDeploy()) {
      arguments.add("jetty.deploy.scanInterval=1");
    }
    List<String> command = java(arguments);
    if (deployment.umask() != null) {
      // the shell sets the umask and hands its process over to java: the JVM and every file it makes have it
      List<String> inShell = new ArrayList<>(List.of("sh", "-c", "umask " + deployment.umask() + " && exec \"$@\"", "sh"));
      inShell.addAll(command);
      command = inShell;
    }
    ProcessBuilder builder = new ProcessBuilder(command).directory(base.toFile()).redirectErrorStream(true);
    builder.environment().keySet().removeIf(k -> k.startsWith("PIHOLE_"));
    builder.environment().putAll(env);
    SqliteNativeFolder.give(builder.environment());
    Process jetty = StartedProcesses.start(builder);
    List<String> log = new ArrayList<>();
    CompletableFuture<Integer> port = new CompletableFuture<>();
    Thread reader = new Thread(() -> read(jetty, log, port), "jetty-output");
    reader.setDaemon(true);
    reader.start();
    try {
      return new StandaloneJetty(jetty, log, port.get(90, TimeUnit.SECONDS), deployed);
    } catch (Exception e) {
      StartedProcesses.kill(jetty);
      throw new AssertionError("standalone Jetty did not listen:\n" + String.join("\n", snapshot(log)), e);
    }
  }

  /** Takes the WAR out of {@code webapps}: with {@link Deployment#hotDeploy} Jetty undeploys the application within a second or two. */
  public void undeploy() throws IOException {
    Files.delete(deployed);
  }

  /** The Jetty JVM's process id (start.jar runs Jetty in the JVM it was started in), for jcmd. */
  public long pid() {
    return process.pid();
  }

  /** java, quick ({@link RunningApp#QUICK_JVM}), with {@code arguments}: start.jar runs Jetty in that JVM (these modules fork none). */
  private static List<String> java(List<String> arguments) {
    List<String> command = new ArrayList<>(List.of("java"));
    command.addAll(RunningApp.QUICK_JVM);
    command.addAll(arguments);
    return command;
  }

  public int port() {
    return port;
  }

  public String url(String path) {
    return "http://127.0.0.1:" + port + path;
  }

  public String log() {
    return String.join("\n", snapshot(log));
  }

  private static List<String> snapshot(List<String> log) {
    synchronized (log) {
      return List.copyOf(log);
    }
  }

  private static void read(Process process, List<String> log, CompletableFuture<Integer> port) {
    try (BufferedReader lines = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
      for (String line; (line = lines.readLine()) != null; ) {
        synchronized (log) {
          log.add(line);
        }
        Matcher m = CONNECTOR.matcher(line);
        if (m.find()) {
          port.complete(Integer.parseInt(m.group(1)));
        }
      }
    } catch (IOException e) {
      // process ended
    }
    port.completeExceptionally(new IllegalStateException("Jetty ended before it listened"));
  }

  @Override
  public void close() throws InterruptedException {
    process.toHandle().destroy();
    if (!process.waitFor(30, TimeUnit.SECONDS)) {
      StartedProcesses.kill(process);
    }
  }
}
