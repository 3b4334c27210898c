package io.piholecheckpoint.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.platform.launcher.core.LauncherConfig;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;
import org.junit.platform.launcher.listeners.SummaryGeneratingListener;

/**
 * A process the tests start does not outlive them, nor does anything it forked: not when its test fails before closing
 * it, not when the test JVM ends without closing it. Each case starts a shell that forks a sleeper, as entrypoint.sh forks
 * its migration step's JVM, and looks the processes up by id afterwards.
 */
class StartedProcessesTest {
  private static final Duration GONE = Duration.ofSeconds(20);

  /** The ids of the shell and of the sleeper it forked, once it has. */
  private static List<Long> tree(Process shell) throws Exception {
    Eventually.until("the shell forked its sleeper", GONE, () -> shell.descendants().findAny().isPresent());
    List<Long> pids = new ArrayList<>(List.of(shell.pid()));
    shell.descendants().forEach(p -> pids.add(p.pid()));
    return pids;
  }

  private static ProcessBuilder shellWithASleeper() {
    return new ProcessBuilder("sh", "-c", "sleep 600 & wait");
  }

  private static void assertAllGone(List<Long> pids) throws Exception {
    Eventually.until("processes " + pids + " ended", GONE,
        () -> pids.stream().map(ProcessHandle::of).flatMap(Optional::stream).allMatch(StartedProcesses::ended));
  }

  @Test
  void killEndsTheProcessAndWhatItForked() throws Exception {
    Process shell = StartedProcesses.start(shellWithASleeper());
    List<Long> pids = tree(shell);
    assertThat(pids).map(pid -> ProcessHandle.of(pid).orElseThrow()).as("running, not ended").noneMatch(StartedProcesses::ended);

    StartedProcesses.kill(shell);

    assertThat(pids).hasSize(2);
    assertAllGone(pids);
  }

  /** Run by the test below through a launcher of its own, as surefire runs a class. */
  static final class FailsBeforeClosingItsServer {
    static final List<Long> started = new ArrayList<>();

    @Test
    void startsAServerAndFails() throws Exception {
      started.addAll(tree(StartedProcesses.start(shellWithASleeper())));
      throw new AssertionError("the case failed before it closed its server");
    }
  }

  @Test
  void aClassThatFailedBeforeClosingWhatItStartedLeavesNoProcessRunning() throws Exception {
    FailsBeforeClosingItsServer.started.clear();
    SummaryGeneratingListener summary = new SummaryGeneratingListener();
    // the test execution listeners the build registers (META-INF/services), not the session listeners: the templates are made already
    LauncherFactory.create(LauncherConfig.builder().enableLauncherSessionListenerAutoRegistration(false).build())
        .execute(LauncherDiscoveryRequestBuilder.request().selectors(selectClass(FailsBeforeClosingItsServer.class)).build(), summary);

    assertThat(summary.getSummary().getTotalFailureCount()).as("the case failed, as it should").isOne();
    assertThat(FailsBeforeClosingItsServer.started).hasSize(2);
    assertAllGone(FailsBeforeClosingItsServer.started);
  }

  /** A test JVM that ends without closing what it started, as one the build's own timeout ends. */
  static final class EndsWithoutClosing {
    public static void main(String[] args) throws Exception {
      System.out.println(tree(StartedProcesses.start(shellWithASleeper())));
      System.out.flush();
      System.exit(0);
    }
  }

  @Test
  void theProcessesAJvmLeftRunningEndWithIt() throws Exception {
    Path java = Path.of(System.getProperty("java.home"), "bin", "java");
    Process jvm = new ProcessBuilder(java.toString(), "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"),
        EndsWithoutClosing.class.getName()).redirectErrorStream(true).start();
    String output = new String(jvm.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(jvm.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(jvm.exitValue()).as(output).isZero();

    List<Long> pids = Arrays.stream(output.strip().replaceAll("[\\[\\]]", "").split(",\\s*")).map(Long::valueOf).toList();

    assertThat(pids).hasSize(2);
    assertAllGone(pids);
  }
}
