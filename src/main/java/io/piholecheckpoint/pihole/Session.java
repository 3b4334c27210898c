package io.piholecheckpoint.pihole;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.piholecheckpoint.core.backup.PiholeException;
import io.piholecheckpoint.core.backup.PiholeSession;
import io.piholecheckpoint.core.backup.PiholeTarget;
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

  Session(Transport transport, HttpClient http, String base, String sid, PiholeTarget target, ObjectMapper json) {
    this.transport = transport;
    this.http = http;
    this.base = base;
    this.sid = sid;
    this.target = target;
    this.json = json;
  }

  @Override
  public String version() {
    HttpRequest request = transport.request(base + "/api/info/version", sid).GET().build();
    try {
      HttpResponse<String> response = transport.send(http, request, HttpResponse.BodyHandlers.ofString(), target);
      if (response.statusCode() != 200) {
        return null;
      }
      JsonNode version = json.readTree(response.body()).path("version");
      JsonNode ftl = version.path("ftl").path("local").path("version");
      return ftl.isTextual() ? ftl.asText() : version.path("core").path("local").path("version").asText(null);
    } catch (IOException | PiholeException e) {
      // the version is a label on the backup; not knowing it must not fail the backup
      log.debug("Could not read the version of Pi-hole '{}': {}", target.name(), e.getMessage());
      return null;
    }
  }

  @Override
  public <T> T exportTeleporter(StreamReader<T> reader) {
    HttpRequest request = transport.request(base + "/api/teleporter", sid).header("Accept", "application/zip").GET().build();
    HttpResponse<InputStream> response = transport.send(http, request, HttpResponse.BodyHandlers.ofInputStream(), target);
    try (InputStream body = response.body()) {
      if (response.statusCode() != 200) {
        JsonNode answer = parse(body.readNBytes(ERROR_BODY_LIMIT));
        if (response.statusCode() == 401) {
          throw new PiholeException(PiholeException.Failure.WRONG_PASSWORD,
              "Pi-hole '%s' refused the export as unauthorized — its session ended early; check the password and try again".formatted(target.name()));
        }
        throw Errors.unexpected(target, "Teleporter export", response.statusCode(), answer);
      }
      return reader.read(body);
    } catch (IOException e) {
      throw Errors.transport(target, e);
    }
  }

  @Override
  public void close() {
    if (sid == null) {
      return; // a Pi-hole without a password hands out no session to end
    }
    HttpRequest request = transport.request(base + "/api/auth", sid).DELETE().build();
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
