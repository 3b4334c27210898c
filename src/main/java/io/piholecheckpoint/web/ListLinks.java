package io.piholecheckpoint.web;

import io.piholecheckpoint.core.overview.InstanceFilter;
import io.piholecheckpoint.core.overview.InstanceQuery;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The query string of a page of the instance list ({@code q}, {@code status}, {@code page},
 * {@code size}), for the dashboard's links and the API's {@code next}: the same search, another
 * page. Defaults are left out, so a bookmarked address stays short and reads as what it shows.
 */
public final class ListLinks {
  private ListLinks() {
  }

  /** @param defaultSize the page size the address means when it names none */
  public static String query(InstanceQuery query, InstanceFilter status, int page, int defaultSize) {
    List<String> parts = new ArrayList<>();
    if (!query.search().isEmpty()) {
      parts.add("q=" + URLEncoder.encode(query.search(), StandardCharsets.UTF_8));
    }
    if (status != InstanceFilter.ALL) {
      parts.add("status=" + status.word());
    }
    if (page != 1) {
      parts.add("page=" + page);
    }
    if (query.size() != defaultSize) {
      parts.add("size=" + query.size());
    }
    return String.join("&", parts);
  }
}
