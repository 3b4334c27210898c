package io.piholecheckpoint.core.restore.login;

import static org.assertj.core.api.Assertions.assertThat;

import io.piholecheckpoint.core.gateway.PiholeException;
import io.piholecheckpoint.core.gateway.PiholeSession;
import io.piholecheckpoint.core.gateway.PiholeVersions;
import io.piholecheckpoint.testing.MovableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class RestartWaitTest {
  private final MovableClock clock = new MovableClock(Instant.parse("2026-12-05T16:00:00Z"));
  /** The limit each session's restart wait was given, in order. */
  private final List<Duration> limits = new ArrayList<>();

  /**
   * With 2FA a new login waits for the next code (a code is taken once), up to 30 s: the wait through the new session must still
   * get time to see the restart, not the nothing left of the 30 s, which would call a Pi-hole that is back "not ready".
   */
  @Test
  void aNewLoginThatTookTheWholeLimitStillLeavesTheNewSessionTimeToSeeTheRestart() {
    RestartWait wait = new RestartWait(clock, Duration.ofSeconds(30), left -> {
      clock.advance(Duration.ofSeconds(30)); // waited for the next 2FA code
      return session(false);
    }, step -> { });

    try (RestoreLogin login = new RestoreLogin(() -> session(true), e -> { })) {
      wait.await(login, "Restore 1 of backup 1 to 'Home'", "Home");
    }

    assertThat(limits).hasSize(2);
    assertThat(limits.get(0)).isEqualTo(Duration.ofSeconds(30));
    assertThat(limits.get(1)).as("the wait through the new session").isGreaterThanOrEqualTo(Duration.ofSeconds(5));
  }

  /** A session whose restart wait records its limit, and answers 401 when {@code ended} (the Pi-hole ended it). */
  private PiholeSession session(boolean ended) {
    return new PiholeSession() {
      @Override
      public PiholeVersions versions() {
        return PiholeVersions.UNKNOWN;
      }

      @Override
      public String authentication() {
        return "password and 2FA code";
      }

      @Override
      public Integer seatsInUse() {
        return null;
      }

      @Override
      public <T> T exportTeleporter(StreamReader<T> reader) {
        throw new UnsupportedOperationException();
      }

      @Override
      public List<String> importTeleporter(java.nio.file.Path archive, io.piholecheckpoint.core.gateway.ImportScope scope) {
        throw new UnsupportedOperationException();
      }

      @Override
      public Optional<String> patchConfig(String dottedKey, String jsonValue) {
        throw new UnsupportedOperationException();
      }

      @Override
      public void awaitRestart(Duration limit) {
        limits.add(limit);
        if (ended) {
          throw new PiholeException(PiholeException.Failure.WRONG_PASSWORD, "no longer knew the session");
        }
      }

      @Override
      public void close() {
      }
    };
  }
}
