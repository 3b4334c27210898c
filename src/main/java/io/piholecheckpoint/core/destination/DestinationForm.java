package io.piholecheckpoint.core.destination;

import java.util.HashMap;
import java.util.Map;

/**
 * A destination as a form or an API body gives it: its name and settings by suffix. A setting left
 * out (null) is kept as stored; an empty one is cleared, except a secret, which an empty field
 * keeps (the form never shows it, so it cannot send it back) and {@code -} removes.
 */
public record DestinationForm(String name, Map<String, String> values) {
  public DestinationForm {
    values = new HashMap<>(values); // may hold nulls: left out
  }

  /** The settings of {@code stored} with these over them. */
  Map<String, String> over(Map<String, String> stored) {
    Map<String, String> merged = new HashMap<>(stored);
    values.forEach((suffix, value) -> {
      if (value == null || DestinationFields.SECRETS.contains(suffix) && value.isBlank()) {
        return;
      }
      if (value.isBlank() || DestinationFields.SECRETS.contains(suffix) && value.strip().equals("-")) {
        merged.remove(suffix);
      } else {
        merged.put(suffix, DestinationFields.SECRETS.contains(suffix) ? value : value.strip());
      }
    });
    return merged;
  }

  @Override
  public String toString() {
    return "DestinationForm[" + name + "]"; // the values hold secrets
  }
}
