package io.piholecheckpoint.core.schedule;

import java.time.Instant;
import java.util.Optional;
import java.util.function.Function;

/**
 * Whether a scheduled run was missed while the application was down: the schedule had a
 * fire time after the last attempt and before now. However many were missed, one run makes
 * up for them all.
 */
public final class CatchUp {
  private CatchUp() {
  }

  /**
   * @param nextFireAfter the schedule: the first fire time strictly after an instant, or null
   * @return the (first) missed fire time, if a run was missed
   */
  public static Optional<Instant> missedRun(Instant lastAttempt, Instant now, Function<Instant, Instant> nextFireAfter) {
    if (lastAttempt == null) {
      return Optional.empty(); // never backed up: nothing was missed, the schedule simply starts
    }
    Instant next = nextFireAfter.apply(lastAttempt);
    return next != null && next.isBefore(now) ? Optional.of(next) : Optional.empty();
  }
}
