package io.piholecheckpoint.testing;

import io.piholecheckpoint.app.Application;
import io.piholecheckpoint.core.download.Pause;
import java.time.Duration;
import java.time.Instant;

/**
 * The system's time, ahead by every pause it was asked for: a pause returns at once and the clock is that much later. Given
 * to an in-process app as its Pi-hole client's time and to the fake Pi-hole as its clock, a login that waits for the next
 * TOTP step (30 s) finds it at once, and the fake checks the code against the same step.
 */
public final class SkippingClock extends UtcTestClock implements Pause {
  private volatile Duration skipped = Duration.ZERO;

  /** The Pi-hole client's time of an app in this JVM: {@link InProcessApp#start(java.nio.file.Path, java.nio.file.Path, java.util.Map, SkippingClock)}. */
  Application.PiholeTime piholeTime() {
    return new Application.PiholeTime(this, this);
  }

  @Override
  public synchronized void pause(Duration duration) {
    skipped = skipped.plus(duration);
  }

  @Override
  public Instant instant() {
    return Instant.now().plus(skipped);
  }
}
