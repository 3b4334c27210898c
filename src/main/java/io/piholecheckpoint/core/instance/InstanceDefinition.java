package io.piholecheckpoint.core.instance;

import io.piholecheckpoint.core.schedule.Schedule;


/** An instance as the environment describes it, before it is stored. */
public record InstanceDefinition(
    String envPrefix,
    String name,
    String url,
    TlsTrust tls,
    Integer timeoutSeconds,
    Schedule schedule,
    RetentionPolicy retention,
    boolean skipUnchanged,
    boolean active) {
}
