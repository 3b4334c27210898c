package io.piholecheckpoint.core.contents;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.TreeSet;

/** Pages of a list of texts held in memory, in {@link NaturalOrder}, with the same cursors as the indexed lists. */
public final class TextPages {
  private TextPages() {
  }

  /** The texts after {@code cursor} (null: from the start); {@code items} in any order, repeats counted once. */
  public static Page<String> page(Collection<String> items, String scope, String cursor, int limit) {
    List<String> sorted = sorted(items);
    int from = 0;
    if (cursor != null) {
      int at = Collections.binarySearch(sorted, Cursor.decode(cursor, scope).key1(), NaturalOrder.TEXT);
      from = at >= 0 ? at + 1 : -at - 1;
    }
    int to = Math.min(sorted.size(), from + limit);
    List<String> page = List.copyOf(sorted.subList(from, to));
    String next = to < sorted.size() && !page.isEmpty() ? new Cursor(page.get(page.size() - 1), 0).encode(scope) : null;
    return new Page<>(sorted.size(), page, next);
  }

  public static List<String> sorted(Collection<String> items) {
    TreeSet<String> sorted = new TreeSet<>(NaturalOrder.TEXT);
    sorted.addAll(items);
    return new ArrayList<>(sorted);
  }
}
