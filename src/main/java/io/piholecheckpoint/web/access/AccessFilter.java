package io.piholecheckpoint.web.access;

import io.piholecheckpoint.core.access.Access;
import io.piholecheckpoint.core.access.Sessions;
import io.piholecheckpoint.core.access.TrustedProxies;
import io.piholecheckpoint.web.Json;
import io.piholecheckpoint.web.Views;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.List;

/**
 * Who is asking and whether they may: the client address (believing X-Forwarded-* only from
 * TRUSTED_PROXIES), sign-in (session cookie, or the API token for {@code /api/v1}), and the
 * CSRF checks ({@link CsrfGuard}) on every browser request that changes something.
 *
 * <p>The decision is made on the path the container dispatches ({@link RequestPath}), by the
 * {@link Gate} of that path: a deny-by-default list, not prefixes of the raw request URI. A raw
 * path that is not plainly the dispatched one is refused with 400 before anything else.
 */
public final class AccessFilter extends HttpFilter {
  /** Set once a request has passed the wall with credentials; a forward or include needs it for what is not open. */
  private static final String ADMITTED_ATTRIBUTE = "checkpoint.admitted";
  /** The methods some servlet answers; PATCH, TRACE and the rest get 405 here (a servlet would answer 501 or echo). */
  private static final List<String> METHODS = List.of("GET", "HEAD", "POST", "PUT", "DELETE", "OPTIONS");

  private final Access access;
  private final Json json;
  private final CsrfGuard csrf;
  private final SecureRandom random = new SecureRandom();

  public AccessFilter(Access access, Json json) {
    this.access = access;
    this.json = json;
    this.csrf = new CsrfGuard(access.csrf());
  }

  @Override
  protected void doFilter(HttpServletRequest direct, HttpServletResponse response, FilterChain chain) throws IOException, ServletException {
    RequestPath path = RequestPath.of(direct);
    Gate gate = Gate.of(path.dispatched());
    if (direct.getDispatcherType() != DispatcherType.REQUEST) {
      redispatch(direct, response, chain, gate);
      return;
    }
    TrustedProxies.Client client = access.proxies().resolve(direct.getRemoteAddr(), direct.isSecure(),
        direct.getHeader("X-Forwarded-For"), direct.getHeader("X-Forwarded-Proto"));
    HttpServletRequest request = new ClientRequest(direct, client);
    if (!path.canonical()) {
      refuse(response, gate, 400, "bad_path", "this address is not in plain form (dot segments, '//', ';' parameters, backslashes"
          + " or needless percent-encoding); request the path as the app's own links write it");
    } else if (!METHODS.contains(request.getMethod())) {
      response.setHeader("Allow", String.join(", ", METHODS));
      refuse(response, gate, 405, "method_not_allowed", "this server does not answer " + request.getMethod() + " requests");
    } else if (gate == Gate.OPEN) {
      chain.doFilter(request, response);
    } else if (gate == Gate.METRICS) {
      metrics(request, response, chain);
    } else {
      guarded(request, response, chain, gate, path.dispatched());
    }
  }

  private void metrics(HttpServletRequest request, HttpServletResponse response, FilterChain chain) throws IOException, ServletException {
    if (access.metricsToken().isPresent() && !access.metricsToken().get().acceptsHeader(request.getHeader("Authorization"))) {
      unauthorized(response, "send the METRICS_TOKEN as Authorization: Bearer <token>");
      return;
    }
    chain.doFilter(request, response);
  }

  private void guarded(HttpServletRequest request, HttpServletResponse response, FilterChain chain, Gate gate, String path)
      throws IOException, ServletException {
    boolean bearer = gate == Gate.API && Gate.takesApiToken(path) && access.apiToken().isPresent()
        && access.apiToken().get().acceptsHeader(request.getHeader("Authorization"));
    String session = Cookies.read(request, Cookies.SESSION);
    boolean signedIn = access.signInRequired() && access.sessions().touch(session);
    request.setAttribute(Views.SIGN_IN_ATTRIBUTE, access.signInRequired());
    request.setAttribute(Views.SIGNED_IN_ATTRIBUTE, signedIn);
    if (access.signInRequired() && !signedIn && !bearer && gate != Gate.SIGN_IN) {
      signInFirst(request, response, gate, path);
      return;
    }
    String binding = signedIn ? "session:" + session : browserBinding(request, response, gate);
    CsrfGuard.Refusal refusal = bearer ? null : csrf.check(request, binding);
    if (refusal != null) {
      forbidden(response, gate, refusal);
      return;
    }
    request.setAttribute(Views.CSRF_ATTRIBUTE, csrf.tokenFor(binding));
    request.setAttribute(ADMITTED_ATTRIBUTE, gate != Gate.SIGN_IN || !access.signInRequired() || signedIn);
    chain.doFilter(request, response);
  }

  /** The per-browser id that binds CSRF tokens before sign-in and in open mode; pages give a browser one. */
  private String browserBinding(HttpServletRequest request, HttpServletResponse response, Gate gate) {
    String id = Cookies.read(request, Cookies.CSRF);
    if (id == null && gate != Gate.API) {
      id = Sessions.randomToken(random);
      Cookies.write(request, response, Cookies.CSRF, id, "Strict");
    }
    return id == null ? null : "browser:" + id;
  }

  /**
   * A forward or include (the API hands a request on by name to the servlet of its family; a
   * container may forward for welcome files) is let through to an open path, or to any path if
   * the original request was admitted with credentials.
   * Error dispatches are not filtered: the error page shows no data.
   */
  private void redispatch(HttpServletRequest request, HttpServletResponse response, FilterChain chain, Gate gate)
      throws IOException, ServletException {
    if (gate == Gate.OPEN || Boolean.TRUE.equals(request.getAttribute(ADMITTED_ATTRIBUTE))) {
      chain.doFilter(request, response);
    } else {
      refuse(response, gate, 403, "forbidden", "this resource is not reachable this way");
    }
  }

  private void signInFirst(HttpServletRequest request, HttpServletResponse response, Gate gate, String path) throws IOException {
    if (gate == Gate.API) {
      unauthorized(response, "sign in, or send the API_TOKEN as Authorization: Bearer <token>");
      return;
    }
    String target = path + (request.getQueryString() == null ? "" : "?" + request.getQueryString());
    response.setHeader("Cache-Control", "no-store");
    response.sendRedirect(request.getContextPath() + "/login?next=" + URLEncoder.encode(target, StandardCharsets.UTF_8));
  }

  private void unauthorized(HttpServletResponse response, String message) throws IOException {
    response.setHeader("WWW-Authenticate", "Bearer realm=\"pihole-checkpoint\"");
    json.error(response, 401, "unauthorized", message);
  }

  private void forbidden(HttpServletResponse response, Gate gate, CsrfGuard.Refusal refusal) throws IOException {
    String message = refusal.message
        + (gate == Gate.API ? " (scripts: send the API_TOKEN as Authorization: Bearer <token>, and no cookies)" : "");
    refuse(response, gate, 403, "csrf", message);
  }

  /** A refusal in the shape the caller reads: JSON error for the API, plain text otherwise. */
  private void refuse(HttpServletResponse response, Gate gate, int status, String code, String message) throws IOException {
    if (gate == Gate.API) {
      json.error(response, status, code, message);
      return;
    }
    response.setStatus(status);
    response.setContentType("text/plain;charset=UTF-8");
    response.setHeader("Cache-Control", "no-store");
    String reason = switch (status) {
      case 403 -> "Forbidden";
      case 405 -> "Method not allowed";
      default -> "Bad request";
    };
    response.getWriter().write(reason + ": " + message + ".\n");
  }
}
