package io.piholecheckpoint.app;

import io.piholecheckpoint.core.files.OwnedPaths;
import io.piholecheckpoint.core.files.SecretFiles;
import io.piholecheckpoint.core.units.SettingText;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.slf4j.LoggerFactory;

/**
 * The one reader of this process's settings: environment variables, overridden by JVM system
 * properties of the same names (for servlet containers where setting the environment is awkward),
 * and the files their {@code _FILE} variants name. Everything after it gets plain values; a value
 * that cannot be used is a {@link AppConfig.ConfigException} naming the variable.
 */
final class Settings {
  /** The names of settings that hold a secret (a _FILE variant holds only a path); DATABASE_URL may carry a password. */
  private static final java.util.regex.Pattern SECRET = java.util.regex.Pattern.compile(
      "DATABASE_URL|.*(PASSWORD|PASSPHRASE|TOKEN|SECRET|SECRET_ACCESS_KEY|API_KEY|WEBHOOK_ID|WEBHOOK_URL)");

  private Settings() {
  }

  static Map<String, String> read() {
    return read(System.getenv(), System.getProperties(), LoggerFactory.getLogger(Settings.class)::warn);
  }

  /**
   * @param warn told, once per property, of a secret given as a system property: a servlet container logs its command line
   *     (Tomcat: "Command line argument: -DAPP_PASSWORD=…"), and `ps` shows it to every user; the value is never repeated
   */
  static Map<String, String> read(Map<String, String> env, java.util.Properties properties, java.util.function.Consumer<String> warn) {
    Map<String, String> settings = new HashMap<>(env);
    properties.forEach((k, v) -> {
      String key = k.toString();
      if (key.matches("[A-Z][A-Z0-9_]*")) {
        settings.put(key, v.toString());
        if (SECRET.matcher(key).matches()) {
          warn.accept("The secret " + key + " is set as a JVM system property (-D" + key + "), which the servlet container's log and the"
              + " process list show: give it as an environment variable or in a file named by " + key + "_FILE instead");
        }
      }
    });
    return settings;
  }


  /** The trimmed value, or {@code fallback} when unset or blank. */
  static String value(Map<String, String> env, String name, String fallback) {
    String v = env.get(name);
    return v == null || v.isBlank() ? fallback : v.trim();
  }

  /** {@code NAME}, or the content of the file named by {@code NAME_FILE} (a Docker secret, say), without trailing newline. */
  static Optional<String> secret(Map<String, String> env, String name) {
    String file = env.get(name + "_FILE");
    if (file != null && !file.isBlank()) {
      try {
        String raw = SecretFiles.read(Path.of(file.trim()), name + "_FILE=" + file.trim(), SecretFiles.SECRET, true, StandardCharsets.UTF_8);
        if (raw.isBlank()) {
          throw new AppConfig.ConfigException(name + "_FILE=" + file.trim() + (raw.isEmpty() ? " names an empty file" : " names a file that holds"
              + " only spaces or line breaks") + "; put the secret in it");
        }
        return Optional.of(raw.strip());
      } catch (OwnedPaths.Unusable e) {
        throw new AppConfig.ConfigException(e.getMessage());
      } catch (IOException e) {
        throw new AppConfig.ConfigException(name + "_FILE=" + file.trim() + " cannot be read (" + SecretFiles.why(e)
            + "); mount the file readable by the app user");
      }
    }
    String v = env.get(name);
    return v == null || v.isEmpty() ? Optional.empty() : Optional.of(v);
  }

  /** The variable {@link #secret} reads {@code name} from: {@code NAME_FILE} when it is set (it wins), else {@code NAME}. */
  static String secretVariable(Map<String, String> env, String name) {
    String file = env.get(name + "_FILE");
    return file != null && !file.isBlank() ? name + "_FILE" : name;
  }

  /** The text of a file a setting names (a CA certificate, say); empty when it cannot be read. */
  static Optional<String> file(String path, java.nio.charset.Charset charset) {
    try {
      return Optional.of(SecretFiles.read(Path.of(path), path, SecretFiles.CERTIFICATES, true, charset));
    } catch (IOException | RuntimeException e) {
      return Optional.empty();
    }
  }

  static int number(Map<String, String> env, String name, int fallback, int min, int max) {
    String v = value(env, name, Integer.toString(fallback));
    try {
      return SettingText.wholeNumber(v, min, max);
    } catch (IllegalArgumentException e) {
      throw new AppConfig.ConfigException(name + "='" + v + "' must be a whole number from " + min + " to " + max);
    }
  }

  static boolean flag(Map<String, String> env, String name, boolean fallback) {
    String v = value(env, name, Boolean.toString(fallback));
    try {
      return SettingText.flag(v);
    } catch (IllegalArgumentException e) {
      throw new AppConfig.ConfigException(name + "='" + v.toLowerCase(Locale.ROOT) + "' must be true or false");
    }
  }

  /** "36h", "2d", "90m" or ISO-8601 ("PT36H"); empty when unset. */
  static Optional<Duration> duration(Map<String, String> env, String name) {
    String v = value(env, name, "");
    if (v.isEmpty()) {
      return Optional.empty();
    }
    try {
      return Optional.of(SettingText.duration(v));
    } catch (IllegalArgumentException e) {
      throw new AppConfig.ConfigException(name + "='" + v + "' is not a duration of at most " + SettingText.LONGEST.toDays()
          + " days; write it as 90m, 36h, 2d or PT36H");
    }
  }
}
