package io.piholecheckpoint.core.backup.catalog;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

public interface BackupRepository {

  /**
   * How many successful backups have no file (and no verified off-site copy to read back), and how many failed their last
   * check; with the lowest id of each, to name one (null when none).
   */
  record FileProblems(int missing, int damaged, Long firstMissing, Long firstDamaged) {
  }

  FileProblems countFileProblems();

  /**
   * How many successful backups an instance has (uploads included), the bytes they take, and when the newest taken from its
   * Pi-hole was made: an upload is no sign that backups work, so it is not a last success.
   */
  record Stats(long instanceId, int backups, long bytes, Instant lastSuccessAt) {
  }

  Stats stats(long instanceId);

  /**
   * What metrics report of an instance's history, from one aggregate query.
   *
   * @param lastSuccessAt of the newest successful backup taken from the Pi-hole (not an upload)
   * @param lastStatus of the newest record of a backup taken from the Pi-hole, successful or failed; null when none
   * @param lastSuccessBytes size of the newest successful archive taken from the Pi-hole
   */
  record Totals(long instanceId, int successes, int failures, long bytes, Instant lastSuccessAt, Backup.Status lastStatus,
                long lastSuccessBytes) {
  }

  /** When an attempt finished and, if it succeeded, the size of its archive (null for a failure). */
  record SizePoint(Instant finishedAt, Long sizeBytes) {
    public boolean successful() {
      return sizeBytes != null;
    }
  }

  /** The instance's newest {@code limit} attempts as chart points, newest first: two columns, not whole rows. */
  List<SizePoint> sizeHistory(long instanceId, int limit);

  /**
   * Sizes of each of {@code instanceIds}' newest {@code perInstance} successful archives, newest first: far cheaper than
   * whole rows. One query for one page of the dashboard, whatever the number of instances.
   */
  Map<Long, List<Long>> recentSizesPerInstance(List<Long> instanceIds, int perInstance);

  /** Totals of every instance with at least one record, by instance id. */
  Map<Long, Totals> totalsPerInstance();

  /** Stats of every instance that has a successful backup, by instance id. */
  Map<Long, Stats> statsPerInstance();

  /** The newest {@code perInstance} attempts of each of {@code instanceIds}, newest first, by instance id: one query. */
  Map<Long, List<Backup>> findRecentPerInstance(List<Long> instanceIds, int perInstance);

  /** Stores the record and returns it with its id. */
  Backup insert(Backup backup);

  /**
   * Stores how a run ended, in place of an interrupted record of the same run (the same instance, start and node), in one
   * statement: one that another node wrote when it took the run's node for dead, which then finished the run after all.
   * One run, one record in the history.
   */
  Backup insertEnd(Backup record);

  /**
   * Stores an interrupted record of a run unless a record of the same run (the same instance, start and node) is there:
   * its node, taken for dead, recorded the run's end after its marker was claimed. In one transaction; of two at once on
   * PostgreSQL, neither sees the other's before its commit, so {@link #insertEnd} replaces what it finds too.
   *
   * @return the record with its id, or empty when the run's end was on record
   */
  Optional<Backup> insertInterrupted(Backup record);

  Optional<Backup> findById(long id);

  /** The backup whose archive has this file name (names are unique); empty for a file no record names. */
  Optional<Backup> findByFileName(String fileName);

  /**
   * Whether a backup of this install with a copy recorded at {@code remoteKey} of the destination was deleted here (by hand, by
   * retention, with its instance): an adoption must not bring it back.
   */
  boolean deletedWithCopyAt(String destination, String remoteKey);

  /** Newest first, at most {@code limit}. */
  List<Backup> findByInstance(long instanceId, int limit);

  /**
   * One page of an instance's history, newest first: by when they finished, then by id (two runs that end in the same second,
   * or a backup adopted later with an earlier time, keep one order from page to page).
   *
   * @param before the id of the last backup of the page before (the cursor): only those after it in that order; null for the first page
   * @param status only these, or null for all; likewise {@code trigger}
   */
  record Page(Long before, Backup.Status status, Backup.Trigger trigger, int limit) {
  }

  List<Backup> findPage(long instanceId, Page page);

  /**
   * The size of the instance's newest successful backup (the first of {@link #findPage}'s successes), if it has one: a queued
   * backup's expected size, read on the request's thread, where a whole row was read for its one column.
   */
  default java.util.OptionalLong latestSuccessSize(long instanceId) {
    return findPage(instanceId, new Page(null, Backup.Status.SUCCESS, null, 1)).stream().mapToLong(b -> b.archive().sizeBytes()).findFirst();
  }

  /** Successful backups of the instance, newest first. */
  List<Backup> findSuccessful(long instanceId);

  /**
   * What a new backup is compared with: the instance's newest successful backup and the newest that is not suspicious, each
   * among all of them and among those {@linkplain Backup#takenFromThePihole() taken from the Pi-hole}; newest first, at most four
   * rows however long the history is.
   */
  List<Backup> findBaselines(long instanceId);

  /**
   * The instance's successful backups, newest first, from the newest down to the oldest one that
   * MAX_BACKUPS or MAX_AGE_DAYS could let go (not pinned; beyond the {@code maxBackups} newest good
   * unpinned ones, or current before {@code cutoff}), and none older: retention decides each row from
   * the rows before it, so this prefix is all it needs. Empty when no row could go. It grows with what
   * the policy keeps, not with the history.
   *
   * @param maxBackups 0 for no limit
   * @param cutoff null for no age limit
   */
  List<Backup> findUpToOldestExpirable(long instanceId, int maxBackups, Instant cutoff);

  /**
   * For a policy without KEEP_* buckets, where each backup's fate is its own rank and age: the
   * instance's successful backups that MAX_BACKUPS or MAX_AGE_DAYS let go, newest first, and no other
   * row — what {@code RetentionRules.expired} gives on the whole history (never the newest good
   * backup nor a pinned one; beyond the {@code maxBackups} newest good unpinned ones, else current
   * before {@code cutoff}).
   *
   * @param maxBackups 0 for no limit
   * @param cutoff null for no age limit
   */
  List<Expired> findExpiredWithoutKeepers(long instanceId, int maxBackups, Instant cutoff);

  /**
   * Only what retention's log line and preview say of a backup that goes: the decision was the
   * database's, and mapping the whole row cost more than the rest of the read.
   *
   * @param beyondMaxBackups whether MAX_BACKUPS lets it go (else it is older than MAX_AGE_DAYS)
   */
  record Expired(long id, String fileName, Instant finishedAt, boolean beyondMaxBackups) {
    public static Expired of(Backup backup, boolean beyondMaxBackups) {
      return new Expired(backup.id(), backup.fileName(), backup.finishedAt(), beyondMaxBackups);
    }
  }

  /**
   * The instance's failed records that finished before {@code cutoff}, except its newest failure
   * (which stays visible whatever its age), newest first: only the rows retention deletes.
   */
  List<Backup> findExpiredFailures(long instanceId, Instant cutoff);

  /** Every successful backup of every instance. */
  List<Backup> findAllSuccessful();

  /** The archive names that records other than successful ones hold (a failed run's, a hand-edited status). */
  Set<String> unsuccessfulFileNames();

  /** The newest record of a backup taken from a Pi-hole, successful or failed: uploads are left out. */
  Optional<Backup> findLatest();

  /**
   * The newest backup of this instance that says how its Pi-hole is now: a run that contacted it (manual, scheduled, safety),
   * successful or failed — not one cut off by Checkpoint's own stop or death (cancelled, interrupted), which ended before it
   * found anything, nor an upload, a recovered or an adopted archive, none of which contacted it.
   */
  Optional<Backup> findLastVerdict(long instanceId);

  void markStillCurrent(long id, Instant at);

  /**
   * Pins or unpins the backup, unless its deletion was claimed; pins it only while no off-site copy of it is claimed for
   * deletion (CopyRepository#claimForDeletion), in the same transaction.
   *
   * @return false when nothing was changed: the backup is gone, being deleted, or (pinning) an off-site copy of it is
   */
  boolean setPinned(long id, boolean pinned);

  /**
   * Accepts a successful, suspicious backup nobody is deleting: clears suspicious and marks it accepted in one write.
   *
   * @return false when nothing was changed: the backup is gone, being deleted, failed, or not suspicious
   */
  boolean accept(long id);

  /**
   * Takes an accept back: marks an accepted backup nobody is deleting suspicious again and no longer accepted, in one write.
   *
   * @return false when nothing was changed: the backup is gone, being deleted, or not accepted
   */
  boolean unaccept(long id);

  /**
   * Claims the deletion of each of {@code ids} that is neither pinned, claimed already, nor the source of a queued or running
   * restore, in one transaction: only a claimed backup may lose its file. A pin set after a caller read the rows
   * wins over its decision, and a claimed backup cannot be pinned any more.
   *
   * @return the ids claimed, a subset of {@code ids}
   */
  java.util.Set<Long> claimForDeletion(List<Long> ids);

  /**
   * As {@link #claimForDeletion}, for a delete request: claims all of {@code ids} or none, none when a queued or running
   * restore reads one of them. The claim and that check are one transaction, and a restore is queued only for a backup not
   * claimed (RestoreRepository#insert), so a restore queued at the same moment either sees the claim or is seen by it.
   *
   * @param evenPinned an instance deleted with its backups takes its pinned ones too
   */
  DeletionClaim claimUnlessRestoring(List<Long> ids, boolean evenPinned);

  /** Gives a claimed backup back (its file could not be deleted): it can be pinned again, and retention tries again. */
  void releaseDeletion(long id);

  /** Claimed backups still there: deletions a process did not finish. */
  List<Backup> findClaimedForDeletion();

  void setFileMissing(long id, boolean missing);

  /** Records what a re-check of the file found wrong; null clears it. */
  void setVerifyError(long id, String error);

  void delete(long id);
}
