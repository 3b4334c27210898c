package io.piholecheckpoint.core.download;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * How long to wait for a Pi-hole, and how often to try again after a transient failure
 * (refused connection, timeout, 502/503/504 — e.g. the second in which FTL restarts).
 */
public record DownloadPolicy(int retries, Duration timeout, Duration firstBackoff, Duration maxBackoff) {

  public static final DownloadPolicy DEFAULT = new DownloadPolicy(3, Duration.ofSeconds(60), Duration.ofSeconds(2), Duration.ofSeconds(60));

  public DownloadPolicy {
    if (retries < 0 || timeout.isNegative() || timeout.isZero()) {
      throw new IllegalArgumentException("retries must be 0 or more and the timeout positive");
    }
  }

  /** Exponential, with ±50 % jitter so that several instances do not retry in lockstep. */
  Duration backoff(int failedAttempts) {
    long base = firstBackoff.toMillis() << Math.min(failedAttempts - 1, 20);
    long capped = Math.min(base, maxBackoff.toMillis());
    return Duration.ofMillis((long) (capped * ThreadLocalRandom.current().nextDouble(0.5, 1.5)));
  }
}
