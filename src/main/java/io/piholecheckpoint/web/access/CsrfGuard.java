package io.piholecheckpoint.web.access;

import io.piholecheckpoint.core.access.CsrfTokens;
import jakarta.servlet.http.HttpServletRequest;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.Function;

/**
 * Whether a request that changes something and comes from a browser was sent by one of our own
 * pages. A request is a browser's when it carries anything only browsers send on their own: a
 * cookie, {@code Origin}, {@code Referer} or any {@code Sec-Fetch-*} header (every modern browser
 * sends {@code Sec-Fetch-Site} with each request, and {@code Origin} with each POST). A browser's
 * request must pass all of: an {@code Origin}, if sent, is this server ({@code null} only when the
 * browser says same-origin); without {@code Origin}, a {@code Referer}, if sent, is this server;
 * {@code Sec-Fetch-Site}, if sent, is not {@code cross-site} (nor a value no browser sends); and
 * the CSRF token (form field {@code _csrf} of a url-encoded form, or header {@code X-CSRF-Token}, the only place a
 * multipart upload may carry it) is the one
 * {@link CsrfTokens} made for this browser's session or browser id. Header values are compared without regard to case. Requests with none of these
 * headers do not come from a browser, so they are not open to CSRF and need no token.
 */
final class CsrfGuard {
  static final String HEADER = "X-CSRF-Token";
  static final String FIELD = "_csrf";
  private static final Set<String> SAFE_METHODS = Set.of("GET", "HEAD", "OPTIONS");
  /**
   * The Sec-Fetch-Site values a page of ours may send: same-site (another port or subdomain of the
   * same site) still needs the token; cross-site and any value no browser sends are refused.
   */
  private static final Set<String> FETCH_SITES_OF_OURS = Set.of("same-origin", "same-site", "none");

  /** Why a request was refused, in words a user can act on. */
  enum Refusal {
    CROSS_SITE("this request comes from another site; use the pages of Pi-hole Checkpoint itself"),
    REPEATED("this request names its origin twice (Origin, Referer, Sec-Fetch-Site or Host more than once), which no browser does"),
    OTHER_SCHEME("this request comes from a page of another scheme (https:// against http://, or the reverse); behind a TLS reverse proxy,"
        + " set TRUSTED_PROXIES to the proxy's address so that its X-Forwarded-Proto is believed"),
    NO_TOKEN("this request has no valid CSRF token: reload the page and try again"),
    /** Which of two tokens counts would be the server's guess, as for the origin headers. */
    TOKEN_TWICE("this request sends the X-CSRF-Token header more than once: send it once"),
    /**
     * A form's {@code _csrf} field beside the header, one of them not valid: which one counts would be the server's guess too,
     * and a bad token is never let through because another was good.
     */
    TOKENS_DISAGREE("this request sends a CSRF token in the X-CSRF-Token header and another in its _csrf field, and they are not both"
        + " valid: reload the page and send its token once, in either"),
    /**
     * A browser's multipart upload (an archive import) with no token in the header: its {@code _csrf} part is not read,
     * since finding it means taking in the whole upload, up to 50 MiB, before the check; the header costs nothing.
     */
    MULTIPART_NO_HEADER("this upload has no valid CSRF token in the X-CSRF-Token header: a multipart/form-data body's _csrf"
        + " part is not read — send the page's token (its csrf-token meta tag) as the X-CSRF-Token header");

    final String message;

    Refusal(String message) {
      this.message = message;
    }
  }

  private final CsrfTokens tokens;

  CsrfGuard(CsrfTokens tokens) {
    this.tokens = tokens;
  }

  /** The token pages render for {@code binding}; empty without one. */
  String tokenFor(String binding) {
    return binding == null ? "" : tokens.issue(binding);
  }

  /** Null if {@code request} may go on; otherwise why not. {@code binding}: this browser's session or browser id. */
  Refusal check(HttpServletRequest request, String binding) {
    if (SAFE_METHODS.contains(request.getMethod())) {
      return null;
    }
    List<String> names = Collections.list(request.getHeaderNames());
    if (!fromBrowser(names)) {
      return null;
    }
    Refusal origin = originRefusal(name -> Collections.list(request.getHeaders(name)), request.getScheme());
    if (origin != null) {
      return origin;
    }
    if (Collections.list(request.getHeaders(HEADER)).size() > 1) {
      return Refusal.TOKEN_TWICE;
    }
    String header = request.getHeader(HEADER);
    String field = formToken(request);
    if (header != null && field != null) {
      return tokens.accepts(binding, header) && tokens.accepts(binding, field) ? null : Refusal.TOKENS_DISAGREE;
    }
    if (tokens.accepts(binding, header != null ? header : field)) {
      return null;
    }
    return request.getHeader(HEADER) == null && multipart(request.getContentType()) ? Refusal.MULTIPART_NO_HEADER : Refusal.NO_TOKEN;
  }

  /** Whether the headers {@code names} (as sent, any case) mark a browser's request. */
  static boolean fromBrowser(Collection<String> names) {
    return names.stream().map(n -> n.toLowerCase(Locale.ROOT))
        .anyMatch(n -> n.equals("cookie") || n.equals("origin") || n.equals("referer") || n.startsWith("sec-fetch-"));
  }

  /** The headers that say where a request comes from: each must come once, or which one counts is the attacker's choice. */
  private static final List<String> ORIGIN_HEADERS = List.of("Origin", "Referer", "Sec-Fetch-Site", "Host");

  /**
   * Why a browser's request, by its {@code headers} (all values of a name, looked up in any case)
   * and the {@code scheme} it reached us by (after a trusted proxy), comes from another origin; null
   * when it is ours.
   */
  static Refusal originRefusal(Function<String, List<String>> headers, String scheme) {
    for (String name : ORIGIN_HEADERS) {
      if (headers.apply(name).size() > 1) {
        return Refusal.REPEATED;
      }
    }
    String origin = trimmed(first(headers.apply("Origin")));
    String site = trimmed(first(headers.apply("Sec-Fetch-Site")));
    String host = first(headers.apply("Host"));
    if (site != null && !FETCH_SITES_OF_OURS.contains(site.toLowerCase(Locale.ROOT))) {
      return Refusal.CROSS_SITE;
    }
    String from = origin;
    if (origin != null) {
      // "Origin: null" is an opaque origin, unless the browser itself says the request is same-origin
      // (a page whose Referrer-Policy is no-referrer sends null with its own posts)
      if (origin.equalsIgnoreCase("null") && site != null && site.equalsIgnoreCase("same-origin")) {
        return null;
      }
    } else {
      String referer = trimmed(first(headers.apply("Referer")));
      if (referer == null) {
        return null;
      }
      from = originOf(referer);
    }
    if (!sameOrigin(from, host)) {
      return Refusal.CROSS_SITE;
    }
    return URI.create(from).getScheme().equalsIgnoreCase(scheme) ? null : Refusal.OTHER_SCHEME;
  }

  private static String first(List<String> values) {
    return values.isEmpty() ? null : values.get(0);
  }

  private static String trimmed(String value) {
    return value == null ? null : value.trim();
  }

  /** "http://pi.lan:8000/instances?x" is "http://pi.lan:8000"; something that is no absolute URL is itself (and no origin of ours). */
  private static String originOf(String url) {
    try {
      URI uri = new URI(url);
      if (uri.getScheme() == null || uri.getRawAuthority() == null || uri.getRawUserInfo() != null) {
        return url;
      }
      return uri.getScheme() + "://" + uri.getRawAuthority();
    } catch (URISyntaxException e) {
      return url;
    }
  }

  private static boolean multipart(String contentType) {
    return contentType != null && contentType.toLowerCase(Locale.ROOT).startsWith("multipart/form-data");
  }

  /** A url-encoded form's {@code _csrf} field; null for any other body (a multipart one's part is not read: MULTIPART_NO_HEADER). */
  private static String formToken(HttpServletRequest request) {
    String type = request.getContentType();
    return type != null && type.toLowerCase(Locale.ROOT).startsWith("application/x-www-form-urlencoded") ? request.getParameter(FIELD) : null;
  }

  /**
   * Whether {@code origin} names the host the browser addressed. The scheme is compared apart
   * ({@link #originRefusal}: its refusal names TRUSTED_PROXIES), the port only when the Host
   * header has one: a proxy on 443 forwards {@code Host: pi.lan} for {@code https://pi.lan}.
   * {@code Origin: null} (sandboxed frames, file pages) is never this server.
   */
  static boolean sameOrigin(String origin, String host) {
    URI uri;
    try {
      uri = new URI(origin);
    } catch (URISyntaxException e) {
      return false;
    }
    boolean bare = uri.getScheme() != null && uri.getHost() != null && uri.getRawUserInfo() == null
        && (uri.getRawPath() == null || uri.getRawPath().isEmpty()) && uri.getRawQuery() == null && uri.getRawFragment() == null;
    if (!bare || host == null || !uri.getHost().toLowerCase(Locale.ROOT).equals(HostCheckFilter.hostName(host))) {
      return false;
    }
    String h = host.trim();
    int colon = h.lastIndexOf(':');
    if (colon < 0 || colon < h.lastIndexOf(']')) {
      return true; // no port in Host
    }
    int originPort = uri.getPort() >= 0 ? uri.getPort() : uri.getScheme().equalsIgnoreCase("https") ? 443 : 80;
    return h.substring(colon + 1).equals(Integer.toString(originPort));
  }
}
