package io.piholecheckpoint.core.settings;

import java.util.Map;
import java.util.Optional;

/**
 * The {@code PIHOLE_<prefix>_*} variables of one instance as they were set, before anything is
 * checked: {@code values} by their suffix ("URL", "MAX_BACKUPS"), and the text of the file that
 * {@code CA_FILE} names (in PEM, a DER file's converted), empty when it names none or one that cannot be read.
 */
public record InstanceVariables(String prefix, Map<String, String> values, Optional<String> caFileText) {
  public InstanceVariables {
    values = Map.copyOf(values);
  }

  /** The value as set, or "" when unset. */
  String value(String suffix) {
    return values.getOrDefault(suffix, "");
  }

  /** The variable's full name, for messages. */
  String variable(String suffix) {
    return "PIHOLE_" + prefix + "_" + suffix;
  }
}
