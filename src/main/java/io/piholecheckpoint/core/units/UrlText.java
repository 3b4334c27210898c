package io.piholecheckpoint.core.units;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A URL a user gave (a dead-man ping, a webhook) as it may be logged or shown: its scheme and host
 * only, as its path, query and user-info may hold the token that is the whole credential. Never
 * quote such a URL, or an exception about it: a {@link URISyntaxException}'s message holds its
 * input whole.
 */
public final class UrlText {
  /** Scheme and host as written, read without java.net.URI so that a URL it refuses is shown as far as it can be. */
  private static final Pattern START = Pattern.compile("([A-Za-z][A-Za-z0-9+.-]*)://(?:[^/?#\\s]*@)?(\\[[0-9A-Fa-f:.]+\\]|[A-Za-z0-9.-]+)");

  private UrlText() {
  }

  /** {@code https://hc-ping.com}, or {@code (an address that cannot be read)}: never anything after the host. */
  public static String redacted(String url) {
    Matcher m = url == null ? null : START.matcher(url.strip());
    if (m == null || !m.lookingAt()) {
      return "(an address that cannot be read)";
    }
    return m.group(1).toLowerCase(Locale.ROOT) + "://" + m.group(2);
  }

  /**
   * Why {@code url} is no http:// or https:// address with a host, in words that do not quote it (the reason and the
   * position only), or empty when it is one.
   */
  public static Optional<String> httpProblem(String url) {
    URI uri;
    try {
      uri = new URI(url == null ? "" : url.strip());
    } catch (URISyntaxException e) {
      return Optional.of("it cannot be read as an address (" + e.getReason() + (e.getIndex() < 0 ? "" : " at character " + (e.getIndex() + 1))
          + ": a space, | or other character that must be %-escaped)");
    }
    if (!("http".equalsIgnoreCase(uri.getScheme()) || "https".equalsIgnoreCase(uri.getScheme()))) {
      return Optional.of("it does not start with http:// or https://");
    }
    return uri.getHost() == null ? Optional.of("it has no host that can be read") : Optional.empty();
  }
}
