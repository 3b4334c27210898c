package io.piholecheckpoint.pihole;

import io.piholecheckpoint.core.gateway.PiholeException;
import io.piholecheckpoint.core.gateway.PiholeException.Failure;
import io.piholecheckpoint.core.gateway.PiholeTarget;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpResponse;
import java.util.Locale;
import java.util.Optional;

/**
 * A Pi-hole that answers its API with a redirect, as one set to redirect HTTP to HTTPS does ({@code webserver.port =
 * "80r,443s"}: 301 or 308 to https://). It is never followed: the login's would carry the password wherever Location
 * points. The failure names the address to use instead, as a scheme mismatch does, and is permanent until the URL is fixed.
 */
final class Redirect {
  private Redirect() {
  }

  static Optional<PiholeException> explain(PiholeTarget target, HttpResponse<?> response) {
    int status = response.statusCode();
    Optional<String> location = response.headers().firstValue("Location");
    if (status < 300 || status > 399 || status == 304 || location.isEmpty()) {
      return Optional.empty();
    }
    URI from = response.request().uri();
    URI to;
    try {
      to = from.resolve(location.get().trim());
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
    if (to.getScheme() == null || to.getHost() == null) {
      return Optional.empty();
    }
    String scheme = to.getScheme().toLowerCase(Locale.ROOT);
    int port = to.getPort() < 0 ? (scheme.equals("https") ? 443 : 80) : to.getPort();
    String use = base(target, from, to);
    boolean otherScheme = !scheme.equalsIgnoreCase(from.getScheme());
    String message = ("Pi-hole '%s' at %s redirects to %s://%s:%d (HTTP %d)%s: Checkpoint does not follow a redirect, which would send the"
        + " password on — use %s as the URL (fix %s)").formatted(target.name(), target.url(), scheme, to.getHost(), port, status,
        otherScheme && scheme.equals("https") ? ", as a Pi-hole set to redirect HTTP to HTTPS does" : "", use, target.setting("URL", "URL"));
    return Optional.of(new PiholeException(otherScheme ? Failure.SCHEME_MISMATCH : Failure.MISCONFIGURED, message));
  }

  /** The Pi-hole's address the redirect implies: Location without the API path asked for, its port written only if not the default. */
  private static String base(PiholeTarget target, URI from, URI to) {
    String basePath = URI.create(target.url()).getPath();
    String asked = from.getPath() == null ? "" : from.getPath();
    String call = basePath != null && asked.startsWith(basePath) ? asked.substring(basePath.length()) : asked;
    String path = to.getPath() == null ? "" : to.getPath();
    String prefix = !call.isEmpty() && path.endsWith(call) ? path.substring(0, path.length() - call.length()) : "";
    String scheme = to.getScheme().toLowerCase(Locale.ROOT);
    int port = to.getPort() == (scheme.equals("https") ? 443 : 80) ? -1 : to.getPort();
    try {
      return new URI(scheme, null, to.getHost(), port, prefix.isEmpty() ? null : prefix, null, null).toString();
    } catch (URISyntaxException e) {
      return scheme + "://" + to.getHost() + (port < 0 ? "" : ":" + port);
    }
  }
}
