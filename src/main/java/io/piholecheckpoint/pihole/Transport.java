package io.piholecheckpoint.pihole;

import io.piholecheckpoint.core.gateway.PiholeException;
import io.piholecheckpoint.core.gateway.PiholeTarget;
import io.piholecheckpoint.core.instance.TlsTrust;
import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.Map;
import java.util.WeakHashMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The HTTP clients (one per way of trusting certificates) and the requests they send. */
final class Transport {
  private static final Logger log = LoggerFactory.getLogger(Transport.class);
  private final String userAgent;
  private final Duration connectTimeout;
  private final SchemeMismatch schemes;
  private final Map<TlsTrust, HttpClient> clients = new ConcurrentHashMap<>();
  /** Pi-holes (scheme, host and port) that closed a connection they were asked to close without saying so; see {@link #noteEcho}. */
  private final Set<String> silentClosers = ConcurrentHashMap.newKeySet();
  /**
   * For each client of {@link #client}, one that talks to silent closers: its pool never holds a connection such a Pi-hole
   * closed after its answer. Weak keys: a CA file's client lives for one job.
   */
  private final Map<HttpClient, HttpClient> keptOpen = new WeakHashMap<>(); // guarded by itself
  private final ScheduledExecutorService watchdog = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "pihole-download-watchdog");
    t.setDaemon(true);
    return t;
  });

  Transport(String userAgent, Duration connectTimeout) {
    this.userAgent = userAgent;
    this.connectTimeout = connectTimeout;
    this.schemes = new SchemeMismatch(connectTimeout);
  }

  /**
   * Every request asks for a connection of its own ({@code Connection: close}): FTL's web server answers
   * a request on a kept-open connection ~40 ms late (its answer's headers and body are two writes, and
   * with Nagle's algorithm the body waits for our delayed ACK), a fresh connection at once: about 230 ms
   * against 95 ms for one backup's calls (shared/pihole-api.md, "Connections"; bench/RESULTS.md,
   * r37-overhead). FTL's answer says {@code Connection: close} back, which is what makes the JDK's client
   * drop the connection instead of pooling it. The JDK refuses the header unless the system property {@link #ALLOWING} names it
   * (etc/jvm.options does); without it, connections are kept, as before. Decided on the first request,
   * so that a start loads none of java.net.http.
   */
  private static final class CloseEach {
    static final String ALLOWING = "jdk.httpclient.allowRestrictedHeaders";
    static final boolean ALLOWED = allowed();

    private static boolean allowed() {
      try {
        HttpRequest.newBuilder().header("Connection", "close");
        return true;
      } catch (IllegalArgumentException e) {
        log.info("Pi-hole connections are kept open between requests, and a Pi-hole answers a request on a kept-open connection"
            + " ~40 ms late: start the JVM with -D{}=connection (etc/jvm.options has it) to open one per request", ALLOWING);
        return false;
      }
    }
  }

  /** A request that failed in transport, explained: a scheme that does not match the port is named as such. */
  private PiholeException failure(PiholeTarget target, IOException e) {
    return schemes.explain(target, e).orElseGet(() -> Errors.transport(target, e));
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
    if (CloseEach.ALLOWED) {
      builder.header("Connection", "close");
    }
    return sid == null ? builder : builder.header("X-FTL-SID", sid);
  }

  private static String origin(URI uri) {
    return uri.getScheme() + "://" + uri.getHost() + ":" + uri.getPort();
  }

  /**
   * Remembers a Pi-hole (or a proxy before it) that answered a {@code Connection: close} request without saying
   * {@code Connection: close} back: the JDK's client then pools the connection, and when the server closed it as asked
   * (RFC 7230 §6.6 says it must; echoing is only a should; Python's http.server does not), the next request sent on it
   * fails with "EOF reached while reading" or "Broken pipe". From then on that Pi-hole's requests share kept-open
   * connections, as before every request asked for its own: a server that does not echo is not FTL, whose kept-open
   * connections answer late.
   */
  private void noteEcho(HttpResponse<?> response, PiholeTarget target) {
    boolean askedToClose = response.request().headers().firstValue("Connection").filter("close"::equalsIgnoreCase).isPresent();
    boolean saidItCloses = response.headers().allValues("Connection").stream()
        .anyMatch(value -> List.of(value.toLowerCase().split("\\s*,\\s*")).contains("close"));
    if (askedToClose && !saidItCloses && silentClosers.add(origin(response.request().uri()))) {
      log.info("Pi-hole '{}' at {} closes connections without saying so (no Connection: close in its answer): its requests"
          + " share kept-open connections from now on", target.name(), target.url());
    }
  }

  /**
   * The client and request to send {@code request} as: to a {@link #noteEcho silent closer}, without
   * {@code Connection: close} and through a client whose pool never held a connection it closed.
   */
  private Sending sending(HttpClient http, HttpRequest request, PiholeTarget target) {
    if (!silentClosers.contains(origin(request.uri()))) {
      return new Sending(http, request);
    }
    HttpClient kept;
    synchronized (keptOpen) {
      kept = keptOpen.computeIfAbsent(http, closing -> build(target));
    }
    return new Sending(kept, HttpRequest.newBuilder(request, (name, value) -> !name.equalsIgnoreCase("Connection")).build());
  }

  private record Sending(HttpClient http, HttpRequest request) {
  }

  <T> HttpResponse<T> send(HttpClient http, HttpRequest request, HttpResponse.BodyHandler<T> handler, PiholeTarget target) {
    try {
      Sending sending = sending(http, request, target);
      HttpResponse<T> response = sending.http().send(sending.request(), handler);
      noteEcho(response, target);
      return response;
    } catch (IOException e) {
      throw failure(target, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new PiholeException(PiholeException.Failure.TIMEOUT, "interrupted while talking to Pi-hole '" + target.name() + "'", e);
    }
  }

  /** The largest JSON answer read; Pi-hole's longest (the session list) is a few kB. */
  static final int MAX_TEXT_BYTES = 1024 * 1024;

  /**
   * Sends a request whose answer is short JSON, bounded in size ({@link #MAX_TEXT_BYTES}) and in
   * time (the whole answer within the instance's timeout): a broken or hostile server that sends
   * an endless body, or one byte a second, cannot fill the heap or hold the job.
   */
  HttpResponse<String> sendForText(HttpClient http, HttpRequest request, PiholeTarget target) {
    return awaitText(startText(http, request, target), target);
  }

  /**
   * As {@link #sendForText}, the whole answer within {@code limit} instead of the instance's
   * timeout: for a look that must end with a wait shorter than that timeout (FTL's restart).
   */
  HttpResponse<String> sendForText(HttpClient http, HttpRequest request, PiholeTarget target, Duration limit) {
    return awaitText(startText(http, request, target), target, null, limit);
  }

  /** Sends a request for short JSON now, to be read later with {@link #awaitText}: round trips that need not wait for each other overlap. */
  CompletableFuture<HttpResponse<String>> startText(HttpClient http, HttpRequest request, PiholeTarget target) {
    Sending sending = sending(http, request, target);
    return sending.http().sendAsync(sending.request(), info -> new BoundedText(MAX_TEXT_BYTES));
  }

  /**
   * As {@link #sendForText}, but an interrupt (a backup cancelled at shutdown) does not abandon the
   * answer: it is still awaited within the timeout, and the interrupt kept for the caller's next
   * step. For the login: a session the Pi-hole granted must be learned of to be ended, or it holds
   * one of its few seats until it expires.
   */
  HttpResponse<String> sendForTextThroughInterrupts(HttpClient http, HttpRequest request, PiholeTarget target) {
    return awaitText(startText(http, request, target), target, target.timeout());
  }

  /**
   * As {@link #sendForTextThroughInterrupts}, but after an interrupt the answer is awaited at
   * most {@code grace} longer, so that a shutdown is not held for the whole timeout: for a
   * request that changes the Pi-hole, whose answer says whether it did.
   *
   * @throws Interrupted when no answer came within the grace
   */
  HttpResponse<String> sendForTextThroughInterrupts(HttpClient http, HttpRequest request, PiholeTarget target, Duration grace) {
    return awaitText(startText(http, request, target), target, grace);
  }

  /** As {@link #sendForTextThroughInterrupts(HttpClient, HttpRequest, PiholeTarget, Duration)}, for a request {@link #startText started} earlier. */
  HttpResponse<String> awaitTextThroughInterrupts(CompletableFuture<HttpResponse<String>> answer, PiholeTarget target, Duration grace) {
    return awaitText(answer, target, grace);
  }

  /** No answer came within the grace after an interrupt; the thread is left interrupted. */
  static final class Interrupted extends RuntimeException {
    private static final long serialVersionUID = 1L;

    Interrupted() {
      super("interrupted before the answer came", null, false, false);
    }
  }

  /** The answer of {@link #startText}, bounded as {@link #sendForText}'s is; the time limit counts from this call. */
  HttpResponse<String> awaitText(CompletableFuture<HttpResponse<String>> answer, PiholeTarget target) {
    return awaitText(answer, target, null);
  }

  /** @param grace how much longer the answer is awaited after an interrupt; null: not at all */
  private HttpResponse<String> awaitText(CompletableFuture<HttpResponse<String>> answer, PiholeTarget target, Duration grace) {
    return awaitText(answer, target, grace, target.timeout());
  }

  /** @param limit how long the whole answer may take */
  private HttpResponse<String> awaitText(CompletableFuture<HttpResponse<String>> answer, PiholeTarget target, Duration grace, Duration limit) {
    long deadline = System.nanoTime() + limit.toNanos();
    long graceEnds = Long.MAX_VALUE;
    boolean interrupted = false;
    try {
      while (true) {
        try {
          if (interrupted && System.nanoTime() - graceEnds >= 0) {
            answer.cancel(true);
            throw new Interrupted();
          }
          long left = Math.min(deadline - System.nanoTime(), interrupted ? graceEnds - System.nanoTime() : Long.MAX_VALUE);
          HttpResponse<String> response;
          try {
            response = answer.get(Math.max(0, left), TimeUnit.NANOSECONDS);
          } catch (TimeoutException e) {
            if (interrupted && System.nanoTime() - deadline < 0) {
              continue; // the grace ran out first
            }
            throw e;
          }
          Optional<PiholeException> mismatch = schemes.explain(target, response.statusCode(), response.body())
              .or(() -> Redirect.explain(target, response));
          if (mismatch.isPresent()) {
            throw mismatch.get();
          }
          noteEcho(response, target);
          return response;
        } catch (InterruptedException e) {
          if (grace == null) {
            answer.cancel(true);
            Thread.currentThread().interrupt();
            throw new PiholeException(PiholeException.Failure.TIMEOUT, "interrupted while talking to Pi-hole '" + target.name() + "'", e);
          }
          if (!interrupted) {
            graceEnds = System.nanoTime() + grace.toNanos();
          }
          interrupted = true;
        }
      }
    } catch (TimeoutException e) {
      answer.cancel(true);
      throw new PiholeException(PiholeException.Failure.TIMEOUT, "Pi-hole '%s' at %s did not finish its answer within %s — it may be overloaded; raise %s if it is just slow"
          .formatted(target.name(), target.url(), Errors.seconds(limit), target.setting("TIMEOUT_SECONDS", "timeout")),
          "it did not finish its answer within " + Errors.seconds(limit), e);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof TooLarge) {
        throw new PiholeException(PiholeException.Failure.SERVER_ERROR, "Pi-hole '%s' at %s sent more than %d KiB where a short JSON answer was expected — check that the URL is that of a Pi-hole"
            .formatted(target.name(), target.url(), MAX_TEXT_BYTES / 1024), e.getCause());
      }
      if (e.getCause() instanceof IOException io) {
        throw failure(target, io);
      }
      throw new PiholeException(PiholeException.Failure.UNREACHABLE, "Pi-hole '%s' at %s: %s".formatted(target.name(), target.url(), e.getCause()), e.getCause());
    } finally {
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }

  private static final class TooLarge extends IOException {
    private static final long serialVersionUID = 1L;

    TooLarge() {
      super("answer too large");
    }
  }

  /** Collects a UTF-8 body and gives up, cancelling the download, once it passes {@code max} bytes. */
  private static final class BoundedText implements HttpResponse.BodySubscriber<String> {
    private final int max;
    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final CompletableFuture<String> body = new CompletableFuture<>();
    private Flow.Subscription subscription;

    BoundedText(int max) {
      this.max = max;
    }

    @Override
    public CompletionStage<String> getBody() {
      return body;
    }

    @Override
    public void onSubscribe(Flow.Subscription s) {
      subscription = s;
      s.request(Long.MAX_VALUE);
    }

    @Override
    public void onNext(List<ByteBuffer> buffers) {
      for (ByteBuffer b : buffers) {
        if (bytes.size() + b.remaining() > max) {
          subscription.cancel();
          body.completeExceptionally(new TooLarge());
          return;
        }
        byte[] chunk = new byte[b.remaining()];
        b.get(chunk);
        bytes.writeBytes(chunk);
      }
    }

    @Override
    public void onError(Throwable t) {
      body.completeExceptionally(t);
    }

    @Override
    public void onComplete() {
      body.complete(bytes.toString(StandardCharsets.UTF_8));
    }
  }

  /** The downloads in progress, to cut them off at shutdown. */
  private final Set<Guard> downloads = ConcurrentHashMap.newKeySet();

  /**
   * Ends a download that runs past {@code limit}, or that is cancelled: java.net.http bounds
   * only the wait for the headers, and a blocked read of its body wakes neither at a timeout
   * nor at an interrupt (it swallows that) — only when the body is closed from another thread.
   */
  Guard guard(Closeable body, Duration limit) {
    Guard guard = new Guard(body, Thread.currentThread(), limit);
    downloads.add(guard);
    if (Thread.currentThread().isInterrupted()) {
      guard.cancel(); // cancelled between the answer's headers and its body
    }
    return guard;
  }

  /** Cuts every download in progress off; their threads are left interrupted. */
  void cancelAll() {
    downloads.forEach(Guard::cancel);
  }

  final class Guard implements AutoCloseable {
    private final AtomicBoolean expired = new AtomicBoolean();
    private final AtomicBoolean cancelled = new AtomicBoolean();
    private final Closeable body;
    private final ScheduledFuture<?> timer;

    private Guard(Closeable body, Thread reader, Duration limit) {
      this.body = body;
      this.timer = watchdog.schedule(() -> {
        expired.set(true);
        reader.interrupt();
        closeBody();
      }, limit.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void cancel() {
      cancelled.set(true);
      closeBody();
    }

    private void closeBody() {
      try {
        body.close();
      } catch (IOException e) {
        // the reader fails either way
      }
    }

    boolean expired() {
      return expired.get();
    }

    /**
     * {@code body}, whose last byte ends this guard's time limit: the limit bounds the Pi-hole's sending, and what the reader
     * does after it (an fsync, the archive's inspection, which may wait its turn behind other archive work for minutes) is
     * no longer the Pi-hole's to finish in time. A shutdown still cuts it off.
     */
    InputStream untilLastByte(InputStream body) {
      return new FilterInputStream(body) {
        @Override
        public int read() throws IOException {
          return ended(super.read());
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
          return ended(super.read(b, off, len));
        }

        private int ended(int read) {
          if (read == -1) {
            timer.cancel(false);
          }
          return read;
        }
      };
    }

    @Override
    public void close() {
      timer.cancel(false);
      downloads.remove(this);
      if (expired.get()) {
        Thread.interrupted(); // the interrupt was ours, not a request to stop the job's thread
      } else if (cancelled.get()) {
        Thread.currentThread().interrupt(); // tells the caller that the download was cancelled, not broken
      }
    }
  }
}
