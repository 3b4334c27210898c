package io.piholecheckpoint.app;

import java.nio.file.InvalidPathException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Every {@code …_FILE} variable of a secret, looked at together: each reader of the settings (the sign-in, the catalogue,
 * notifications, off-site copies, each Pi-hole) reads only its own and says so in its own place, so that a start with
 * three missing files named one, and the next start the next. Here they are named all at once, and a plain variable that
 * its {@code _FILE} beside it overrides is named rather than ignored in silence.
 */
final class SecretFileVariables {
  private static final Pattern SECRETS = Pattern.compile("APP_PASSWORD|API_TOKEN|METRICS_TOKEN|SESSION_SECRET|BACKUP_ENCRYPTION_PASSPHRASE"
      + "|DATABASE_PASSWORD|STORAGE_SECRET_ACCESS_KEY|PIHOLE_[A-Z][A-Z0-9_]*_(PASSWORD|TOTP_SECRET)"
      + "|OFFSITE_[A-Z][A-Z0-9_]*_(" + String.join("|", OffsiteSettings.SECRETS) + ")");

  private SecretFileVariables() {
  }

  /** The secrets that have a {@code _FILE} variant, by the name without it, in the order they are named. */
  private static List<String> secretsWithFile(Map<String, String> env) {
    return env.keySet().stream().filter(k -> k.endsWith("_FILE") && env.get(k) != null && !env.get(k).isBlank())
        .map(k -> k.substring(0, k.length() - "_FILE".length()))
        .filter(name -> SECRETS.matcher(name).matches() || NotificationSetup.SECRETS.contains(name)).sorted().toList();
  }

  /** One line per secret file that cannot be read now (missing, unreadable, empty, no regular file, too large): its variable, path and what to do. */
  static List<String> unreadable(Map<String, String> env) {
    List<String> problems = new ArrayList<>();
    for (String name : secretsWithFile(env)) {
      try {
        Settings.secret(env, name); // the value is dropped at once
      } catch (AppConfig.ConfigException e) {
        problems.add(e.getMessage());
      } catch (InvalidPathException e) {
        problems.add("%s_FILE=%s does not name a usable path (%s); name the file that holds the secret".formatted(name, env.get(name + "_FILE").trim(),
            e.getReason()));
      }
    }
    return problems;
  }

  /** One line per plain secret variable set beside its {@code _FILE} one, which wins: the plain one is never read. */
  static List<String> overridden(Map<String, String> env) {
    return secretsWithFile(env).stream().filter(name -> env.get(name) != null && !env.get(name).isEmpty())
        .map(name -> "%s is set, but so is %s_FILE, which wins: %s is not read — remove one of them".formatted(name, name, name)).toList();
  }
}
