package io.piholecheckpoint.core.instance;

import io.piholecheckpoint.core.backup.TlsTrust;
import io.piholecheckpoint.core.retention.RetentionPolicy;
import java.time.Instant;

/**
 * A Pi-hole that Checkpoint backs up. Holds no secret: passwords and TOTP secrets are looked
 * up through {@link Credentials} when a backup runs.
 *
 * @param timeoutSeconds this instance's request timeout, or null for the global one
 * @param skipUnchanged a scheduled run that finds the Pi-hole unchanged stores no new file
 * @param paused switched off in the UI: no schedule, manual backups still work
 * @param removed its defining environment variables are gone (or it was deleted keeping its
 *     backups); its backups stay available
 */
public record PiholeInstance(
    long id,
    String name,
    String slug,
    Origin origin,
    String envPrefix,
    String url,
    TlsTrust tls,
    Integer timeoutSeconds,
    Schedule schedule,
    RetentionPolicy retention,
    boolean skipUnchanged,
    boolean active,
    boolean paused,
    boolean removed,
    Status status) {

  /** The outcome of the last contact with the Pi-hole. */
  public record Status(ConnectionStatus connection, String message, Instant at, String piholeVersion, Integer seatsInUse) {
    public static final Status UNKNOWN = new Status(ConnectionStatus.UNKNOWN, null, null, null, null);
  }

  /** The prefix of the variables that configure it, for messages: "PIHOLE_HOME_", or null. */
  public String settingsPrefix() {
    return envPrefix == null ? null : "PIHOLE_" + envPrefix + "_";
  }

  /** The one word shown for it: removed and inactive win over the connection status. */
  public String state() {
    if (removed) {
      return "removed";
    }
    return active && !paused ? status.connection().name().toLowerCase(java.util.Locale.ROOT) : "inactive";
  }

  /** Whether the scheduler should run backups for it. */
  public boolean scheduled() {
    return active && !paused && !removed;
  }

  /** Defined by PIHOLE_&lt;PREFIX&gt;_* variables: its settings are read-only in the UI. */
  public boolean fromEnvironment() {
    return origin == Origin.ENV;
  }
}
