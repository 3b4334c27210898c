package io.piholecheckpoint.core.contents;

import java.util.ArrayList;
import java.util.List;

/** What a verified restore found different, in words for its record. */
public final class Differences {
  private Differences() {
  }

  /** The first items of each kind of difference, and how many more there are: a record that stays small. */
  public static List<String> of(ContentDiff diff, List<String> refused) {
    List<String> differences = new ArrayList<>();
    diff.categories().forEach((name, c) -> {
      describe(differences, "unexpected ", name, c.added(), c.addedTotal());
      describe(differences, "missing ", name, c.removed(), c.removedTotal());
      describe(differences, "different ", name, c.changed(), c.changedTotal());
    });
    diff.settings().stream().filter(s -> refused.stream().noneMatch(r -> r.startsWith(s.key() + ":")))
        .forEach(s -> differences.add(s.secret() ? "setting " + s.key() + " is not what was restored (" + s.note() + ")"
            : "setting " + s.key() + " is " + s.after() + ", not " + s.before()));
    return differences;
  }

  private static void describe(List<String> into, String what, String category, List<String> items, long total) {
    items.forEach(i -> into.add(what + category + ": " + i));
    if (total > items.size()) {
      into.add("… and " + (total - items.size()) + " more " + what + category);
    }
  }
}
