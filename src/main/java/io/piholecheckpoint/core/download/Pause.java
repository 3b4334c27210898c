package io.piholecheckpoint.core.download;

import java.time.Duration;

/** Waits between retries; tests pass one that only records how long it was asked to wait. */
@FunctionalInterface
public interface Pause {
  Pause SLEEP = duration -> Thread.sleep(duration.toMillis());

  void pause(Duration duration) throws InterruptedException;
}
