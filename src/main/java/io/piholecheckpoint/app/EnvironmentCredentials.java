package io.piholecheckpoint.app;

import io.piholecheckpoint.core.backup.PiholeException;
import io.piholecheckpoint.core.instance.Credentials;
import io.piholecheckpoint.core.instance.PiholeInstance;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * Passwords of environment instances: {@code PIHOLE_<PREFIX>_PASSWORD}, or the file named by
 * {@code PIHOLE_<PREFIX>_PASSWORD_FILE} (e.g. a Docker secret), read afresh for each backup so
 * that a rotated secret needs no restart.
 */
final class EnvironmentCredentials implements Credentials {
  private final Map<String, String> env;

  EnvironmentCredentials(Map<String, String> env) {
    this.env = env;
  }

  @Override
  public Optional<String> passwordFor(PiholeInstance instance) {
    if (instance.envPrefix() == null) {
      return Optional.empty();
    }
    String variable = "PIHOLE_" + instance.envPrefix() + "_PASSWORD";
    String file = env.get(variable + "_FILE");
    if (file != null && !file.isBlank()) {
      return Optional.of(read(variable + "_FILE", Path.of(file.trim())));
    }
    return Optional.ofNullable(env.get(variable)).filter(p -> !p.isEmpty());
  }

  private static String read(String variable, Path file) {
    try {
      return Files.readString(file, StandardCharsets.UTF_8).strip();
    } catch (IOException e) {
      throw new PiholeException(PiholeException.Failure.MISCONFIGURED,
          "cannot read the password file named by " + variable + " (" + file + "): " + e.getMessage());
    }
  }
}
