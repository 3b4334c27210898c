package io.piholecheckpoint.core.overview;

import io.piholecheckpoint.core.instance.PiholeInstance;
import java.util.Locale;

/**
 * One page of the instances that match a search and a status filter.
 *
 * @param search a part of the name or the URL, any case; empty for all
 * @param page from 1
 * @param size instances per page, 1 to {@link #MAX_SIZE}
 */
public record InstanceQuery(String search, InstanceFilter status, int page, int size) {
  /** Bounds what one request reads and renders, however many instances there are. */
  public static final int MAX_SIZE = 500;

  public InstanceQuery {
    search = search == null ? "" : search.strip();
    status = status == null ? InstanceFilter.ALL : status;
    if (page < 1 || size < 1 || size > MAX_SIZE) {
      throw new IllegalArgumentException("page from 1, size from 1 to " + MAX_SIZE);
    }
  }

  boolean matchesText(PiholeInstance instance) {
    if (search.isEmpty()) {
      return true;
    }
    String needle = search.toLowerCase(Locale.ROOT);
    return instance.name().toLowerCase(Locale.ROOT).contains(needle) || instance.url().toLowerCase(Locale.ROOT).contains(needle);
  }
}
