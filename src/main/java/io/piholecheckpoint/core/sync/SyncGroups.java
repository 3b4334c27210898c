package io.piholecheckpoint.core.sync;

import io.piholecheckpoint.core.instance.PiholeInstance;
import io.piholecheckpoint.core.registry.InstanceService;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The configured sync groups, and which of them run. Which Pi-holes their names refer to, and
 * whether groups clash, is decided against the instances as they are now (one added in the UI
 * may complete a group, one removed disables it).
 */
public class SyncGroups {
  private final List<SyncGroup> configured;
  private final Map<String, String> refused;
  private final InstanceService instances;
  private final Map<String, ReentrantLock> turns = new ConcurrentHashMap<>();

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

  /**
   * The group the API names {@code id}: its prefix in lower case, and only that. Any other
   * spelling ({@code HOME}) is no group, running or disabled, and the message gives the one that is.
   *
   * @throws SyncGroupNotFoundException for a group that is not configured, is disabled (saying why), or is not spelt in lower case
   */
  public SyncGroup group(String id) {
    Optional<SyncGroup> running = groups().stream().filter(g -> g.id().equals(id)).findFirst();
    if (running.isPresent()) {
      return running.get();
    }
    String disabled = disabledById().get(id);
    if (disabled != null) {
      throw new SyncGroupNotFoundException("sync group '" + id + "' is disabled: " + disabled);
    }
    String lower = id.toLowerCase(Locale.ROOT);
    boolean known = !lower.equals(id) && (groups().stream().anyMatch(g -> g.id().equals(lower)) || disabledById().containsKey(lower));
    throw new SyncGroupNotFoundException("no sync group '" + id + "'" + (known ? "; groups are named by their prefix in lower case: '" + lower + "'" : ""));
  }

  /** Group name → why it does not run, by the name the API uses (lower case). */
  public Map<String, String> disabledById() {
    Map<String, String> byId = new LinkedHashMap<>();
    disabled().forEach((name, why) -> byId.put(SyncGroup.idOf(name), why));
    return byId;
  }

  /** The group's turn: its runs take it one at a time (SyncService), and a backup its own run took is told apart by it (SyncOnBackup). */
  ReentrantLock turn(String id) {
    return turns.computeIfAbsent(id, g -> new ReentrantLock());
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
