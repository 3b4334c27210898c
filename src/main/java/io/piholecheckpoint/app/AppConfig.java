package io.piholecheckpoint.app;

import io.piholecheckpoint.core.backup.DownloadPolicy;
import java.nio.file.Path;
import java.time.Duration;
import java.time.DateTimeException;
import java.time.ZoneId;
import java.util.Locale;
import java.util.Map;

/**
 * Settings, read once from the environment and validated. The whole environment is kept for
 * the {@code PIHOLE_<PREFIX>_*} variables, which are read as instances and, at the moment a
 * backup runs, as passwords.
 */
public record AppConfig(
    Path dataDir,
    Path backupDir,
    ZoneId timeZone,
    boolean migrateOnStart,
    DownloadPolicy download,
    int failedRecordDays,
    java.util.List<String> allowedHosts,
    Map<String, String> env) {

  public Path databaseFile() {
    return dataDir.resolve("checkpoint.db");
  }

  public static AppConfig from(Map<String, String> env) {
    return new AppConfig(
        Path.of(value(env, "DATA_DIR", "./data")).toAbsolutePath().normalize(),
        Path.of(value(env, "BACKUP_DIR", "./backups")).toAbsolutePath().normalize(),
        zone(value(env, "TIME_ZONE", "UTC")),
        flag(env, "CHECKPOINT_MIGRATE_ON_START"),
        new DownloadPolicy(number(env, "PIHOLE_RETRIES", 3, 0, 10), Duration.ofSeconds(number(env, "PIHOLE_TIMEOUT_SECONDS", 60, 1, 3600)),
            DownloadPolicy.DEFAULT.firstBackoff(), DownloadPolicy.DEFAULT.maxBackoff()),
        number(env, "FAILED_RECORD_DAYS", 7, 1, 3650),
        java.util.List.of(value(env, "ALLOWED_HOSTS", "").split(",")),
        Map.copyOf(env));
  }

  private static String value(Map<String, String> env, String name, String fallback) {
    String v = env.get(name);
    return v == null || v.isBlank() ? fallback : v.trim();
  }

  private static ZoneId zone(String id) {
    try {
      return ZoneId.of(id);
    } catch (DateTimeException e) {
      throw new ConfigException("TIME_ZONE='" + id + "' is not a time zone; use an ID such as UTC or Europe/Berlin");
    }
  }

  private static int number(Map<String, String> env, String name, int fallback, int min, int max) {
    String v = value(env, name, Integer.toString(fallback));
    try {
      int n = Integer.parseInt(v);
      if (n >= min && n <= max) {
        return n;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new ConfigException(name + "='" + v + "' must be a whole number from " + min + " to " + max);
  }

  private static boolean flag(Map<String, String> env, String name) {
    String v = value(env, name, "false").toLowerCase(Locale.ROOT);
    return switch (v) {
      case "true", "1", "yes", "on" -> true;
      case "false", "0", "no", "off" -> false;
      default -> throw new ConfigException(name + "='" + v + "' must be true or false");
    };
  }

  /** A setting that makes starting pointless; the message names the variable. */
  public static class ConfigException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public ConfigException(String message) {
      super(message);
    }
  }

  /** Keeps passwords out of any log line that prints the config. */
  @Override
  public String toString() {
    return "AppConfig[dataDir=%s, backupDir=%s, timeZone=%s, migrateOnStart=%s]".formatted(dataDir, backupDir, timeZone, migrateOnStart);
  }
}
