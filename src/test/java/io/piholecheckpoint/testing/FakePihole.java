package io.piholecheckpoint.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.HashSet;
import java.util.Set;
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
  /** TRICKLE: the whole archive, in 10 pieces 300 ms apart (a slow link). */
  public enum ExportAnswer { ARCHIVE, HTML_PAGE, SERVER_ERROR, UNAVAILABLE, CUT_OFF_HALFWAY, STALL_HALFWAY, TRICKLE }

  /** How the fake is set up; see {@link #builder()}. */
  public static final class Builder {
    private String basePath = "";
    private String password;
    private String appPassword;
    private String totpSecret;
    private byte[] archive = Fixtures.archiveA();
    private Clock clock = Clock.systemUTC();
    private TestCertificates.Certificate tls;
    private String archivePassword = "labpass";

    public Builder basePath(String basePath) {
      this.basePath = basePath;
      return this;
    }

    public Builder password(String password) {
      this.password = password;
      return this;
    }

    public Builder appPassword(String appPassword) {
      this.appPassword = appPassword;
      return this;
    }

    /** Turns on two-factor authentication with this base32 secret. */
    public Builder totpSecret(String totpSecret) {
      this.totpSecret = totpSecret;
      return this;
    }

    public Builder archive(byte[] archive) {
      this.archive = archive;
      return this;
    }

    /** The clock of TOTP steps and of its rate limits. */
    /** The password whose hash the archives hold: after a config import it is the one that works. */
    public Builder archivePassword(String archivePassword) {
      this.archivePassword = archivePassword;
      return this;
    }

    public Builder clock(Clock clock) {
      this.clock = clock;
      return this;
    }

    /** Serves HTTPS with this certificate. */
    public Builder https(TestCertificates.Certificate certificate) {
      this.tls = certificate;
      return this;
    }

    public FakePihole start() throws IOException {
      return new FakePihole(this);
    }
  }

  public static Builder builder() {
    return new Builder();
  }

  private static final int MAX_SESSIONS = 16;
  private static final int VALIDITY_SECONDS = 1800;
  private static final int PASSWORD_CHECKS_PER_SECOND = 3;

  private final ObjectMapper json = new ObjectMapper();
  private final SecureRandom random = new SecureRandom();
  private volatile HttpServer server;
  private final int port;
  private final TestCertificates.Certificate tls;
  private final Set<String> forcedKeys = Collections.synchronizedSet(new HashSet<>());
  private final String archivePassword;
  private final AtomicInteger restarts = new AtomicInteger();
  private final ExecutorService executor = Executors.newCachedThreadPool();
  private final String basePath;
  private final String password;
  private volatile String passwordNow;
  private final String appPassword;
  private final String totpSecret;
  private final Clock clock;
  private final Set<String> usedCodes = Collections.synchronizedSet(new HashSet<>());
  private long totpSecond = -1;
  private final Map<String, Seat> seats = Collections.synchronizedMap(new LinkedHashMap<>());
  private final List<String> requests = Collections.synchronizedList(new ArrayList<>());
  private final AtomicInteger seatIds = new AtomicInteger();
  private volatile byte[] archive;
  private volatile ExportAnswer exportAnswer = ExportAnswer.ARCHIVE;
  /** When set, the sid every login answers with instead of the real one: a Pi-hole that breaks the protocol. */
  private volatile String sentSid;
  private volatile Hold hold;
  private final CountDownLatch stalled = new CountDownLatch(1);
  private long rateSecond;
  private int rateCount;

  private record Seat(int id, String sid, String csrf, String userAgent, boolean app, Instant loginAt, Instant lastActive, Instant validUntil) {
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

  private FakePihole(Builder b) throws IOException {
    this.basePath = b.basePath;
    this.password = b.password;
    this.passwordNow = b.password;
    this.appPassword = b.appPassword;
    this.totpSecret = b.totpSecret;
    this.clock = b.clock;
    this.archive = b.archive;
    this.tls = b.tls;
    this.archivePassword = b.archivePassword;
    this.server = listen(0);
    this.port = server.getAddress().getPort();
  }

  private HttpServer listen(int onPort) throws IOException {
    HttpServer created;
    if (tls == null) {
      created = HttpServer.create(new InetSocketAddress("127.0.0.1", onPort), 0);
    } else {
      HttpsServer https = HttpsServer.create(new InetSocketAddress("127.0.0.1", onPort), 0);
      https.setHttpsConfigurator(new HttpsConfigurator(tls.serverContext()));
      created = https;
    }
    created.createContext("/", this::handle);
    created.setExecutor(executor);
    created.start();
    return created;
  }

  /**
   * FTL restarts itself about 0.3 s after answering an import, and refuses connections for
   * about a second; sessions survive.
   */
  private void restartSoon() {
    executor.execute(() -> {
      try {
        Thread.sleep(300);
        server.stop(0);
        Thread.sleep(1000);
        for (int attempt = 0; ; attempt++) {
          try {
            server = listen(port);
            restarts.incrementAndGet();
            return;
          } catch (java.net.BindException e) {
            if (attempt > 50) {
              throw e;
            }
            Thread.sleep(100);
          }
        }
      } catch (InterruptedException | IOException e) {
        Thread.currentThread().interrupt();
      }
    });
  }

  /** How many times it restarted after an import. */
  public int restarts() {
    return restarts.get();
  }

  /** The archive it would export now: its state. */
  public byte[] currentArchive() {
    return archive;
  }

  /** Config keys set by FTLCONF_ variables: PATCH refuses them. */
  public void forceKeys(String... keys) {
    forcedKeys.addAll(List.of(keys));
  }

  /** A Pi-hole with this password (null: none) exporting {@code archive}, at {@code basePath}. */
  public static FakePihole start(String basePath, String password, byte[] archive) throws IOException {
    return builder().basePath(basePath).password(password).archive(archive).start();
  }

  public static FakePihole start(String password) throws IOException {
    return start("", password, Fixtures.archiveA());
  }

  /** The base URL a user would type, e.g. http://127.0.0.1:PORT/pihole */
  public String url() {
    return (tls != null ? "https" : "http") + "://127.0.0.1:" + port + basePath;
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

  /** Logins answer {@code sid} (say, one with CR LF in it) in place of the session's own. */
  public void sendSid(String sid) {
    this.sentSid = sid;
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
      openSeat("leaky-tool/1.0", false);
    }
  }

  /** Adds a session of {@code userAgent}, last active {@code idle} ago, as a crashed client leaves it. */
  public void addSeat(String userAgent, Duration idle) {
    Instant at = Instant.now().minus(idle);
    Seat seat = new Seat(seatIds.getAndIncrement(), token(), token(), userAgent, false, at, at, at.plusSeconds(VALIDITY_SECONDS));
    seats.put(seat.sid(), seat);
  }

  @Override
  public void close() {
    Hold h = hold;
    if (h != null) {
      h.release();
    }
    stalled.countDown();
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
      case "POST /api/teleporter" -> { if (authorized(ex) && writable(ex)) importArchive(ex); }
      case "PATCH /api/config" -> { if (authorized(ex) && writable(ex)) patchConfig(ex); }
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
    String given = body.get("password").asText();
    boolean app = appPassword != null && appPassword.equals(given);
    if (!app && !passwordNow.equals(given)) {
      countFailedCheck();
      sendJson(ex, 401, session(null, "password incorrect", false));
      return;
    }
    if (!app && totpSecret != null && !totpAccepted(ex, body)) {
      return;
    }
    seats.values().removeIf(s -> s.validUntil().isBefore(Instant.now())); // expired seats go only now, lazily
    if (seats.size() >= MAX_SESSIONS) {
      sendError(ex, 429, "api_seats_exceeded", "API seats exceeded", "increase webserver.api.max_sessions");
      return;
    }
    Seat seat = openSeat(ex.getRequestHeaders().getFirst("User-Agent"), app);
    ObjectNode answer = session(seat, app ? "app-password correct" : "password correct", true);
    sendJson(ex, 200, answer);
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

  /** Pi-hole's checks of the code, in its order; answers and returns false when the code is refused. */
  private boolean totpAccepted(HttpExchange ex, JsonNode body) throws IOException {
    if (!body.has("totp")) {
      sendError(ex, 400, "bad_request", "No 2FA token found in JSON payload", null);
      return false;
    }
    synchronized (this) {
      long second = clock.instant().getEpochSecond();
      if (second == totpSecond) {
        sendError(ex, 429, "rate_limiting", "Rate-limiting 2FA token requests, try again later", null);
        return false;
      }
      totpSecond = second;
    }
    JsonNode code = body.get("totp");
    long step = clock.instant().getEpochSecond() / 30;
    boolean valid = code.isIntegralNumber()
        && (code.asInt() == totp(step - 1) || code.asInt() == totp(step) || code.asInt() == totp(step + 1));
    if (!valid) {
      sendError(ex, 401, "unauthorized", "Invalid 2FA token", null);
      return false;
    }
    if (!usedCodes.add(code.asText())) {
      sendError(ex, 401, "unauthorized", "Reused 2FA token", "wait for new token");
      return false;
    }
    return true;
  }

  /** RFC 6238 as FTL computes it, written here independently of the client's implementation. */
  private int totp(long step) {
    try {
      byte[] key = base32(totpSecret);
      javax.crypto.Mac mac = javax.crypto.Mac.getInstance("HmacSHA1");
      mac.init(new javax.crypto.spec.SecretKeySpec(key, "HmacSHA1"));
      byte[] h = mac.doFinal(java.nio.ByteBuffer.allocate(8).putLong(step).array());
      int o = h[19] & 0xf;
      return (((h[o] & 0x7f) << 24) | ((h[o + 1] & 0xff) << 16) | ((h[o + 2] & 0xff) << 8) | (h[o + 3] & 0xff)) % 1_000_000;
    } catch (java.security.GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  private static byte[] base32(String text) {
    String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    int buffer = 0;
    int bits = 0;
    for (char c : text.toUpperCase(java.util.Locale.ROOT).toCharArray()) {
      buffer = (buffer << 5) | alphabet.indexOf(c);
      bits += 5;
      if (bits >= 8) {
        out.write((buffer >> (bits - 8)) & 0xff);
        bits -= 8;
      }
    }
    return out.toByteArray();
  }

  private Seat openSeat(String userAgent, boolean app) {
    Instant now = Instant.now();
    Seat seat = new Seat(seatIds.getAndIncrement(), token(), token(), userAgent, app, now, now, now.plusSeconds(VALIDITY_SECONDS));
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
            .put("login_at", s.loginAt().getEpochSecond()).put("last_active", s.lastActive().getEpochSecond())
            .put("valid_until", s.validUntil().getEpochSecond()).put("remote_addr", "127.0.0.1")
            .put("user_agent", s.userAgent()).putNull("x_forwarded_for").put("app", s.app()).put("cli", false);
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
      case UNAVAILABLE -> sendHtml(ex, 503, "<html><body>503 Service Unavailable</body></html>");
      case CUT_OFF_HALFWAY, STALL_HALFWAY -> sendHalf(ex, exportAnswer == ExportAnswer.STALL_HALFWAY);
      case TRICKLE -> trickle(ex);
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

  /** An app-password session may write only with webserver.api.app_sudo, which this fake never sets. */
  private boolean writable(HttpExchange ex) throws IOException {
    String sid = sid(ex);
    Seat seat = sid == null ? null : seats.get(sid);
    if (seat != null && seat.app()) {
      sendError(ex, 403, "forbidden", "Unable to change configuration (read-only)",
          "The current app session is not allowed to modify Pi-hole config settings (webserver.api.app_sudo is false)");
      return false;
    }
    return true;
  }

  private void importArchive(HttpExchange ex) throws IOException {
    String type = ex.getRequestHeaders().getFirst("Content-Type");
    if (type == null || !type.startsWith("multipart/form-data")) {
      sendError(ex, 400, "bad_request", "Invalid form request", null);
      return;
    }
    Map<String, FakeImport.Part> parts = FakeImport.parse(ex.getRequestBody().readAllBytes(), type);
    FakeImport.Part file = parts.get("file");
    if (file == null) {
      sendError(ex, 400, "bad_request", "No ZIP archive received", null);
      return;
    }
    if (file.fileName() == null || !file.fileName().endsWith(".zip") || file.bytes().length < 4 || file.bytes()[0] != 'P' || file.bytes()[1] != 'K') {
      sendError(ex, 400, "bad_request", "Invalid file", "The uploaded file does not appear to be a valid Pi-hole Teleporter archive");
      return;
    }
    FakeImport.Result result;
    try {
      result = FakeImport.apply(archive, file.bytes(), parts.containsKey("import") ? json.readTree(parts.get("import").bytes()) : null);
    } catch (IOException | RuntimeException e) {
      sendError(ex, 400, "bad_request", "Invalid request", "Failed to parse received ZIP archive: " + e.getMessage());
      return;
    }
    archive = result.archive();
    if (result.configImported()) {
      passwordNow = archivePassword; // the archive's pwhash replaces the Pi-hole's
    }
    ObjectNode answer = json.createObjectNode();
    result.files().forEach(answer.putArray("files")::add);
    sendJson(ex, 200, answer);
    restartSoon();
  }

  private void patchConfig(HttpExchange ex) throws IOException {
    JsonNode body = json.readTree(ex.getRequestBody().readAllBytes());
    Map<String, JsonNode> values = new LinkedHashMap<>();
    FakeImport.flatten("", body.path("config"), values);
    for (String key : values.keySet()) {
      if (forcedKeys.contains(key)) {
        sendError(ex, 400, "bad_request", "Config item is read-only (set via environment variable)", key);
        return;
      }
    }
    String toml = FakeImport.config(archive);
    for (Map.Entry<String, JsonNode> e : values.entrySet()) {
      toml = FakeImport.setTomlKey(toml, e.getKey(), e.getValue().toString());
    }
    archive = FakeImport.withConfig(archive, toml);
    ObjectNode answer = json.createObjectNode();
    answer.set("config", body.path("config"));
    sendJson(ex, 200, answer);
  }

  private void trickle(HttpExchange ex) throws IOException {
    byte[] zip = archive;
    ex.getResponseHeaders().set("Content-Type", "application/zip");
    ex.sendResponseHeaders(200, zip.length);
    try (OutputStream out = ex.getResponseBody()) {
      int piece = (zip.length + 9) / 10;
      for (int from = 0; from < zip.length; from += piece) {
        out.write(zip, from, Math.min(piece, zip.length - from));
        out.flush();
        Thread.sleep(300);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Promises the whole archive, sends half, then drops the connection (a restart) or goes silent. */
  private void sendHalf(HttpExchange ex, boolean stall) throws IOException {
    byte[] zip = archive;
    ex.getResponseHeaders().set("Content-Type", "application/zip");
    ex.sendResponseHeaders(200, zip.length);
    OutputStream out = ex.getResponseBody();
    out.write(zip, 0, zip.length / 2);
    out.flush();
    if (stall) {
      try {
        stalled.await(60, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    throw new IOException("the fake Pi-hole cuts the connection"); // the server closes it with the archive half sent
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
    Instant now = Instant.now();
    Seat extended = new Seat(seat.id(), seat.sid(), seat.csrf(), seat.userAgent(), seat.app(), seat.loginAt(), now, now.plusSeconds(VALIDITY_SECONDS));
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
    s.put("valid", valid).put("totp", totpSecret != null);
    if (seat == null) {
      s.putNull("sid");
      s.put("validity", -1);
    } else {
      s.put("sid", sentSid != null ? sentSid : seat.sid()).put("csrf", seat.csrf()).put("validity", VALIDITY_SECONDS);
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
