package io.piholecheckpoint.pihole;

import io.piholecheckpoint.core.backup.PiholeException;
import io.piholecheckpoint.core.backup.PiholeTarget;
import io.piholecheckpoint.core.backup.TlsTrust;
import java.io.Closeable;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/** The HTTP clients (one per way of trusting certificates) and the requests they send. */
final class Transport {
  private final String userAgent;
  private final Duration connectTimeout;
  private final Map<TlsTrust, HttpClient> clients = new ConcurrentHashMap<>();
  private final ScheduledExecutorService watchdog = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "pihole-download-watchdog");
    t.setDaemon(true);
    return t;
  });

  Transport(String userAgent, Duration connectTimeout) {
    this.userAgent = userAgent;
    this.connectTimeout = connectTimeout;
  }

  String userAgent() {
    return userAgent;
  }

  HttpClient client(PiholeTarget target) {
    // CA files are read on every job, so that a replaced file takes effect without a restart
    if (target.tls().mode() == TlsTrust.Mode.CA_FILE) {
      return build(target);
    }
    return clients.computeIfAbsent(target.tls(), trust -> build(target));
  }

  private HttpClient build(PiholeTarget target) {
    // HTTP/1.1: Pi-hole's embedded web server does not speak HTTP/2
    return HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(connectTimeout)
        .followRedirects(HttpClient.Redirect.NEVER).sslContext(TlsContexts.forTrust(target.tls(), target)).build();
  }

  HttpRequest.Builder request(PiholeTarget target, String base, String path, String sid) {
    HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(base + path))
        .timeout(target.timeout())
        .header("User-Agent", userAgent)
        .header("Accept", "application/json");
    return sid == null ? builder : builder.header("X-FTL-SID", sid);
  }

  <T> HttpResponse<T> send(HttpClient http, HttpRequest request, HttpResponse.BodyHandler<T> handler, PiholeTarget target) {
    try {
      return http.send(request, handler);
    } catch (IOException e) {
      throw Errors.transport(target, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new PiholeException(PiholeException.Failure.TIMEOUT, "interrupted while talking to Pi-hole '" + target.name() + "'", e);
    }
  }

  /**
   * Ends a download that runs past {@code limit}: java.net.http bounds only the wait for the
   * headers, and a Pi-hole that stalls mid-archive would otherwise block the job forever.
   * A blocked read wakes up only when its thread is interrupted, so the guard does both.
   */
  Guard guard(Closeable body, Duration limit) {
    return new Guard(body, Thread.currentThread(), limit);
  }

  final class Guard implements AutoCloseable {
    private final AtomicBoolean expired = new AtomicBoolean();
    private final ScheduledFuture<?> timer;

    private Guard(Closeable body, Thread reader, Duration limit) {
      this.timer = watchdog.schedule(() -> {
        expired.set(true);
        reader.interrupt();
        try {
          body.close();
        } catch (IOException e) {
          // the reader fails either way
        }
      }, limit.toMillis(), TimeUnit.MILLISECONDS);
    }

    boolean expired() {
      return expired.get();
    }

    @Override
    public void close() {
      timer.cancel(false);
      if (expired.get()) {
        Thread.interrupted(); // the interrupt was ours, not a request to stop the job's thread
      }
    }
  }
}
