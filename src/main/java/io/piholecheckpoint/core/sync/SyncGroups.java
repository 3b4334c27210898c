package io.piholecheckpoint.core.sync;

import io.piholecheckpoint.core.instance.PiholeInstance;
import io.piholecheckpoint.core.registry.InstanceService;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The configured sync groups, and which of them run. Which Pi-holes their names refer to, and
 * whether groups clash, is decided against the instances as they are now (one added in the UI
 * may complete a group, one removed disables it).
 */
public class SyncGroups {
  private final List<SyncGroup> configured;
  private final Map<String, String> refused;
  private final InstanceService instances;

  /**
   * @param configured the groups read from the environment, valid one by one
   * @param refused groups whose variables were refused already: name → why (with the variable)
   */
  public SyncGroups(List<SyncGroup> configured, Map<String, String> refused, InstanceService instances) {
    this.configured = List.copyOf(configured);
    this.refused = Map.copyOf(refused);
    this.instances = instances;
  }

  /** The groups that run. */
  public List<SyncGroup> groups() {
    Map<String, String> clashes = SyncTopology.refusals(configured, instances.list());
    return configured.stream().filter(g -> !refused.containsKey(g.name()) && !clashes.containsKey(g.name())).toList();
  }

  /** Group name → why it does not run. */
  public Map<String, String> disabled() {
    Map<String, String> disabled = new LinkedHashMap<>(refused);
    disabled.putAll(SyncTopology.refusals(configured, instances.list()));
    return disabled;
  }

  /** @throws SyncGroupNotFoundException for a group that is not configured or does not run */
  public SyncGroup group(String id) {
    return groups().stream().filter(g -> g.id().equals(id)).findFirst().orElseThrow(() -> new SyncGroupNotFoundException("no sync group '" + id + "'"
        + disabled().entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(id)).map(e -> " (it is disabled: " + e.getValue() + ")")
            .findFirst().orElse("")));
  }

  /** The groups whose primary is this instance and that sync after its backups. */
  public List<String> followingBackupsOf(long instanceId) {
    if (configured.isEmpty()) {
      return List.of(); // no look at the instances for every backup of a setup without sync
    }
    return groups().stream().filter(SyncGroup::afterBackup)
        .filter(g -> instance(g.primary()).id() == instanceId).map(SyncGroup::id).toList();
  }

  /** @throws SyncGroupNotFoundException when no instance has this prefix or name any more */
  PiholeInstance instance(String ref) {
    return SyncTopology.find(ref, instances.list()).orElseThrow(() -> new SyncGroupNotFoundException("no Pi-hole '" + ref + "' any more"));
  }
}
