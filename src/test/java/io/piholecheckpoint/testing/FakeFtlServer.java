package io.piholecheckpoint.testing;

import com.sun.net.httpserver.Filter;
import com.sun.net.httpserver.HttpContext;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import java.io.IOException;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * FTL's web server for the fake: HTTP, or HTTPS with a test certificate, on a free loopback
 * port that it keeps when it restarts itself after an import. A restart goes as a real one does:
 * FTL answers the import, goes on a while as the same process ({@link Restart#delay}), refuses
 * connections while down, comes back as a new process (the PID kept, the uptime from zero) and
 * answers gravity reads with "Database not available" for a moment more.
 */
final class FakeFtlServer {
  /** How a restart moves on: by the fake's own timer, at each {@link #restartStep}, or as its clock says at {@link #catchUp}. */
  enum Pace { TIMED, CUED, CLOCKED }

  /**
   * @param delay from answering the import to going down (TIMED and CLOCKED)
   * @param downtime how long connections are refused (TIMED and CLOCKED)
   * @param gravityDelay from coming back to answering gravity reads (TIMED and CLOCKED; CUED: one more step)
   * @param unavailable from coming back to answering anything but 503 (TIMED and CLOCKED)
   */
  record Restart(Pace pace, Duration delay, Duration downtime, Duration gravityDelay, Duration unavailable) {
  }

  private static final long PID = 4242;

  private final TestCertificates.Certificate tls;
  private final HttpHandler handler;
  private final boolean echoesClose;
  private final ExecutorService executor = Executors.newCachedThreadPool();
  private final AtomicInteger restarts = new AtomicInteger();
  private final int port;
  private final Restart restart;
  private final Clock clock;
  private volatile HttpServer server;
  private volatile Instant startedAt;
  /** Until when every request is answered 503; null: none since the last restart. */
  private volatile Instant unavailableUntil;
  /** From when gravity reads answer 200; null: not before the next cued step. */
  private volatile Instant gravityFrom;
  /** What the new process forgets as it starts: nothing, unless set (sessions a Pi-hole does not restore). */
  private volatile Runnable onRestart = () -> { };
  private Cued cued = Cued.NONE; // guarded by this
  private Instant downAt; // guarded by this: a CLOCKED restart's times, null when none is under way
  private Instant upAt; // guarded by this

  private enum Cued { NONE, DUE, DOWN, GRAVITY }

  /**
   * @param tls null for plain HTTP
   * @param echoesClose whether a request's {@code Connection: close} is answered with one, as FTL does; false: the
   *     connection is closed all the same, without saying so, as Python's http.server does
   */
  FakeFtlServer(TestCertificates.Certificate tls, Restart restart, Clock clock, boolean echoesClose, HttpHandler handler) throws IOException {
    this.tls = tls;
    this.echoesClose = echoesClose;
    this.restart = restart;
    this.clock = clock;
    this.handler = handler;
    this.startedAt = clock.instant();
    this.gravityFrom = startedAt;
    this.server = listen(0);
    this.port = server.getAddress().getPort();
  }

  void onRestart(Runnable forget) {
    this.onRestart = forget;
  }

  String origin() {
    return (tls != null ? "https" : "http") + "://127.0.0.1:" + port;
  }

  int restarts() {
    return restarts.get();
  }

  long pid() {
    return PID;
  }

  /** Milliseconds since this process started, by the fake's clock. */
  long uptimeMillis() {
    return Math.max(0, clock.millis() - startedAt.toEpochMilli());
  }

  boolean gravityAvailable() {
    Instant from = gravityFrom;
    return from != null && !clock.instant().isBefore(from);
  }

  /** Back from a restart, but not ready: every request answers 503 for a while (see {@link FakePihole.Builder#unavailableAfterRestart}). */
  boolean unavailable() {
    Instant until = unavailableUntil;
    return until != null && clock.instant().isBefore(until);
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
    HttpContext context = created.createContext("/", handler);
    if (echoesClose) {
      context.getFilters().add(SAYS_IT_CLOSES);
    }
    created.setExecutor(executor);
    created.start();
    return created;
  }

  /**
   * A request's {@code Connection: close} answered with one, as FTL's web server (CivetWeb) does: the JDK's
   * server closes the connection without saying so, and a client that kept it would send its next request
   * into the closed connection.
   */
  private static final Filter SAYS_IT_CLOSES = Filter.beforeHandler("Connection: close answered with one", ex -> {
    if ("close".equalsIgnoreCase(ex.getRequestHeaders().getFirst("Connection"))) {
      ex.getResponseHeaders().set("Connection", "close");
    }
  });

  /** FTL has answered an import: it restarts itself, at the pace this fake was built with. */
  void restartSoon() {
    switch (restart.pace()) {
      case CUED -> { } // made due before the answer went out (restartDue), it waits for its steps
      case CLOCKED -> {
        synchronized (this) {
          downAt = clock.instant().plus(restart.delay());
          upAt = downAt.plus(restart.downtime());
        }
      }
      case TIMED -> executor.execute(() -> {
        try {
          Thread.sleep(restart.delay().toMillis());
          server.stop(0);
          Thread.sleep(restart.downtime().toMillis());
          listenAgain(clock.instant());
        } catch (InterruptedException | IOException e) {
          Thread.currentThread().interrupt();
        }
      });
    }
  }

  /** An import is being answered: a cued restart is due from now on, so that the client's next step takes it down. */
  synchronized void restartDue() {
    if (restart.pace() == Pace.CUED) {
      cued = Cued.DUE;
    }
  }

  /**
   * A cued restart's next step: one that is due goes down now, one that is down comes back (its
   * port is kept) and one that is back opens its gravity database.
   */
  synchronized void restartStep() throws IOException, InterruptedException {
    if (cued == Cued.DUE) {
      server.stop(0);
      cued = Cued.DOWN;
    } else if (cued == Cued.DOWN) {
      listenAgain(clock.instant());
      cued = Cued.GRAVITY;
    } else if (cued == Cued.GRAVITY) {
      gravityFrom = clock.instant();
      cued = Cued.NONE;
    }
  }

  /** A clocked restart does what its clock says is due by now: go down, come back, or both. */
  synchronized void catchUp() throws IOException, InterruptedException {
    Instant now = clock.instant();
    if (downAt != null && !now.isBefore(downAt)) {
      server.stop(0);
      downAt = null;
    }
    if (downAt == null && upAt != null && !now.isBefore(upAt)) {
      listenAgain(upAt);
      upAt = null;
    }
  }

  /** The new process, started at {@code started}, listens on the old port. */
  private void listenAgain(Instant started) throws IOException, InterruptedException {
    startedAt = started;
    unavailableUntil = restart.pace() == Pace.CUED ? null : started.plus(restart.unavailable());
    gravityFrom = restart.pace() == Pace.CUED ? null : started.plus(restart.gravityDelay());
    onRestart.run();
    // counted before it listens: whoever its first answer reaches must find the restart counted
    restarts.incrementAndGet();
    for (int attempt = 0; ; attempt++) {
      try {
        server = listen(port);
        return;
      } catch (BindException e) {
        if (attempt > 50) {
          throw e;
        }
        Thread.sleep(100);
      }
    }
  }

  void stop() {
    server.stop(0);
    executor.shutdownNow();
  }
}
