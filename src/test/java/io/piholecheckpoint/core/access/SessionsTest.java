package io.piholecheckpoint.core.access;

import static org.assertj.core.api.Assertions.assertThat;

import io.piholecheckpoint.testing.MovableClock;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class SessionsTest {
  private final MovableClock clock = new MovableClock(Instant.parse("2026-11-27T10:00:00Z"));
  private final Sessions sessions = new Sessions(clock, Duration.ofMinutes(30), new SecureRandom());

  @Test
  void aStartedSessionIsLiveAndUnguessable() {
    String a = sessions.start();
    String b = sessions.start();

    assertThat(sessions.touch(a)).isTrue();
    assertThat(a).hasSize(43).isNotEqualTo(b);
    assertThat(sessions.touch("x".repeat(43))).isFalse();
    assertThat(sessions.touch(null)).isFalse();
  }

  @Test
  void endsAfterTheIdleTimeoutButActivityKeepsItAlive() {
    String id = sessions.start();

    clock.advance(Duration.ofMinutes(29));
    assertThat(sessions.touch(id)).isTrue();
    clock.advance(Duration.ofMinutes(29));
    assertThat(sessions.touch(id)).isTrue();
    clock.advance(Duration.ofMinutes(30));
    assertThat(sessions.touch(id)).isFalse();
  }

  @Test
  void anEndedSessionStaysEnded() {
    String id = sessions.start();

    sessions.end(id);

    assertThat(sessions.touch(id)).isFalse();
  }
}
