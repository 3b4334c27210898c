package io.piholecheckpoint.core.health;

import io.piholecheckpoint.core.instance.PiholeInstance;
import io.piholecheckpoint.core.schedule.Schedule;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.function.Function;

/**
 * When an instance's backups are stale: no success for longer than STALE_AFTER, or by default
 * twice the period of its schedule (one missed run is noise, two are a problem). An instance
 * that never succeeded counts from {@code since}, the start of this process.
 */
public final class Staleness {
  private final Optional<Duration> fixed;
  private final Function<Schedule, Duration> period;

  public Staleness(Optional<Duration> fixed, Function<Schedule, Duration> period) {
    this.fixed = fixed;
    this.period = period;
  }

  public Duration limit(PiholeInstance instance) {
    return fixed.orElseGet(() -> period.apply(instance.schedule()).multipliedBy(2));
  }

  /** Only instances backed up on schedule can go stale. */
  public boolean stale(PiholeInstance instance, Instant lastSuccess, Instant since, Instant now) {
    if (!instance.scheduled()) {
      return false;
    }
    Instant reference = lastSuccess != null ? lastSuccess : since;
    return reference.plus(limit(instance)).isBefore(now);
  }
}
