package io.piholecheckpoint.testing;

import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * A Pi-hole v6 API over real HTTP, behaving as {@code shared/pihole-api.md} describes a real
 * FTL v6.4.1. This class composes the parts and routes to them, under the base path the user
 * types: {@link FakeAuth} (sessions, {@link FakeSeats}, 401/429/403, {@link FakeTotp}),
 * {@link FakeTeleporter} (export and import, and their faults), {@link FakeConfig}
 * ({@code /api/config}, the version), on a {@link FakeFtlServer} that restarts after an import.
 */
public final class FakePihole implements AutoCloseable {

  /** What {@code GET /api/teleporter} answers with. TRICKLE: the whole archive, in 10 pieces 300 ms apart (a slow link). */
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
    private FakeFtlServer.Pace restartPace = FakeFtlServer.Pace.TIMED;
    private Duration restartDelay = Duration.ofMillis(300);
    private Duration restartDowntime = Duration.ofSeconds(1);
    private boolean sessionsEndAtRestart;
    private Duration gravityDelay = Duration.ofMillis(200);
    private Duration unavailable = Duration.ZERO;
    private boolean echoesClose = true;

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

    /** The password whose hash the archives hold: after a config import it is the one that works. */
    public Builder archivePassword(String archivePassword) {
      this.archivePassword = archivePassword;
      return this;
    }

    /** The clock of TOTP steps, of the rate limits, of FTL's uptime and of a restart built with {@link #restartByClock}. */
    public Builder clock(Clock clock) {
      this.clock = clock;
      return this;
    }

    /**
     * How long FTL refuses connections while it restarts after an import: about a second, as a
     * real one (the default); shorter where a test is about the waiting, not its length.
     */
    public Builder restartDowntime(Duration downtime) {
      this.restartDowntime = downtime;
      return this;
    }

    /**
     * How long FTL goes on as the same process after answering an import before it goes down:
     * about 0.3 s on a fast machine (the default), longer on a slow one.
     */
    public Builder restartDelay(Duration delay) {
      this.restartDelay = delay;
      return this;
    }

    /** How long, once back from a restart, gravity reads still answer 400 "Database not available" (default 0.2 s). */
    public Builder gravityDelay(Duration delay) {
      this.gravityDelay = delay;
      return this;
    }

    /**
     * How long, once back from a restart, every request is answered 503 "Service Unavailable"
     * (default 0): FTL still starting behind the web server, or a reverse proxy in front of it
     * that answers for it until it is up, as the outsider's Pi-hole did for about 20 s.
     * pihole-api.md names no 503; this is the status any HTTP server gives for "not ready".
     */
    public Builder unavailableAfterRestart(Duration unavailable) {
      this.unavailable = unavailable;
      return this;
    }

    /**
     * The restart after an import follows {@link #clock}: the fake goes down once the clock is
     * {@link #restartDelay} past the answer, and is back {@link #restartDowntime} later, each
     * when {@link FakePihole#catchUp} is called (by the client's pause that moves the clock),
     * so a test moves time instead of waiting for it.
     */
    public Builder restartByClock() {
      this.restartPace = FakeFtlServer.Pace.CLOCKED;
      return this;
    }

    /**
     * The restart after an import moves on only at {@link FakePihole#restartStep}: the first step
     * takes the server down, the next brings it back. Given the steps as the client's {@link
     * io.piholecheckpoint.core.download.Pause}, the client's wait after an import finds FTL gone
     * and its next look after a retry's pause finds it back, and the one after that its gravity
     * database open: the same order as a real restart, with no timer racing the client's.
     */
    /**
     * Its sessions end when it restarts after an import, as a Pi-hole's do when it does not restore them from disk: every SID
     * is answered 401 from the new process on, which a client must take as "log in again" (pihole-api.md).
     */
    public Builder sessionsEndAtRestart() {
      this.sessionsEndAtRestart = true;
      return this;
    }

    public Builder restartOnCue() {
      this.restartPace = FakeFtlServer.Pace.CUED;
      return this;
    }

    /**
     * Closes a connection whose request said {@code Connection: close} without saying {@code Connection: close} back
     * (as Python's http.server does, or a proxy before FTL may); FTL says it.
     */
    public Builder closesSilently() {
      this.echoesClose = false;
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

  /** Holds exports (or imports) until released, to test what happens while a backup (or a restore) runs. */
  public static final class Hold {
    private final CountDownLatch started = new CountDownLatch(1);
    private final CountDownLatch released = new CountDownLatch(1);

    public boolean awaitStarted() throws InterruptedException {
      return started.await(30, TimeUnit.SECONDS);
    }

    public void release() {
      released.countDown();
    }

    /** In the export: says it started, then waits for the release. */
    void holdHere() {
      started.countDown();
      try {
        released.await(60, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  public static Builder builder() {
    return new Builder();
  }

  /** A Pi-hole with this password (null: none) exporting {@code archive}, at {@code basePath}. */
  public static FakePihole start(String basePath, String password, byte[] archive) throws IOException {
    return builder().basePath(basePath).password(password).archive(archive).start();
  }

  public static FakePihole start(String password) throws IOException {
    return start("", password, Fixtures.archiveA());
  }

  private final String basePath;
  private final List<String> requests = Collections.synchronizedList(new ArrayList<>());
  /** The client's end of each request's connection (address and port), in the order of {@link #requests}. */
  private final List<String> connections = Collections.synchronizedList(new ArrayList<>());
  /** While set, every request is taken and held unanswered (see {@link #holdAnswers}). */
  private volatile Hold answersHeld;
  /** How many PATCHes to come find every session ended first ({@link #endSessionsAtPatches}). */
  private final java.util.concurrent.atomic.AtomicInteger sessionsEndAtPatches = new java.util.concurrent.atomic.AtomicInteger();
  private final java.util.Set<String> hiddenPaths = java.util.concurrent.ConcurrentHashMap.newKeySet();
  private final FakeAuth auth;
  private final FakeTeleporter teleporter;
  private final FakeConfig config;
  private final FakeFtlServer server;

  private FakePihole(Builder b) throws IOException {
    this.basePath = b.basePath;
    this.auth = new FakeAuth(b.password, b.appPassword, b.totpSecret, b.clock);
    this.teleporter = new FakeTeleporter(b.archive, auth, b.archivePassword, this::restartDue, this::restartSoon);
    this.config = new FakeConfig(teleporter);
    this.server = new FakeFtlServer(b.tls, new FakeFtlServer.Restart(b.restartPace, b.restartDelay, b.restartDowntime, b.gravityDelay, b.unavailable), b.clock, b.echoesClose,
        this::handle);
    if (b.sessionsEndAtRestart) {
      server.onRestart(this::endSessions);
    }
  }

  private void restartDue() {
    server.restartDue();
  }

  private void restartSoon() {
    server.restartSoon();
  }

  /** The next step of a restart built with {@link Builder#restartOnCue}; nothing when none is under way. */
  public void restartStep() throws InterruptedException {
    try {
      server.restartStep();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A restart built with {@link Builder#restartByClock} does what its clock says is due by now. */
  public void catchUp() throws InterruptedException {
    try {
      server.catchUp();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private void handle(HttpExchange ex) throws IOException {
    try (ex) {
      String path = ex.getRequestURI().getPath();
      requests.add(ex.getRequestMethod() + " " + path);
      connections.add(ex.getRemoteAddress().toString());
      Hold hold = answersHeld;
      if (hold != null) {
        hold.holdHere();
      }
      if (!path.startsWith(basePath + "/api/") || hiddenPaths.contains(path.substring(basePath.length()))) {
        FakeReplies.html(ex, 404, "<html><body>Not found</body></html>");
        return;
      }
      if (server.unavailable()) {
        ex.getRequestBody().transferTo(java.io.OutputStream.nullOutputStream()); // a PATCH's body is read, not applied
        FakeReplies.error(ex, 503, "service_unavailable", "Service Unavailable", null);
        return;
      }
      route(ex, ex.getRequestMethod(), path.substring(basePath.length()));
    }
  }

  private void route(HttpExchange ex, String method, String api) throws IOException {
    switch (method + " " + api) {
      case "POST /api/auth" -> auth.login(ex);
      case "GET /api/auth" -> auth.sessionCheck(ex);
      case "DELETE /api/auth" -> auth.logout(ex);
      case "GET /api/auth/sessions" -> { if (auth.authorized(ex)) auth.listSessions(ex); }
      case "GET /api/info/version" -> { if (auth.authorized(ex)) config.version(ex); }
      case "GET /api/info/ftl" -> { if (auth.authorized(ex)) config.ftl(ex, server.pid(), server.uptimeMillis()); }
      case "GET /api/groups" -> { if (auth.authorized(ex)) config.groups(ex, server.gravityAvailable()); }
      case "GET /api/teleporter" -> { if (auth.authorized(ex)) teleporter.export(ex); }
      case "POST /api/teleporter" -> { if (auth.authorized(ex) && auth.writable(ex)) teleporter.importArchive(ex); }
      case "PATCH /api/config" -> {
        if (sessionsEndAtPatches.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
          endSessions();
        }
        if (auth.authorized(ex) && auth.writable(ex)) config.patch(ex);
      }
      default -> {
        if (method.equals("DELETE") && api.startsWith("/api/auth/session/")) {
          if (auth.authorized(ex)) auth.deleteSeat(ex, api.substring("/api/auth/session/".length()));
        } else {
          FakeReplies.error(ex, 404, "not_found", "Not found", api);
        }
      }
    }
  }

  /** The base URL a user would type, e.g. http://127.0.0.1:PORT/pihole */
  public String url() {
    return server.origin() + basePath;
  }

  /** "METHOD /path" of every request so far. */
  public List<String> requests() {
    synchronized (requests) {
      return List.copyOf(requests);
    }
  }

  /** How many connections the requests so far came on. */
  public long connectionsUsed() {
    synchronized (connections) {
      return connections.stream().distinct().count();
    }
  }

  /** How many times it restarted after an import (counted as the new process starts to listen). */
  public int restarts() {
    return server.restarts();
  }

  /** How many 2FA codes it refused as used already ("Reused 2FA token") or as a second check within a second (429). */
  public int totpRefusals() {
    return auth.totpRefusals();
  }

  public int activeSessions() {
    return auth.seats().count();
  }

  public List<String> userAgents() {
    return auth.seats().userAgents();
  }

  /** Fills every seat with sessions of another client, as a leaky tool would. */
  public void fillSeats() {
    auth.seats().fill();
  }

  /** Adds a session of {@code userAgent}, last active {@code idle} ago, as a crashed client leaves it. */
  public void addSeat(String userAgent, Duration idle) {
    auth.seats().addIdle(userAgent, idle);
  }

  /** Logins answer {@code sid} (say, one with CR LF in it) in place of the session's own. */
  public void sendSid(String sid) {
    auth.sendSid(sid);
  }

  /** The archive it would export now: its state. */
  public byte[] currentArchive() {
    return teleporter.archive();
  }

  /** The archive of the last import (a restore) as it arrived, or null when none came. */
  public byte[] lastImport() {
    return teleporter.lastImport();
  }

  /** The size of the last import's archive (read without loading it), or -1 when none came. */
  public long lastImportSize() {
    return teleporter.lastImportSize();
  }

  /** How the last import's body was framed: "Content-Length: n", or "Transfer-Encoding: chunked"; null when none came. */
  /** The last accepted import's {@code import} selector as sent; "" when it had none (FTL then imports everything, DHCP leases too). */
  public String lastImportSelection() {
    return teleporter.lastImportSelection();
  }

  public String lastImportFraming() {
    return teleporter.lastImportFraming();
  }

  public void archive(byte[] archive) {
    teleporter.archive(archive);
  }

  /** The password changed on the Pi-hole ({@code pihole setpassword}): logins and the pwhash its exports hold follow it. */
  /** Ends every session, as a {@code DELETE /api/auth/session/{id}} of each does: their SIDs are answered 401 from now on. */
  public void endSessions() {
    auth.seats().clear();
  }

  /**
   * The next {@code count} {@code PATCH /api/config} find every session ended just before they arrive (an expiry, someone's
   * logout in the web UI): each is answered 401, as any request with an unknown SID is.
   */
  public void endSessionsAtPatches(int count) {
    sessionsEndAtPatches.set(count);
  }

  public void changePassword(String password) {
    teleporter.changePassword(password);
  }

  public void exportAnswer(ExportAnswer answer) {
    teleporter.exportAnswer(answer);
  }

  public Hold holdExports() {
    return teleporter.holdExports();
  }

  /** Holds imports once received, before they are applied, until released (a large import at work). */
  public Hold holdImports() {
    return teleporter.holdImports();
  }

  /** Answers this API path (say {@code /api/info/ftl}) with a 404 page, as a reverse proxy in front that passes only some paths would. */
  public void hidePath(String apiPath) {
    hiddenPaths.add(apiPath);
  }

  /**
   * From now on every request is taken and held without an answer until released (or the fake
   * is closed): FTL whose web server accepts connections while the API does not answer, as one
   * stuck at start on its databases does. Released, the held requests are answered as usual.
   */
  public Hold holdAnswers() {
    Hold hold = new Hold();
    answersHeld = hold;
    return hold;
  }

  /**
   * From now on every import is answered as usual, but leaves the Pi-hole holding {@code archive}: one whose import went wrong
   * half-way, so that the check after a restore finds what differs.
   */
  public void importLeaves(byte[] archive) {
    teleporter.importLeaves(archive);
  }

  /** From now on every import is received whole and answered with HTTP 500 "Internal server error", not applied. */
  public void failImports() {
    teleporter.failImports();
  }

  /** From now on every import is received whole and answered with HTTP 429 (with this Retry-After, unless null), not applied. */
  public void limitImports(String retryAfter) {
    teleporter.limitImports(retryAfter);
  }

  /** From now on every {@code PATCH /api/config} is answered with HTTP 500 "Internal server error", nothing changed. */
  public void failConfigPatches() {
    config.failPatches();
  }

  /** Config keys set by FTLCONF_ variables: PATCH refuses them. */
  public void forceKeys(String... keys) {
    config.force(keys);
  }

  @Override
  public void close() {
    Hold hold = answersHeld;
    if (hold != null) {
      hold.release();
    }
    teleporter.releaseAll();
    server.stop();
    teleporter.deleteUploads();
  }
}
