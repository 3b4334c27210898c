package io.piholecheckpoint.app;

import io.piholecheckpoint.core.gateway.PiholeException;
import io.piholecheckpoint.core.instance.PiholeInstance;
import io.piholecheckpoint.core.secrets.Credentials;
import java.util.Map;
import java.util.Optional;

/**
 * Secrets of environment instances: {@code PIHOLE_<PREFIX>_PASSWORD} and {@code _TOTP_SECRET},
 * or the files named by their {@code _FILE} variants (e.g. Docker secrets), read afresh for each
 * backup so that a rotated secret needs no restart.
 */
final class EnvironmentCredentials implements Credentials {
  private final Map<String, String> env;

  EnvironmentCredentials(Map<String, String> env) {
    this.env = env;
  }

  @Override
  public Optional<String> passwordFor(PiholeInstance instance) {
    return secret(instance, "PASSWORD");
  }

  @Override
  public Optional<String> totpSecretFor(PiholeInstance instance) {
    return secret(instance, "TOTP_SECRET");
  }

  private Optional<String> secret(PiholeInstance instance, String field) {
    if (instance.envPrefix() == null) {
      return Optional.empty();
    }
    try {
      return Settings.secret(env, instance.settingsPrefix() + field);
    } catch (AppConfig.ConfigException e) {
      throw new PiholeException(PiholeException.Failure.MISCONFIGURED, e.getMessage());
    }
  }
}
