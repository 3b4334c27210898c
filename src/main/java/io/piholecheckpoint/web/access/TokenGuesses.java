package io.piholecheckpoint.web.access;

import io.piholecheckpoint.core.access.BearerToken;
import io.piholecheckpoint.core.access.LoginThrottle;
import io.piholecheckpoint.web.Json;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;

/**
 * Wrong Bearer tokens are slowed down as wrong passwords are, by the sign-in's own throttle: the same limits, and one count
 * per address whether it guesses the password, the API_TOKEN or the METRICS_TOKEN. Only a token offered counts: a request
 * without one guessed nothing.
 */
final class TokenGuesses {
  private final LoginThrottle throttle;
  private final Json json;

  TokenGuesses(LoginThrottle throttle, Json json) {
    this.throttle = throttle;
    this.json = json;
  }

  /** What became of the request's token; {@link #TOLD_TO_WAIT} when the 429 was answered, and nothing more is to be done. */
  enum Verdict {
    ACCEPTED, REFUSED, TOLD_TO_WAIT;

    static Verdict of(boolean accepted) {
      return accepted ? ACCEPTED : REFUSED;
    }
  }

  /** Whether {@code token} accepts the request's Bearer token, unless its address must wait first (the 429 is answered then). */
  Verdict judge(BearerToken token, HttpServletRequest request, HttpServletResponse response) throws IOException {
    String authorization = request.getHeader("Authorization");
    if (authorization == null || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
      return Verdict.REFUSED;
    }
    String client = request.getRemoteAddr();
    long wait = throttle.retryAfterSeconds(client);
    if (wait > 0) {
      response.setHeader("Retry-After", Long.toString(wait));
      json.error(response, 429, "too_many_attempts", "Too many wrong tokens or passwords from your address. Try again in " + wait + " s.");
      return Verdict.TOLD_TO_WAIT;
    }
    if (token.acceptsHeader(authorization)) {
      throttle.succeeded(client);
      return Verdict.ACCEPTED;
    }
    throttle.failed(client);
    return Verdict.REFUSED;
  }
}
