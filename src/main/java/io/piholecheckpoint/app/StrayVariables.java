package io.piholecheckpoint.app;

import io.piholecheckpoint.core.settings.InstanceSettings;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * {@code PIHOLE_*} variables that configure nothing: a typo, a lower-case prefix or a setting whose
 * instance has no {@code _URL} would otherwise be ignored in silence, and the user would believe
 * that the dead-man switch or schedule they set is in force.
 */
final class StrayVariables {
  /** The per-instance settings the README documents, longest first so "PING_URL" wins over "URL". */
  static final List<String> SETTINGS = InstanceSettings.variables().stream()
      .sorted(Comparator.comparingInt(String::length).reversed()).toList();
  private static final Set<String> GLOBAL = Set.of("PIHOLE_TIMEOUT_SECONDS", "PIHOLE_RETRIES");
  private static final Pattern PREFIX = Pattern.compile("[A-Z][A-Z0-9_]*");

  private StrayVariables() {
  }

  /** One readable line per variable that belongs to none of {@code prefixes}. */
  static List<String> among(Set<String> keys, Set<String> prefixes) {
    List<String> problems = new ArrayList<>();
    keys.stream().filter(k -> k.startsWith("PIHOLE_") && !GLOBAL.contains(k)).sorted().forEach(key -> {
      String setting = SETTINGS.stream().filter(s -> key.endsWith("_" + s) && key.length() > "PIHOLE_".length() + s.length() + 1)
          .findFirst().orElse(null);
      if (setting == null) {
        problems.add(key + " is not a setting of Pi-hole Checkpoint (see PIHOLE_<P>_… in the README); it is ignored");
        return;
      }
      String prefix = key.substring("PIHOLE_".length(), key.length() - setting.length() - 1);
      if (!PREFIX.matcher(prefix).matches()) {
        String upper = prefix.toUpperCase(java.util.Locale.ROOT);
        problems.add(PREFIX.matcher(upper).matches()
            ? key + ": an instance's prefix is upper case (PIHOLE_" + upper + "_" + setting + "); it is ignored"
            : key + ": an instance's prefix starts with a letter and holds only letters, digits and _ (e.g. PIHOLE_HOME_"
                + setting + "); it is ignored");
      } else if (!prefixes.contains(prefix)) {
        // PIHOLE_HOME_PING_PASSWORD reads as the PASSWORD of a Pi-hole HOME_PING, but HOME is meant: say that HOME has no such setting
        String owner = prefixes.stream().filter(p -> prefix.startsWith(p + "_")).max(Comparator.comparingInt(String::length)).orElse(null);
        problems.add(owner != null
            ? key + " is not a setting of the Pi-hole " + owner + " (PIHOLE_" + owner + "_…: see the README) nor of another (there is no PIHOLE_"
                + prefix + "_URL); it is ignored"
            : key + " belongs to no Pi-hole: there is no PIHOLE_" + prefix + "_URL; it is ignored");
      }
    });
    return problems;
  }
}
