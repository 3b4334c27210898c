package io.piholecheckpoint.core.destination;

import io.piholecheckpoint.core.offsite.remote.OffsiteTarget;
import java.util.List;
import java.util.Map;

/**
 * The one set of rules for destinations, those of the environment and those added here alike
 * (the kind by the URL's scheme, its options, ports, names, a place of its own outside DATA_DIR
 * and BACKUP_DIR, encryption): implemented where the environment is read.
 */
public interface DestinationRules {
  /**
   * Opens every destination given, in order, each checked against the environment's and those
   * before it: a bad one is left out with why, never the others.
   *
   * @param destinations plain settings by suffix (secrets opened)
   */
  Resolved resolve(List<Plain> destinations);

  /** Whether the environment configures a destination of that name (used or disabled). */
  boolean inEnvironment(String name);

  /** A destination's settings with its secrets opened: held only while its destination is opened. */
  record Plain(String name, Map<String, String> settings) {
    @Override
    public String toString() {
      return "Plain[" + name + "]";
    }
  }

  /** @param disabled name → why, a message that names the field to fix */
  record Resolved(List<OffsiteTarget> targets, Map<String, String> disabled) {
  }
}
