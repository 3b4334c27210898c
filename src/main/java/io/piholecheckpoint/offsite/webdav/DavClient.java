package io.piholecheckpoint.offsite.webdav;

import io.piholecheckpoint.core.offsite.remote.DestinationConfig;
import io.piholecheckpoint.core.offsite.remote.DestinationException;
import io.piholecheckpoint.core.offsite.remote.DestinationException.Problem;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import javax.net.ssl.SSLException;

/**
 * The few WebDAV verbs the destination needs, over the JDK's HTTP client, and what their failures
 * mean to the core. Redirects are never followed: the password would go along to wherever they
 * point. TLS is verified against the JDK's trust store.
 */
final class DavClient {
  private final HttpClient http;
  private final URI base;
  private final String authorization;
  private final Duration timeout;
  private final DestinationConfig config;
  private final String where;

  /**
   * @param base the folder's http(s) URL, ending in {@code /}
   * @param authorization the {@code Authorization} header's value; null for a server that asks for none
   * @param where the destination as messages name it, without secrets
   */
  DavClient(DestinationConfig config, URI base, String authorization, String where) {
    this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(config.timeout())
        .followRedirects(HttpClient.Redirect.NEVER).build();
    this.base = base;
    this.authorization = authorization;
    this.timeout = config.timeout();
    this.config = config;
    this.where = where;
  }

  /** The URL of a key, or of a folder when {@code relative} ends in {@code /}; {@code ""} is the base. */
  URI resolve(String relative) {
    StringBuilder url = new StringBuilder(base.toString());
    for (byte b : relative.getBytes(StandardCharsets.UTF_8)) {
      char c = (char) (b & 0xff);
      if (c == '/' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || "-._~".indexOf(c) >= 0) {
        url.append(c);
      } else {
        url.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16))).append(Character.toUpperCase(Character.forDigit(c & 0xf, 16)));
      }
    }
    return URI.create(url.toString());
  }

  String basePath() {
    return base.getPath();
  }

  HttpRequest.Builder request(URI uri) {
    HttpRequest.Builder request = HttpRequest.newBuilder(uri);
    return authorization == null ? request : request.header("Authorization", authorization);
  }

  /**
   * Sends a request whose answer's body is not needed, within the timeout.
   *
   * @return the status, one of {@code expected}
   */
  int send(HttpRequest.Builder request, String what, int... expected) throws IOException {
    HttpResponse<Void> response;
    try {
      response = http.send(request.timeout(timeout).build(), BodyHandlers.discarding());
    } catch (IOException e) {
      throw failure(what, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("interrupted while " + what);
    }
    return expect(response, what, expected);
  }

  /** Sends a request whose answer's body is streamed; a body that stalls for the timeout fails. */
  HttpResponse<InputStream> stream(HttpRequest.Builder request, String what) throws IOException {
    try {
      return http.send(request.timeout(timeout).build(), info -> new IdleTimedBody(timeout, e -> failure(what, e)));
    } catch (IOException e) {
      throw failure(what, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("interrupted while " + what);
    }
  }

  /**
   * PUTs {@code length} bytes of {@code in} with that Content-Length, streamed. No limit on the whole
   * (a large archive on a slow line takes long), but it fails when no byte moved and no answer came
   * for a whole timeout: java.net.http's own timeout would count the upload too.
   */
  int upload(URI uri, InputStream in, long length, String what, int... expected) throws IOException {
    UploadSource source = new UploadSource(in, length);
    HttpRequest request = request(uri).PUT(BodyPublishers.fromPublisher(BodyPublishers.ofInputStream(() -> source), length)).build();
    CompletableFuture<HttpResponse<Void>> answer = http.sendAsync(request, BodyHandlers.discarding());
    try {
      for (long seen = -1; ; ) {
        try {
          return expect(answer.get(timeout.toMillis(), TimeUnit.MILLISECONDS), what, expected);
        } catch (TimeoutException e) {
          if (source.sent() == seen) {
            throw failure(what, new HttpTimeoutException("no progress"));
          }
          seen = source.sent();
        }
      }
    } catch (ExecutionException e) {
      if (source.failure() != null) {
        throw new DestinationException(Problem.FAILED, what + " stopped: reading it here failed after " + source.sent() + " of " + length
            + " bytes (" + source.failure().getMessage() + "); it will be sent again", source.failure());
      }
      throw failure(what, e.getCause() instanceof IOException io ? io : new IOException(e.getCause()));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("interrupted while " + what);
    } finally {
      answer.cancel(true); // aborts the exchange when it is still running; nothing when done
    }
  }

  private int expect(HttpResponse<?> response, String what, int... expected) throws DestinationException {
    if (Arrays.stream(expected).noneMatch(s -> s == response.statusCode())) {
      throw failure(what, response);
    }
    return response.statusCode();
  }

  /** What an unexpected status means: a setting to change, a full disk, or a server's failure. */
  DestinationException failure(String what, HttpResponse<?> response) {
    int status = response.statusCode();
    String prefix = what + " on " + where + " ";
    if (status == 401 || status == 403) {
      return new DestinationException(Problem.REFUSED, prefix + "was refused (HTTP " + status + "): check " + config.variable("USER")
          + " and " + config.variable("PASSWORD") + ", and that the user may write to the folder");
    }
    if (status == 507 || status == 413) {
      return new DestinationException(Problem.FULL, prefix + "failed: the server has no room (HTTP " + status
          + "); free space or a larger quota there, or lower the destination's retention");
    }
    if (status >= 300 && status < 400) {
      String to = response.headers().firstValue("Location").map(DavClient::withoutSecrets).orElse("elsewhere");
      return new DestinationException(Problem.FAILED, prefix + "was redirected (HTTP " + status + ") to " + to
          + "; redirects are not followed so that the password goes nowhere else: set " + config.variable("URL") + " to the address it gives");
    }
    return new DestinationException(Problem.FAILED, prefix + "failed: the server answered HTTP " + status);
  }

  /** What a failure of the network means; a {@link DestinationException} is passed on. */
  DestinationException failure(String what, IOException e) {
    if (e instanceof DestinationException d) {
      return d;
    }
    String prefix = what + " on " + where + " ";
    if (e instanceof HttpTimeoutException) {
      return new DestinationException(Problem.TIMEOUT, prefix + "got no answer within " + timeout.toSeconds()
          + " s: the server or the line is too slow or down; it is tried again later", e);
    }
    if (e instanceof ConnectException) {
      return new DestinationException(Problem.UNREACHABLE, prefix + "failed: nothing answers at " + base.getAuthority()
          + " — is the server up, and the host and port in " + config.variable("URL") + " right?", e);
    }
    if (e instanceof SSLException) {
      return new DestinationException(Problem.FAILED, prefix + "failed at the TLS handshake (" + e.getMessage()
          + "): the server's certificate must be valid for its name and trusted by Java's trust store", e);
    }
    return new DestinationException(Problem.UNREACHABLE, prefix + "failed: the connection broke (" + e.getMessage()
        + "); it is tried again later", e);
  }

  /** A Location for a message: scheme, host and path only, never a user, password or query. */
  private static String withoutSecrets(String location) {
    try {
      URI uri = URI.create(location.strip());
      return uri.getScheme() == null ? uri.getPath() : uri.getScheme() + "://" + uri.getHost() + (uri.getPort() < 0 ? "" : ":" + uri.getPort()) + uri.getPath();
    } catch (IllegalArgumentException e) {
      return "an address that is not a URL";
    }
  }

  /** The caller's stream as java.net.http reads it: counted, held to its length, never closed here. */
  private static final class UploadSource extends InputStream {
    private final InputStream in;
    private final long length;
    private volatile long sent;
    private volatile IOException failure;

    UploadSource(InputStream in, long length) {
      this.in = in;
      this.length = length;
    }

    long sent() {
      return sent;
    }

    IOException failure() {
      return failure;
    }

    @Override
    public int read() throws IOException {
      byte[] one = new byte[1];
      return read(one, 0, 1) == -1 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      if (sent >= length) {
        return -1;
      }
      try {
        int n = in.read(b, off, (int) Math.min(len, length - sent));
        if (n == -1) {
          throw new IOException("the data ended after " + sent + " of " + length + " bytes");
        }
        sent += n;
        return n;
      } catch (IOException e) {
        failure = e;
        throw e;
      }
    }

    @Override
    public void close() {
      // the caller's stream: the port leaves it open
    }
  }
}
