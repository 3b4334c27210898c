package io.piholecheckpoint.core.sync;

import io.piholecheckpoint.core.archive.ArchiveDamagedException;
import io.piholecheckpoint.core.archive.BackupNotFoundException;
import io.piholecheckpoint.core.backup.BackupService;
import io.piholecheckpoint.core.backup.catalog.Backup;
import io.piholecheckpoint.core.backup.catalog.BackupCatalog;
import io.piholecheckpoint.core.backup.catalog.BackupConflictException;
import io.piholecheckpoint.core.backup.catalog.BackupRepository;
import io.piholecheckpoint.core.gateway.PiholeException;
import io.piholecheckpoint.core.instance.PiholeInstance;
import io.piholecheckpoint.core.restore.record.RestoreRepository;
import io.piholecheckpoint.core.sync.holds.Hold;
import io.piholecheckpoint.core.sync.holds.UnreadablePrimary;
import io.piholecheckpoint.core.sync.groups.SyncGroup;
import io.piholecheckpoint.core.sync.groups.SyncGroupNotFoundException;
import io.piholecheckpoint.core.sync.groups.SyncGroups;
import io.piholecheckpoint.core.sync.runs.SyncRun;
import io.piholecheckpoint.core.sync.runs.SyncRunRepository;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.concurrent.locks.ReentrantLock;

/** The sync groups: their runs (one at a time per group), previews and history; asked for as jobs through {@link SyncTickets}. */
public class SyncService {
  private final SyncGroups groups;
  private final BackupService backups;
  private final BackupCatalog catalog;
  private final SyncRunner runner;
  private final SyncRunRepository runs;
  private final RestoreRepository restores;
  private final UnreadablePrimary unreadable;

  public SyncService(SyncGroups groups, BackupService backups, BackupCatalog catalog, SyncRunner runner, SyncRunRepository runs,
                     RestoreRepository restores) {
    this.groups = groups;
    this.backups = backups;
    this.catalog = catalog;
    this.runner = runner;
    this.runs = runs;
    this.restores = restores;
    this.unreadable = new UnreadablePrimary(catalog);
  }

  public SyncGroups groups() {
    return groups;
  }

  /**
   * Syncs every replica of the group, one after the other, each on its own: one that fails does
   * not stop the others. Returns one run per replica.
   *
   * @throws SyncConflictException while a run of the same group is in progress
   */
  public List<SyncRun> run(String id) {
    return run(id, recorded -> { });
  }

  /** @param afterEach told the runs recorded so far after each replica's (a job asked for through {@link SyncTickets#start} shows them) */
  List<SyncRun> run(String id, Consumer<List<SyncRun>> afterEach) {
    SyncGroup group = groups.group(id);
    ReentrantLock lock = groups.turn(group.id());
    if (!lock.tryLock()) {
      throw new SyncConflictException("sync group " + group.id() + " is running already; follow it at /api/v1/sync/" + group.id() + "/runs");
    }
    try {
      runs.started(group.id(), runner.now()); // seen by every node: the group is not deleted meanwhile, and a run this node dies in is told
      try {
        return runLocked(group, afterEach);
      } finally {
        runs.ended(group.id());
      }
    } finally {
      lock.unlock();
    }
  }

  /**
   * A switched-off replica is left alone (and so is every replica of a switched-off primary: its
   * backups are no longer the state anyone chose); each is recorded as skipped, saying why.
   */
  private List<SyncRun> runLocked(SyncGroup group, Consumer<List<SyncRun>> afterEach) {
    PiholeInstance primary = groups.instance(group.primary());
    List<PiholeInstance> replicas = group.replicas().stream().map(groups::instance).toList();
    Optional<String> primaryOff = switchedOff(primary, "primary");
    boolean anyOn = primaryOff.isEmpty() && replicas.stream().anyMatch(r -> switchedOff(r, "replica").isEmpty());
    Backup source = null;
    String noSource = null;
    Optional<Hold> held = anyOn ? held(primary) : Optional.empty();
    if (anyOn && held.isEmpty()) {
      try {
        source = source(primary);
        held = withoutLists(primary, source);
      } catch (BackupConflictException e) {
        noSource = e.getMessage(); // nothing to make the replicas like: each one's record says so, as a replica that fails would
      }
    }
    List<SyncRun> done = new ArrayList<>();
    for (PiholeInstance replica : replicas) {
      Optional<String> off = primaryOff.or(() -> switchedOff(replica, "replica"));
      if (off.isPresent()) {
        done.add(runner.skipped(group, primary, replica, off.get()));
      } else if (held.isPresent()) {
        done.add(runner.held(group, primary, replica, held.get()));
      } else if (source == null) {
        done.add(runner.withoutSource(group, primary, replica, noSource));
      } else {
        done.add(runner.run(group, primary, source, replica));
      }
      afterEach.accept(List.copyOf(done));
    }
    return done;
  }

  /** Why an instance of the group is left alone: it is switched off (ACTIVE=false, or paused in the UI). */
  private static Optional<String> switchedOff(PiholeInstance instance, String role) {
    if (instance.active() && !instance.paused()) {
      return Optional.empty();
    }
    String how = !instance.active() && instance.settingsPrefix() != null ? instance.settingsPrefix() + "ACTIVE=false" : "switched off in the UI";
    return Optional.of("skipped: the " + role + " '" + instance.name() + "' is switched off (" + how + "); the replica was not contacted and"
        + " nothing was changed — switch it on to sync it");
  }

  /** What each replica lacks now, by replica name (what a run would skip says so); changes nothing. */
  public Map<String, ReplicaPlan> preview(String id) {
    SyncGroup group = groups.group(id);
    PiholeInstance primary = groups.instance(group.primary());
    Optional<String> primaryOff = switchedOff(primary, "primary");
    Optional<Backup> source = newestGood(primary);
    Optional<String> held = held(primary).or(() -> source.flatMap(b -> withoutLists(primary, b))).map(Hold::why);
    Map<String, ReplicaPlan> plans = new LinkedHashMap<>();
    group.replicas().forEach(ref -> {
      PiholeInstance replica = groups.instance(ref);
      Optional<String> off = primaryOff.or(() -> switchedOff(replica, "replica")).or(() -> held);
      plans.put(replica.name(), off.map(ReplicaPlan::skipped).orElseGet(() -> previewOne(group, primary, source, replica)));
    });
    return plans;
  }

  /** Each replica on its own, as in a run: one that cannot be looked at is said so, and the others are still previewed. */
  private ReplicaPlan previewOne(SyncGroup group, PiholeInstance primary, Optional<Backup> source, PiholeInstance replica) {
    try {
      return runner.preview(group, primary, source, replica);
    } catch (PiholeException | BackupConflictException | UncheckedIOException e) {
      return ReplicaPlan.unseen(e.getMessage());
    } catch (UnreadablePrimary.Held e) {
      return ReplicaPlan.skipped(e.hold().why()); // damaged or gone since the first open: as a hold found before it says
    }
  }

  /** A page of the group's runs, newest first; {@code before}: the last id of the previous page. */
  public List<SyncRun> history(String id, Long before, int limit) {
    return runs.findByGroup(groups.group(id).id(), before, limit);
  }

  /** The primary's newest successful backup, whatever is wrong with it. */
  private Optional<Backup> newest(PiholeInstance primary) {
    return catalog.history(primary.id(), new BackupRepository.Page(null, Backup.Status.SUCCESS, null, 1)).stream().findFirst();
  }

  /**
   * The backup to sync from: the primary's newest successful one while it is what the primary holds — not flagged suspicious,
   * its file there and sound (when it is not, {@link #held} stops the run: an older backup would roll the replicas back), and
   * taken after the last restore that changed the primary (before it, the primary held something else: a preview then looks at
   * the primary itself, and a run backs it up first).
   */
  private Optional<Backup> newestGood(PiholeInstance primary) {
    return newest(primary).filter(b -> !b.suspicious() && !b.fileMissing() && b.verifyError() == null && !restoredSince(primary, b));
  }

  private boolean restoredSince(PiholeInstance primary, Backup backup) {
    java.time.Instant seen = backup.stillCurrentAt() != null ? backup.stillCurrentAt() : backup.startedAt();
    return restores.lastChanged(primary.id()).filter(restored -> !restored.isBefore(seen)).isPresent();
  }

  /**
   * Why no replica may be synced now: the primary's newest backup is flagged suspicious, or its archive is damaged or gone from
   * this disk. Its older good backup is not the primary's state any more (a clean-up on purpose looks just like a wipe), so
   * syncing to it would push back what the primary dropped or gained since; nothing is sent until the primary's newest backup
   * is good again, or a person accepts it.
   */
  private Optional<Hold> held(PiholeInstance primary) {
    // the flag needs no file: after a disaster recovery the newest is remote only, and a backup taken now would follow the wipe
    Optional<Backup> newest = newest(primary);
    Optional<Backup> suspicious = newest.filter(Backup::suspicious);
    // accepting it is no way out when it lacks gravity.db (accept refuses it): say what is
    return suspicious.flatMap(b -> withoutLists(primary, b)).or(() -> suspicious.map(b -> new Hold("primary_suspicious",
        "held: nothing was sent — backup " + b.id() + ", the newest of the primary '" + primary.name() + "', is flagged suspicious"
        + (b.archive().changes() == null ? "" : " (" + b.archive().changes() + ")")
        + ", so its older good backup is no longer"
        + " what it holds. Look at backup " + b.id() + "'s changes on its page: if the primary lost them by mistake, fix it and back it up again (a"
        + " good backup is synced from); if they were intended, accept backup " + b.id() + " (POST /api/v1/backups/" + b.id()
        + "/accept, or \"Accept this change\" in the primary's history) and the next run syncs the replicas to it")))
        .or(() -> newest.filter(b -> b.fileMissing() || b.verifyError() != null).map(b -> Hold.unreadable(primary, b.id(),
            b.fileMissing() ? " is missing from this disk" : " is damaged on this disk (" + b.verifyError() + ")")));
  }

  /**
   * Why no replica may be synced from {@code source}: it holds no gravity.db, so its lists import would empty every replica's
   * groups, adlists, domains and clients (restore refuses such lists too). It reaches here accepted before accept refused it,
   * or taken now for a primary with no backup at all. Or its archive, opened here first, is found damaged or gone only now
   * (after its last check): held as {@link #held} holds one found so before, no replica contacted.
   */
  private Optional<Hold> withoutLists(PiholeInstance primary, Backup source) {
    try {
      if (catalog.holdsLists(source.id())) {
        return Optional.empty();
      }
    } catch (ArchiveDamagedException | BackupNotFoundException e) {
      return unreadable.of(primary, source.id(), e);
    } catch (RuntimeException e) {
      return Optional.empty(); // the run reads it again and says what is wrong with it, per replica
    }
    return Optional.of(new Hold("primary_suspicious", "held: nothing was sent — backup " + source.id() + " of the primary '" + primary.name() + "' holds no gravity.db"
        + " (no groups, adlists, domains or clients), so syncing it would remove every group, adlist, domain and client from the replicas."
        + " Back the primary up again (a backup downloaded from it holds its gravity.db) and the next run syncs from that one"));
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
