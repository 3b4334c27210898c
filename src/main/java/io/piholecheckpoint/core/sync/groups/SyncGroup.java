package io.piholecheckpoint.core.sync.groups;

import io.piholecheckpoint.core.restore.parts.RestoreMode;
import io.piholecheckpoint.core.schedule.Schedule;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * One sync group as configured: a primary whose newest good backup its replicas are made like.
 *
 * @param name the group's prefix ({@code SYNC_<NAME>_}); the API names it in lower case
 * @param primary an instance, by its environment prefix or its name
 * @param replicas instances, likewise
 * @param mode LISTS, LISTS_AND_DNS or ALL_BUT_IDENTITY (never EXACT: that copies the primary's password)
 * @param excludedSettings dotted keys never copied, beyond those {@link SyncRules} never copies
 * @param keepReplicaDns local DNS records and CNAMEs that only a replica has stay on it
 * @param when null: after each successful backup of the primary; else its schedule
 * @param staleAfter how long a replica may fail before {@code /health} is degraded; null: the default of {@link SyncStaleness}
 */
public record SyncGroup(String name, String primary, List<String> replicas, RestoreMode mode, Set<String> excludedSettings, boolean keepReplicaDns,
                        Schedule when, Snapshot snapshot, Duration staleAfter) {

  /** When a pinned safety backup of a replica is taken before it is changed. */
  public enum Snapshot {
    /** Before the first change of each replica (the default). */
    FIRST,
    ALWAYS,
    NEVER
  }

  public SyncGroup {
    replicas = List.copyOf(replicas);
    excludedSettings = Set.copyOf(excludedSettings);
    if (mode != RestoreMode.LISTS && mode != RestoreMode.LISTS_AND_DNS && mode != RestoreMode.ALL_BUT_IDENTITY) {
      throw new IllegalArgumentException("a sync copies lists, lists-and-dns or all-but-identity, never " + mode.id());
    }
  }

  /** A group with the default staleness window. */
  public SyncGroup(String name, String primary, List<String> replicas, RestoreMode mode, Set<String> excludedSettings, boolean keepReplicaDns,
                   Schedule when, Snapshot snapshot) {
    this(name, primary, replicas, mode, excludedSettings, keepReplicaDns, when, snapshot, null);
  }

  /** The same group with these members (a group added in the UI names its instances by id when stored, by name when run). */
  public SyncGroup withMembers(String primary, List<String> replicas) {
    return new SyncGroup(name, primary, replicas, mode, excludedSettings, keepReplicaDns, when, snapshot, staleAfter);
  }

  /** The group as the API and its URLs name it. */
  public String id() {
    return idOf(name);
  }

  /** The API's name of the group whose prefix is {@code name}. */
  public static String idOf(String name) {
    return name.toLowerCase(Locale.ROOT);
  }

  public boolean afterBackup() {
    return when == null;
  }
}
