package io.piholecheckpoint.core.syncgroup;

import java.util.Map;

/**
 * A sync group added in the UI or the API, as stored: its settings by the suffix its
 * {@code SYNC_<NAME>_} variable would have, so that it goes through the rules of the environment's
 * groups. {@code PRIMARY} and {@code REPLICAS} hold instance ids (the instances are the UI's, whose
 * names may change), the others the text a variable would.
 *
 * @param name upper case, as {@code <NAME>}
 */
public record ManagedSyncGroup(String name, Map<String, String> settings) {
  public ManagedSyncGroup {
    settings = Map.copyOf(settings);
  }
}
