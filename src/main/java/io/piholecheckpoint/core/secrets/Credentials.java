package io.piholecheckpoint.core.secrets;

import io.piholecheckpoint.core.instance.PiholeInstance;
import java.util.Optional;

/** Looks up an instance's secrets at the moment they are needed; they are never stored. */
public interface Credentials {

  /** The password (or app password), or empty when the Pi-hole has none configured here. */
  Optional<String> passwordFor(PiholeInstance instance);

  /** The base32 TOTP secret for two-factor logins, or empty. */
  Optional<String> totpSecretFor(PiholeInstance instance);

  /**
   * The variable an environment instance's secret ({@code "PASSWORD"}, {@code "TOTP_SECRET"}) is read from, for advice on
   * changing it: null for an instance made here, whose secrets are in its settings.
   */
  default String variableOf(PiholeInstance instance, String field) {
    return instance.settingsPrefix() == null ? null : instance.settingsPrefix() + field;
  }
}
