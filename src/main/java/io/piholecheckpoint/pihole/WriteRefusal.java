package io.piholecheckpoint.pihole;

import com.fasterxml.jackson.databind.JsonNode;
import io.piholecheckpoint.core.gateway.PiholeException;
import io.piholecheckpoint.core.gateway.PiholeException.Failure;
import io.piholecheckpoint.core.gateway.PiholeTarget;

/**
 * A 403 to a request that changes the Pi-hole (an import, a settings change). pihole-api.md knows
 * one cause: an app-password session without {@code webserver.api.app_sudo}. A session opened with
 * the password has no such limit, so its 403 came from elsewhere and is said to have.
 */
final class WriteRefusal {
  static final String APP_PASSWORD = "app password";

  private WriteRefusal() {
  }

  /**
   * @param authentication how the session logged in ({@link Session#authentication()})
   * @param what the change refused, as the message names it: "the restore", "a settings change"
   */
  static PiholeException forbidden(PiholeTarget target, String authentication, String what, JsonNode answer) {
    if (APP_PASSWORD.equals(authentication)) {
      return new PiholeException(Failure.READ_ONLY, ("Pi-hole '%s' refused %s: this app-password session is read-only. Set webserver.api.app_sudo=true"
          + " on the Pi-hole (Settings → Web interface / API), or use its password").formatted(target.name(), what));
    }
    return new PiholeException(Failure.SERVER_ERROR, ("Pi-hole '%s' refused %s with HTTP 403 Forbidden%s, though Checkpoint logged in with %s,"
        + " not an app password (whose read-only sessions are the one documented cause): check a proxy in front of the Pi-hole, and the"
        + " Pi-hole's log (pihole -t)").formatted(target.name(), what, Errors.says(target, answer), authentication == null ? "its password"
        : authentication.equals("no password") ? "no password (the Pi-hole has none set)" : "its " + authentication));
  }
}
