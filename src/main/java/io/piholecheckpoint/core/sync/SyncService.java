package io.piholecheckpoint.core.sync;

import io.piholecheckpoint.core.backup.Backup;
import io.piholecheckpoint.core.backup.BackupCatalog;
import io.piholecheckpoint.core.backup.BackupConflictException;
import io.piholecheckpoint.core.backup.BackupRepository;
import io.piholecheckpoint.core.backup.BackupService;
import io.piholecheckpoint.core.instance.PiholeInstance;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;

/** The sync groups: their runs (one at a time per group), previews and history. */
public class SyncService {
  private final SyncGroups groups;
  private final BackupService backups;
  private final BackupCatalog catalog;
  private final SyncRunner runner;
  private final SyncRunRepository runs;
  private final Map<String, ReentrantLock> running = new ConcurrentHashMap<>();
  private final SyncLauncher launcher;

  /** @param launcher where {@link #start} hands a run to: the scheduler, which never runs two of a group at once */
  public SyncService(SyncGroups groups, BackupService backups, BackupCatalog catalog, SyncRunner runner, SyncRunRepository runs,
                     SyncLauncher launcher) {
    this.launcher = launcher;
    this.groups = groups;
    this.backups = backups;
    this.catalog = catalog;
    this.runner = runner;
    this.runs = runs;
  }

  public SyncGroups groups() {
    return groups;
  }

  /**
   * Starts the group's run in the background and returns its id; follow it in {@link #history}.
   *
   * @throws BackupConflictException while a run of the group is in progress
   */
  public String start(String id) {
    SyncGroup group = groups.group(id);
    ReentrantLock lock = running.get(group.id());
    if (lock != null && lock.isLocked()) {
      throw new BackupConflictException("sync group " + group.id() + " is running already; follow it at /api/v1/sync/" + group.id() + "/runs");
    }
    launcher.launch(group.id());
    return group.id();
  }

  /**
   * Syncs every replica of the group, one after the other, each on its own: one that fails does
   * not stop the others. Returns one run per replica.
   *
   * @throws BackupConflictException while a run of the same group is in progress
   */
  public List<SyncRun> run(String id) {
    SyncGroup group = groups.group(id);
    ReentrantLock lock = running.computeIfAbsent(group.id(), g -> new ReentrantLock());
    if (!lock.tryLock()) {
      throw new BackupConflictException("sync group " + group.id() + " is running already; follow it at /api/v1/sync/" + group.id() + "/runs");
    }
    try {
      PiholeInstance primary = groups.instance(group.primary());
      Backup source;
      try {
        source = source(primary);
      } catch (BackupConflictException e) {
        // nothing to make the replicas like: each one's record says so, as a replica that fails would
        return group.replicas().stream().map(ref -> runner.withoutSource(group, primary, groups.instance(ref), e.getMessage())).toList();
      }
      List<SyncRun> done = new ArrayList<>();
      for (String ref : group.replicas()) {
        done.add(runner.run(group, primary, source, groups.instance(ref)));
      }
      return done;
    } finally {
      lock.unlock();
    }
  }

  /** What each replica lacks now, by replica name; changes nothing. */
  public Map<String, ReplicaPlan> preview(String id) {
    SyncGroup group = groups.group(id);
    PiholeInstance primary = groups.instance(group.primary());
    Optional<Backup> source = newestGood(primary);
    Map<String, ReplicaPlan> plans = new LinkedHashMap<>();
    group.replicas().forEach(ref -> {
      PiholeInstance replica = groups.instance(ref);
      plans.put(replica.name(), runner.preview(group, primary, source, replica));
    });
    return plans;
  }

  /** A page of the group's runs, newest first; {@code before}: the last id of the previous page. */
  public List<SyncRun> history(String id, Long before, int limit) {
    return runs.findByGroup(groups.group(id).id(), before, limit);
  }

  /** The primary's newest good backup: successful, its file there and sound, not suspiciously small. */
  private Optional<Backup> newestGood(PiholeInstance primary) {
    return catalog.history(primary.id(), new BackupRepository.Page(null, Backup.Status.SUCCESS, null, 20)).stream()
        .filter(b -> !b.suspicious() && !b.fileMissing() && b.verifyError() == null).findFirst();
  }

  /** The newest good backup, or one taken now when there is none. */
  private Backup source(PiholeInstance primary) {
    Optional<Backup> good = newestGood(primary);
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

}
