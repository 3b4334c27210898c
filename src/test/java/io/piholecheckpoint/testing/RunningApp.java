package io.piholecheckpoint.testing;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Pi-hole Checkpoint as users run it: {@code entrypoint.sh} in its own process, with its
 * settings in the environment, on a free port of the loopback interface.
 */
public final class RunningApp implements ServedApp {
  private static final Pattern LISTENING = Pattern.compile("listening on http://[^:]+:(\\d+)/");
  private static final Duration START_TIMEOUT = Duration.ofSeconds(90);
  /**
   * A bound for a command that must end, there to catch a hang, not to time it: `cds` (a training run of the server and two
   * archive dumps) took 34–64 s at load 20–30 and passed 90 s in a CI beside other builds; quiet, it ends well within that.
   */
  private static final Duration EXIT_TIMEOUT = Duration.ofMinutes(5);
  /**
   * A forked JVM of the tests that serves requests, not one whose JIT or collector is tested: C1 only and the serial collector,
   * so it starts quickly and adds no C2 compiler or G1 threads to the few cores the whole suite shares.
   */
  public static final List<String> QUICK_JVM = List.of("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC");
  /** The JVM options of the server in tests (unless a test sets its own): quick to start, room for large archives; a connection per Pi-hole request, as etc/jvm.options. */
  private static final String TEST_JAVA_OPTS = String.join(" ", QUICK_JVM) + " -Xmx128m -Djdk.httpclient.allowRestrictedHeaders=connection";
  /** The image's JVM options (entrypoint.sh's default), as JAVA_OPTS: the java @argfile that defines them. */
  public static final String IMAGE_JAVA_OPTS = "@" + home().resolve("etc/jvm.options");

  private final Process process;
  private final Thread reader;
  private final List<String> output;
  private final int port;
  private final ZoneId zone;

  private RunningApp(Process process, Thread reader, List<String> output, int port, ZoneId zone) {
    this.process = process;
    this.reader = reader;
    this.output = output;
    this.port = port;
    this.zone = zone;
  }

  /** The result of a run that was expected to end by itself. */
  public record Exit(int code, String output) {
  }

  /** {@code entrypoint.sh} (migrate, then serve) until it listens. */
  public static RunningApp start(Path dataDir, Path backupDir, Map<String, String> env) throws Exception {
    return startWith("run", dataDir, backupDir, env);
  }

  public static RunningApp startWith(String command, Path dataDir, Path backupDir, Map<String, String> env) throws Exception {
    return startWith(command, dataDir, backupDir, env, line -> { });
  }

  /** @param eachLine told every line of output as it comes, for a test that acts on what the start says before it listens */
  public static RunningApp startWith(String command, Path dataDir, Path backupDir, Map<String, String> env,
                                     java.util.function.Consumer<String> eachLine) throws Exception {
    List<String> output = new ArrayList<>();
    CompletableFuture<Integer> port = new CompletableFuture<>();
    Process process = launch(command, dataDir, backupDir, env);
    Thread reader = new Thread(() -> pump(process, output, port, eachLine), "app-output");
    reader.setDaemon(true);
    reader.start();
    try {
      return new RunningApp(process, reader, output, port.get(START_TIMEOUT.toSeconds(), TimeUnit.SECONDS), AwayFromNow.zone(env.get("TIME_ZONE")));
    } catch (Exception e) {
      StartedProcesses.kill(process); // in its migration step, entrypoint.sh has a JVM of its own running under it
      throw new AssertionError("Pi-hole Checkpoint did not start:\n" + String.join("\n", snapshot(output)), e);
    }
  }

  /** Runs {@code entrypoint.sh command} to its end (bounded) and returns its exit code and output. */
  public static Exit runToExit(String command, Path dataDir, Path backupDir, Map<String, String> env) throws Exception {
    Process process = launch(command, dataDir, backupDir, env);
    CompletableFuture<String> text = CompletableFuture.supplyAsync(() -> {
      try {
        return new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      } catch (IOException e) {
        return e.toString();
      }
    });
    if (!process.waitFor(EXIT_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
      StartedProcesses.kill(process);
      throw new AssertionError("entrypoint.sh " + command + " did not end:\n" + text.getNow(""));
    }
    return new Exit(process.exitValue(), text.get(10, TimeUnit.SECONDS));
  }

  private static Process launch(String command, Path dataDir, Path backupDir, Map<String, String> env) throws IOException {
    ProcessBuilder builder = new ProcessBuilder(home().resolve("entrypoint.sh").toString(), command).redirectErrorStream(true);
    Map<String, String> environment = builder.environment();
    environment.keySet().removeIf(k -> k.startsWith("PIHOLE_") || k.startsWith("CHECKPOINT_"));
    Map<String, String> settings = new HashMap<>(Map.of(
        "DATA_DIR", dataDir.toString(),
        "BACKUP_DIR", backupDir.toString(),
        "PORT", "0",
        "BIND_ADDRESS", "127.0.0.1",
        "JAVA_OPTS", TEST_JAVA_OPTS,
        "PIHOLE_RETRIES", "0")); // tests of retries set their own
    // The image's options too: the image starts with archives of its own (Dockerfile), and the JVM maps these for both option
    // sets (the same collector; heap size and JIT do not matter to it). Any other options may be what a test looks at.
    String javaOpts = env.getOrDefault("JAVA_OPTS", TEST_JAVA_OPTS);
    if ((TEST_JAVA_OPTS.equals(javaOpts) || IMAGE_JAVA_OPTS.equals(javaOpts)) && !env.containsKey("MIGRATE_JAVA_OPTS")
        && !env.containsKey("CHECKPOINT_CDS_DIR")) {
      Path archives = SharedClassData.forOptions(TEST_JAVA_OPTS);
      if (archives != null) {
        settings.put("CHECKPOINT_CDS_DIR", archives.toString());
      }
    }
    settings.putAll(env);
    AwayFromNow.apply(settings);
    settings.forEach((name, value) -> { // a null value: the variable is not set at all
      if (value == null) {
        environment.remove(name);
      } else {
        environment.put(name, value);
      }
    });
    SqliteNativeFolder.give(environment);
    return StartedProcesses.start(builder);
  }

  /** The checkout (or image layout) whose entrypoint.sh the tests run. */
  public static Path home() {
    return Path.of(System.getProperty("checkpoint.home", ".")).toAbsolutePath();
  }

  private static void pump(Process process, List<String> output, CompletableFuture<Integer> port, java.util.function.Consumer<String> eachLine) {
    try (BufferedReader lines = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
      for (String line; (line = lines.readLine()) != null; ) {
        synchronized (output) {
          output.add(line);
        }
        eachLine.accept(line);
        Matcher m = LISTENING.matcher(line);
        if (m.find()) {
          port.complete(Integer.parseInt(m.group(1)));
        }
      }
    } catch (IOException e) {
      // the process ended
    }
    port.completeExceptionally(new IllegalStateException("the process ended before it listened"));
  }

  private static List<String> snapshot(List<String> output) {
    synchronized (output) {
      return List.copyOf(output);
    }
  }

  /** The server JVM's process id (entrypoint.sh execs the JVM in its own place). */
  public long pid() {
    return process.pid();
  }

  /** Whether the server's process still runs (a JVM out of heap exits: the image's -XX:+ExitOnOutOfMemoryError). */
  public boolean alive() {
    return process.isAlive();
  }

  @Override
  public ZoneId zone() {
    return zone;
  }

  @Override
  public int port() {
    return port;
  }

  @Override
  public String output() {
    return String.join("\n", snapshot(output));
  }

  /** Sends SIGKILL, as the kernel's OOM killer or a power cut would end it: nothing runs on the way out. */
  public void kill() throws InterruptedException {
    process.toHandle().destroyForcibly();
    if (!process.waitFor(30, TimeUnit.SECONDS)) {
      throw new AssertionError("Pi-hole Checkpoint did not die within 30 s of SIGKILL");
    }
    reader.join(TimeUnit.SECONDS.toMillis(10));
  }

  /** Sends SIGTERM, as {@code docker stop} does, and returns the exit code. */
  public int stop() throws InterruptedException {
    process.toHandle().destroy(); // Process.destroy() would also close the output we still want to read
    if (!process.waitFor(30, TimeUnit.SECONDS)) {
      StartedProcesses.kill(process);
      throw new AssertionError("Pi-hole Checkpoint did not stop within 30 s of SIGTERM:\n" + output());
    }
    reader.join(TimeUnit.SECONDS.toMillis(10)); // the last lines of output
    return process.exitValue();
  }

  @Override
  public void close() {
    if (process.isAlive()) {
      try {
        stop();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        StartedProcesses.kill(process);
      }
    }
  }
}
