package io.piholecheckpoint.core.restore.login;

import io.piholecheckpoint.core.gateway.PiholeException;
import io.piholecheckpoint.core.gateway.PiholeSession;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.function.Consumer;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The wait for FTL's restart after a restore's or a sync's import, within one limit in all, new logins included. A session the Pi-hole
 * ended (401) is replaced by a login that itself waits out the restart (a 401 may come from the old process just before it goes
 * down), and the wait goes on through the new session, readiness check included: going on at once sent the settings to a
 * Pi-hole still down (outsider 40).
 */
public final class RestartWait {
  private static final Logger log = LoggerFactory.getLogger(RestartWait.class);
  /** New logins within one wait: the Pi-hole may end the session as it goes down, not again and again. */
  private static final int MAX_NEW_LOGINS = 3;
  /** The least time the wait through a new session is given: past the limit only when the login itself took it up (a 2FA code). */
  private static final Duration AFTER_LOGIN = Duration.ofSeconds(5);

  private final Clock clock;
  private final Duration limit;
  /** A login that waits out the restart, given the time left of the wait. */
  private final Function<Duration, PiholeSession> relogin;
  /** Says what the restore does now, in its record. */
  private final Consumer<String> step;

  public RestartWait(Clock clock, Duration limit, Function<Duration, PiholeSession> relogin, Consumer<String> step) {
    this.clock = clock;
    this.limit = limit;
    this.relogin = relogin;
    this.step = step;
  }

  /**
   * Returns once the Pi-hole runs a process started after the import and serves gravity reads.
   *
   * @param what the restore and its target, as the log names them ("Restore 4 of backup 2 to 'Home'")
   * @throws PiholeException as {@link PiholeSession#awaitRestart} does; WRONG_PASSWORD only when a new login was refused
   */
  public void await(RestoreLogin login, String what, String targetName) {
    Instant deadline = clock.instant().plus(limit);
    PiholeSession ended = null;
    for (int newLogins = 0; ; newLogins++) {
      try {
        if (ended == null) {
          login.session().awaitRestart(left(deadline));
        } else {
          // it answered the login, so it is up or nearly: a login that waited for a 2FA code must not leave it no time to be seen
          Duration left = left(deadline);
          login.session().awaitRestartAfter(ended, left.compareTo(AFTER_LOGIN) < 0 ? AFTER_LOGIN : left);
        }
        return;
      } catch (PiholeException e) {
        if (e.failure() != PiholeException.Failure.WRONG_PASSWORD) {
          throw e;
        }
        if (newLogins == MAX_NEW_LOGINS || !clock.instant().isBefore(deadline)) {
          // sessions normally survive the restart: one that ends every new session would hold the restore in logins forever
          throw new PiholeException(PiholeException.Failure.SERVER_UNAVAILABLE, ("Pi-hole '%s' ended the session again after %d new login(s)"
              + " while it restarted after the import (%s)").formatted(targetName, newLogins, e.getMessage()), "it ended each new session", e);
        }
        log.info("{}: {}; logging in again", what, e.getMessage());
        ended = login.session();
        loginAgain(login, deadline, targetName);
      }
    }
  }

  /** A new login, refused or dropped connections tried again until the deadline (the Pi-hole may be going down or not back). */
  private void loginAgain(RestoreLogin login, Instant deadline, String targetName) {
    // a 2FA code is taken once: a new login may wait for the next one, up to 30 s, which the record says rather than hide
    boolean twoFactor = "password and 2FA code".equals(login.session().authentication());
    step.accept(("logging in to '%s' again: it ended the session at its restart" + (twoFactor
        ? "; a 2FA code is used once, so this may wait up to 30 s for the next code" : "")).formatted(targetName));
    try {
      login.renewed(() -> relogin.apply(left(deadline)));
    } catch (PiholeException e) {
      if (!e.failure().transientFailure()) {
        throw e;
      }
      throw new PiholeException(e.failure(), ("Pi-hole '%s' ended the session at its restart after the import, and logging in again did not"
          + " succeed within the %d s of the restart wait: %s").formatted(targetName, limit.toSeconds(), e.getMessage()),
          e.lastSeen().orElse("it could not be reached"), e);
    }
    step.accept("waiting for '%s' to restart after the import".formatted(targetName));
  }

  private Duration left(Instant deadline) {
    Duration left = Duration.between(clock.instant(), deadline);
    return left.isNegative() ? Duration.ZERO : left;
  }
}
