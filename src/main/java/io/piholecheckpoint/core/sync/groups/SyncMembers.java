package io.piholecheckpoint.core.sync.groups;

import java.util.List;

/**
 * The Pi-holes a disabled group names, as far as it still names any: though it does not run, it
 * keeps them from other groups, since which group was meant is not for us to guess (a typo in one
 * group's WHEN must not let a group that overwrites its primary run).
 *
 * @param name the group's name
 * @param primary an instance by environment prefix or name; null when the group names none any more
 * @param replicas instances likewise, those it still names
 */
public record SyncMembers(String name, String primary, List<String> replicas) {
  public SyncMembers {
    replicas = List.copyOf(replicas);
  }

  /** The Pi-holes a group of valid settings names, whether or not they exist. */
  static SyncMembers of(SyncGroup group) {
    return new SyncMembers(group.name(), group.primary(), group.replicas());
  }
}
