package io.piholecheckpoint.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import io.piholecheckpoint.testing.Eventually;
import io.piholecheckpoint.testing.InProcessApp;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The threads a burst of requests makes Jetty start end soon after the burst, all of them: each holds resident memory
 * (its stack, its share of malloc), and Jetty's default ends one idle thread per idle timeout, so that the dozen a burst of
 * page views had started stayed for minutes (bench/startup.sh's idle figure counted them).
 */
class IdleRequestThreadsIT {
  private static final int BURST = 12;

  @TempDir
  Path dir;

  @Test
  void theThreadsOfABurstEndWithinSecondsOfFallingIdle() throws Exception {
    try (InProcessApp app = InProcessApp.start(dir.resolve("data"), dir.resolve("backups"), Map.of())) {
      QueuedThreadPool threads = (QueuedThreadPool) app.server().getThreadPool();
      // the burst: as many requests at once, each holding its thread until released (the pool starts a thread for each)
      CountDownLatch running = new CountDownLatch(BURST);
      CountDownLatch release = new CountDownLatch(1);
      for (int i = 0; i < BURST; i++) {
        threads.execute(() -> {
          running.countDown();
          try {
            release.await();
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
        });
      }
      assertThat(running.await(20, TimeUnit.SECONDS)).as("the burst's jobs run at once").isTrue();
      assertThat(threads.getThreads()).as("threads while the burst runs").isGreaterThanOrEqualTo(BURST + 2);
      release.countDown();

      // one idle timeout, then all the spare threads within the next (Jetty's default: one per idle timeout, a minute here)
      Duration bound = Launcher.IDLE_REQUEST_THREAD.multipliedBy(2).plusSeconds(5); // + a loaded machine's margin
      Eventually.until("the pool is back to the threads it keeps (" + threads.getMinThreads() + ")", bound,
          () -> threads.getThreads() <= threads.getMinThreads());
    }
  }
}
