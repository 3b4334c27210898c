package io.piholecheckpoint.pihole;

import com.fasterxml.jackson.databind.JsonNode;
import io.piholecheckpoint.core.gateway.PiholeException;
import io.piholecheckpoint.core.gateway.PiholeException.Failure;
import io.piholecheckpoint.core.gateway.PiholeTarget;
import java.net.http.HttpResponse;
import java.util.Locale;

/**
 * Whether an answer to {@code /api/auth} is a Pi-hole v6's at all. A 200 or a 401 alone says
 * nothing: any web server answers 200 with a page, and Pi-hole Checkpoint itself, or a proxy
 * asking for its own sign-in, answers 401. Only the shapes pihole-api.md documents count — a
 * {@code session} with {@code valid} true (a login, or no password set), {@code valid} false
 * (a refused password, or no SID), and FTL's 2FA refusals — so that a page is never taken for a
 * login, nor another service's 401 for a wrong Pi-hole password.
 */
final class AuthAnswer {
  /** Longest header value quoted: the type is what tells a page from an API, not a server's parameters. */
  private static final int TYPE_LIMIT = 80;

  private AuthAnswer() {
  }

  /**
   * @param call what was asked, as the message says it: "login", "session check"
   * @throws PiholeException {@link Failure#NOT_A_PIHOLE} when a 200 or 401 is not in a Pi-hole v6's shape
   */
  static void check(HttpResponse<String> response, JsonNode answer, PiholeTarget target, String base, String call) {
    int status = response.statusCode();
    JsonNode valid = answer.path("session").path("valid");
    if (status == 200 && !(valid.isBoolean() && valid.asBoolean())) {
      throw new PiholeException(Failure.NOT_A_PIHOLE, ("what answered at %s is not a Pi-hole v6 API: Pi-hole '%s' answered the %s with HTTP 200 (%s)"
          + " but without the session a Pi-hole v6 answers (JSON {\"session\":{\"valid\":true,…}}) — check %s: it must be the Pi-hole's"
          + " own address (as http://pi.hole, without /admin), not another web server or service")
          .formatted(base, target.name(), call, contentType(response), target.setting("URL", "URL")));
    }
    if (status == 401 && !(valid.isBoolean() && !valid.asBoolean()) && !twoFactorRefusal(answer)) {
      throw new PiholeException(Failure.NOT_A_PIHOLE, unauthorizedElsewhere(response, target, base, call));
    }
  }

  /** FTL's refusals of a code: {@code {"error":{"key":"unauthorized","message":"Invalid 2FA token"}}}, "Reused 2FA token". */
  private static boolean twoFactorRefusal(JsonNode answer) {
    return answer.path("error").path("message").asText("").contains("2FA");
  }

  private static String unauthorizedElsewhere(HttpResponse<String> response, PiholeTarget target, String base, String call) {
    String scheme = response.headers().firstValue("WWW-Authenticate").map(v -> v.strip().split("[\\s,]", 2)[0]).orElse("");
    String answered = "Pi-hole '%s' (%s) answered the %s with HTTP 401 (%s%s)".formatted(target.name(), base, call, contentType(response),
        scheme.isEmpty() ? "" : "; WWW-Authenticate: " + bounded(scheme));
    String notPassword = " — not a wrong Pi-hole password: a Pi-hole v6 refuses one with JSON {\"session\":{\"valid\":false,…}}";
    if (scheme.toLowerCase(Locale.ROOT).equals("basic") || scheme.toLowerCase(Locale.ROOT).equals("digest")) {
      return answered + notPassword + ". A proxy or web server in front of it asks for its own sign-in before the Pi-hole sees anything:"
          + " let it pass /api/ to the Pi-hole without that sign-in, or set " + target.setting("URL", "URL") + " to the Pi-hole's own address";
    }
    return answered + notPassword + ". What answered is not a Pi-hole v6 API (another service at this address and port?) — check "
        + target.setting("URL", "URL");
  }

  private static String contentType(HttpResponse<String> response) {
    return response.headers().firstValue("Content-Type").map(AuthAnswer::bounded).map(t -> t.isEmpty() ? "no content type" : t)
        .orElse("no content type");
  }

  /** A header's value as quoted in a message: stripped and bounded, as it comes from whatever answered (controls are escaped by PiholeException). */
  private static String bounded(String value) {
    String v = value.strip();
    return v.length() > TYPE_LIMIT ? v.substring(0, TYPE_LIMIT) + "…" : v;
  }
}
