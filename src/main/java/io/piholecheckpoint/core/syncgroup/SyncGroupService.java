package io.piholecheckpoint.core.syncgroup;

import io.piholecheckpoint.core.instance.InstanceNames;
import io.piholecheckpoint.core.instance.PiholeInstance;
import io.piholecheckpoint.core.registry.InstanceService;
import io.piholecheckpoint.core.schedule.FireTimes;
import io.piholecheckpoint.core.settings.ValidationException;
import io.piholecheckpoint.core.sync.SyncConflictException;
import io.piholecheckpoint.core.sync.groups.SyncGroup;
import io.piholecheckpoint.core.sync.groups.SyncGroupNotFoundException;
import io.piholecheckpoint.core.sync.groups.SyncGroups;
import io.piholecheckpoint.core.sync.groups.SyncMembers;
import io.piholecheckpoint.core.units.LogText;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sync groups added on the Sync page or the API, of Pi-holes added there too: checked by the rules
 * of the {@code SYNC_<GROUP>_*} variables ({@link SyncGroupRules}), checked last against the groups
 * that run (a new one never pushes out one in use, and never takes the environment's name), stored,
 * and in use at once, without a restart. A stored group that can no longer work (a Pi-hole of it
 * deleted, a rule it no longer meets) is disabled with why; it never stops the start.
 */
public final class SyncGroupService implements SyncGroups.Added {
  private static final Logger log = LoggerFactory.getLogger(SyncGroupService.class);
  /** As {@code <GROUP>} of {@code SYNC_<GROUP>_PRIMARY}, so that a group can move to the environment as it is. */
  private static final Pattern NAME = Pattern.compile("[A-Za-z][A-Za-z0-9_]{0,39}");
  /** A group's name in the API's addresses: only ASCII, so that no case mapping ({@code ı} → {@code I}) names another group. */
  private static final Pattern ID = Pattern.compile("[a-z][a-z0-9_]{0,39}");
  private final SyncGroupRepository repository;
  private final SyncGroups groups;
  private final InstanceService instances;
  private final FireTimes fireTimes;
  private final Runnable changed;
  /** The stored groups as last read, and at how many changes of them: read again once another change is counted. */
  private volatile Loaded loaded = new Loaded(-1, Map.of());
  private volatile boolean twoOfOurs;

  /** @param group null when {@code refused} says why the rules refuse the stored settings */
  private record Read(ManagedSyncGroup stored, SyncGroup group, String refused) {
  }

  /** @param read the stored groups by name, as the rules read them (members by id), or why they refuse one now */
  private record Loaded(long changes, Map<String, Read> read) {
  }

  /** @param changed told after every change (the scheduler plans the groups again) */
  public SyncGroupService(SyncGroupRepository repository, SyncGroups groups, InstanceService instances, FireTimes fireTimes, Runnable changed) {
    this.repository = repository;
    this.groups = groups;
    this.instances = instances;
    this.fireTimes = fireTimes;
    this.changed = changed;
  }

  /**
   * Puts the stored groups in use, now and as they change: on any node that shares the database,
   * every use reads them as they are there (a count of their changes, and the groups again once it
   * has moved), never a copy taken at this node's start. Each one that cannot work is disabled with why (logged once, at the app's start).
   */
  public synchronized void start() {
    read();
    groups.useAdded(this);
    instances.onChange(id -> recount());
    recount();
  }

  @Override
  public boolean none() {
    return read().isEmpty();
  }

  @Override
  public long changes() {
    return repository.changes();
  }

  /**
   * Whether the Sync page has a group added here to show, or two Pi-holes added in the UI to make
   * one of; kept up to date as instances change, so that the navigation asks no database.
   */
  public boolean offered() {
    return twoOfOurs || !read().isEmpty();
  }

  private void recount() {
    twoOfOurs = instances.list().stream().filter(i -> !i.removed() && !i.fromEnvironment()).count() >= 2;
  }

  @Override
  public SyncGroups.Resolution resolve(List<PiholeInstance> all) {
    List<SyncGroup> usable = new ArrayList<>();
    Map<String, String> disabled = new LinkedHashMap<>();
    List<SyncMembers> held = new ArrayList<>();
    read().forEach((name, r) -> {
      try {
        if (r.refused() != null) {
          disabled.put(name, r.refused());
        } else {
          usable.add(byName(r.group(), all));
          return;
        }
      } catch (SyncGroupRefusedException e) {
        disabled.put(name, e.getMessage());
      }
      held.add(held(r.stored(), all));
    });
    return new SyncGroups.Resolution(usable, disabled, held);
  }

  @Override
  public Optional<String> primaryOf(String name, List<PiholeInstance> all) {
    return repository.find(name).map(g -> g.settings().get("PRIMARY")).map(id -> all.stream().filter(i -> Long.toString(i.id()).equals(id))
        .findFirst().map(i -> i.removed() ? i.name() + ", deleted" : i.name()).orElse("#" + id + ", deleted"));
  }

  /** In name order. */
  public List<ManagedSyncGroup> list() {
    return repository.findAll();
  }

  /**
   * The group the API names {@code id} (its name in lower case), as added here.
   *
   * @throws SyncGroupNotFoundException for a name no group added here has
   */
  public ManagedSyncGroup find(String id) {
    Optional<ManagedSyncGroup> found = ID.matcher(id).matches() ? repository.find(id.toUpperCase(Locale.ROOT)) : Optional.empty();
    return found.orElseThrow(() -> {
      String lower = id.toLowerCase(Locale.ROOT);
      boolean known = !lower.equals(id) && ID.matcher(lower).matches() && repository.find(lower.toUpperCase(Locale.ROOT)).isPresent();
      return new SyncGroupNotFoundException("no sync group '" + id + "' was added here"
          + (known ? "; groups are named by their name in lower case: '" + lower + "'" : ""));
    });
  }

  /** Why the group the API names {@code id} does not run, or null when it runs (or is not known). */
  public String disabledWhy(String id) {
    return groups.disabledAddedHereById().get(id);
  }

  /** Whether a group of the environment has the name the API gives as {@code id}: it is read-only here. */
  public boolean inEnvironment(String id) {
    return ID.matcher(id).matches() && groups.inEnvironment(id.toUpperCase(Locale.ROOT));
  }

  /** The group's primary and replicas by name as they are now ({@code #id} for one deleted). */
  public List<String> members(ManagedSyncGroup group) {
    List<PiholeInstance> all = instances.list();
    List<String> ids = new ArrayList<>(SyncGroupRules.list(group.settings().get("PRIMARY")));
    ids.addAll(SyncGroupRules.list(group.settings().get("REPLICAS")));
    return ids.stream().map(id -> all.stream().filter(i -> Long.toString(i.id()).equals(id) && !i.removed()).findFirst()
        .map(PiholeInstance::name).orElse("#" + id)).toList();
  }

  /**
   * @throws ValidationException (400) for a name or a setting the rules refuse
   * @throws SyncGroupConflictException (409) when the name is taken
   * @throws SyncGroupRefusedException (422) when the group cannot work with the Pi-holes there are
   */
  public synchronized ManagedSyncGroup add(SyncGroupForm form) {
    String name = name(form.name());
    if (groups.inEnvironment(name)) {
      throw new SyncGroupConflictException("SYNC_" + name + "_* variables configure a group named " + name
          + " in the environment; give this one another name");
    }
    if (repository.find(name).isPresent()) {
      throw new SyncGroupConflictException("a sync group named " + name + " was already added; change that one, or choose another name");
    }
    return store(name, form, Map.of(), false);
  }

  /** The stored settings with the form's over them; the name cannot change (it names the group's history). */
  public synchronized ManagedSyncGroup update(String id, SyncGroupForm form) {
    refuseEnvironment(id);
    ManagedSyncGroup stored = find(id);
    if (form.name() != null && !form.name().isBlank() && !form.name().strip().equalsIgnoreCase(stored.name())) {
      throw new ValidationException(Map.of("name", "a group keeps its name (its runs are filed under it); add a new one and delete this one instead"));
    }
    return store(stored.name(), form, stored.settings(), true);
  }

  /**
   * Deletes the group and its runs' history; the replicas stay as they are.
   *
   * @throws SyncGroupConflictException for a group of the environment
   * @throws SyncConflictException while a run of the group is in progress, on this node or another
   */
  public synchronized void delete(String id) {
    refuseEnvironment(id);
    ManagedSyncGroup stored = find(id);
    String groupId = SyncGroup.idOf(stored.name());
    if (groups.running(groupId)) {
      throw new SyncConflictException("sync group " + groupId + " is running; delete it once its run is done");
    }
    SyncGroupRepository.Deletion deletion = repository.delete(stored.name());
    if (deletion.runningOn() != null) {
      throw new SyncConflictException("sync group " + groupId + " is running" + (deletion.runningOn().isEmpty() ? "" : " on node "
          + deletion.runningOn()) + "; delete it once its run is done (its history at /api/v1/sync/" + groupId + "/runs shows when)");
    }
    if (!deletion.deleted()) {
      throw new SyncGroupNotFoundException("sync group " + groupId + " was deleted a moment ago (on another node, or in another window)");
    }
    log.info("Sync group {} deleted on the Sync page or the API; its replicas stay as they are", stored.name());
    changed.run();
  }

  /** The stored settings (members by id) with the form's over them, checked as a run would take them, then stored. */
  private ManagedSyncGroup store(String name, SyncGroupForm form, Map<String, String> stored, boolean change) {
    List<PiholeInstance> all = instances.list();
    Map<String, String> settings = form.over(stored);
    settings.keySet().retainAll(SyncGroupRules.SUFFIXES);
    if (form.primary() != null) {
      settings.put("PRIMARY", form.primary().isBlank() ? "" : Long.toString(ours(form.primary().strip(), "primary", all).id()));
    }
    if (form.replicas() != null) {
      settings.put("REPLICAS", form.replicas().stream().filter(r -> r != null && !r.isBlank()).map(r -> Long.toString(ours(r.strip(), "replicas", all).id()))
          .distinct().collect(Collectors.joining(",")));
    }
    SyncGroup group;
    try {
      group = SyncGroupRules.read(name, settings::get, SyncGroupRules.FIELDS::get, fireTimes);
    } catch (SyncGroupRules.Problem e) {
      throw new ValidationException(Map.of(SyncGroupRules.FIELDS.get(e.suffix()), e.getMessage()));
    }
    SyncGroup candidate = byName(group, all);
    groups.refusal(candidate).ifPresent(why -> {
      throw new SyncGroupRefusedException(why);
    });
    settings.values().removeIf(String::isEmpty);
    // stored as the rules read them, so that pages and the API show what is in force (YES is true, LISTS is lists)
    settings.put("MODE", group.mode().id());
    settings.put("KEEP_REPLICA_DNS", Boolean.toString(group.keepReplicaDns()));
    settings.put("SNAPSHOT", group.snapshot().name().toLowerCase(Locale.ROOT));
    ManagedSyncGroup saved = new ManagedSyncGroup(name, settings);
    if (!change) {
      if (!repository.add(saved)) {
        throw new SyncGroupConflictException("a sync group named " + name + " was added a moment ago (on another node, or in another"
            + " window); nothing was saved from this form — look at that one on the Sync page, or choose another name");
      }
    } else if (!repository.save(saved)) {
      throw new SyncGroupNotFoundException("sync group " + SyncGroup.idOf(name) + " was deleted a moment ago (on another node, or in another"
          + " window); nothing was saved — add it again if it is still wanted");
    }
    log.info("Sync group {} {} on the Sync page or the API: {} → {}", name, change ? "changed" : "added", LogText.of(candidate.primary()),
        LogText.of(String.join(", ", candidate.replicas())));
    changed.run();
    return saved;
  }

  /** An instance added in the UI, by its name in any case. */
  private static PiholeInstance ours(String ref, String field, List<PiholeInstance> all) {
    List<PiholeInstance> present = all.stream().filter(i -> !i.removed()).toList();
    Optional<PiholeInstance> environment = present.stream().filter(PiholeInstance::fromEnvironment)
        .filter(i -> ref.equals(i.envPrefix()) || InstanceNames.same(i.name(), ref)).findFirst();
    if (environment.isPresent()) {
      throw new SyncGroupRefusedException(field + ": '" + ref + "' is configured in the environment (" + environment.get().settingsPrefix()
          + "*): a group of it is configured by SYNC_<GROUP>_* variables; here, choose Pi-holes added in the UI");
    }
    return present.stream().filter(i -> InstanceNames.same(i.name(), ref)).findFirst().orElseThrow(() -> new SyncGroupRefusedException(field
        + ": no Pi-hole named '" + ref + "'; the Pi-holes added in the UI are: " + present.stream().filter(i -> !i.fromEnvironment())
            .map(PiholeInstance::name).collect(Collectors.joining(", "))));
  }

  /** The Pi-holes a disabled group still names, by name: those deleted it names no more. */
  private static SyncMembers held(ManagedSyncGroup stored, List<PiholeInstance> all) {
    Function<String, Optional<String>> name = id -> all.stream().filter(i -> !i.removed() && Long.toString(i.id()).equals(id)).findFirst()
        .map(PiholeInstance::name);
    return new SyncMembers(stored.name(), SyncGroupRules.list(stored.settings().get("PRIMARY")).stream().findFirst().flatMap(name).orElse(null),
        SyncGroupRules.list(stored.settings().get("REPLICAS")).stream().map(name).flatMap(Optional::stream).toList());
  }

  /**
   * The group with its members by their names now, which is how a run finds them.
   *
   * @throws SyncGroupRefusedException for a member deleted, or whose name is another instance's environment prefix
   */
  private static SyncGroup byName(SyncGroup group, List<PiholeInstance> all) {
    return group.withMembers(member(group.primary(), "primary", all), group.replicas().stream().map(r -> member(r, "replicas", all)).toList());
  }

  private static String member(String id, String field, List<PiholeInstance> all) {
    if (id.isEmpty() || !id.chars().allMatch(c -> c >= '0' && c <= '9')) {
      // a group stores its members by id: a name here (written by hand, or by an older build) was "the Pi-hole #Home was deleted"
      throw new SyncGroupRefusedException(field + ": the stored value '" + id + "' is not a Pi-hole's id (a number), as a group added on"
          + " the Sync page stores its members; choose the Pi-hole on the Sync page, or delete the group");
    }
    Optional<PiholeInstance> instance = all.stream().filter(i -> Long.toString(i.id()).equals(id)).findFirst();
    if (instance.isEmpty() || instance.get().removed()) {
      throw new SyncGroupRefusedException(field + ": the Pi-hole " + instance.map(i -> "'" + i.name() + "'").orElse("#" + id)
          + " was deleted; choose another on the Sync page, or delete the group");
    }
    String name = instance.get().name();
    if (all.stream().anyMatch(i -> !i.removed() && name.equals(i.envPrefix()))) {
      throw new SyncGroupRefusedException(field + ": the name of the Pi-hole '" + name + "' is also the environment prefix of another"
          + " (PIHOLE_" + name + "_*); rename it in the UI");
    }
    return name;
  }

  /** The stored groups as they are in the database now: read again only when they changed since (here or on another node). */
  private Map<String, Read> read() {
    long changes = repository.changes(); // before the groups: a change committed in between makes the next use read them again
    Loaded last = loaded;
    if (last.changes() == changes) {
      return last.read();
    }
    Map<String, Read> read = load();
    loaded = new Loaded(changes, read);
    return read;
  }

  private Map<String, Read> load() {
    Map<String, Read> byName = new TreeMap<>();
    for (ManagedSyncGroup stored : repository.findAll()) {
      try {
        byName.put(stored.name(), new Read(stored, SyncGroupRules.read(stored.name(), stored.settings()::get, SyncGroupRules.FIELDS::get, fireTimes), null));
      } catch (SyncGroupRules.Problem e) {
        // logged at start with the other disabled groups, once: this runs again whenever any group changes
        byName.put(stored.name(), new Read(stored, null, e.getMessage() + "; change the group on the Sync page"));
      }
    }
    return Collections.unmodifiableMap(byName); // in name order
  }

  private static String name(String given) {
    String name = given == null ? "" : given.strip();
    if (!NAME.matcher(name).matches()) {
      throw new ValidationException(Map.of("name", "a name is a letter, then letters, digits or _ (up to 40), as HOME or LAN_2: "
          + "it names the group as SYNC_<GROUP>_ would, and in lower case in the API's addresses"));
    }
    return name.toUpperCase(Locale.ROOT);
  }

  private void refuseEnvironment(String id) {
    if (inEnvironment(id)) {
      String name = id.toUpperCase(Locale.ROOT);
      throw new SyncGroupConflictException(name + " is configured in the environment (SYNC_" + name
          + "_*): change it there and restart; only groups added here can be changed here");
    }
  }
}
