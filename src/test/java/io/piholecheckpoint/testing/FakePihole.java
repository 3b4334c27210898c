package io.piholecheckpoint.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A Pi-hole v6 API over real HTTP, behaving as {@code shared/pihole-api.md} describes a real
 * FTL v6.4.1: sessions with seats, 401/429 shapes, the global login rate limit, "no password
 * set", logout, session listing and the Teleporter export.
 */
public final class FakePihole implements AutoCloseable {

  /** What {@code GET /api/teleporter} answers with. */
  public enum ExportAnswer { ARCHIVE, HTML_PAGE, SERVER_ERROR }

  private static final int MAX_SESSIONS = 16;
  private static final int VALIDITY_SECONDS = 1800;
  private static final int PASSWORD_CHECKS_PER_SECOND = 3;

  private final ObjectMapper json = new ObjectMapper();
  private final SecureRandom random = new SecureRandom();
  private final HttpServer server;
  private final ExecutorService executor = Executors.newCachedThreadPool();
  private final String basePath;
  private final String password;
  private final Map<String, Seat> seats = Collections.synchronizedMap(new LinkedHashMap<>());
  private final List<String> requests = Collections.synchronizedList(new ArrayList<>());
  private final AtomicInteger seatIds = new AtomicInteger();
  private volatile byte[] archive;
  private volatile ExportAnswer exportAnswer = ExportAnswer.ARCHIVE;
  private volatile Hold hold;
  private long rateSecond;
  private int rateCount;

  private record Seat(int id, String sid, String csrf, String userAgent, Instant loginAt, Instant validUntil) {
  }

  /** Holds exports until released, to test what happens while a backup runs. */
  public static final class Hold {
    private final CountDownLatch started = new CountDownLatch(1);
    private final CountDownLatch released = new CountDownLatch(1);

    public boolean awaitStarted() throws InterruptedException {
      return started.await(30, TimeUnit.SECONDS);
    }

    public void release() {
      released.countDown();
    }
  }

  private FakePihole(String basePath, String password, byte[] archive) throws IOException {
    this.basePath = basePath;
    this.password = password;
    this.archive = archive;
    this.server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/", this::handle);
    server.setExecutor(executor);
    server.start();
  }

  /** A Pi-hole with this password (null: none) exporting {@code archive}, at {@code basePath}. */
  public static FakePihole start(String basePath, String password, byte[] archive) throws IOException {
    return new FakePihole(basePath, password, archive);
  }

  public static FakePihole start(String password) throws IOException {
    return start("", password, Fixtures.archiveA());
  }

  /** The base URL a user would type, e.g. http://127.0.0.1:PORT/pihole */
  public String url() {
    return "http://127.0.0.1:" + server.getAddress().getPort() + basePath;
  }

  public int activeSessions() {
    return seats.size();
  }

  /** "METHOD /path" of every request so far. */
  public List<String> requests() {
    synchronized (requests) {
      return List.copyOf(requests);
    }
  }

  public List<String> userAgents() {
    synchronized (seats) {
      return seats.values().stream().map(Seat::userAgent).toList();
    }
  }

  public void exportAnswer(ExportAnswer answer) {
    this.exportAnswer = answer;
  }

  public void archive(byte[] archive) {
    this.archive = archive;
  }

  public Hold holdExports() {
    Hold h = new Hold();
    this.hold = h;
    return h;
  }

  /** Fills every seat with sessions of another client, as a leaky tool would. */
  public void fillSeats() {
    while (seats.size() < MAX_SESSIONS) {
      openSeat("leaky-tool/1.0");
    }
  }

  @Override
  public void close() {
    Hold h = hold;
    if (h != null) {
      h.release();
    }
    server.stop(0);
    executor.shutdownNow();
  }

  private void handle(HttpExchange ex) throws IOException {
    try (ex) {
      String path = ex.getRequestURI().getPath();
      requests.add(ex.getRequestMethod() + " " + path);
      if (!path.startsWith(basePath + "/api/")) {
        sendHtml(ex, 404, "<html><body>Not found</body></html>");
        return;
      }
      route(ex, ex.getRequestMethod(), path.substring(basePath.length()));
    }
  }

  private void route(HttpExchange ex, String method, String api) throws IOException {
    switch (method + " " + api) {
      case "POST /api/auth" -> login(ex);
      case "GET /api/auth" -> sessionCheck(ex);
      case "DELETE /api/auth" -> logout(ex);
      case "GET /api/auth/sessions" -> { if (authorized(ex)) listSessions(ex); }
      case "GET /api/info/version" -> { if (authorized(ex)) version(ex); }
      case "GET /api/teleporter" -> { if (authorized(ex)) export(ex); }
      default -> {
        if (method.equals("DELETE") && api.startsWith("/api/auth/session/")) {
          if (authorized(ex)) deleteSeat(ex, api.substring("/api/auth/session/".length()));
        } else {
          sendError(ex, 404, "not_found", "Not found", api);
        }
      }
    }
  }

  private void login(HttpExchange ex) throws IOException {
    JsonNode body;
    try {
      byte[] raw = ex.getRequestBody().readAllBytes();
      body = raw.length == 0 ? null : json.readTree(raw);
    } catch (IOException e) {
      body = null;
    }
    if (password == null) {
      sendJson(ex, 200, session(null, "no password set", true));
      return;
    }
    if (body == null || !body.isObject()) {
      sendError(ex, 400, "bad_request", "Invalid request body data (no valid JSON)", null);
      return;
    }
    if (!body.has("password")) {
      sendError(ex, 400, "bad_request", "No password found in JSON payload", null);
      return;
    }
    if (!body.get("password").isTextual()) {
      sendError(ex, 400, "bad_request", "Field password has to be of type 'string'", null);
      return;
    }
    if (rateLimited()) {
      pause(250);
      sendError(ex, 429, "rate_limiting", "Rate-limiting login attempts", null);
      return;
    }
    if (!password.equals(body.get("password").asText())) {
      sendJson(ex, 401, session(null, "password incorrect", false));
      return;
    }
    seats.values().removeIf(s -> s.validUntil().isBefore(Instant.now())); // expired seats go only now, lazily
    if (seats.size() >= MAX_SESSIONS) {
      sendError(ex, 429, "api_seats_exceeded", "API seats exceeded", "increase webserver.api.max_sessions");
      return;
    }
    Seat seat = openSeat(ex.getRequestHeaders().getFirst("User-Agent"));
    ObjectNode answer = session(seat, "password correct", true);
    sendJson(ex, 200, answer);
  }

  private synchronized boolean rateLimited() {
    long second = System.currentTimeMillis() / 1000;
    if (second != rateSecond) {
      rateSecond = second;
      rateCount = 0;
    }
    return ++rateCount > PASSWORD_CHECKS_PER_SECOND;
  }

  private Seat openSeat(String userAgent) {
    Seat seat = new Seat(seatIds.getAndIncrement(), token(), token(), userAgent, Instant.now(), Instant.now().plusSeconds(VALIDITY_SECONDS));
    seats.put(seat.sid(), seat);
    return seat;
  }

  private void sessionCheck(HttpExchange ex) throws IOException {
    if (password == null) {
      sendJson(ex, 200, session(null, "no password set", true));
      return;
    }
    String sid = sid(ex);
    Seat seat = sid == null ? null : seats.get(sid);
    if (seat == null) {
      sendJson(ex, 401, session(null, sid == null ? "no SID provided" : "session unknown", false));
      return;
    }
    sendJson(ex, 200, session(extend(seat), "correct password", true));
  }

  private void logout(HttpExchange ex) throws IOException {
    String sid = sid(ex);
    if (password != null && sid != null && seats.remove(sid) != null) {
      ex.sendResponseHeaders(204, -1);
      return;
    }
    sendJson(ex, 401, session(null, sid == null ? "no SID provided" : "session unknown", false));
  }

  private void listSessions(HttpExchange ex) throws IOException {
    ObjectNode answer = json.createObjectNode();
    var list = answer.putArray("sessions");
    String current = sid(ex);
    synchronized (seats) {
      for (Seat s : seats.values()) {
        ObjectNode n = list.addObject();
        n.put("id", s.id()).put("current_session", s.sid().equals(current)).put("valid", true)
            .put("login_at", s.loginAt().getEpochSecond()).put("last_active", s.loginAt().getEpochSecond())
            .put("valid_until", s.validUntil().getEpochSecond()).put("remote_addr", "127.0.0.1")
            .put("user_agent", s.userAgent()).putNull("x_forwarded_for").put("app", false).put("cli", false);
        n.putObject("tls").put("login", false).put("mixed", false);
      }
    }
    sendJson(ex, 200, answer);
  }

  private void deleteSeat(HttpExchange ex, String id) throws IOException {
    boolean removed;
    synchronized (seats) {
      removed = seats.values().removeIf(s -> String.valueOf(s.id()).equals(id));
    }
    if (removed) {
      ex.sendResponseHeaders(204, -1);
    } else {
      sendError(ex, 400, "bad_request", "Session ID not in use", null);
    }
  }

  private void version(HttpExchange ex) throws IOException {
    String body = """
        {"version":{"core":{"local":{"branch":"master","version":"v6.2.2","hash":"1837b754"},"remote":{"version":null,"hash":null}},
         "web":{"local":{"branch":null,"version":null,"hash":null},"remote":{"version":null,"hash":null}},
         "ftl":{"local":{"hash":"8d1add8d","branch":"master","version":"v6.4.1","date":"2025-11-27 18:02:19 +0000"},"remote":{"version":null,"hash":null}},
         "docker":{"local":null,"remote":null}}}""";
    ObjectNode answer = (ObjectNode) json.readTree(body);
    sendJson(ex, 200, answer);
  }

  private void export(HttpExchange ex) throws IOException {
    Hold h = hold;
    if (h != null) {
      h.started.countDown();
      try {
        h.released.await(60, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    switch (exportAnswer) {
      case HTML_PAGE -> sendHtml(ex, 200, "<!DOCTYPE html><html><body>Pi-hole login</body></html>");
      case SERVER_ERROR -> sendError(ex, 500, "internal_error", "Internal server error", null);
      case ARCHIVE -> {
        byte[] zip = archive;
        securityHeaders(ex);
        ex.getResponseHeaders().set("Content-Type", "application/zip");
        ex.getResponseHeaders().set("Content-Disposition", "attachment; filename=\"pi-hole_fake_teleporter_2026-11-27_07-43-11_UTC.zip\"");
        ex.sendResponseHeaders(200, zip.length);
        try (OutputStream out = ex.getResponseBody()) {
          out.write(zip);
        }
      }
    }
  }

  /** Protected endpoints: 401 unauthorized without a valid session (a passwordless Pi-hole is open). */
  private boolean authorized(HttpExchange ex) throws IOException {
    if (password == null) {
      return true;
    }
    String sid = sid(ex);
    Seat seat = sid == null ? null : seats.get(sid);
    if (seat == null) {
      sendError(ex, 401, "unauthorized", "Unauthorized", null);
      return false;
    }
    extend(seat);
    return true;
  }

  private Seat extend(Seat seat) {
    Seat extended = new Seat(seat.id(), seat.sid(), seat.csrf(), seat.userAgent(), seat.loginAt(), Instant.now().plusSeconds(VALIDITY_SECONDS));
    seats.replace(seat.sid(), extended);
    return extended;
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
          header = java.net.URLDecoder.decode(pair.substring(4), StandardCharsets.UTF_8);
        }
      }
    }
    return header;
  }

  private ObjectNode session(Seat seat, String message, boolean valid) {
    ObjectNode answer = json.createObjectNode();
    ObjectNode s = answer.putObject("session");
    s.put("valid", valid).put("totp", false);
    if (seat == null) {
      s.putNull("sid");
      s.put("validity", -1);
    } else {
      s.put("sid", seat.sid()).put("csrf", seat.csrf()).put("validity", VALIDITY_SECONDS);
    }
    s.put("message", message);
    return answer;
  }

  private void sendError(HttpExchange ex, int status, String key, String message, String hint) throws IOException {
    ObjectNode answer = json.createObjectNode();
    ObjectNode error = answer.putObject("error");
    error.put("key", key).put("message", message);
    if (hint == null) {
      error.putNull("hint");
    } else {
      error.put("hint", hint);
    }
    sendJson(ex, status, answer);
  }

  private void sendJson(HttpExchange ex, int status, ObjectNode answer) throws IOException {
    answer.put("took", 0.0003);
    byte[] body = json.writeValueAsBytes(answer);
    securityHeaders(ex);
    ex.getResponseHeaders().set("Content-Type", "application/json; charset=utf-8");
    ex.sendResponseHeaders(status, body.length);
    try (OutputStream out = ex.getResponseBody()) {
      out.write(body);
    }
  }

  private static void sendHtml(HttpExchange ex, int status, String html) throws IOException {
    byte[] body = html.getBytes(StandardCharsets.UTF_8);
    ex.getResponseHeaders().set("Content-Type", "text/html; charset=utf-8");
    ex.sendResponseHeaders(status, body.length);
    try (OutputStream out = ex.getResponseBody()) {
      out.write(body);
    }
  }

  private static void securityHeaders(HttpExchange ex) {
    ex.getResponseHeaders().set("Cache-Control", "no-cache, no-store, must-revalidate, private, max-age=0");
    ex.getResponseHeaders().set("X-Frame-Options", "DENY");
    ex.getResponseHeaders().set("X-Content-Type-Options", "nosniff");
    ex.getResponseHeaders().set("Content-Security-Policy", "default-src 'self' 'unsafe-inline';");
  }

  private String token() {
    byte[] bytes = new byte[16];
    random.nextBytes(bytes);
    return Base64.getEncoder().encodeToString(bytes); // 24 chars, may hold + / =
  }

  private static void pause(long millis) {
    try {
      Thread.sleep(millis); // the real FTL delays its 429 by 250 ms
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
