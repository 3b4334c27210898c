package io.piholecheckpoint.core.sync;

import io.piholecheckpoint.core.instance.PiholeInstance;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Which groups can run together: each instance a replica of at most one group, and never a
 * primary and a replica at once (a chain would copy a copy, in an order nobody chose). Groups are
 * taken in name order; one that breaks a rule is refused, naming the variable to change.
 */
final class SyncTopology {
  private SyncTopology() {
  }

  /** Group name → why it cannot run, for the groups refused. */
  static Map<String, String> refusals(List<SyncGroup> groups, List<PiholeInstance> instances) {
    Map<String, String> refused = new LinkedHashMap<>();
    Map<Long, String> replicaOf = new HashMap<>();
    Map<Long, String> primaryOf = new HashMap<>();
    groups.stream().sorted(java.util.Comparator.comparing(SyncGroup::name)).forEach(group -> {
      String v = "SYNC_" + group.name() + "_";
      Optional<PiholeInstance> primary = find(group.primary(), instances);
      if (primary.isEmpty()) {
        refused.put(group.name(), v + "PRIMARY: no Pi-hole '" + group.primary() + "' (give an environment prefix such as HOME, or a name)");
        return;
      }
      String problem = null;
      for (String ref : group.replicas()) {
        Optional<PiholeInstance> replica = find(ref, instances);
        long id = replica.map(PiholeInstance::id).orElse(-1L);
        if (replica.isEmpty()) {
          problem = v + "REPLICAS: no Pi-hole '" + ref + "' (give environment prefixes such as OFFICE, or names)";
        } else if (id == primary.get().id()) {
          problem = v + "REPLICAS: '" + ref + "' is the group's primary";
        } else if (replicaOf.containsKey(id)) {
          problem = v + "REPLICAS: '" + ref + "' is already a replica in group " + replicaOf.get(id) + " (a replica follows one primary)";
        } else if (primaryOf.containsKey(id)) {
          problem = v + "REPLICAS: '" + ref + "' is the primary of group " + primaryOf.get(id) + " (a chain of syncs is refused)";
        }
        if (problem != null) {
          break;
        }
      }
      if (problem == null && replicaOf.containsKey(primary.get().id())) {
        problem = v + "PRIMARY: '" + group.primary() + "' is a replica in group " + replicaOf.get(primary.get().id()) + " (a chain of syncs is refused)";
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
