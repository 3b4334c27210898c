package io.piholecheckpoint.web.access;

import io.piholecheckpoint.web.Routes;
import java.util.Optional;
import java.util.Set;

/**
 * Addresses written with a trailing slash, as Pi-hole Checkpoint 1.x (Django) wrote all of its
 * own and its users' monitors and bookmarks still do. One rule for every address of ours and its
 * twin with a trailing slash:
 * <ul>
 *   <li>a monitor's ({@code /health/}, {@code /metrics/}) is answered exactly as the address: a
 *       health check or a scraper may follow no redirect (their servlets are mapped to both);
 *   <li>a page's ({@code /login/}, {@code /settings/}, {@code /instances/1/}, …) is redirected to
 *       the address, keeping the query: 301 for GET and HEAD, as Django did, 308 for other methods,
 *       which keeps method and body — and only when the address takes the method, so a redirect
 *       never leads to a refusal (OPTIONS is answered for the address, as everywhere);
 *   <li>the API's is answered as the address, as it always was: a script's POST must not turn
 *       into a GET.
 * </ul>
 * The path is the one already checked to be plain ({@link RequestPath}), so a twin cannot hide a
 * dot segment or a second slash; the redirect is always to a path of this server, never to a host.
 */
final class SlashTwins {
  /** The monitors' addresses, answered under their twins too. */
  static final Set<String> MONITORS = Set.of("/health", "/metrics");

  private SlashTwins() {
  }

  /** {@code /health} for {@code /health/}; any other path as it is. */
  static String monitorAddress(String path) {
    String address = withoutSlash(path);
    return !address.equals(path) && MONITORS.contains(address) ? address : path;
  }

  /**
   * Where a page's twin is redirected to (the address and {@code query}), or empty when {@code path}
   * is no page's twin or its address does not take {@code method}.
   */
  static Optional<String> redirect(String method, String path, String query, Routes routes) {
    String address = withoutSlash(path);
    if (address.equals(path) || method.equals("OPTIONS") || address.isEmpty() || !address.startsWith("/") || address.startsWith("//") || address.contains("\\")) {
      return Optional.empty();
    }
    Gate gate = Gate.of(address);
    if (gate != Gate.PAGE && gate != Gate.SIGN_IN) {
      return Optional.empty();
    }
    String asked = method.equals("HEAD") ? "GET" : method;
    boolean takes = routes.methods(address).map(m -> m.contains(asked)).orElse(false);
    return takes ? Optional.of(address + (query == null ? "" : "?" + query)) : Optional.empty();
  }

  /** 301 as Django answered, for GET and HEAD; 308 for the others, which keeps their method and body. */
  static int status(String method) {
    return method.equals("GET") || method.equals("HEAD") ? 301 : 308;
  }

  private static String withoutSlash(String path) {
    return path.length() > 1 && path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
  }
}
