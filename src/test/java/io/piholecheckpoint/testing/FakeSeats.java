package io.piholecheckpoint.testing;

import com.fasterxml.jackson.databind.node.ArrayNode;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * FTL's API seats ({@code webserver.api.max_sessions}, 16): one per session, each valid for a
 * sliding 1800 s that every authenticated request extends; expired seats are reclaimed only
 * lazily, at a later successful login.
 */
final class FakeSeats {
  static final int MAX_SESSIONS = 16;
  static final int VALIDITY_SECONDS = 1800;

  record Seat(int id, String sid, String csrf, String userAgent, boolean app, Instant loginAt, Instant lastActive, Instant validUntil) {
  }

  private final SecureRandom random = new SecureRandom();
  private final Map<String, Seat> seats = Collections.synchronizedMap(new LinkedHashMap<>());
  private final AtomicInteger ids = new AtomicInteger();

  int count() {
    return seats.size();
  }

  boolean full() {
    return seats.size() >= MAX_SESSIONS;
  }

  List<String> userAgents() {
    synchronized (seats) {
      return seats.values().stream().map(Seat::userAgent).toList();
    }
  }

  /** The seat of this SID, or null. */
  Seat find(String sid) {
    return sid == null ? null : seats.get(sid);
  }

  Seat open(String userAgent, boolean app) {
    return add(userAgent, app, Instant.now());
  }

  /** A seat last active at {@code at}, as a crashed client leaves it. */
  Seat add(String userAgent, boolean app, Instant at) {
    Seat seat = new Seat(ids.getAndIncrement(), token(), token(), userAgent, app, at, at, at.plusSeconds(VALIDITY_SECONDS));
    seats.put(seat.sid(), seat);
    return seat;
  }

  void addIdle(String userAgent, Duration idle) {
    add(userAgent, false, Instant.now().minus(idle));
  }

  /** Fills every seat with sessions of another client, as a leaky tool would. */
  void fill() {
    while (!full()) {
      open("leaky-tool/1.0", false);
    }
  }

  /** Expired seats go only now, lazily. */
  void reclaimExpired() {
    seats.values().removeIf(s -> s.validUntil().isBefore(Instant.now()));
  }

  Seat extend(Seat seat) {
    Instant now = Instant.now();
    Seat extended = new Seat(seat.id(), seat.sid(), seat.csrf(), seat.userAgent(), seat.app(), seat.loginAt(), now, now.plusSeconds(VALIDITY_SECONDS));
    seats.replace(seat.sid(), extended);
    return extended;
  }

  void clear() {
    seats.clear();
  }

  boolean remove(String sid) {
    return seats.remove(sid) != null;
  }

  boolean removeById(String id) {
    synchronized (seats) {
      return seats.values().removeIf(s -> String.valueOf(s.id()).equals(id));
    }
  }

  /** {@code GET /api/auth/sessions}'s list, {@code current} marked. */
  void describe(ArrayNode list, String current) {
    synchronized (seats) {
      for (Seat s : seats.values()) {
        var n = list.addObject();
        n.put("id", s.id()).put("current_session", s.sid().equals(current)).put("valid", true)
            .put("login_at", s.loginAt().getEpochSecond()).put("last_active", s.lastActive().getEpochSecond())
            .put("valid_until", s.validUntil().getEpochSecond()).put("remote_addr", "127.0.0.1")
            .put("user_agent", s.userAgent()).putNull("x_forwarded_for").put("app", s.app()).put("cli", false);
        n.putObject("tls").put("login", false).put("mixed", false);
      }
    }
  }

  private String token() {
    byte[] bytes = new byte[16];
    random.nextBytes(bytes);
    return Base64.getEncoder().encodeToString(bytes); // 24 chars, may hold + / =
  }
}
