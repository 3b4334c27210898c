package io.piholecheckpoint.core.destination;

import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * An off-site destination added on the Settings page or the API, as stored: its settings by the
 * suffix its {@code OFFSITE_<NAME>_} variable would have ({@code URL}, {@code REGION} …), the
 * secrets among them sealed ({@link DestinationFields#SECRETS}).
 *
 * @param name upper case, as {@code <NAME>}
 */
public record ManagedDestination(String name, Map<String, String> settings) {
  public ManagedDestination {
    settings = Map.copyOf(settings);
  }

  /** The settings without the secrets, sorted, for pages and the API. */
  public Map<String, String> plainSettings() {
    Map<String, String> plain = new TreeMap<>(settings);
    plain.keySet().removeAll(DestinationFields.SECRETS);
    return plain;
  }

  /** Which secrets are stored (never their values): the form says "leave empty to keep". */
  public Set<String> secretsSet() {
    return new TreeSet<>(settings.keySet().stream().filter(DestinationFields.SECRETS::contains).toList());
  }
}
