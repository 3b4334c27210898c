package io.piholecheckpoint.pihole;

import io.piholecheckpoint.core.gateway.PiholeException;
import io.piholecheckpoint.core.gateway.PiholeException.Failure;
import io.piholecheckpoint.core.gateway.PiholeTarget;
import io.piholecheckpoint.core.instance.TlsTrust;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.net.http.HttpTimeoutException;
import java.nio.channels.UnresolvedAddressException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import javax.net.ssl.SSLSocket;

/**
 * Recognises a URL whose scheme does not match what its port speaks, a mistake the transport
 * error alone hides: {@code http://} to a TLS port ends in "EOF reached while reading" (or an
 * nginx-style 400 page, or a TLS alert), {@code https://} to a plain port in the JVM's
 * "Unrecognized SSL message". It is permanent, so it is said as such and not retried.
 *
 * <p>For {@code http://} the suspicion is confirmed by a TLS handshake with the same port (no
 * request is sent on it), so a server that merely crashed is not taken for a TLS port.
 */
final class SchemeMismatch {
  /**
   * The probes' bound: a host that is down costs a job at most this much more. Its own, not only
   * the connect timeout: a probe is a fresh connection that has to be answered, while the request
   * before it may have timed out only because its ClientHello was never answered; but never less
   * patient than the client (a busy host answers a first handshake slowly).
   */
  private final int probeTimeoutMillis;

  SchemeMismatch(Duration connectTimeout) {
    this.probeTimeoutMillis = (int) Math.min(Integer.MAX_VALUE, Math.max(Duration.ofSeconds(3).toMillis(), connectTimeout.toMillis()));
  }

  /**
   * The failure of a request, as a scheme mismatch if it is one. A plain server that does not
   * answer a TLS ClientHello at all (the JDK's) shows as a timeout: then a plain request tells.
   */
  Optional<PiholeException> explain(PiholeTarget target, IOException e) {
    URI uri = uri(target);
    boolean timedOut = has(e, HttpTimeoutException.class); // java.net.http's connect timeout is a ConnectException too
    if (uri == null || (!timedOut && refusedOrUnresolved(e))) {
      return Optional.empty();
    }
    if (scheme(uri).equals("https")) {
      boolean plaintext = messages(e).contains("plaintext connection") || messages(e).contains("Unrecognized SSL message");
      return plaintext || (timedOut && speaksPlainHttp(uri)) ? Optional.of(mismatch(target, uri, "http", e)) : Optional.empty();
    }
    return !timedOut && speaksTls(uri) ? Optional.of(mismatch(target, uri, "https", e)) : Optional.empty();
  }

  /** An answer of a plain {@code http://} request that a TLS port gives (nginx: "The plain HTTP request was sent to HTTPS port"). */
  Optional<PiholeException> explain(PiholeTarget target, int status, String body) {
    URI uri = uri(target);
    if (uri == null || status != 400 || !scheme(uri).equals("http") || (body != null && body.stripLeading().startsWith("{"))) {
      return Optional.empty();
    }
    return speaksTls(uri) ? Optional.of(mismatch(target, uri, "https", null)) : Optional.empty();
  }

  private static PiholeException mismatch(PiholeTarget target, URI uri, String other, IOException cause) {
    String speaks = other.equals("https") ? "speaks HTTPS (TLS) on port %d, but the URL says http://" : "speaks plain HTTP on port %d, but the URL says https://";
    String message = ("Pi-hole '%s' at %s " + speaks + ": the scheme does not match the port — use %s instead (fix %s)")
        .formatted(target.name(), target.url(), port(uri), rewritten(uri, other), target.setting("URL", "URL"));
    return new PiholeException(Failure.SCHEME_MISMATCH, message, cause);
  }

  /** The same URL with the other scheme, its port written only where it is not the new scheme's default. */
  static String rewritten(URI uri, String scheme) {
    int port = port(uri);
    try {
      return new URI(scheme, uri.getUserInfo(), uri.getHost(), port == defaultPort(scheme) ? -1 : port, uri.getPath(), uri.getQuery(), null).toString();
    } catch (URISyntaxException e) {
      return scheme + "://" + uri.getHost() + ":" + port;
    }
  }

  /** Whether the port completes a TLS handshake; any certificate will do, as nothing is sent on it. */
  private boolean speaksTls(URI uri) {
    var context = TlsContexts.forTrust(TlsTrust.INSECURE, null);
    try (SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket()) {
      socket.connect(new InetSocketAddress(uri.getHost(), port(uri)), probeTimeoutMillis);
      socket.setSoTimeout(probeTimeoutMillis);
      socket.startHandshake();
      return true;
    } catch (IOException | RuntimeException e) {
      return false;
    }
  }

  /** Whether the port answers a plain {@code HEAD /} with an HTTP status line. */
  private boolean speaksPlainHttp(URI uri) {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress(uri.getHost(), port(uri)), probeTimeoutMillis);
      socket.setSoTimeout(probeTimeoutMillis);
      socket.getOutputStream().write("HEAD / HTTP/1.0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
      return new String(socket.getInputStream().readNBytes(5), StandardCharsets.US_ASCII).equals("HTTP/");
    } catch (IOException | RuntimeException e) {
      return false;
    }
  }

  /** Failures before any server answered: they say nothing about its scheme. */
  private static boolean refusedOrUnresolved(IOException e) {
    return has(e, ConnectException.class) || has(e, UnknownHostException.class) || has(e, UnresolvedAddressException.class);
  }

  private static boolean has(Throwable e, Class<? extends Throwable> type) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (type.isInstance(t)) {
        return true;
      }
    }
    return false;
  }

  private static URI uri(PiholeTarget target) {
    try {
      URI uri = new URI(target.url() == null ? "" : target.url().trim());
      return uri.getHost() == null || uri.getScheme() == null ? null : uri;
    } catch (URISyntaxException e) {
      return null;
    }
  }

  private static String scheme(URI uri) {
    return uri.getScheme().toLowerCase(Locale.ROOT);
  }

  private static int port(URI uri) {
    return uri.getPort() == -1 ? defaultPort(scheme(uri)) : uri.getPort();
  }

  private static int defaultPort(String scheme) {
    return scheme.equals("https") ? 443 : 80;
  }

  private static String messages(Throwable e) {
    StringBuilder all = new StringBuilder();
    for (Throwable t = e; t != null; t = t.getCause()) {
      all.append(t.getMessage()).append('\n');
    }
    return all.toString();
  }
}
