package io.piholecheckpoint.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;

/**
 * {@code /api/auth} as FTL answers it: login (password, app password, 2FA), the session check,
 * logout, the sessions list and its deletes, the 401/429/403 shapes, the global login rate limit
 * and "no password set"; and the guard of every protected endpoint.
 */
final class FakeAuth {
  private static final int PASSWORD_CHECKS_PER_SECOND = 3;

  private final FakeSeats seats = new FakeSeats();
  /** Null: the Pi-hole has no password and every endpoint is open. */
  private final String password;
  private final String appPassword;
  private final FakeTotp totp;
  private final Clock clock;
  private volatile String passwordNow;
  /** When set, the sid every login answers with instead of the real one: a Pi-hole that breaks the protocol. */
  private volatile String sentSid;
  private long rateSecond;
  private int rateCount;

  FakeAuth(String password, String appPassword, String totpSecret, Clock clock) {
    this.password = password;
    this.passwordNow = password;
    this.appPassword = appPassword;
    this.totp = totpSecret == null ? null : new FakeTotp(totpSecret, clock);
    this.clock = clock;
  }

  /** {@link FakeTotp#reusedOrTooFrequent}; 0 without 2FA. */
  int totpRefusals() {
    return totp == null ? 0 : totp.reusedOrTooFrequent();
  }

  FakeSeats seats() {
    return seats;
  }

  void sendSid(String sid) {
    this.sentSid = sid;
  }

  /** A config import replaces the Pi-hole's password hash with the archive's. */
  void passwordFromArchive(String archivePassword) {
    this.passwordNow = archivePassword;
  }

  void login(HttpExchange ex) throws IOException {
    JsonNode body;
    try {
      byte[] raw = ex.getRequestBody().readAllBytes();
      body = raw.length == 0 ? null : FakeReplies.JSON.readTree(raw);
    } catch (IOException e) {
      body = null;
    }
    if (password == null) {
      FakeReplies.json(ex, 200, session(null, "no password set", true));
      return;
    }
    if (body == null || !body.isObject()) {
      FakeReplies.error(ex, 400, "bad_request", "Invalid request body data (no valid JSON)", null);
      return;
    }
    if (!body.has("password")) {
      FakeReplies.error(ex, 400, "bad_request", "No password found in JSON payload", null);
      return;
    }
    if (!body.get("password").isTextual()) {
      FakeReplies.error(ex, 400, "bad_request", "Field password has to be of type 'string'", null);
      return;
    }
    if (rateLimited()) {
      pause(250);
      FakeReplies.error(ex, 429, "rate_limiting", "Rate-limiting login attempts", null);
      return;
    }
    String given = body.get("password").asText();
    boolean app = appPassword != null && appPassword.equals(given);
    if (!app && !passwordNow.equals(given)) {
      countFailedCheck();
      FakeReplies.json(ex, 401, session(null, "password incorrect", false));
      return;
    }
    if (!app && totp != null && !totp.accepted(ex, body)) {
      return;
    }
    seats.reclaimExpired();
    if (seats.full()) {
      FakeReplies.error(ex, 429, "api_seats_exceeded", "API seats exceeded", "increase webserver.api.max_sessions");
      return;
    }
    FakeSeats.Seat seat = seats.open(ex.getRequestHeaders().getFirst("User-Agent"), app);
    FakeReplies.json(ex, 200, session(seat, app ? "app-password correct" : "password correct", true));
  }

  /** More than 3 failed password checks in one second (globally) and the next is refused; successes do not count. */
  private synchronized boolean rateLimited() {
    long second = clock.instant().getEpochSecond();
    if (second != rateSecond) {
      rateSecond = second;
      rateCount = 0;
    }
    return rateCount >= PASSWORD_CHECKS_PER_SECOND;
  }

  private synchronized void countFailedCheck() {
    rateCount++;
  }

  void sessionCheck(HttpExchange ex) throws IOException {
    if (password == null) {
      FakeReplies.json(ex, 200, session(null, "no password set", true));
      return;
    }
    String sid = sid(ex);
    FakeSeats.Seat seat = seats.find(sid);
    if (seat == null) {
      FakeReplies.json(ex, 401, session(null, sid == null ? "no SID provided" : "session unknown", false));
      return;
    }
    FakeReplies.json(ex, 200, session(seats.extend(seat), "correct password", true));
  }

  void logout(HttpExchange ex) throws IOException {
    String sid = sid(ex);
    if (password != null && sid != null && seats.remove(sid)) {
      FakeReplies.noContent(ex);
      return;
    }
    FakeReplies.json(ex, 401, session(null, sid == null ? "no SID provided" : "session unknown", false));
  }

  void listSessions(HttpExchange ex) throws IOException {
    ObjectNode answer = FakeReplies.JSON.createObjectNode();
    seats.describe(answer.putArray("sessions"), sid(ex));
    FakeReplies.json(ex, 200, answer);
  }

  void deleteSeat(HttpExchange ex, String id) throws IOException {
    if (seats.removeById(id)) {
      FakeReplies.noContent(ex);
    } else {
      FakeReplies.error(ex, 400, "bad_request", "Session ID not in use", null);
    }
  }

  /** Protected endpoints: 401 unauthorized without a valid session (a passwordless Pi-hole is open). */
  boolean authorized(HttpExchange ex) throws IOException {
    if (password == null) {
      return true;
    }
    FakeSeats.Seat seat = seats.find(sid(ex));
    if (seat == null) {
      FakeReplies.error(ex, 401, "unauthorized", "Unauthorized", null);
      return false;
    }
    seats.extend(seat);
    return true;
  }

  /** An app-password session may write only with webserver.api.app_sudo, which this fake never sets. */
  boolean writable(HttpExchange ex) throws IOException {
    FakeSeats.Seat seat = seats.find(sid(ex));
    if (seat != null && seat.app()) {
      FakeReplies.error(ex, 403, "forbidden", "Unable to change configuration (read-only)",
          "The current app session is not allowed to modify Pi-hole config settings (webserver.api.app_sudo is false)");
      return false;
    }
    return true;
  }

  private static String sid(HttpExchange ex) {
    String header = ex.getRequestHeaders().getFirst("X-FTL-SID");
    if (header == null) {
      header = ex.getRequestHeaders().getFirst("sid");
    }
    String query = ex.getRequestURI().getQuery();
    if (header == null && query != null) {
      for (String pair : query.split("&")) {
        if (pair.startsWith("sid=")) {
          header = URLDecoder.decode(pair.substring(4), StandardCharsets.UTF_8);
        }
      }
    }
    return header;
  }

  private ObjectNode session(FakeSeats.Seat seat, String message, boolean valid) {
    ObjectNode answer = FakeReplies.JSON.createObjectNode();
    ObjectNode s = answer.putObject("session");
    s.put("valid", valid).put("totp", totp != null);
    if (seat == null) {
      s.putNull("sid");
      s.put("validity", -1);
    } else {
      s.put("sid", sentSid != null ? sentSid : seat.sid()).put("csrf", seat.csrf()).put("validity", FakeSeats.VALIDITY_SECONDS);
    }
    s.put("message", message);
    return answer;
  }

  private static void pause(long millis) {
    try {
      Thread.sleep(millis); // the real FTL delays its 429 by 250 ms
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
