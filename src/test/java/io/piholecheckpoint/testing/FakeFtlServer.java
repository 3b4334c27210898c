package io.piholecheckpoint.testing;

import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import java.io.IOException;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * FTL's web server for the fake: HTTP, or HTTPS with a test certificate, on a free loopback
 * port that it keeps when it restarts itself after an import.
 */
final class FakeFtlServer {
  private final TestCertificates.Certificate tls;
  private final HttpHandler handler;
  private final ExecutorService executor = Executors.newCachedThreadPool();
  private final AtomicInteger restarts = new AtomicInteger();
  private final int port;
  /** Null: the restart after an import is cued, one {@link #restartStep} at a time. */
  private final Duration restartDowntime;
  private volatile HttpServer server;
  private Cued cued = Cued.NONE; // guarded by this

  private enum Cued { NONE, DUE, DOWN }

  /**
   * @param tls null for plain HTTP
   * @param restartDowntime how long a restart refuses connections; null: restarts go by {@link #restartStep}
   */
  FakeFtlServer(TestCertificates.Certificate tls, Duration restartDowntime, HttpHandler handler) throws IOException {
    this.tls = tls;
    this.restartDowntime = restartDowntime;
    this.handler = handler;
    this.server = listen(0);
    this.port = server.getAddress().getPort();
  }

  String origin() {
    return (tls != null ? "https" : "http") + "://127.0.0.1:" + port;
  }

  int restarts() {
    return restarts.get();
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
    created.createContext("/", handler);
    created.setExecutor(executor);
    created.start();
    return created;
  }

  /**
   * FTL restarts itself about 0.3 s after answering an import, and refuses connections for
   * about a second (the downtime given); sessions survive.
   */
  void restartSoon() {
    if (restartDowntime == null) {
      return; // cued: made due before the answer went out (restartDue), it waits for its steps
    }
    executor.execute(() -> {
      try {
        Thread.sleep(300);
        server.stop(0);
        Thread.sleep(restartDowntime.toMillis());
        listenAgain();
      } catch (InterruptedException | IOException e) {
        Thread.currentThread().interrupt();
      }
    });
  }

  /** An import is being answered: a cued restart is due from now on, so that the client's next step takes it down. */
  synchronized void restartDue() {
    if (restartDowntime == null) {
      cued = Cued.DUE;
    }
  }

  /** A cued restart's next step: one that is due goes down now, one that is down comes back (its port is kept). */
  synchronized void restartStep() throws IOException, InterruptedException {
    if (cued == Cued.DUE) {
      server.stop(0);
      cued = Cued.DOWN;
    } else if (cued == Cued.DOWN) {
      listenAgain();
      cued = Cued.NONE;
    }
  }

  private void listenAgain() throws IOException, InterruptedException {
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
