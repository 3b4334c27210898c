package io.piholecheckpoint.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.piholecheckpoint.testing.Ports;
import io.piholecheckpoint.testing.RunningApp;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ./entrypoint.sh} from a checkout runs the server with the image's JVM options, read from
 * the one file that defines them (etc/jvm.options), and with JAVA_OPTS set runs with those instead.
 * What the JVM got is read back from the running JVM, not from the script.
 */
class JvmOptionsIT {
  @TempDir
  Path dir;

  /** The options of etc/jvm.options: one a line, without comments and blank lines. */
  private static List<String> fileOptions() throws Exception {
    return Files.readAllLines(RunningApp.home().resolve("etc/jvm.options")).stream()
        .map(line -> line.replaceFirst("#.*", "").strip()).filter(line -> !line.isEmpty()).toList();
  }

  /** The options the JVM was created with, as {@code jcmd <pid> VM.command_line} reports them. */
  private static List<String> jvmArgs(long pid) throws Exception {
    Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
    Process p = new ProcessBuilder(Files.isExecutable(jcmd) ? jcmd.toString() : "jcmd", Long.toString(pid), "VM.command_line")
        .redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    String line = out.lines().filter(l -> l.startsWith("jvm_args:")).findFirst()
        .orElseThrow(() -> new AssertionError("no jvm_args in jcmd's answer:\n" + out));
    return Arrays.asList(line.substring("jvm_args:".length()).strip().split("\\s+"));
  }

  private static String environment(long pid, String name) throws Exception {
    String environ = new String(Files.readAllBytes(Path.of("/proc/" + pid + "/environ")), StandardCharsets.UTF_8);
    return Arrays.stream(environ.split("\0")).filter(v -> v.startsWith(name + "=")).map(v -> v.substring(name.length() + 1))
        .findFirst().orElse(null);
  }

  /** No JAVA_OPTS and no MALLOC_ARENA_MAX in the environment, as in a fresh shell. */
  private Map<String, String> unset() {
    Map<String, String> env = new HashMap<>();
    env.put("JAVA_OPTS", null);
    env.put("MALLOC_ARENA_MAX", null);
    env.put("CHECKPOINT_CDS_DIR", dir.resolve("cds").toString());
    return env;
  }

  @Test
  void withoutJavaOptsTheServerAndItsClassDataTrainingRunWithTheOptionsOfTheFile() throws Exception {
    Map<String, String> env = unset();
    env.put("CDS_TRAINING_PORT", String.valueOf(Ports.unused()));
    RunningApp.Exit trained = RunningApp.runToExit("cds", dir.resolve("unused-data"), dir.resolve("unused-backups"), env);
    assertThat(trained.code()).as(trained.output()).isZero();

    try (RunningApp app = RunningApp.start(dir.resolve("data"), dir.resolve("backups"), unset())) {
      assertThat(app.get("/health").statusCode()).isEqualTo(200);
      assertThat(fileOptions()).contains("-XX:+UseSerialGC", "-Xmx96m");
      assertThat(jvmArgs(app.pid())).containsAll(fileOptions());
      assertThat(environment(app.pid(), "MALLOC_ARENA_MAX")).isEqualTo("2");
      assertThat(Files.readString(Path.of("/proc/" + app.pid() + "/maps")))
          .as("the archive the training run wrote fits these options: the JVM maps it")
          .contains(dir.resolve("cds").resolve("server.jsa").toString());
    }
  }

  @Test
  void javaOptsReplacesTheOptionsOfTheFileAndMallocArenaMaxIsKept() throws Exception {
    Map<String, String> env = unset();
    env.put("JAVA_OPTS", "-XX:+UseParallelGC -Xmx80m");
    env.put("MALLOC_ARENA_MAX", "4");

    try (RunningApp app = RunningApp.start(dir.resolve("data"), dir.resolve("backups"), env)) {
      assertThat(app.get("/health").statusCode()).isEqualTo(200);
      List<String> args = jvmArgs(app.pid());
      assertThat(args).contains("-XX:+UseParallelGC", "-Xmx80m").doesNotContain("-XX:+UseSerialGC", "-Xmx96m", "-Xms16m");
      assertThat(environment(app.pid(), "MALLOC_ARENA_MAX")).isEqualTo("4");
    }
  }
}
