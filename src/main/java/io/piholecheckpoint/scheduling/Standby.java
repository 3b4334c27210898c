package io.piholecheckpoint.scheduling;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A process that found the scheduler lock taken waits for it: it tries the lock every
 * {@code interval}, and hands it over once when the other process has let go (stopped or
 * died; the OS releases the lock of a dead process).
 */
final class Standby implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Standby.class);

  private final Path lockFile;
  private final Consumer<SchedulerLock> onAcquired;
  private final ScheduledExecutorService poller;

  private Standby(Path lockFile, Consumer<SchedulerLock> onAcquired) {
    this.lockFile = lockFile;
    this.onAcquired = onAcquired;
    this.poller = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "scheduler-lock-poll");
      t.setDaemon(true);
      return t;
    });
  }

  static Standby poll(Path lockFile, Duration interval, Consumer<SchedulerLock> onAcquired) {
    Standby standby = new Standby(lockFile, onAcquired);
    standby.poller.scheduleWithFixedDelay(standby::tryOnce, interval.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
    return standby;
  }

  private void tryOnce() {
    try {
      SchedulerLock.tryAcquire(lockFile).ifPresent(lock -> {
        poller.shutdown(); // no further tries; this one runs to its end
        onAcquired.accept(lock);
      });
    } catch (IOException e) {
      log.warn("Could not try the scheduler lock {}: {}; trying again — check that DATA_DIR is writable", lockFile, e.getMessage());
    } catch (RuntimeException e) {
      log.error("Taking over the schedules failed; this process stays without them — restart it", e);
    }
  }

  @Override
  public void close() {
    poller.shutdownNow();
  }
}
