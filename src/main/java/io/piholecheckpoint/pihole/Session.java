package io.piholecheckpoint.pihole;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.piholecheckpoint.core.backup.PiholeException;
import io.piholecheckpoint.core.backup.PiholeSession;
import io.piholecheckpoint.core.backup.PiholeTarget;
import io.piholecheckpoint.core.backup.PiholeVersions;
import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** One login: every call carries its SID, and {@link #close()} gives the seat back. */
final class Session implements PiholeSession {
  private static final Logger log = LoggerFactory.getLogger(Session.class);
  private static final int ERROR_BODY_LIMIT = 4096;

  private final Transport transport;
  private final HttpClient http;
  private final String base;
  private final String sid;
  private final PiholeTarget target;
  private final ObjectMapper json;
  private final Integer seatsInUse;
  private final String authentication;

  Session(Transport transport, HttpClient http, String base, String sid, PiholeTarget target, ObjectMapper json, Integer seatsInUse,
      String authentication) {
    this.authentication = authentication;
    this.transport = transport;
    this.http = http;
    this.base = base;
    this.sid = sid;
    this.target = target;
    this.json = json;
    this.seatsInUse = seatsInUse;
  }

  @Override
  public String authentication() {
    return authentication;
  }

  @Override
  public Integer seatsInUse() {
    return seatsInUse;
  }

  @Override
  public PiholeVersions versions() {
    HttpRequest request = transport.request(target, base, "/api/info/version", sid).GET().build();
    try {
      HttpResponse<String> response = transport.send(http, request, HttpResponse.BodyHandlers.ofString(), target);
      if (response.statusCode() != 200) {
        return PiholeVersions.UNKNOWN;
      }
      JsonNode version = json.readTree(response.body()).path("version");
      return new PiholeVersions(local(version, "core"), local(version, "ftl"), local(version, "web"));
    } catch (IOException | PiholeException e) {
      // the versions label the backup; not knowing them must not fail it
      log.debug("Could not read the versions of Pi-hole '{}': {}", target.name(), e.getMessage());
      return PiholeVersions.UNKNOWN;
    }
  }

  private static String local(JsonNode version, String component) {
    JsonNode v = version.path(component).path("local").path("version");
    return v.isTextual() ? v.asText() : null;
  }

  @Override
  public <T> T exportTeleporter(StreamReader<T> reader) {
    HttpRequest request = transport.request(target, base, "/api/teleporter", sid).header("Accept", "application/zip").GET().build();
    HttpResponse<InputStream> response = transport.send(http, request, HttpResponse.BodyHandlers.ofInputStream(), target);
    try (InputStream body = response.body(); Transport.Guard guard = transport.guard(body, target.timeout())) {
      if (response.statusCode() != 200) {
        throw refused(response.statusCode(), body.readNBytes(ERROR_BODY_LIMIT));
      }
      try {
        return reader.read(body);
      } catch (IOException e) {
        if (guard.expired()) {
          throw new PiholeException(PiholeException.Failure.TIMEOUT, "Pi-hole '%s' did not finish sending its archive within %d s; nothing was kept — raise %s if it is just slow"
              .formatted(target.name(), target.timeout().toSeconds(), target.setting("TIMEOUT_SECONDS", "timeout")), e);
        }
        throw new PiholeException(PiholeException.Failure.UNREACHABLE,
            "the connection to Pi-hole '%s' broke while it sent its archive (%s); nothing was kept".formatted(target.name(), e.getMessage()), e);
      }
    } catch (IOException e) {
      throw Errors.transport(target, e);
    }
  }

  private PiholeException refused(int status, byte[] body) {
    JsonNode answer = parse(body);
    if (status == 401) {
      return new PiholeException(PiholeException.Failure.WRONG_PASSWORD,
          "Pi-hole '%s' refused the export as unauthorized — its session ended early; check the password and try again".formatted(target.name()));
    }
    return Errors.unexpected(target, "Teleporter export", status, answer);
  }

  @Override
  public void close() {
    if (sid == null) {
      return; // a Pi-hole without a password hands out no session to end
    }
    HttpRequest request = transport.request(target, base, "/api/auth", sid).DELETE().build();
    try {
      HttpResponse<Void> response = transport.send(http, request, HttpResponse.BodyHandlers.discarding(), target);
      if (response.statusCode() != 204 && response.statusCode() != 200) {
        log.warn("Logging out of Pi-hole '{}' answered HTTP {}; its API session will expire on its own", target.name(), response.statusCode());
      }
    } catch (PiholeException e) {
      log.warn("Could not log out of Pi-hole '{}': {}; its API session will expire on its own", target.name(), e.getMessage());
    }
  }

  private JsonNode parse(byte[] body) {
    try {
      return body.length == 0 ? json.createObjectNode() : json.readTree(body);
    } catch (IOException e) {
      return json.createObjectNode();
    }
  }
}
