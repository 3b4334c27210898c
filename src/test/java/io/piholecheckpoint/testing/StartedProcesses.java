package io.piholecheckpoint.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
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
      // not onExit(): for a process that is not our child it looks every 300 ms and more, and counts a zombie as alive
      Instant deadline = Instant.now().plus(Duration.ofSeconds(10));
      while (!descendants.stream().allMatch(StartedProcesses::ended) && Instant.now().isBefore(deadline)) {
        Thread.sleep(10); // the interval of the look, not a guess at how long dying takes
      }
      // one that would not die even of SIGKILL in 10 s (a process in uninterruptible sleep): nothing more a test can do
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /**
   * Whether {@code process} has ended: gone, or a zombie, which is dead (its memory, files and ports given back) and
   * only waits for its parent to read its exit status. A descendant of a killed process is reaped by init, and this
   * machine's init reaps only every ~2 s: waiting for the zombie to go cost each kill ~1.8 s (measured, 2026-12-05).
   */
  static boolean ended(ProcessHandle process) {
    if (!process.isAlive()) {
      return true;
    }
    try {
      String stat = Files.readString(Path.of("/proc", Long.toString(process.pid()), "stat"));
      // "pid (name) state ...": the name may hold spaces and parentheses, the state follows the last ')'
      char state = stat.charAt(stat.lastIndexOf(')') + 2);
      return state == 'Z' || state == 'X';
    } catch (IOException | RuntimeException e) {
      return !process.isAlive(); // no /proc (not Linux), or the process went between the two looks
    }
  }

  /** Kills every started process still running, with its descendants; returns how many there were. */
  static int killAll() {
    List<Process> left = List.copyOf(RUNNING);
    left.forEach(StartedProcesses::kill);
    return left.size();
  }
}
