package io.piholecheckpoint.web;

import io.piholecheckpoint.core.access.Access;
import io.piholecheckpoint.core.access.Sessions;
import io.piholecheckpoint.core.access.TrustedProxies;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Set;

/**
 * Who is asking and whether they may: the client address (believing X-Forwarded-* only from
 * TRUSTED_PROXIES), sign-in (session cookie, or the API token for {@code /api/v1}), and the
 * CSRF token on every browser request that changes something.
 *
 * <p>CSRF uses a double-submit token: an HttpOnly, SameSite=Strict cookie that the page repeats
 * in a form field or the {@code X-CSRF-Token} header; another site can neither read the cookie
 * nor make the browser send it. Requests that carry no cookie, no Origin and no Fetch metadata
 * do not come from a browser, so they are not open to CSRF: scripts need no token (and, with
 * sign-in on, authenticate with the API token instead).
 */
public final class AccessFilter extends HttpFilter {
  static final String CSRF_HEADER = "X-CSRF-Token";
  static final String CSRF_FIELD = "_csrf";
  /** Request attributes that pages render: the CSRF token, whether sign-in is on, whether signed in. */
  static final String CSRF_ATTRIBUTE = "checkpoint.csrf";
  static final String SIGN_IN_ATTRIBUTE = "checkpoint.signInRequired";
  static final String SIGNED_IN_ATTRIBUTE = "checkpoint.signedIn";

  private static final Set<String> SAFE_METHODS = Set.of("GET", "HEAD", "OPTIONS");

  private final Access access;
  private final Json json;
  private final SecureRandom random = new SecureRandom();

  public AccessFilter(Access access, Json json) {
    this.access = access;
    this.json = json;
  }

  @Override
  protected void doFilter(HttpServletRequest direct, HttpServletResponse response, FilterChain chain) throws IOException, ServletException {
    TrustedProxies.Client client = access.proxies().resolve(direct.getRemoteAddr(), direct.isSecure(),
        direct.getHeader("X-Forwarded-For"), direct.getHeader("X-Forwarded-Proto"));
    HttpServletRequest request = new ClientRequest(direct, client);
    String path = request.getRequestURI().substring(request.getContextPath().length());
    boolean api = path.startsWith("/api/");

    if (path.equals("/metrics") || path.startsWith("/metrics/")) {
      if (access.metricsToken().isPresent() && !access.metricsToken().get().acceptsHeader(request.getHeader("Authorization"))) {
        unauthorized(response, "send the METRICS_TOKEN as Authorization: Bearer <token>");
        return;
      }
      chain.doFilter(request, response);
      return;
    }
    if (path.equals("/health") || path.startsWith("/static/")) {
      chain.doFilter(request, response);
      return;
    }

    boolean bearer = api && access.apiToken().isPresent() && access.apiToken().get().acceptsHeader(request.getHeader("Authorization"));
    String csrf = Cookies.read(request, Cookies.CSRF);
    if (!SAFE_METHODS.contains(request.getMethod()) && !bearer && fromBrowser(request) && !csrfMatches(request, csrf)) {
      forbidden(request, response, api);
      return;
    }
    if (csrf == null && !api) {
      csrf = Sessions.randomToken(random);
      Cookies.write(request, response, Cookies.CSRF, csrf, "Strict");
    }
    request.setAttribute(CSRF_ATTRIBUTE, csrf == null ? "" : csrf);
    request.setAttribute(SIGN_IN_ATTRIBUTE, access.signInRequired());

    boolean signedIn = access.signInRequired() && access.sessions().touch(Cookies.read(request, Cookies.SESSION));
    request.setAttribute(SIGNED_IN_ATTRIBUTE, signedIn);
    if (!access.signInRequired() || signedIn || bearer || path.equals("/login")) {
      chain.doFilter(request, response);
    } else if (api) {
      unauthorized(response, "sign in, or send the API_TOKEN as Authorization: Bearer <token>");
    } else {
      String target = path + (request.getQueryString() == null ? "" : "?" + request.getQueryString());
      response.setHeader("Cache-Control", "no-store");
      response.sendRedirect(request.getContextPath() + "/login?next=" + URLEncoder.encode(target, StandardCharsets.UTF_8));
    }
  }

  private static boolean fromBrowser(HttpServletRequest request) {
    return request.getHeader("Cookie") != null || request.getHeader("Origin") != null || request.getHeader("Sec-Fetch-Site") != null;
  }

  private static boolean csrfMatches(HttpServletRequest request, String expected) {
    if (expected == null) {
      return false;
    }
    String sent = request.getHeader(CSRF_HEADER);
    if (sent == null && request.getContentType() != null && request.getContentType().startsWith("application/x-www-form-urlencoded")) {
      sent = request.getParameter(CSRF_FIELD);
    }
    return sent != null && MessageDigest.isEqual(expected.getBytes(StandardCharsets.US_ASCII), sent.getBytes(StandardCharsets.US_ASCII));
  }

  private void unauthorized(HttpServletResponse response, String message) throws IOException {
    response.setHeader("WWW-Authenticate", "Bearer realm=\"pihole-checkpoint\"");
    json.error(response, 401, "unauthorized", message);
  }

  private void forbidden(HttpServletRequest request, HttpServletResponse response, boolean api) throws IOException {
    String message = "this request has no valid CSRF token: reload the page and try again"
        + (api ? " (scripts: send the API_TOKEN as Authorization: Bearer <token>, and no cookies)" : "");
    if (api) {
      json.error(response, 403, "csrf", message);
    } else {
      response.setStatus(403);
      response.setContentType("text/plain;charset=UTF-8");
      response.setHeader("Cache-Control", "no-store");
      response.getWriter().write("Forbidden: " + message + ".\n");
    }
  }

  /** The request as seen from the client's side of any trusted proxy. */
  private static final class ClientRequest extends HttpServletRequestWrapper {
    private final TrustedProxies.Client client;

    ClientRequest(HttpServletRequest request, TrustedProxies.Client client) {
      super(request);
      this.client = client;
    }

    @Override
    public String getRemoteAddr() {
      return client.address();
    }

    @Override
    public String getRemoteHost() {
      return client.address();
    }

    @Override
    public boolean isSecure() {
      return client.secure();
    }

    @Override
    public String getScheme() {
      return client.secure() ? "https" : "http";
    }
  }
}
