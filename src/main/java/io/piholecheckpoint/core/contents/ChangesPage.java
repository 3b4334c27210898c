package io.piholecheckpoint.core.contents;

import java.util.List;
import java.util.Map;

/**
 * One page of one change of one list of a diff, the pages after the first that {@link ContentDiff.Category} holds: with
 * the fields of each changed item on it, as the first page has them, so that every page says what changed.
 *
 * @param total how many items the change holds in all
 * @param next opaque cursor for the following page; null on the last one
 * @param fields per changed item on this page, which of its fields differ; empty for added and removed items
 */
public record ChangesPage(long total, List<String> items, String next, Map<String, List<FieldChange>> fields) {
  /** A page of items that have no fields to tell: added or removed ones, local DNS lines. */
  public static ChangesPage of(Page<String> page) {
    return new ChangesPage(page.total(), page.items(), page.next(), Map.of());
  }

  public static ChangesPage empty() {
    return of(Page.empty());
  }
}
