package io.piholecheckpoint.web.access;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Map;

/**
 * Headers that keep the pages to themselves: scripts and styles only from our own files (no
 * inline script exists), never framed, no type sniffing, no referrer leaking URLs to other sites.
 * Registered first, so every answer of the web app carries them, refusals and error pages too;
 * the launcher adds the same to the answers Jetty gives before the web app runs.
 */
public final class SecurityHeadersFilter extends HttpFilter {
  static final String POLICY = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; "
      + "frame-ancestors 'none'; base-uri 'none'; form-action 'self'; object-src 'none'";

  /**
   * The headers. Referrer-Policy is same-origin, not no-referrer: under no-referrer
   * browsers send "Origin: null" with our own form posts and fetches, and the CSRF check could no
   * longer tell them from a foreign page's.
   */
  public static final Map<String, String> HEADERS = Map.of(
      "Content-Security-Policy", POLICY,
      "X-Content-Type-Options", "nosniff",
      "X-Frame-Options", "DENY",
      "Referrer-Policy", "same-origin");

  @Override
  protected void doFilter(HttpServletRequest request, HttpServletResponse response, FilterChain chain) throws IOException, ServletException {
    HEADERS.forEach(response::setHeader);
    chain.doFilter(request, response);
  }
}
