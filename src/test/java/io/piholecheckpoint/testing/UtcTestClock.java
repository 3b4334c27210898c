package io.piholecheckpoint.testing;

import java.time.Clock;
import java.time.ZoneId;
import java.time.ZoneOffset;

/** A test's clock in UTC: what the product reads is its instant, and each test clock keeps one zone. */
abstract class UtcTestClock extends Clock {
  @Override
  public final ZoneId getZone() {
    return ZoneOffset.UTC;
  }

  @Override
  public final Clock withZone(ZoneId zone) {
    throw new UnsupportedOperationException();
  }
}
