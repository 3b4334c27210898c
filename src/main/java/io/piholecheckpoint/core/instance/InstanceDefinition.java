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

  /**
   * Whether {@code stored} is this definition as a start stored it, present and read back whole (a row that could not be
   * read, or was marked removed, is not): storing it again would change nothing.
   */
  public boolean storedAs(PiholeInstance stored) {
    return stored != null && stored.fromEnvironment() && !stored.removed() && stored.problem() == null
        && equals(new InstanceDefinition(stored.envPrefix(), stored.name(), stored.url(), stored.tls(), stored.timeoutSeconds(),
            stored.schedule(), stored.retention(), stored.skipUnchanged(), stored.active()));
  }
}
