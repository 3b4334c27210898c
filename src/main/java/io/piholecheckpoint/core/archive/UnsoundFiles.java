package io.piholecheckpoint.core.archive;

import java.util.List;

/**
 * The files in BACKUP_DIR named as our archives, with no record, that are no sound archive: how many, and the first
 * {@link #NAMED} of them by name. A directory of thousands of such files is said in one line, not a page (or a log) per file.
 */
public record UnsoundFiles(int count, List<String> named) {
  public static final int NAMED = 10;
  public static final UnsoundFiles NONE = new UnsoundFiles(0, List.of());

  /** @param sorted every such file, in the order to name them */
  public static UnsoundFiles of(List<String> sorted) {
    return new UnsoundFiles(sorted.size(), List.copyOf(sorted.subList(0, Math.min(NAMED, sorted.size()))));
  }

  /** How many are not named. */
  public int more() {
    return count - named.size();
  }

  /** "a, b and 3 more", for a log line. */
  public String describe() {
    return String.join(", ", named) + (more() > 0 ? " and " + more() + " more" : "");
  }
}
