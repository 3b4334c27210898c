package io.piholecheckpoint.core.sync;

import io.piholecheckpoint.core.instance.PiholeInstance;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BiFunction;

/**
 * Which groups can run together: each instance a replica of at most one group, and never a
 * primary and a replica at once (a chain would copy a copy, in an order nobody chose). Groups are
 * taken in the order given (the environment's, then those added in the UI, each in name order);
 * one that breaks a rule is refused, naming the setting to change.
 */
final class SyncTopology {
  private SyncTopology() {
  }

  /** Group name → why it cannot run, for the groups refused; each setting named as a variable of the environment. */
  static Map<String, String> refusals(List<SyncGroup> groups, List<PiholeInstance> instances) {
    return refusals(groups, instances, (group, suffix) -> "SYNC_" + group + "_" + suffix);
  }

  /** @param label the name of a group's setting in messages, by group name and suffix */
  static Map<String, String> refusals(List<SyncGroup> groups, List<PiholeInstance> instances, BiFunction<String, String, String> label) {
    Map<String, String> refused = new LinkedHashMap<>();
    Map<Long, String> replicaOf = new HashMap<>();
    Map<Long, String> primaryOf = new HashMap<>();
    groups.forEach(group -> {
      String primaryLabel = label.apply(group.name(), "PRIMARY");
      String replicasLabel = label.apply(group.name(), "REPLICAS");
      Optional<PiholeInstance> primary = find(group.primary(), instances);
      if (primary.isEmpty()) {
        refused.put(group.name(), primaryLabel + ": no Pi-hole '" + group.primary() + "' (give an environment prefix such as HOME, or a name)");
        return;
      }
      String problem = null;
      for (String ref : group.replicas()) {
        Optional<PiholeInstance> replica = find(ref, instances);
        long id = replica.map(PiholeInstance::id).orElse(-1L);
        if (replica.isEmpty()) {
          problem = replicasLabel + ": no Pi-hole '" + ref + "' (give environment prefixes such as OFFICE, or names)";
        } else if (id == primary.get().id()) {
          problem = replicasLabel + ": '" + ref + "' is the group's primary";
        } else if (replicaOf.containsKey(id)) {
          problem = replicasLabel + ": '" + ref + "' is already a replica in group " + replicaOf.get(id) + " (a replica follows one primary)";
        } else if (primaryOf.containsKey(id)) {
          problem = replicasLabel + ": '" + ref + "' is the primary of group " + primaryOf.get(id) + " (a chain of syncs is refused)";
        }
        if (problem != null) {
          break;
        }
      }
      if (problem == null && replicaOf.containsKey(primary.get().id())) {
        problem = primaryLabel + ": '" + group.primary() + "' is a replica in group " + replicaOf.get(primary.get().id()) + " (a chain of syncs is refused)";
      }
      if (problem != null) {
        refused.put(group.name(), problem);
        return;
      }
      primaryOf.put(primary.get().id(), group.name());
      group.replicas().forEach(ref -> replicaOf.put(find(ref, instances).orElseThrow().id(), group.name()));
    });
    return refused;
  }

  /** An instance still configured, by environment prefix (exact) or by name (ignoring case). */
  static Optional<PiholeInstance> find(String ref, List<PiholeInstance> instances) {
    return instances.stream().filter(i -> !i.removed()).filter(i -> ref.equals(i.envPrefix())).findFirst()
        .or(() -> instances.stream().filter(i -> !i.removed()).filter(i -> i.name().equalsIgnoreCase(ref)).findFirst());
  }
}
