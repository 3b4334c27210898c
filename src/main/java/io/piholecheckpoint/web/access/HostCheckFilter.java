package io.piholecheckpoint.web.access;

import io.piholecheckpoint.paths.ApiLookingPath;
import io.piholecheckpoint.web.HttpErrors;
import io.piholecheckpoint.web.Json;
import io.piholecheckpoint.web.Views;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Against DNS rebinding: a page of another site that makes its name resolve to this server
 * still sends its own name as Host. Accepted: localhost, any IP literal (so access by LAN
 * address always works) and the names in ALLOWED_HOSTS ({@code *} accepts every name); the
 * monitors' addresses take any name ({@link #monitor}). The
 * refusal is a 400 in the shape the caller reads, as every other refusal: the API's JSON error under {@code /api/}, on an
 * API-looking path or for {@code Accept: application/json}, the app's own error page otherwise (it carries the security
 * headers: {@link SecurityHeadersFilter} runs first). The refused name is said with every character but those of a host
 * name replaced, and the page escapes it besides.
 */
public final class HostCheckFilter extends HttpFilter {
  private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");

  private final List<String> allowed;
  private final Json json;
  private final Views views;
  private final boolean signInRequired;

  public HostCheckFilter(List<String> allowedHosts, Json json, Views views, boolean signInRequired) {
    this.json = json;
    this.views = views;
    this.signInRequired = signInRequired;
    this.allowed = allowedHosts.stream().map(h -> h.trim().toLowerCase(Locale.ROOT)).filter(h -> !h.isEmpty()).toList();
  }

  @Override
  protected void doFilter(HttpServletRequest request, HttpServletResponse response, FilterChain chain) throws IOException, ServletException {
    String host = hostName(request.getHeader("Host"));
    if (accepted(host) || monitor(RequestPath.of(request).dispatched())) {
      chain.doFilter(request, response);
      return;
    }
    // an HTTP/1.0 request may carry no Host at all: there is no name to add to ALLOWED_HOSTS then (outsider 45)
    String message = host.isEmpty() ? "The request names no host (no Host header): send the name you reach Pi-hole Checkpoint by."
        : "This server does not answer to the name '" + host.replaceAll("[^A-Za-z0-9.:\\[\\]-]", "?")
            + "'. If that is how you reach Pi-hole Checkpoint, add it to ALLOWED_HOSTS.";
    response.setHeader("Cache-Control", "no-store");
    String raw = request.getRequestURI() == null ? "" : request.getRequestURI().substring(Math.min(request.getContextPath().length(),
        request.getRequestURI().length()));
    if (Gate.of(RequestPath.of(request).dispatched()) == Gate.API || ApiLookingPath.apiLooking(raw)
        || ApiLookingPath.asksForJson(request.getHeader("Accept"))) {
      json.error(response, 400, "host_not_allowed", message);
      return;
    }
    // the page as a browser that is not signed in sees it: this request reaches no session
    byte[] page = views.errorPage(new HttpErrors.Answer(400, "host_not_allowed", message, "Host not allowed", message, null, null, null),
        signInRequired).getBytes(StandardCharsets.UTF_8);
    response.setStatus(400);
    response.setContentType("text/html;charset=UTF-8");
    response.setContentLength(page.length);
    response.getOutputStream().write(page);
  }

  /**
   * {@code /health} and {@code /metrics} (and their twins with a slash) answer for any Host: a
   * health check or Prometheus beside us in a compose project asks by the service's name
   * ({@code pihole-checkpoint:8000}), and what rebinding protects against — a page that reads or
   * changes what is behind the sign-in — is not there: they change nothing, hold no secret, and
   * METRICS_TOKEN, when set, still guards the metrics.
   */
  static boolean monitor(String path) {
    return SlashTwins.MONITORS.contains(SlashTwins.monitorAddress(path));
  }

  boolean accepted(String host) {
    return host.equals("localhost") || host.endsWith(".localhost") || IPV4.matcher(host).matches() || host.startsWith("[")
        || allowed.contains("*") || allowed.contains(host);
  }

  /** "Pi.Hole:8000" is "pi.hole"; "[::1]:8000" is "[::1]". */
  static String hostName(String header) {
    if (header == null || header.isBlank()) {
      return "";
    }
    String h = header.trim().toLowerCase(Locale.ROOT);
    if (h.startsWith("[")) {
      int end = h.indexOf(']');
      return end < 0 ? h : h.substring(0, end + 1);
    }
    int colon = h.indexOf(':');
    return colon < 0 ? h : h.substring(0, colon);
  }
}
