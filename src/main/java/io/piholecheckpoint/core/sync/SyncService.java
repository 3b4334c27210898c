package io.piholecheckpoint.core.sync;

import io.piholecheckpoint.core.backup.Backup;
import io.piholecheckpoint.core.backup.BackupCatalog;
import io.piholecheckpoint.core.backup.BackupConflictException;
import io.piholecheckpoint.core.backup.BackupRepository;
import io.piholecheckpoint.core.backup.BackupService;
import io.piholecheckpoint.core.instance.PiholeInstance;
import io.piholecheckpoint.core.registry.InstanceService;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The sync groups: their runs (one at a time per group), previews and history. */
public class SyncService {
  private static final Logger log = LoggerFactory.getLogger(SyncService.class);
  private final Map<String, SyncGroup> groups = new LinkedHashMap<>();
  private final Map<String, String> disabled = new LinkedHashMap<>();
  private final InstanceService instances;
  private final BackupService backups;
  private final BackupCatalog catalog;
  private final SyncRunner runner;
  private final SyncRunRepository runs;
  private final Map<String, ReentrantLock> running = new ConcurrentHashMap<>();

  /**
   * @param configured the groups read from the environment, valid one by one
   * @param refused groups whose variables were refused already: name → why (with the variable)
   */
  public SyncService(List<SyncGroup> configured, Map<String, String> refused, InstanceService instances, BackupService backups,
                     BackupCatalog catalog, SyncRunner runner, SyncRunRepository runs) {
    this.instances = instances;
    this.backups = backups;
    this.catalog = catalog;
    this.runner = runner;
    this.runs = runs;
    disabled.putAll(refused);
    disabled.putAll(SyncTopology.refusals(configured, instances.list()));
    configured.stream().filter(g -> !disabled.containsKey(g.name())).forEach(g -> groups.put(g.id(), g));
    disabled.forEach((name, why) -> log.warn("Sync group {} is disabled: {}; the other groups run", name, why));
  }

  public List<SyncGroup> groups() {
    return List.copyOf(groups.values());
  }

  /** Group name → why it does not run. */
  public Map<String, String> disabled() {
    return Map.copyOf(disabled);
  }

  /** @throws SyncGroupNotFoundException for a group that is not configured or was refused */
  public SyncGroup group(String id) {
    SyncGroup group = groups.get(id);
    if (group == null) {
      String why = disabled.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(id)).map(Map.Entry::getValue).findFirst()
          .map(w -> " (it is disabled: " + w + ")").orElse("");
      throw new SyncGroupNotFoundException("no sync group '" + id + "'" + why);
    }
    return group;
  }

  /**
   * Syncs every replica of the group, one after the other, each on its own: one that fails does
   * not stop the others. Returns one run per replica.
   *
   * @throws BackupConflictException while a run of the same group is in progress
   */
  public List<SyncRun> run(String id) {
    SyncGroup group = group(id);
    ReentrantLock lock = running.computeIfAbsent(group.id(), g -> new ReentrantLock());
    if (!lock.tryLock()) {
      throw new BackupConflictException("sync group " + group.id() + " is running already; follow it at /api/v1/sync/" + group.id() + "/runs");
    }
    try {
      PiholeInstance primary = instance(group.primary());
      Backup source = source(primary);
      List<SyncRun> done = new ArrayList<>();
      for (String ref : group.replicas()) {
        done.add(runner.run(group, primary, source, instance(ref)));
      }
      return done;
    } finally {
      lock.unlock();
    }
  }

  /** What each replica lacks now, by replica name; changes nothing. */
  public Map<String, ReplicaPlan> preview(String id) {
    SyncGroup group = group(id);
    Backup source = source(instance(group.primary()));
    Map<String, ReplicaPlan> plans = new LinkedHashMap<>();
    group.replicas().forEach(ref -> {
      PiholeInstance replica = instance(ref);
      plans.put(replica.name(), runner.preview(group, source, replica));
    });
    return plans;
  }

  /** The groups whose primary is this instance and that sync after its backups. */
  public List<String> followingBackupsOf(long instanceId) {
    return groups.values().stream().filter(SyncGroup::afterBackup)
        .filter(g -> SyncTopology.find(g.primary(), instances.list()).map(PiholeInstance::id).orElse(-1L) == instanceId)
        .map(SyncGroup::id).toList();
  }

  /** A page of the group's runs, newest first; {@code before}: the last id of the previous page. */
  public List<SyncRun> history(String id, Long before, int limit) {
    return runs.findByGroup(group(id).id(), before, limit);
  }

  /**
   * The primary's newest good backup (successful, its file there and sound, not suspiciously
   * small); when it has none, one is taken now.
   */
  private Backup source(PiholeInstance primary) {
    Optional<Backup> good = catalog.history(primary.id(), new BackupRepository.Page(null, Backup.Status.SUCCESS, null, 20)).stream()
        .filter(b -> !b.suspicious() && !b.fileMissing() && b.verifyError() == null).findFirst();
    if (good.isPresent()) {
      return good.get();
    }
    Backup fresh = backups.runBackup(primary.id(), Backup.Trigger.MANUAL);
    if (!fresh.successful()) {
      throw new BackupConflictException("the primary '" + primary.name() + "' has no good backup to sync from, and backing it up now failed: "
          + fresh.errorMessage());
    }
    return fresh;
  }

  private PiholeInstance instance(String ref) {
    return SyncTopology.find(ref, instances.list()).orElseThrow(() -> new SyncGroupNotFoundException("no Pi-hole '" + ref + "' any more"));
  }
}
