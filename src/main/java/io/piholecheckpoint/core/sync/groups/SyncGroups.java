package io.piholecheckpoint.core.sync.groups;

import io.piholecheckpoint.core.instance.PiholeInstance;
import io.piholecheckpoint.core.registry.InstanceService;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The configured sync groups, and which of them run: those of the environment, then those added
 * in the UI. Which Pi-holes their names refer to, and whether groups clash, is decided against the
 * instances as they are now (one added in the UI may complete a group, one removed disables it);
 * a group added in the UI never pushes out one of the environment, nor takes its name.
 */
public class SyncGroups {
  private final List<SyncGroup> configured;
  private final Map<String, String> refused;
  private final List<SyncMembers> refusedMembers;
  private final Set<String> environmentPrefixes;
  private final InstanceService instances;
  private final Map<String, ReentrantLock> turns = new ConcurrentHashMap<>();
  private volatile Added added = Added.NONE;

  /** The groups added in the UI, as they stand against the instances of the moment. */
  public interface Added {
    Added NONE = new Added() {
      @Override
      public Resolution resolve(List<PiholeInstance> instances) {
        return new Resolution(List.of(), Map.of(), List.of());
      }

      @Override
      public boolean none() {
        return true;
      }

      @Override
      public long changes() {
        return 0;
      }
    };

    Resolution resolve(List<PiholeInstance> instances);

    /** The primary of the group {@code name} added in the UI as {@link SyncGroups#primaryOf} words it; empty when it has none. */
    default Optional<String> primaryOf(String name, List<PiholeInstance> instances) {
      return Optional.empty();
    }

    /** Whether there is no group added in the UI (running or disabled) now: then no instance needs to be looked at. */
    boolean none();

    /** How many changes the groups added in the UI have had, through any process that shares the database. */
    long changes();
  }

  /**
   * @param groups those whose settings and instances are usable, their members by name
   * @param disabled name → why the others are not (a Pi-hole deleted, a rule they no longer meet)
   * @param held the Pi-holes those others still name, by name: no other group added here may take them
   */
  public record Resolution(List<SyncGroup> groups, Map<String, String> disabled, List<SyncMembers> held) {
  }

  /**
   * Which groups run, and why the others do not.
   *
   * @param disabled by name: the environment's, then those added here whose name it does not take
   * @param addedDisabled by name: every group added here that does not run, each with its own reason
   */
  private record State(List<SyncGroup> running, Map<String, String> disabled, Map<String, String> addedDisabled) {
  }

  /**
   * @param configured the groups read from the environment, valid one by one
   * @param refused groups whose variables were refused already: name → why (with the variable)
   */
  public SyncGroups(List<SyncGroup> configured, Map<String, String> refused, InstanceService instances) {
    this(configured, refused, List.of(), instances);
  }

  /**
   * @param refusedMembers the Pi-holes the refused groups name, as far as their variables could be read: a group
   *     that runs must not clash with one of them either
   */
  public SyncGroups(List<SyncGroup> configured, Map<String, String> refused, List<SyncMembers> refusedMembers, InstanceService instances) {
    this(configured, refused, refusedMembers, Set.of(), instances);
  }

  /**
   * @param environmentPrefixes the prefixes P of this process's {@code PIHOLE_<P>_URL} variables: a group naming one means
   *     that Pi-hole alone, and is disabled while it was not created (never run against another Pi-hole of that name)
   */
  public SyncGroups(List<SyncGroup> configured, Map<String, String> refused, List<SyncMembers> refusedMembers, Set<String> environmentPrefixes,
                    InstanceService instances) {
    this.configured = configured.stream().sorted(Comparator.comparing(SyncGroup::name)).toList();
    this.refused = Map.copyOf(refused);
    this.refusedMembers = List.copyOf(refusedMembers);
    this.environmentPrefixes = Set.copyOf(environmentPrefixes);
    this.instances = instances;
  }

  /** How many changes the groups added in the UI have had, through any process sharing the database: once it moved, plan them again. */
  public long changes() {
    return added.changes();
  }

  /** Puts the groups added in the UI in use, in place of those before. */
  public void useAdded(Added groups) {
    this.added = groups;
  }

  /** Whether the environment configures a group of this name (running or disabled): a group added in the UI cannot take it. */
  public boolean inEnvironment(String name) {
    return refused.containsKey(name) || configured.stream().anyMatch(g -> g.name().equals(name));
  }

  /** The groups that run. */
  public List<SyncGroup> groups() {
    return state(null).running();
  }

  /**
   * Group name → why it does not run: the environment's groups, and those added here whose name the environment does not
   * take (one whose name it takes is in {@link #disabledAddedHere} alone, for a name is one group's).
   */
  public Map<String, String> disabled() {
    return state(null).disabled();
  }

  /** Group name → why it does not run, for each group added here that does not run (its own reason, whoever has its name). */
  public Map<String, String> disabledAddedHere() {
    return state(null).addedDisabled();
  }

  /**
   * The primary a disabled group names, for monitoring that would otherwise see none: its Pi-hole's name (", deleted"
   * when it was), or the reference the group gives when no Pi-hole has it; empty when it names none. An environment's
   * group refused for another of its variables (its WHEN, its STALE_AFTER) still names the primary it was given.
   *
   * @param name the group's name
   * @param addedHere whether it is the group added here of that name rather than the environment's
   */
  public Optional<String> primaryOf(String name, boolean addedHere) {
    List<PiholeInstance> all = instances.list();
    if (addedHere || !inEnvironment(name)) {
      return added.primaryOf(name, all);
    }
    return configured.stream().filter(g -> g.name().equals(name)).findFirst().map(SyncGroup::primary)
        .or(() -> refusedMembers.stream().filter(m -> m.name().equals(name)).findFirst().map(SyncMembers::primary))
        .filter(ref -> !ref.isEmpty())
        .map(ref -> SyncTopology.find(ref, all, environmentPrefixes).map(PiholeInstance::name).orElse("'" + ref + "', no such Pi-hole"));
  }

  /**
   * Why {@code candidate}, a group added in the UI, could not run beside the groups that run now
   * (it is taken last: it never pushes out one of them); empty when it could.
   */
  public Optional<String> refusal(SyncGroup candidate) {
    return Optional.ofNullable(state(candidate).disabled().get(candidate.name()));
  }

  /** @param candidate a group added in the UI, in place of the one of its name, taken last; or null */
  private State state(SyncGroup candidate) {
    List<PiholeInstance> all = instances.list();
    Resolution resolution = added.resolve(all);
    Map<String, String> disabled = new LinkedHashMap<>(refused);
    Map<String, String> addedDisabled = new LinkedHashMap<>();
    List<SyncGroup> candidates = new ArrayList<>(configured);
    Set<String> addedNames = new HashSet<>();
    List<SyncGroup> addedGroups = new ArrayList<>(resolution.groups().stream()
        .filter(g -> candidate == null || !g.name().equals(candidate.name())).sorted(Comparator.comparing(SyncGroup::name)).toList());
    if (candidate != null) {
      addedGroups.add(candidate);
    }
    List<SyncMembers> held = new ArrayList<>(resolution.held().stream().filter(m -> candidate == null || !m.name().equals(candidate.name())).toList());
    for (SyncGroup group : addedGroups) {
      if (inEnvironment(group.name())) {
        held.add(SyncMembers.of(group));
        addedDisabled.put(group.name(), "SYNC_" + group.name() + "_* variables configure a group of this name in the environment,"
            + " which wins; delete the group added here, or give the variables another name");
      } else {
        addedNames.add(group.name());
        candidates.add(group);
      }
    }
    resolution.disabled().forEach((name, why) -> {
      if (candidate == null || !name.equals(candidate.name())) {
        addedDisabled.put(name, why);
        if (!inEnvironment(name)) {
          disabled.put(name, why);
        }
      }
    });
    Map<String, String> clashes = SyncTopology.refusals(configured, refusedMembers, candidates.subList(configured.size(), candidates.size()), held, all, environmentPrefixes,
        (group, suffix) -> addedNames.contains(group) ? suffix.toLowerCase(Locale.ROOT) : "SYNC_" + group + "_" + suffix);
    disabled.putAll(clashes);
    clashes.forEach((name, why) -> {
      if (addedNames.contains(name)) {
        addedDisabled.put(name, why);
      }
    });
    return new State(candidates.stream().filter(g -> !clashes.containsKey(g.name())).toList(), disabled, addedDisabled);
  }

  /**
   * The group the API names {@code id}: its prefix in lower case, and only that. Any other
   * spelling ({@code HOME}) is no group, running or disabled, and the message gives the one that is.
   *
   * @throws SyncGroupNotFoundException for a group that is not configured, is disabled (saying why), or is not spelt in lower case
   */
  public SyncGroup group(String id) {
    State state = state(null);
    Optional<SyncGroup> running = state.running().stream().filter(g -> g.id().equals(id)).findFirst();
    if (running.isPresent()) {
      return running.get();
    }
    Map<String, String> disabledById = byId(state.disabled());
    String disabled = disabledById.get(id);
    if (disabled != null) {
      throw new SyncGroupNotFoundException("sync group '" + id + "' is disabled: " + disabled);
    }
    String lower = id.toLowerCase(Locale.ROOT);
    boolean known = !lower.equals(id) && (state.running().stream().anyMatch(g -> g.id().equals(lower)) || disabledById.containsKey(lower));
    throw new SyncGroupNotFoundException("no sync group '" + id + "'" + (known ? "; groups are named by their prefix in lower case: '" + lower + "'" : ""));
  }

  /** Group name → why it does not run, by the name the API uses (lower case). */
  public Map<String, String> disabledById() {
    return byId(disabled());
  }

  /** {@link #disabledAddedHere}, by the name the API uses. */
  public Map<String, String> disabledAddedHereById() {
    return byId(disabledAddedHere());
  }

  private static Map<String, String> byId(Map<String, String> disabled) {
    Map<String, String> byId = new LinkedHashMap<>();
    disabled.forEach((name, why) -> byId.put(SyncGroup.idOf(name), why));
    return byId;
  }

  /** The group's turn: its runs take it one at a time (SyncService), and a backup its own run took is told apart by it (SyncOnBackup). */
  public ReentrantLock turn(String id) {
    return turns.computeIfAbsent(id, g -> new ReentrantLock());
  }

  /** Whether a run of the group is in progress now. */
  public boolean running(String id) {
    return turn(id).isLocked();
  }

  /** The groups whose primary is this instance and that sync after its backups. */
  public List<String> followingBackupsOf(long instanceId) {
    if (configured.isEmpty() && added.none()) {
      return List.of(); // no look at the instances for every backup of a setup without sync
    }
    return groups().stream().filter(SyncGroup::afterBackup)
        .filter(g -> instance(g.primary()).id() == instanceId).map(SyncGroup::id).toList();
  }

  /** @throws SyncGroupNotFoundException when no instance has this prefix or name any more */
  public PiholeInstance instance(String ref) {
    return SyncTopology.find(ref, instances.list(), environmentPrefixes).orElseThrow(() -> new SyncGroupNotFoundException("no Pi-hole '" + ref + "' any more"));
  }
}
