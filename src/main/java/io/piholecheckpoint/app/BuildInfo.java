package io.piholecheckpoint.app;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/** What Maven stamped into build.properties: version, commit (short hash, or "unknown") and build time. */
public final class BuildInfo {
  private static final Properties STAMP = read();

  private BuildInfo() {
  }

  private static Properties read() {
    Properties p = new Properties();
    try (InputStream in = BuildInfo.class.getResourceAsStream("build.properties")) {
      if (in != null) {
        p.load(in);
      }
    } catch (IOException e) {
      // an unstamped build says "dev" below
    }
    return p;
  }

  private static String get(String key, String fallback) {
    String v = STAMP.getProperty(key, fallback);
    return v.startsWith("${") ? fallback : v;
  }

  public static String version() {
    return get("version", "dev");
  }

  public static String commit() {
    return get("commit", "unknown");
  }

  public static String built() {
    return get("built", "unknown");
  }

  /** "0.1.0 (a02b100567, built 2026-11-27T11:32:51Z)", for the footer. */
  public static String describe() {
    return version() + " (" + commit() + ", built " + built() + ")";
  }
}
