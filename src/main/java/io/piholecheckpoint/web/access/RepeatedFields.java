package io.piholecheckpoint.web.access;

import jakarta.servlet.http.HttpServletRequest;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A form field that may come once and came twice ({@code mode=lists&mode=exact}): the servlet would
 * read the first and drop the other, so which was meant is not ours to guess, as a JSON body's repeated
 * key is not. Asked once, here, of every page's form post (the address's query counts with the body),
 * so no form can forget it.
 */
final class RepeatedFields {
  /** The fields a form sends once for each ticked box: the sync group's replicas. */
  private static final Set<String> LISTS = Set.of("replicas");

  private RepeatedFields() {
  }

  /** The first field (by name) a url-encoded form post repeats, if any. */
  static Optional<String> in(HttpServletRequest request) {
    String type = request.getContentType();
    if (!request.getMethod().equals("POST") || type == null || !type.toLowerCase(Locale.ROOT).startsWith("application/x-www-form-urlencoded")) {
      return Optional.empty();
    }
    return request.getParameterMap().entrySet().stream()
        .filter(field -> field.getValue().length > 1 && !LISTS.contains(field.getKey()))
        .map(Map.Entry::getKey).sorted().findFirst();
  }
}
