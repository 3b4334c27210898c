package io.piholecheckpoint.core.contents;

import java.util.Arrays;
import java.util.Locale;

/** How an item differs between two archives. */
public enum Change {
  ADDED, REMOVED, CHANGED;

  public String id() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** @throws IllegalArgumentException naming the kinds there are */
  public static Change of(String id) {
    return Arrays.stream(values()).filter(c -> c.id().equals(id)).findFirst()
        .orElseThrow(() -> new IllegalArgumentException("unknown change '" + id + "': use added, removed or changed"));
  }
}
