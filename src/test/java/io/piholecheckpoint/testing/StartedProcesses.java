package io.piholecheckpoint.testing;

import java.io.IOException;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Every server or script process the tests start, so that none outlives the test that started it: its helper stops it
 * (and what it forked) when the test closes it; {@link ClassEndSweep} stops the ones a test class left running whatever
 * its outcome (a case that timed out or failed before its close); and a shutdown hook stops those still running when
 * the test JVM ends, as when the build's own timeout ends it. Two nodes of a failed CI run outlived it by an hour.
 */
public final class StartedProcesses {
  private static final Set<Process> RUNNING = ConcurrentHashMap.newKeySet();

  static {
    Runtime.getRuntime().addShutdownHook(new Thread(StartedProcesses::killAll, "kill-started-processes"));
  }

  private StartedProcesses() {
  }

  /** Starts {@code builder}'s process and keeps it on the list until it has ended. */
  public static Process start(ProcessBuilder builder) throws IOException {
    Process process = builder.start();
    RUNNING.add(process);
    process.onExit().thenRun(() -> RUNNING.remove(process));
    return process;
  }

  /**
   * SIGKILL to {@code process} and every process under it. The descendants are listed before it dies: once it has, they
   * belong to init and can no longer be found from it (a killed entrypoint.sh would leave its migration step's JVM running).
   */
  public static void kill(Process process) {
    List<ProcessHandle> descendants = process.descendants().toList();
    process.destroyForcibly();
    descendants.forEach(ProcessHandle::destroyForcibly);
    try {
      process.waitFor(10, TimeUnit.SECONDS);
      for (ProcessHandle descendant : descendants) {
        descendant.onExit().get(10, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (Exception e) {
      // one that would not die even of SIGKILL in 10 s (a process in uninterruptible sleep): nothing more a test can do
    }
  }

  /** Kills every started process still running, with its descendants; returns how many there were. */
  static int killAll() {
    List<Process> left = List.copyOf(RUNNING);
    left.forEach(StartedProcesses::kill);
    return left.size();
  }
}
