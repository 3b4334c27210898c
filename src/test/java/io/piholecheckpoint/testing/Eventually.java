package io.piholecheckpoint.testing;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Callable;

/** Waits for a condition that another process or thread makes true, up to a limit. */
public final class Eventually {
  private static final Duration EVERY = Duration.ofMillis(50);

  private Eventually() {
  }

  public static void until(String what, Duration limit, Callable<Boolean> condition) throws Exception {
    until(what, limit, EVERY, condition);
  }

  /**
   * Asks the condition every {@code every}: for one whose asking makes the app work (a page of its history rendered) while
   * it is busy with what is awaited, and whose answer a test can take that much later.
   */
  public static void until(String what, Duration limit, Duration every, Callable<Boolean> condition) throws Exception {
    Instant deadline = Instant.now().plus(limit);
    while (!condition.call()) {
      if (Instant.now().isAfter(deadline)) {
        throw new AssertionError("timed out after " + limit.toSeconds() + " s waiting until " + what);
      }
      Thread.onSpinWait();
      Thread.sleep(every.toMillis()); // polling interval of the condition, not a guess at how long the work takes
    }
  }
}
