package io.piholecheckpoint.core.restore.login;

import io.piholecheckpoint.core.gateway.PiholeException;
import io.piholecheckpoint.core.gateway.PiholeSession;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A restore's (or a sync's) login to its Pi-hole. A 401 means "log in again" (pihole-api.md): the session the Pi-hole ended is
 * given up and a new one opened, as a restore must go on rather than end on a session that a restart or a new password ended.
 */
public final class RestoreLogin implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger("io.piholecheckpoint.core.restore.RestoreRunner");
  private final Supplier<PiholeSession> opener;
  private final Consumer<PiholeException> loginFailed;
  private PiholeSession current;

  /**
   * @param loginFailed told of each login refused or failing (the first, one after a 401, one through the restart), and of a
   *     request answered 401 in a new session too: the last contact with the Pi-hole failed at the login, as a backup's may, and
   *     the instance's status is to say so
   */
  public RestoreLogin(Supplier<PiholeSession> opener, Consumer<PiholeException> loginFailed) {
    this.opener = opener;
    this.loginFailed = loginFailed;
    this.current = told(opener);
  }

  public PiholeSession session() {
    return current;
  }

  /**
   * Sends {@code request} in this session, and once more in a new one when the Pi-hole answers it with a 401: it no longer knew
   * the session (ended by a restart, an expiry, someone's logout) and applied nothing. A restore's import and settings and a
   * sync's alike: the password was right, and "wrong_password" would have the user change it. A second 401 is a login failure:
   * the Pi-hole keeps no session of ours.
   *
   * @param loggingInAgain told why, before the new login
   */
  public <T> T loggingInAgainOn401(Function<PiholeSession, T> request, Consumer<String> loggingInAgain) {
    try {
      return request.apply(current);
    } catch (PiholeException e) {
      if (e.failure() != PiholeException.Failure.WRONG_PASSWORD) {
        throw e;
      }
      loggingInAgain.accept(e.getMessage());
      PiholeSession renewed = renewed();
      try {
        return request.apply(renewed);
      } catch (PiholeException again) {
        if (again.failure() != PiholeException.Failure.WRONG_PASSWORD) {
          throw again;
        }
        PiholeException refused = new PiholeException(again.failure(), again.getMessage() + ", again in a new session just logged in to:"
            + " something ends Pi-hole Checkpoint's sessions as soon as they open (another client deleting them, webserver.session.timeout"
            + " set very short, a proxy in front dropping the X-FTL-SID header); check the Pi-hole's log (pihole -t)", again);
        loginFailed.accept(refused);
        throw refused;
      }
    }
  }

  /** Logs in again: the session the Pi-hole no longer knows is closed (its logout may be refused; that is no matter). */
  public PiholeSession renewed() {
    return renewed(opener);
  }

  /** {@link #renewed()} through {@code by}: a login that waits out the Pi-hole's restart, say. */
  PiholeSession renewed(Supplier<PiholeSession> by) {
    PiholeSession ended = current;
    current = null;
    try {
      ended.close();
    } catch (RuntimeException e) {
      log.debug("The logout of a session the Pi-hole had ended failed: {}", e.getMessage());
    }
    current = told(by);
    return current;
  }

  private PiholeSession told(Supplier<PiholeSession> login) {
    try {
      return login.get();
    } catch (PiholeException e) {
      loginFailed.accept(e);
      throw e;
    }
  }

  @Override
  public void close() {
    if (current != null) {
      current.close();
    }
  }
}
