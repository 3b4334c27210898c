package io.piholecheckpoint.pihole;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.piholecheckpoint.core.gateway.PiholeException;
import io.piholecheckpoint.core.gateway.PiholeTarget;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Gives back API seats that earlier runs of ours leaked (a crash or kill between login and
 * logout): Pi-hole keeps them, even across its restarts, until they expire. "Ours" is any
 * version of Checkpoint: the seats a crash leaked are usually found by the upgraded version
 * that replaced it.
 */
final class StaleSessions {
  private static final Logger log = LoggerFactory.getLogger(StaleSessions.class);
  /** Our jobs touch their session at least this often; an idle one of ours is a leftover. */
  private static final long IDLE_SECONDS = 300;
  /** The product part of our User-Agent, whatever the version after it. */
  static final String PRODUCT = "pihole-checkpoint/";

  private final Transport transport;
  private final HttpClient http;
  private final String base;
  private final PiholeTarget target;
  private final ObjectMapper json;

  StaleSessions(Transport transport, HttpClient http, String base, PiholeTarget target, ObjectMapper json) {
    this.transport = transport;
    this.http = http;
    this.base = base;
    this.target = target;
    this.json = json;
  }

  /**
   * Asks for the session list now, and returns what deletes our stale sessions once it has
   * arrived, answering the seats others hold (null if the list was unavailable): neither the
   * stale ones given back nor this job's own, which its logout frees.
   */
  Supplier<Integer> giveBackLater(String sid) {
    HttpRequest list = transport.request(target, base, "/api/auth/sessions", sid).GET().build();
    CompletableFuture<HttpResponse<String>> answer = transport.startText(http, list, target);
    return () -> giveBack(sid, answer);
  }

  private Integer giveBack(String sid, CompletableFuture<HttpResponse<String>> answer) {
    try {
      HttpResponse<String> response = transport.awaitText(answer, target);
      if (response.statusCode() != 200) {
        return null;
      }
      JsonNode sessions = json.readTree(response.body()).path("sessions");
      List<JsonNode> stale = stale(sessions);
      int given = 0;
      for (JsonNode session : stale) {
        given += delete(sid, session.path("id").asInt()) ? 1 : 0;
      }
      if (given > 0) {
        log.info("Gave back {} API session(s) of Pi-hole '{}' left open by an earlier run", given, target.name());
      }
      // our own session ends with this job: counted, it would show a seat taken that is free again by the time anyone looks
      int ours = 0;
      for (JsonNode session : sessions) {
        ours += session.path("current_session").asBoolean() ? 1 : 0;
      }
      return sessions.size() - given - ours;
    } catch (IOException | PiholeException e) {
      log.debug("Could not list the API sessions of Pi-hole '{}': {}", target.name(), e.getMessage());
      return null;
    }
  }

  private List<JsonNode> stale(JsonNode sessions) {
    long now = 0;
    for (JsonNode s : sessions) {
      if (s.path("current_session").asBoolean()) {
        now = s.path("last_active").asLong(); // Pi-hole's own clock, so no skew with ours
      }
    }
    List<JsonNode> stale = new ArrayList<>();
    for (JsonNode s : sessions) {
      boolean ours = s.path("user_agent").asText().startsWith(PRODUCT);
      if (ours && !s.path("current_session").asBoolean() && now - s.path("last_active").asLong() >= IDLE_SECONDS) {
        stale.add(s);
      }
    }
    return stale;
  }

  private boolean delete(String sid, int id) {
    HttpRequest request = transport.request(target, base, "/api/auth/session/" + id, sid).DELETE().build();
    return transport.send(http, request, HttpResponse.BodyHandlers.discarding(), target).statusCode() == 204;
  }
}
