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

  /** "VARIABLE (https://host…) is not an http:// or https:// address: what is wrong. {@code then}", or empty when unset or one. */
  public static Optional<String> problem(String variable, String url, String then) {
    String start = redacted(url).startsWith("(") ? "" : " (" + redacted(url) + "…)";
    return url == null || url.isBlank() ? Optional.empty() : httpProblem(url).map(p -> "%s%s is not an http:// or https:// address: %s. %s; the"
        .formatted(variable, start, p, then) + " rest of it is not shown, as it may hold a token");
  }

  /**
   * The value with whatever stands between {@code ://} and the last {@code @} (a user name and
   * password) replaced by {@code ***}, the rest kept so that a person sees which address it was: for
   * a value that may be stored, shown or logged. Cut up to the last {@code @}, not the first
   * {@code /}, since a password may hold a {@code /} or {@code #} of its own.
   */
  public static String withoutUserInfo(String url) {
    if (url == null || url.indexOf('@') < 0) {
      return url;
    }
    int scheme = url.indexOf("://");
    int start = scheme < 0 ? 0 : scheme + 3;
    int at = url.lastIndexOf('@');
    return at < start ? url : url.substring(0, start) + "***" + url.substring(at);
  }

  /**
   * The value with its user name and password ({@link #withoutUserInfo}) and its query and fragment replaced by {@code ***}
   * ({@code http://host/?***}), the rest kept: no Pi-hole address has a query, and one pasted there may hold a password
   * ({@code ?password=…}). The user-info is cut first, up to the last {@code @}, as a password may hold a {@code ?} or
   * {@code #} of its own.
   */
  public static String masked(String url) {
    if (url == null) {
      return null;
    }
    int scheme = url.indexOf("://");
    int start = scheme < 0 ? 0 : scheme + 3;
    String shown = withoutUserInfo(url);
    int query = firstMark(shown, start);
    return query < 0 ? shown : shown.substring(0, query + 1) + "***";
  }

  private static int firstMark(String url, int from) {
    for (int i = from; i < url.length(); i++) {
      if (url.charAt(i) == '?' || url.charAt(i) == '#') {
        return i;
      }
    }
    return -1;
  }
}
