package io.piholecheckpoint.pihole;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.piholecheckpoint.core.backup.PiholeException;
import io.piholecheckpoint.core.backup.PiholeException.Failure;
import io.piholecheckpoint.core.backup.PiholeGateway;
import io.piholecheckpoint.core.backup.PiholeSession;
import io.piholecheckpoint.core.backup.PiholeTarget;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * Pi-hole v6 REST client on {@code java.net.http}. Each {@link #open} logs in once; the
 * session it returns reuses that SID for every call and logs out when closed, because a
 * client that never logs out fills Pi-hole's API seats and locks its owner out.
 */
public class PiholeClient implements PiholeGateway {
  private static final int LOGIN_ATTEMPTS = 3;
  private static final Duration RATE_LIMIT_PAUSE = Duration.ofSeconds(1);

  private final Transport transport;
  private final ObjectMapper json = new ObjectMapper();

  public PiholeClient(String version, Duration connectTimeout, Duration requestTimeout) {
    this.transport = new Transport("pihole-checkpoint/" + version, connectTimeout, requestTimeout);
  }

  @Override
  public PiholeSession open(PiholeTarget target) {
    String base = baseUrl(target);
    HttpClient http = transport.client(target.verifyTls());
    String sid = target.password().isPresent() ? login(http, base, target) : checkNoPasswordNeeded(http, base, target);
    return new Session(transport, http, base, sid, target, json);
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
    throw new PiholeException(Failure.MISCONFIGURED,
        "the URL of Pi-hole '%s' ('%s') is not an http:// or https:// URL with a host — fix it in its settings".formatted(target.name(), target.url()));
  }

  private String login(HttpClient http, String base, PiholeTarget target) {
    String body = json.createObjectNode().put("password", target.password().orElseThrow()).toString();
    for (int attempt = 1; ; attempt++) {
      HttpRequest request = transport.request(base + "/api/auth", null)
          .header("Content-Type", "application/json")
          .POST(HttpRequest.BodyPublishers.ofString(body)).build();
      HttpResponse<String> response = transport.send(http, request, HttpResponse.BodyHandlers.ofString(), target);
      JsonNode answer = parse(response.body());
      switch (response.statusCode()) {
        case 200:
          JsonNode sid = answer.path("session").path("sid");
          return sid.isTextual() ? sid.asText() : null; // null: "no password set"
        case 401:
          throw new PiholeException(Failure.WRONG_PASSWORD,
              "wrong password for Pi-hole '%s' (%s) — check the password configured for it".formatted(target.name(), base));
        case 429:
          if (!"rate_limiting".equals(errorKey(answer))) {
            throw noFreeSeats(target, answer);
          }
          if (attempt == LOGIN_ATTEMPTS) {
            throw new PiholeException(Failure.RATE_LIMITED,
                "Pi-hole '%s' kept refusing logins as too frequent (%d tries) — another client may be hammering its login; try again later"
                    .formatted(target.name(), LOGIN_ATTEMPTS));
          }
          pause(RATE_LIMIT_PAUSE);
          break;
        default:
          throw Errors.unexpected(target, "login", response.statusCode(), answer);
      }
    }
  }

  /** No password configured here: fine if the Pi-hole has none either. */
  private String checkNoPasswordNeeded(HttpClient http, String base, PiholeTarget target) {
    HttpRequest request = transport.request(base + "/api/auth", null).GET().build();
    HttpResponse<String> response = transport.send(http, request, HttpResponse.BodyHandlers.ofString(), target);
    if (response.statusCode() == 401) {
      throw new PiholeException(Failure.WRONG_PASSWORD,
          "Pi-hole '%s' (%s) requires a password, but none is configured for it — set its password".formatted(target.name(), base));
    }
    if (response.statusCode() != 200) {
      throw Errors.unexpected(target, "session check", response.statusCode(), parse(response.body()));
    }
    return null;
  }

  private static PiholeException noFreeSeats(PiholeTarget target, JsonNode answer) {
    if ("api_seats_exceeded".equals(errorKey(answer))) {
      return new PiholeException(Failure.NO_FREE_SEATS,
          "Pi-hole '%s' has no free API sessions: log out other clients or raise webserver.api.max_sessions".formatted(target.name()));
    }
    return Errors.unexpected(target, "login", 429, answer);
  }

  static String errorKey(JsonNode answer) {
    return answer.path("error").path("key").asText(null);
  }

  JsonNode parse(String body) {
    try {
      return body == null || body.isBlank() ? json.createObjectNode() : json.readTree(body);
    } catch (java.io.IOException e) {
      return json.createObjectNode();
    }
  }

  private static void pause(Duration duration) {
    try {
      Thread.sleep(duration.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new PiholeException(Failure.RATE_LIMITED, "interrupted while waiting to retry a login");
    }
  }
}
