package io.piholecheckpoint.core.destination;

import java.util.List;
import java.util.Set;

/**
 * The settings a destination added here can have, by the suffix of the {@code OFFSITE_<NAME>_}
 * variable that says the same, so that both go through the one set of rules. Paths to files of
 * this machine ({@code PRIVATE_KEY_FILE}, {@code KNOWN_HOSTS_FILE}, {@code *_FILE}) are left to the
 * environment: here a private key is pasted ({@code PRIVATE_KEY}) and a host key pinned.
 */
public final class DestinationFields {
  public static final List<String> ALL = List.of("URL", "INSTANCES", "MAX_BACKUPS", "MAX_AGE_DAYS", "KEEP_DAILY", "KEEP_WEEKLY", "KEEP_MONTHLY",
      "ENCRYPT", "TIMEOUT_SECONDS", "ENDPOINT", "REGION", "ACCESS_KEY_ID", "SECRET_ACCESS_KEY", "PATH_STYLE", "USER", "PASSWORD", "PRIVATE_KEY",
      "PRIVATE_KEY_PASSPHRASE", "HOST_KEY");
  /** Sealed at rest, never shown or sent back; an empty value in a change keeps the stored one. */
  public static final Set<String> SECRETS = Set.of("SECRET_ACCESS_KEY", "PASSWORD", "PRIVATE_KEY", "PRIVATE_KEY_PASSPHRASE");

  private DestinationFields() {
  }

  /** The name of a setting in the form and the API: {@code PRIVATE_KEY_PASSPHRASE} → {@code privateKeyPassphrase}. */
  public static String field(String suffix) {
    String[] words = suffix.toLowerCase(java.util.Locale.ROOT).split("_");
    StringBuilder field = new StringBuilder(words[0]);
    for (int i = 1; i < words.length; i++) {
      field.append(Character.toUpperCase(words[i].charAt(0))).append(words[i].substring(1));
    }
    return field.toString();
  }
}
