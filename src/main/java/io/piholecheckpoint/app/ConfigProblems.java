package io.piholecheckpoint.app;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * The problems of the global settings, gathered while all of them are read: a start with three bad
 * values names all three in one message rather than one per restart.
 */
final class ConfigProblems {
  /** In the order found; one problem two checks find (a setting also read by a check of several) is named once. */
  private final java.util.Set<String> found = new java.util.LinkedHashSet<>();

  /** A problem found by another reader of the settings (the launcher's, of the settings it needs before the web app runs). */
  void add(String problem) {
    found.add(problem);
  }

  /** The value {@code read} gives, or {@code fallback} with its problem noted. */
  <T> T checked(Supplier<T> read, T fallback) {
    try {
      return read.get();
    } catch (AppConfig.ConfigException e) {
      found.add(e.getMessage());
      return fallback;
    }
  }

  /** Whether any problem was noted: the start will be refused. */
  boolean any() {
    return !found.isEmpty();
  }

  /** @throws AppConfig.ConfigException naming every problem noted, numbered when there are several */
  void throwIfAny() {
    List<String> problems = new ArrayList<>(found);
    if (problems.size() == 1) {
      throw new AppConfig.ConfigException(problems.get(0));
    }
    if (!problems.isEmpty()) {
      StringBuilder all = new StringBuilder(problems.size() + " settings cannot be used; fix them all before the next start:");
      for (int i = 0; i < problems.size(); i++) {
        all.append(" (").append(i + 1).append(") ").append(problems.get(i));
      }
      throw new AppConfig.ConfigException(all.toString());
    }
  }
}
