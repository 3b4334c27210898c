package io.piholecheckpoint.pihole;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.piholecheckpoint.core.download.Pause;
import io.piholecheckpoint.core.gateway.PiholeException;
import io.piholecheckpoint.core.gateway.PiholeException.Failure;
import io.piholecheckpoint.core.gateway.PiholeGateway;
import io.piholecheckpoint.core.gateway.PiholeSession;
import io.piholecheckpoint.core.gateway.PiholeTarget;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Pi-hole v6 REST client on {@code java.net.http}. Each {@link #open} logs in once; the
 * session it returns reuses that SID for every call and logs out when closed, because a
 * client that never logs out fills Pi-hole's API seats and locks its owner out.
 */
public class PiholeClient implements PiholeGateway {
  private static final int LOGIN_ATTEMPTS = 4;
  private static final Duration RATE_LIMIT_PAUSE = Duration.ofSeconds(1);

  private final Transport transport;
  private final Clock clock;
  private final Pause pause;
  private static final Logger log = LoggerFactory.getLogger(PiholeClient.class);
  private final ObjectMapper json = new ObjectMapper();
  private final TotpTurns totpTurns = new TotpTurns();

  public PiholeClient(String version, Duration connectTimeout, Clock clock, Pause pause) {
    this.transport = new Transport(StaleSessions.PRODUCT + version, connectTimeout);
    this.clock = clock;
    this.pause = pause;
  }

  @Override
  public void cancelDownloads() {
    transport.cancelAll();
  }

  @Override
  public PiholeSession open(PiholeTarget target) {
    String base = baseUrl(target);
    HttpClient http = transport.client(target);
    Session.Connection connection = new Session.Connection(transport, http, base, target, json, pause, clock);
    if (target.password().isEmpty()) {
      checkNoPasswordNeeded(http, base, target);
      return new Session(connection, null, () -> null, "no password");
    }
    Login login = login(http, base, target);
    // the list is read while the session is used: one round trip less before the export starts
    Supplier<Integer> seats = login.sid() == null ? () -> null : new StaleSessions(transport, http, base, target, json).giveBackLater(login.sid());
    return new Session(connection, login.sid(), seats, login.authentication());
  }

  /** The user's URL without trailing slashes; {@code /api/...} is appended verbatim to keep a path prefix. */
  private static String baseUrl(PiholeTarget target) {
    String base = target.url() == null ? "" : target.url().trim().replaceAll("/+$", "");
    try {
      URI uri = new URI(base);
      String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase();
      if ((scheme.equals("http") || scheme.equals("https")) && uri.getHost() != null) {
        return base;
      }
    } catch (java.net.URISyntaxException e) {
      // reported below
    }
    throw new PiholeException(Failure.MISCONFIGURED, "the URL of Pi-hole '%s' ('%s') is not an http:// or https:// URL with a host — fix %s"
        .formatted(target.name(), target.url(), target.setting("URL", "URL")));
  }

  private record Login(String sid, String authentication) {
  }

  /**
   * The sid goes into a header of every later request: anything but visible ASCII in it (CR LF
   * smuggling a header, say) is the Pi-hole breaking the protocol, said as such, not a crash of ours.
   */
  private static String validSid(String sid, PiholeTarget target) {
    if (sid.isEmpty() || sid.length() > 256 || !sid.chars().allMatch(c -> c > 0x20 && c < 0x7f)) {
      throw new PiholeException(PiholeException.Failure.SERVER_ERROR,
          "the Pi-hole sent an invalid session id (%d characters, not all printable ASCII) when Checkpoint logged in to '%s'; nothing was requested with it — check that %s is a Pi-hole v6 and update it"
              .formatted(sid.length(), target.name(), target.url()));
    }
    return sid;
  }

  /** Logs in; with 2FA in this secret's turn (TotpTurns), from the making of its code to the Pi-hole's answer. */
  private Login login(HttpClient http, String base, PiholeTarget target) {
    Totp totp = target.totpSecret().map(secret -> totp(secret, target)).orElse(null);
    if (totp == null) {
      return login(http, base, target, null, null);
    }
    TotpTurns.Turn turn;
    try {
      turn = totpTurns.of(target.totpSecret().orElseThrow()).take();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new PiholeException(Failure.CANCELLED, "interrupted while waiting for the turn to log in to Pi-hole '" + target.name() + "' with 2FA");
    }
    try {
      return login(http, base, target, totp, turn);
    } finally {
      turn.close();
    }
  }

  /** Logs in, answering 2FA and waiting out rate limits and a reused code, a bounded number of times. */
  private Login login(HttpClient http, String base, PiholeTarget target, Totp totp, TotpTurns.Turn turn) {
    boolean waitedForNewCode = false;
    for (int attempt = 1; ; attempt++) {
      ObjectNode body = json.createObjectNode().put("password", target.password().orElseThrow());
      Instant codeAt = null;
      if (totp != null) {
        // a login of ours sent this step's code already: the Pi-hole takes it once, so this one waits for the next step's
        Duration used = turn.untilUnusedStep(clock.instant());
        if (!used.isZero()) {
          sleep(used.plusMillis(200), target);
        }
        codeAt = clock.instant();
        body.put("totp", totp.code(codeAt)); // a JSON number: Pi-hole refuses a string
      }
      HttpRequest request = transport.request(target, base, "/api/auth", null)
          .header("Content-Type", "application/json")
          .POST(HttpRequest.BodyPublishers.ofString(body.toString())).build();
      HttpResponse<String> response;
      try {
        response = transport.sendForTextThroughInterrupts(http, request, target);
      } catch (RuntimeException e) {
        if (codeAt != null) {
          turn.sent(codeAt); // unanswered, it may have reached the Pi-hole, which then took the code
        }
        throw e;
      }
      JsonNode answer = parse(response.body());
      AuthAnswer.check(response, answer, target, base, "login");
      LoginRefusal refusal = LoginRefusal.of(response.statusCode(), answer);
      if (codeAt != null && !refusal.tooFrequent()) {
        turn.sent(codeAt); // a check refused as too frequent did not take the code: it may go again
      }
      if (refusal == LoginRefusal.NONE) {
        JsonNode session = answer.path("session");
        String message = session.path("message").asText();
        String how = message.equals("app-password correct") ? WriteRefusal.APP_PASSWORD
            : message.equals("no password set") ? "no password" : totp != null && session.path("totp").asBoolean() ? "password and 2FA code" : "password";
        if (how.equals(WriteRefusal.APP_PASSWORD)) {
          log.debug("Logged in to Pi-hole '{}' with an app password: backups work; restores will need webserver.api.app_sudo=true", target.name());
        }
        return new Login(session.path("sid").isTextual() ? validSid(session.path("sid").asText(), target) : null, how); // no SID: "no password set"
      }
      boolean lastTry = attempt >= LOGIN_ATTEMPTS;
      if (refusal.tooFrequent() && !lastTry) {
        sleep(RATE_LIMIT_PAUSE, target);
      } else if (refusal == LoginRefusal.REUSED_CODE && !waitedForNewCode && !lastTry) {
        waitedForNewCode = true; // another client took this step's code: the next try waits for the next step's, as the turn says
      } else {
        throw refusal.failure(target, base, response.statusCode(), answer);
      }
    }
  }

  private static Totp totp(String secret, PiholeTarget target) {
    try {
      return new Totp(secret);
    } catch (IllegalArgumentException e) {
      throw new PiholeException(Failure.MISCONFIGURED, ("the TOTP secret of Pi-hole '%s' cannot make 2FA codes: %s"
          + " Fix %s.").formatted(target.name(), e.getMessage(), target.setting("TOTP_SECRET", "TOTP secret")));
    }
  }

  /** No password configured here: fine if the Pi-hole has none either. */
  private void checkNoPasswordNeeded(HttpClient http, String base, PiholeTarget target) {
    HttpRequest request = transport.request(target, base, "/api/auth", null).GET().build();
    HttpResponse<String> response = transport.sendForText(http, request, target);
    AuthAnswer.check(response, parse(response.body()), target, base, "session check");
    if (response.statusCode() == 401) {
      throw new PiholeException(Failure.WRONG_PASSWORD, "Pi-hole '%s' (%s) requires a password, but none is configured for it — set %s"
          .formatted(target.name(), base, target.setting("PASSWORD", "password")));
    }
    if (response.statusCode() != 200) {
      throw Errors.unexpected(target, "session check", response.statusCode(), parse(response.body()));
    }
  }

  private void sleep(Duration duration, PiholeTarget target) {
    try {
      pause.pause(duration);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new PiholeException(Failure.RATE_LIMITED, "interrupted while waiting to log in to Pi-hole '" + target.name() + "' again");
    }
  }

  JsonNode parse(String body) {
    try {
      return body == null || body.isBlank() ? json.createObjectNode() : json.readTree(body);
    } catch (java.io.IOException e) {
      return json.createObjectNode();
    }
  }
}
