package io.piholecheckpoint.core.contents;

import java.util.ArrayList;
import java.util.List;

/**
 * What a verified restore found different, in words for its record.
 *
 * @param lines the first items of each kind of difference, and a line of how many more there are: a record that stays small
 * @param count how many items and settings differ in all, what a message counts ("… and 19901 more" is 19,901 of them, not one)
 */
public record Differences(List<String> lines, long count) {
  public Differences {
    lines = List.copyOf(lines);
  }

  public static Differences of(ContentDiff diff, List<String> refused) {
    List<String> lines = new ArrayList<>();
    long[] count = {0};
    diff.categories().forEach((name, c) -> {
      describe(lines, "unexpected ", name, c.added(), c.addedTotal());
      describe(lines, "missing ", name, c.removed(), c.removedTotal());
      describe(lines, "different ", name, c.changed(), c.changedTotal());
      count[0] += c.addedTotal() + c.removedTotal() + c.changedTotal();
    });
    diff.settings().stream().filter(s -> refused.stream().noneMatch(r -> r.startsWith(s.key() + ":")))
        .forEach(s -> {
          lines.add(s.secret() ? "setting " + s.key() + " is not what was restored (" + s.note() + ")"
              : "setting " + s.key() + " is " + s.after() + ", not " + s.before());
          count[0]++;
        });
    return new Differences(lines, count[0]);
  }

  public boolean isEmpty() {
    return count == 0;
  }

  private static void describe(List<String> into, String what, String category, List<String> items, long total) {
    items.forEach(i -> into.add(what + category + ": " + i));
    if (total > items.size()) {
      into.add("… and " + (total - items.size()) + " more " + what + category);
    }
  }
}
