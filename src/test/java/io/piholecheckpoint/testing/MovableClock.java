package io.piholecheckpoint.testing;

import java.time.Duration;
import java.time.Instant;

/** A clock that stands still until a test moves it, or that ticks a second per reading. */
public final class MovableClock extends UtcTestClock {
  private Instant now;
  private final Duration tick;

  public MovableClock(Instant now) {
    this(now, Duration.ZERO);
  }

  private MovableClock(Instant now, Duration tick) {
    this.now = now;
    this.tick = tick;
  }

  /** From 2026-11-27T03:00:00Z, a second later at each reading: every recorded time differs. */
  public static MovableClock ticking() {
    return new MovableClock(Instant.parse("2026-11-27T03:00:00Z"), Duration.ofSeconds(1));
  }

  public synchronized void advance(Duration duration) {
    now = now.plus(duration);
  }

  public synchronized void set(Instant instant) {
    now = instant;
  }

  @Override
  public synchronized Instant instant() {
    Instant current = now;
    now = now.plus(tick);
    return current;
  }
}
