package io.piholecheckpoint.app;

import java.util.HashMap;
import java.util.Map;

/**
 * The settings of this process: environment variables, overridden by JVM system properties
 * of the same names (for servlet containers where setting the environment is awkward).
 */
final class ProcessSettings {
  private ProcessSettings() {
  }

  static Map<String, String> read() {
    Map<String, String> settings = new HashMap<>(System.getenv());
    System.getProperties().forEach((k, v) -> {
      String key = k.toString();
      if (key.matches("[A-Z][A-Z0-9_]*")) {
        settings.put(key, v.toString());
      }
    });
    return settings;
  }
}
