package io.piholecheckpoint.pihole;

import io.piholecheckpoint.core.backup.PiholeException;
import io.piholecheckpoint.core.backup.PiholeTarget;
import java.io.IOException;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.GeneralSecurityException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509ExtendedTrustManager;

/** The two HTTP clients (verifying TLS, and not) and the requests they send. */
final class Transport {
  private final String userAgent;
  private final Duration requestTimeout;
  private final HttpClient verifying;
  private final HttpClient insecure;

  Transport(String userAgent, Duration connectTimeout, Duration requestTimeout) {
    this.userAgent = userAgent;
    this.requestTimeout = requestTimeout;
    this.verifying = builder(connectTimeout).build();
    this.insecure = builder(connectTimeout).sslContext(trustingEverything()).build();
  }

  HttpClient client(boolean verifyTls) {
    return verifyTls ? verifying : insecure;
  }

  HttpRequest.Builder request(String url, String sid) {
    HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(url))
        .timeout(requestTimeout)
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

  private static HttpClient.Builder builder(Duration connectTimeout) {
    // HTTP/1.1: Pi-hole's embedded web server does not speak HTTP/2
    return HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(connectTimeout)
        .followRedirects(HttpClient.Redirect.NEVER);
  }

  /**
   * For {@code VERIFY_SSL=false}: an X509ExtendedTrustManager that accepts any chain. Being
   * the extended kind also switches off the host name check, which java.net.http would
   * otherwise still make.
   */
  private static SSLContext trustingEverything() {
    TrustManager trustAll = new X509ExtendedTrustManager() {
      @Override public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) { }
      @Override public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) { }
      @Override public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) { }
      @Override public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) { }
      @Override public void checkClientTrusted(X509Certificate[] chain, String authType) { }
      @Override public void checkServerTrusted(X509Certificate[] chain, String authType) { }
      @Override public X509Certificate[] getAcceptedIssuers() {
        return new X509Certificate[0];
      }
    };
    try {
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(null, new TrustManager[] {trustAll}, null);
      return context;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("the Java runtime offers no TLS", e);
    }
  }
}
