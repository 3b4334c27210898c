package io.piholecheckpoint.core.instance;

import io.piholecheckpoint.core.schedule.Schedule;
import java.time.Instant;

/**
 * A Pi-hole that Checkpoint backs up. Holds no secret: passwords and TOTP secrets are looked
 * up through {@link io.piholecheckpoint.core.secrets.Credentials} when a backup runs.
 *
 * @param timeoutSeconds this instance's request timeout, or null for the global one
 * @param skipUnchanged a scheduled run that finds the Pi-hole unchanged stores no new file
 * @param paused switched off in the UI: no schedule, manual backups still work
 * @param removed its defining environment variables are gone (or it was deleted keeping its
 *     backups); its backups stay available
 * @param problem why its stored settings cannot be scheduled (a rule they break, a schedule
 *     that never fires), or null; such an instance stays visible, unscheduled, until fixed
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
    Status status,
    String problem) {

  public PiholeInstance(long id, String name, String slug, Origin origin, String envPrefix, String url, TlsTrust tls, Integer timeoutSeconds,
                        Schedule schedule, RetentionPolicy retention, boolean skipUnchanged, boolean active, boolean paused, boolean removed,
                        Status status) {
    this(id, name, slug, origin, envPrefix, url, tls, timeoutSeconds, schedule, retention, skipUnchanged, active, paused, removed, status, null);
  }

  /** The same instance, marked with a problem (null: none). */
  public PiholeInstance withProblem(String text) {
    return new PiholeInstance(id, name, slug, origin, envPrefix, url, tls, timeoutSeconds, schedule, retention, skipUnchanged, active, paused,
        removed, status, text);
  }

  /** The outcome of the last contact with the Pi-hole. */
  public record Status(ConnectionStatus connection, String message, Instant at, String piholeVersion, Integer seatsInUse) {
    public static final Status UNKNOWN = new Status(ConnectionStatus.UNKNOWN, null, null, null, null);
  }

  /** The prefix of the variables that configure it, for messages: "PIHOLE_HOME_", or null. */
  public String settingsPrefix() {
    return envPrefix == null ? null : "PIHOLE_" + envPrefix + "_";
  }

  /** The one word shown for it: removed, misconfigured and inactive win over the connection status. */
  public String state() {
    if (removed) {
      return "removed";
    }
    if (problem != null) {
      return "misconfigured";
    }
    return active && !paused ? status.connection().name().toLowerCase(java.util.Locale.ROOT) : "inactive";
  }

  /** Whether the scheduler should run backups for it: not when its settings have a problem. */
  public boolean scheduled() {
    return active && !paused && !removed && problem == null;
  }

  /** The line shown beside its state: its problem, else what the last contact said. */
  public String message() {
    return problem != null && !removed ? problem : status.message();
  }

  /** Defined by PIHOLE_&lt;PREFIX&gt;_* variables: its settings are read-only in the UI. */
  public boolean fromEnvironment() {
    return origin == Origin.ENV;
  }
}
