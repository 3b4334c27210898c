package io.piholecheckpoint.web.access;

import io.piholecheckpoint.web.HttpErrors;
import io.piholecheckpoint.web.Views;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.IntFunction;

/**
 * The app's own error page, by status, for the requests Jetty refuses before the web app runs for a reason other than
 * the path (a malformed or doubled Host header, headers too large): Jetty's own page names itself and quotes the
 * request. (What it refuses in the request line itself, before any header, is JSON: see the launcher's ApiErrorHandler.) Rendered on first need and kept, as
 * {@link BadPathPage} is, and a plain JDK type for the same reason: the launcher's error handler sees no class of ours.
 */
final class RefusedPages implements IntFunction<String> {
  private final Views views;
  private final boolean signInRequired;
  private final Map<Integer, String> pages = new ConcurrentHashMap<>();

  RefusedPages(Views views, boolean signInRequired) {
    this.views = views;
    this.signInRequired = signInRequired;
  }

  @Override
  public String apply(int status) {
    return pages.computeIfAbsent(status, s -> views.errorPage(answer(s), signInRequired));
  }

  /** Only fixed texts: what Jetty found wrong may quote the request, which a page must not echo. */
  static HttpErrors.Answer answer(int status) {
    return switch (status) {
      case 400 -> answer(status, "bad_request", "Bad request", "The server could not read this request: its request line or a"
          + " header (such as Host) is malformed. Open the page from the app's own links; behind a proxy, check what it sends on.");
      case 431 -> answer(status, "request_header_fields_too_large", "Headers too large", "The request's headers are too large"
          + " for the server to read, most often because the browser holds too many or too large cookies for this host."
          + " Remove this site's cookies, then sign in again.");
      default -> answer(status, "refused", "Request refused", "The server refused this request before reading it (HTTP "
          + status + "). Open the page from the app's own links.");
    };
  }

  private static HttpErrors.Answer answer(int status, String code, String title, String message) {
    return new HttpErrors.Answer(status, code, message, title, message, null, null, null);
  }
}
