package io.piholecheckpoint.core.gateway;

import io.piholecheckpoint.core.instance.TlsTrust;
import java.time.Duration;
import java.util.Optional;

/**
 * Where and how to reach a Pi-hole for one job.
 *
 * @param settingsPrefix the prefix of the variables that configure it (e.g. "PIHOLE_HOME_"), so
 *     messages can name the variable to fix; null when it was configured otherwise
 */
public record PiholeTarget(
    String name,
    String url,
    String settingsPrefix,
    Optional<String> password,
    Optional<String> totpSecret,
    TlsTrust tls,
    Duration timeout) {

  /** The name of a setting in messages: "PIHOLE_HOME_CA_FILE", or "its CA file setting". */
  public String setting(String suffix, String inWords) {
    return settingsPrefix == null ? "its " + inWords + " setting" : settingsPrefix + suffix;
  }

  /** Keeps the password and TOTP secret out of logs and exception messages. */
  @Override
  public String toString() {
    return "PiholeTarget[name=%s, url=%s, tls=%s, password=%s, totp=%s]"
        .formatted(name, url, tls.mode(), password.isPresent() ? "(set)" : "(none)", totpSecret.isPresent() ? "(set)" : "(none)");
  }
}
