package io.piholecheckpoint.core.access;

import static org.assertj.core.api.Assertions.assertThat;

import io.piholecheckpoint.testing.MovableClock;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class LoginThrottleTest {
  private final MovableClock clock = new MovableClock(Instant.parse("2026-11-27T10:00:00Z"));
  private final LoginThrottle throttle = new LoginThrottle(clock);

  private void fail(String client, int times) {
    for (int i = 0; i < times; i++) {
      throttle.failed(client);
    }
  }

  @Test
  void allowsFiveWrongPasswordsWithoutWaiting() {
    fail("10.0.0.5", 4);

    assertThat(throttle.retryAfter("10.0.0.5")).isZero();
  }

  @Test
  void thenDoublesTheWaitUpToFifteenMinutes() {
    fail("10.0.0.5", 5);
    assertThat(throttle.retryAfter("10.0.0.5")).isEqualTo(Duration.ofSeconds(15));

    fail("10.0.0.5", 3);
    assertThat(throttle.retryAfter("10.0.0.5")).isEqualTo(Duration.ofMinutes(2));

    fail("10.0.0.5", 30);
    assertThat(throttle.retryAfter("10.0.0.5")).isEqualTo(Duration.ofMinutes(15));
  }

  @Test
  void theWaitRunsOutWithTime() {
    fail("10.0.0.5", 7);

    clock.advance(Duration.ofSeconds(59));
    assertThat(throttle.retryAfter("10.0.0.5")).isEqualTo(Duration.ofSeconds(1));
    clock.advance(Duration.ofSeconds(1));
    assertThat(throttle.retryAfter("10.0.0.5")).isZero();
  }

  @Test
  void oneClientsFailuresDoNotSlowAnother() {
    fail("10.0.0.5", 10);

    assertThat(throttle.retryAfter("10.0.0.6")).isZero();
  }

  @Test
  void aSuccessfulSignInOrAnHourOfQuietForgetsTheFailures() {
    fail("10.0.0.5", 10);
    throttle.succeeded("10.0.0.5");
    assertThat(throttle.retryAfter("10.0.0.5")).isZero();

    fail("10.0.0.6", 6);
    clock.advance(Duration.ofMinutes(61));
    throttle.failed("10.0.0.6");
    assertThat(throttle.retryAfter("10.0.0.6")).as("counting starts again").isZero();
  }
}
