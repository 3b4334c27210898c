package io.piholecheckpoint.core.syncgroup;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A group as a form or an API body gives it: its name, its primary and replicas by instance name
 * (a list: a name may hold a comma), and its other settings by suffix. Anything left out (null) is
 * kept as stored; an empty setting goes back to its default.
 */
public record SyncGroupForm(String name, String primary, List<String> replicas, Map<String, String> values) {
  public SyncGroupForm {
    values = new HashMap<>(values); // may hold nulls: left out
    replicas = replicas == null ? null : List.copyOf(replicas);
  }

  /** The settings of {@code stored} but the members, with these over them. */
  Map<String, String> over(Map<String, String> stored) {
    Map<String, String> merged = new HashMap<>(stored);
    values.forEach((suffix, value) -> {
      if (value == null || suffix.equals("PRIMARY") || suffix.equals("REPLICAS")) {
        return;
      }
      if (value.isBlank()) {
        merged.remove(suffix);
      } else {
        merged.put(suffix, value.strip());
      }
    });
    return merged;
  }
}
