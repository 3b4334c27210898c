package io.piholecheckpoint.core.offsite;

import io.piholecheckpoint.core.backup.catalog.Backup;
import io.piholecheckpoint.core.backup.catalog.BackupRepository;
import io.piholecheckpoint.core.instance.InstanceRepository;
import io.piholecheckpoint.core.instance.PiholeInstance;
import io.piholecheckpoint.core.instance.RetentionPolicy;
import io.piholecheckpoint.core.offsite.copy.Manifest;
import io.piholecheckpoint.core.offsite.copy.Uploads;
import io.piholecheckpoint.core.offsite.queue.Copy;
import io.piholecheckpoint.core.offsite.queue.CopyRepository;
import io.piholecheckpoint.core.offsite.remote.OffsiteTarget;
import io.piholecheckpoint.core.retention.RetentionRules;
import io.piholecheckpoint.core.retention.RetentionService.Deletion;
import io.piholecheckpoint.core.units.LogText;
import java.io.IOException;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Retention at a destination: the same rules as at home (RetentionRules), with the destination's
 * own limits or else the instance's, over the copies verified there; and the catch-up of backups
 * the destination should hold by those rules but was never sent. A copy outlives its local
 * backup (home may keep fewer); pinned backups are never deleted there either, and the newest
 * copy always stays.
 */
public final class RemotePruning {
  private static final Logger log = LoggerFactory.getLogger(RemotePruning.class);
  private final CopyRepository copies;
  private final BackupRepository backups;
  private final InstanceRepository instances;
  private final ZoneId zone;
  private final Clock clock;

  public RemotePruning(CopyRepository copies, BackupRepository backups, InstanceRepository instances, ZoneId zone, Clock clock) {
    this.copies = copies;
    this.backups = backups;
    this.instances = instances;
    this.zone = zone;
    this.clock = clock;
  }

  /** {@link #catchUp} for every instance the destination takes, except removed ones; returns how many copies were queued. */
  public int catchUpAll(OffsiteTarget target) {
    int queued = 0;
    for (PiholeInstance instance : instances.findAll()) {
      if (!instance.removed() && target.takes(instance)) {
        queued += catchUp(target, instance);
      }
    }
    return queued;
  }

  /**
   * Queues the instance's good backups the destination keeps by its retention and was never sent:
   * those made before it was configured, imported ones, ones found in the backup directory — the
   * newest few the rules keep, not the whole history. Each backup is considered once per
   * destination (up to a mark stored with the queued copies), so a restart, or a copy pruned
   * there since, never queues it again.
   */
  int catchUp(OffsiteTarget target, PiholeInstance instance) {
    long through = copies.caughtUpThrough(target.name(), instance.id()).orElse(0L);
    long newest = copies.newestGoodBackupId(instance.id());
    if (newest <= through) {
      return 0; // without reading the history: after each backup, only its instance's is read
    }
    List<Backup> good = backups.findSuccessful(instance.id());
    Instant now = clock.instant();
    Set<Long> expired = RetentionRules.expired(good, target.retention().over(instance.retention()), now, zone).stream()
        .map(d -> d.backup().id()).collect(Collectors.toSet());
    List<Copy> queued = good.stream().filter(b -> b.id() > through && !expired.contains(b.id()) && b.fileName() != null && !b.fileMissing())
        .map(b -> Copy.queued(b.id(), instance.id(), target.name(), b.fileName(), Uploads.remoteKey(instance.slug(), b.fileName(), target.encrypt()),
            b.finishedAt(), now))
        .toList();
    int added = copies.catchUp(target.name(), instance.id(), queued, newest, now);
    if (added > 0) {
      log.info("Off-site {}: {} earlier backup(s) of '{}' queued that it keeps by its retention", LogText.of(target.name()), added,
          LogText.of(instance.name()));
    }
    return added;
  }

  /** {@link #prune} for every instance the destination takes, except removed ones (whose backups are the user's to delete, here as there). */
  public int pruneAll(OffsiteTarget target) {
    int deleted = 0;
    for (PiholeInstance instance : instances.findAll()) {
      if (!instance.removed() && target.takes(instance)) {
        deleted += prune(target, instance.id());
      } else {
        // deletions claimed before it was removed, or before the destination stopped taking it: decided then, finished now,
        // else each claim would keep its backup from being pinned for good
        deleted += finishClaimed(target, copies.findClaimed(target.name(), instance.id()));
      }
    }
    return deleted;
  }

  /**
   * Deletes the instance's copies the destination no longer keeps, object and manifest; returns how many. Each is claimed
   * first (CopyRepository#claimForDeletion): a copy whose backup was pinned since it was read here stays, and a backup
   * cannot be pinned while its copy goes. Deletions a stopped process left claimed are finished first.
   */
  public int prune(OffsiteTarget target, long instanceId) {
    PiholeInstance instance = instances.findById(instanceId).orElse(null);
    if (instance == null) {
      return 0; // an instance deleted with its history: its copies stay until someone decides
    }
    List<Copy> cutShort = copies.findClaimed(target.name(), instanceId);
    int deleted = finishClaimed(target, cutShort);
    if (deleted < cutShort.size()) {
      return deleted;
    }
    RetentionPolicy policy = target.retention().over(instance.retention());
    List<Copy> verified = copies.findVerified(target.name(), instanceId);
    Map<Long, Copy> byId = verified.stream().collect(Collectors.toMap(Copy::id, Function.identity()));
    List<Backup> asBackups = new ArrayList<>();
    for (Copy c : verified) {
      Backup local = backups.findById(c.backupId()).orElse(null);
      // the copy's id stands in for the backup's: the rules only compare ids for their keep-sets
      asBackups.add(new Backup(c.id(), instanceId, Backup.Status.SUCCESS, Backup.Trigger.SCHEDULED, null, null, null, c.backupAt(), c.backupAt(),
          local == null ? null : local.stillCurrentAt(), local != null && local.pinned(), local != null && local.suspicious(), false, null));
    }
    for (Deletion d : RetentionRules.expired(asBackups, policy, clock.instant(), zone)) {
      Copy copy = byId.get(d.backup().id());
      if (!copies.claimForDeletion(copy.id(), copy.backupId())) {
        log.info("Kept the off-site copy {} at {}: its backup was pinned meanwhile", LogText.of(copy.remoteKey()), LogText.of(target.name()));
        continue;
      }
      if (!delete(target, copy, d.reason())) {
        break;
      }
      deleted++;
    }
    return deleted;
  }

  /**
   * Finishes the deletions claimed at the destination, at each run of its copies: those of backups deleted by hand
   * (OffsiteService#deleteCopiesOf), which stay claimed when the destination fails and are tried again at the next run, and any
   * a stopped process left. Returns how many were done; a failure ends it.
   */
  public int finishClaimedDeletions(OffsiteTarget target) {
    int deleted = 0;
    for (PiholeInstance instance : instances.findAll()) {
      List<Copy> claimed = copies.findClaimed(target.name(), instance.id());
      int done = finishClaimed(target, claimed);
      deleted += done;
      if (done < claimed.size()) {
        break;
      }
    }
    return deleted;
  }

  /**
   * Deletions claimed and not done (a backup deleted here, or a pruning a stop cut short); returns how many were done, fewer than
   * claimed when the destination failed.
   */
  private int finishClaimed(OffsiteTarget target, List<Copy> claimed) {
    int deleted = 0;
    for (Copy copy : claimed) {
      // a claim whose backup is still here is a pruning's that a stop cut short; one of a backup deleted here is the deletion's own
      if (!delete(target, copy, backups.findById(copy.backupId()).isPresent() ? "its deletion was cut short" : "its backup was deleted")) {
        break;
      }
      deleted++;
    }
    return deleted;
  }

  /**
   * Deletes a claimed copy's manifest, object and record; false when the destination failed: the claim is given back, so that
   * its backup can be pinned while the destination is down, and the next pruning decides again — unless its backup was deleted
   * by hand: then it stays claimed, and the next run deletes it.
   */
  private boolean delete(OffsiteTarget target, Copy copy, String reason) {
    try {
      target.destination().delete(copy.remoteKey() + Manifest.SUFFIX);
      target.destination().delete(copy.remoteKey());
      copies.delete(copy.id());
      log.info("Deleted the off-site copy {} at {}: {}", LogText.of(copy.remoteKey()), LogText.of(target.name()), reason);
      return true;
    } catch (IOException e) {
      copies.releaseDeletion(copy.id());
      log.warn("Could not delete the off-site copy {} at {} ({}); tried again at a later run", LogText.of(copy.remoteKey()),
          LogText.of(target.name()), LogText.of(e.getMessage()));
      return false;
    }
  }
}
