package io.piholecheckpoint.pihole;

import com.fasterxml.jackson.databind.JsonNode;
import io.piholecheckpoint.core.gateway.PiholeException;
import io.piholecheckpoint.core.gateway.PiholeException.Failure;
import io.piholecheckpoint.core.gateway.PiholeTarget;

/**
 * Why {@code POST /api/auth} did not open a session, read from Pi-hole's answer: one value, and
 * one message, per shape pihole-api.md documents, so that none is explained as another's.
 */
enum LoginRefusal {
  NONE, WRONG_PASSWORD, NO_TOTP_SENT, INVALID_CODE, REUSED_CODE, RATE_LIMITED, TOTP_RATE_LIMITED, NO_FREE_SEATS, FORBIDDEN, OTHER;

  static LoginRefusal of(int status, JsonNode answer) {
    String key = answer.path("error").path("key").asText("");
    String message = answer.path("error").path("message").asText("");
    return switch (status) {
      case 200 -> NONE;
      case 400 -> message.contains("2FA") ? NO_TOTP_SENT : OTHER;
      case 401 -> message.contains("Reused 2FA") ? REUSED_CODE : message.contains("2FA") ? INVALID_CODE : WRONG_PASSWORD;
      // not among the shapes FTL answers at login: a proxy in front of it, or an access rule, refused this client
      case 403 -> FORBIDDEN;
      case 429 -> key.equals("api_seats_exceeded") ? NO_FREE_SEATS
          : message.contains("2FA") ? TOTP_RATE_LIMITED
          : key.equals("rate_limiting") || message.startsWith("Rate-limiting") ? RATE_LIMITED : OTHER;
      default -> OTHER;
    };
  }

  /** Refused for being too frequent: worth a pause and another try. */
  boolean tooFrequent() {
    return this == RATE_LIMITED || this == TOTP_RATE_LIMITED;
  }

  PiholeException failure(PiholeTarget target, String base, int status, JsonNode answer) {
    String name = target.name();
    return switch (this) {
      case WRONG_PASSWORD -> new PiholeException(Failure.WRONG_PASSWORD,
          "wrong password for Pi-hole '%s' (%s) — check %s".formatted(name, base, target.setting("PASSWORD", "password")));
      case NO_TOTP_SENT -> new PiholeException(Failure.TWO_FACTOR,
          "Pi-hole '%s' has two-factor authentication on: set %s to its TOTP secret, or use an app password".formatted(name, target.setting("TOTP_SECRET", "TOTP secret")));
      case INVALID_CODE -> new PiholeException(Failure.TWO_FACTOR,
          "Pi-hole '%s' refused the two-factor code: check %s and that this machine's clock is right".formatted(name, target.setting("TOTP_SECRET", "TOTP secret")));
      case REUSED_CODE -> new PiholeException(Failure.TWO_FACTOR,
          "Pi-hole '%s' refused the two-factor code as already used, even after waiting for a new one; another client may be using the same secret".formatted(name));
      // what comes next is the action's to say (a backup's next run tries again; a restore or a Test does not): the cause alone here
      case RATE_LIMITED -> new PiholeException(Failure.RATE_LIMITED, ("Pi-hole '%s' kept refusing logins as too frequent (it checks three"
          + " passwords a second, for all clients together) — another client may be hammering its login").formatted(name));
      case TOTP_RATE_LIMITED -> new PiholeException(Failure.RATE_LIMITED, ("Pi-hole '%s' kept refusing two-factor codes as too frequent (it checks"
          + " one a second, for all clients together) — another client with 2FA may be logging in at the same time")
          .formatted(name));
      case NO_FREE_SEATS -> new PiholeException(Failure.NO_FREE_SEATS,
          "Pi-hole '%s' has no free API sessions: log out other clients or raise webserver.api.max_sessions".formatted(name));
      case FORBIDDEN -> new PiholeException(Failure.SERVER_ERROR, ("Pi-hole '%s' (%s) answered the login with HTTP 403 Forbidden%s. That is not"
          + " a wrong password (a 401) and not an app password's limit (those log in, read-only): something refuses this client before the"
          + " password is checked, such as a proxy in front of the Pi-hole or its access list (webserver.acl) — check those and the Pi-hole's"
          + " log (pihole -t)").formatted(name, base, Errors.says(target, answer)));
      case NONE, OTHER -> Errors.unexpected(target, "login", status, answer);
    };
  }
}
