package io.piholecheckpoint.core.contents;

import java.util.List;

/**
 * A bounded slice of a category that may hold a million items.
 *
 * @param total how many items the whole category holds
 * @param next opaque cursor for the following page; null on the last one
 */
public record Page<T>(long total, List<T> items, String next) {
  /** Pages are never larger than this, whatever a caller asks for. */
  public static final int MAX_SIZE = 1000;
  public static final int DEFAULT_SIZE = 100;

  public static <T> Page<T> empty() {
    return new Page<>(0, List.of(), null);
  }

  /** A page size a caller may ask for: 1 to {@link #MAX_SIZE}. */
  public static int size(int requested) {
    if (requested < 1 || requested > MAX_SIZE) {
      throw new IllegalArgumentException("limit must be 1 to " + MAX_SIZE + ", not " + requested);
    }
    return requested;
  }
}
