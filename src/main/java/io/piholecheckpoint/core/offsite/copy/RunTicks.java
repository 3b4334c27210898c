package io.piholecheckpoint.core.offsite.copy;

import java.time.Duration;
import java.time.Instant;

/**
 * When the scheduler's off-site runs fire: one at {@code fired}, then every {@code every}. A copy is only tried by a run, so
 * the retry of a backoff ending between two runs happens at the later one: that is the time a copy's next attempt is given.
 */
public record RunTicks(Instant fired, Duration every) {
  public RunTicks {
    if (every.isZero() || every.isNegative()) {
      throw new IllegalArgumentException("runs must be apart: " + every);
    }
  }

  /** The first run at or after {@code at}. */
  Instant firstAtOrAfter(Instant at) {
    if (!at.isAfter(fired)) {
      return fired;
    }
    long periods = Duration.between(fired, at).toNanos();
    long step = every.toNanos();
    return fired.plusNanos((periods + step - 1) / step * step);
  }
}
