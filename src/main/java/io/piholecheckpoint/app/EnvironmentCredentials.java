package io.piholecheckpoint.app;

import io.piholecheckpoint.core.gateway.PiholeException;
import io.piholecheckpoint.core.instance.PiholeInstance;
import io.piholecheckpoint.core.secrets.Credentials;
import io.piholecheckpoint.core.secrets.UnreadableSecrets;
import java.nio.file.InvalidPathException;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Secrets of environment instances: {@code PIHOLE_<PREFIX>_PASSWORD} and {@code _TOTP_SECRET},
 * or the files named by their {@code _FILE} variants (e.g. Docker secrets), read afresh for each
 * backup so that a rotated secret needs no restart. At the start each file is read once as a check, as the other
 * {@code _FILE} settings are: one that cannot be read marks its instance alone.
 */
final class EnvironmentCredentials implements Credentials, UnreadableSecrets {
  private final Map<String, String> env;

  EnvironmentCredentials(Map<String, String> env) {
    this.env = env;
  }

  @Override
  public Optional<String> passwordFor(PiholeInstance instance) {
    return secretOrEveryProblem(instance, "PASSWORD");
  }

  @Override
  public Optional<String> totpSecretFor(PiholeInstance instance) {
    return secretOrEveryProblem(instance, "TOTP_SECRET");
  }

  /** A backup that cannot read one secret says what is wrong with both, as the start's warning and the instance's status do. */
  private Optional<String> secretOrEveryProblem(PiholeInstance instance, String field) {
    try {
      return secret(instance, field);
    } catch (PiholeException e) {
      throw new PiholeException(e.failure(), problemOf(instance).orElse(e.getMessage()));
    }
  }

  /** The {@code _FILE} variable when it is set: it wins over the plain one (see {@link Settings#secret}), so that is the one to change. */
  @Override
  public String variableOf(PiholeInstance instance, String field) {
    if (instance.envPrefix() == null) {
      return null;
    }
    return Settings.secretVariable(env, instance.settingsPrefix() + field);
  }

  /**
   * Why either secret cannot be read now (the value read is dropped at once), naming its variable and file: both at once
   * when both cannot, so that fixing one does not only bring the other to light.
   */
  @Override
  public Optional<String> problemOf(PiholeInstance instance) {
    List<String> problems = java.util.stream.Stream.of("PASSWORD", "TOTP_SECRET").map(field -> problemOf(instance, field))
        .flatMap(Optional::stream).toList();
    return problems.isEmpty() ? Optional.empty() : Optional.of(String.join("; ", problems));
  }

  private Optional<String> problemOf(PiholeInstance instance, String field) {
    try {
      secret(instance, field);
      return Optional.empty();
    } catch (PiholeException e) {
      return Optional.of(e.getMessage());
    } catch (InvalidPathException e) {
      return Optional.of(variableOf(instance, field) + " does not name a usable path (" + e.getReason() + ")");
    }
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
