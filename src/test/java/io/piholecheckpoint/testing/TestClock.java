package io.piholecheckpoint.testing;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/** A clock that moves only when told to, a second per reading by default. */
public final class TestClock extends Clock {
  private Instant now;
  private final Duration tick;

  public TestClock(Instant start, Duration tick) {
    this.now = start;
    this.tick = tick;
  }

  public static TestClock ticking() {
    return new TestClock(Instant.parse("2026-11-27T03:00:00Z"), Duration.ofSeconds(1));
  }

  @Override
  public synchronized Instant instant() {
    Instant current = now;
    now = now.plus(tick);
    return current;
  }

  @Override
  public ZoneId getZone() {
    return ZoneOffset.UTC;
  }

  @Override
  public Clock withZone(ZoneId zone) {
    throw new UnsupportedOperationException();
  }
}
