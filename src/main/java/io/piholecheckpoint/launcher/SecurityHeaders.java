package io.piholecheckpoint.launcher;

import java.util.Map;
import org.eclipse.jetty.http.HttpFields;

/**
 * The web app's security headers (its SecurityHeadersFilter; the launcher does not see the web
 * app's classes, a test keeps the two the same), for the answers Jetty gives before or instead of
 * the web app: a bad escape, an ambiguous path, a URI or headers too long.
 */
final class SecurityHeaders {
  static final Map<String, String> HEADERS = Map.of(
      "Content-Security-Policy", "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; "
          + "frame-ancestors 'none'; base-uri 'none'; form-action 'self'; object-src 'none'",
      "X-Content-Type-Options", "nosniff",
      "X-Frame-Options", "DENY",
      "Referrer-Policy", "same-origin");

  private SecurityHeaders() {
  }

  static void addTo(HttpFields.Mutable fields) {
    HEADERS.forEach(fields::put);
  }
}
