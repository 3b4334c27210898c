package io.piholecheckpoint.core.gateway;

import io.piholecheckpoint.core.instance.TlsTrust;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;

/**
 * Where and how to reach a Pi-hole for one job.
 *
 * @param settingsPrefix the prefix of the variables that configure it (e.g. "PIHOLE_HOME_"), so
 *     messages can name the variable to fix; null when it was configured otherwise
 * @param readFromFiles the suffixes ("PASSWORD", "TOTP_SECRET") whose value was read from the file their {@code _FILE}
 *     variable names: that variable wins, so it is the one a message names
 */
public record PiholeTarget(
    String name,
    String url,
    String settingsPrefix,
    Optional<String> password,
    Optional<String> totpSecret,
    TlsTrust tls,
    Duration timeout,
    Set<String> readFromFiles) {

  public PiholeTarget {
    readFromFiles = Set.copyOf(readFromFiles);
  }

  /** The name of a setting in messages: "PIHOLE_HOME_CA_FILE", "PIHOLE_HOME_PASSWORD_FILE" when read from it, or "its CA file setting". */
  public String setting(String suffix, String inWords) {
    return settingsPrefix == null ? "its " + inWords + " setting" : settingsPrefix + suffix + (readFromFiles.contains(suffix) ? "_FILE" : "");
  }

  /** Keeps the password and TOTP secret out of logs and exception messages. */
  @Override
  public String toString() {
    return "PiholeTarget[name=%s, url=%s, tls=%s, password=%s, totp=%s]"
        .formatted(name, url, tls.mode(), password.isPresent() ? "(set)" : "(none)", totpSecret.isPresent() ? "(set)" : "(none)");
  }
}
