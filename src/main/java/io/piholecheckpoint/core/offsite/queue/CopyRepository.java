package io.piholecheckpoint.core.offsite.queue;

import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The durable queue of off-site copies (persistence implements it); each write is one transaction. A write that adds rows
 * under a destination added in Settings (a copy, a catch-up mark, where it writes) holds the destination in that
 * transaction: a destination deleted meanwhile, on any node, gains none (the writer may have read it in use a moment
 * before), and a delete under way waits for the write and deletes its rows with the rest.
 */
public interface CopyRepository {

  /** Queues each copy unless one of the same backup and destination is queued already, or its destination was deleted. */
  void enqueue(Collection<Copy> copies);

  /** The newest backup id of all (0 when there is none): when it moved, there may be backups to catch up. */
  long newestBackupId();

  /** The newest id of the instance's successful backups (0 when there is none), by id: an import of older backups is newer here. */
  long newestGoodBackupId(long instanceId);

  /** The newest backup of the instance the destination's catch-up has considered, if it ran. */
  Optional<Long> caughtUpThrough(String destination, long instanceId);

  /**
   * In one transaction: queues the copies (as {@link #enqueue}) and marks the instance's backups up to {@code throughBackupId} as
   * considered; returns how many were queued (not queued already). Nothing, and 0, when the destination was deleted.
   */
  int catchUp(String destination, long instanceId, Collection<Copy> copies, long throughBackupId, Instant at);

  /** Copies not verified whose time has come, of these destinations, oldest first. */
  List<Copy> findDue(Collection<String> destinations, Instant now, int limit);

  Optional<Copy> findById(long id);

  /** Every copy of one backup, by destination name. */
  List<Copy> findByBackup(long backupId);

  /** Every copy of these backups, in one query: by backup id, each backup's by destination name; a backup without copies is absent. */
  Map<Long, List<Copy>> findByBackups(Collection<Long> backupIds);

  /** The verified copies of an instance at a destination, newest backup first; not those whose deletion is claimed. */
  List<Copy> findVerified(String destination, long instanceId);

  /** The copies of an instance at a destination whose deletion was claimed and not finished: a process stopped in between. */
  List<Copy> findClaimed(String destination, long instanceId);

  /**
   * Claims the copy's deletion unless its backup is pinned (a backup deleted at home has no pin), in one transaction that
   * holds the backup's row: only a claimed copy may lose its objects, a pin set after the pruning read the backup wins
   * over its decision, and the backup cannot be pinned while the claim lasts (BackupRepository#setPinned).
   *
   * @return false when the backup is pinned, or the copy was claimed already
   */
  boolean claimForDeletion(long id, long backupId);

  /** Gives a claimed copy back (its objects could not be deleted): its backup can be pinned again, and pruning tries again. */
  void releaseDeletion(long id);

  /** Claims the copies of a backup deleted by hand for deletion for good (never given back), no longer due; returns how many. */
  int markBackupDeleted(long backupId);

  /**
   * Claims one copy for deletion for good, as {@link #markBackupDeleted} does, when its backup is gone and its objects could not
   * be deleted at once: the destination's next run deletes them.
   *
   * @return false when its record is gone already
   */
  boolean markGone(long id);

  /**
   * Gives back every claim of a copy at a destination other than these: none of them prunes here, so nothing finishes
   * those deletions, and each claim would keep its backup from being pinned for good. A destination that comes back
   * decides again at its next pruning.
   *
   * @return how many were given back
   */
  int releaseClaimsExcept(Collection<String> destinations);

  /**
   * Records a copy found at a destination (adopted from its manifest, {@link Copy#adopted}) as copied and due, for the queue to
   * read it back ({@link Copy#awaitingReadBack}), unless that backup already has one there or the destination was deleted.
   *
   * @param manifestPinned whether the manifest beside it says its backup is pinned
   */
  void adopt(Copy copy, boolean manifestPinned);

  /** {@link #adopt(Copy, boolean)} of a copy whose manifest says nothing of a pin. */
  default void adopt(Copy copy) {
    adopt(copy, false);
  }

  /**
   * Verified copies at the destination whose manifest says another pin, or another acceptance, than their backup has now: their
   * manifests are written again.
   */
  List<Copy> findManifestsBehindPin(String destination, int limit);

  /** The manifest beside the copy was written saying the backup is pinned, or not, and accepted, or not. */
  void markManifestPinned(long id, boolean pinned, boolean accepted);

  /**
   * Every copy of a backup's file but those being deleted, the verified ones first (newest verification first): where it can be
   * fetched from when the local file is gone, and what was found of those that failed verification.
   */
  List<Copy> findByFileName(String fileName);

  /** The uploaded bytes arrived; kept so that a restart between upload and check still verifies them. */
  void markCopied(long id, long sentBytes, String sentSha256, Instant at);

  void markVerified(long id, Instant at);

  /**
   * The verified copies at a destination that were read back longest ago (or, never re-checked,
   * verified longest ago): at least {@code atLeast}, and every one not looked at since {@code overdue}.
   */
  List<Copy> findToRecheck(String destination, Instant overdue, int atLeast);

  /** The copies at a destination found damaged ({@link #markDamaged}) and not verified since, oldest first. */
  List<Copy> findDamaged(String destination);

  /** A re-check read the copy back as it was sent. */
  void markChecked(long id, Instant at);

  /** One failed attempt: attempts + 1, its error, the next try; {@code failedSince} is kept from the first failure in a row. */
  void markFailed(long id, String error, Instant at, Instant nextAttemptAt);

  /**
   * One attempt that could not send the copy because its local archive is damaged: recorded on the copy (attempts + 1, its error,
   * the next try) as {@link #markFailed} does, but no failure of the destination — {@code failedSince} is cleared, so the
   * destination is not failing and its error stays its own (outsider 49 F6).
   */
  void markUnsendable(long id, String error, Instant nextAttemptAt);

  /**
   * A copy once verified is not what was sent ({@code DamagedCopies} decides and words it): failed as {@link #markFailed} does,
   * no longer verified ({@code verifiedAt} cleared) and marked damaged at {@code at} until it is verified again.
   */
  void markDamaged(long id, String error, Instant at, Instant nextAttemptAt);

  /**
   * The passphrase set does not open the copy's local archive: pending again (no attempt, no failure: the destination is not
   * at fault) with {@code why} as its error, not due before {@code until} unless {@link #heldDueNow} makes it due sooner.
   */
  void holdForPassphrase(long id, String why, Instant until);

  /** At a destination's first run in a process (its passphrase may be the right one now): its copies held for the passphrase are due. */
  void heldDueNow(String destination, Instant now);

  void delete(long id);

  /**
   * The backup's archive is on this disk again (verified): its copies given up for want of it (failed, no next attempt) are due at
   * {@code now}, to be sent again.
   *
   * @return how many were queued
   */
  int sendAgain(long backupId, Instant now);

  /**
   * Drops the copies not made yet (nothing of them at the destination) whose backup is no longer recorded — deleted on request
   * or by retention before they were sent: nothing is left to copy, and they are no failure of their destination.
   *
   * @return how many were dropped
   */
  int dropUnmadeOfBackupsGone();

  /** The backups with a copy given up (failed, no next attempt) that {@link #sendAgain} would queue again once their archive is here. */
  Set<Long> givenUpBackups();

  /** The destination's copies waiting out a backoff are due at {@code now}: it works again, so they need not wait. */
  void dueNow(String destination, Instant now);

  /**
   * Of the destination's copies waiting out a backoff whose failures began before {@code failedBefore}, the one that would be
   * tried first is due at {@code now}, the others keep waiting: one try of the destination, not one of every copy, when it may
   * work again.
   */
  void firstDueNow(String destination, Instant failedBefore, Instant now);

  /**
   * Records where the destination writes now. When its copies were made somewhere else (its URL
   * changed, or its name now configures another place), its copy records and catch-up marks are
   * dropped in the same transaction: those copies are not where it writes, and the catch-up queues
   * again what it keeps by its retention, as for a new destination. A destination deleted meanwhile writes nowhere: nothing.
   *
   * @return where its copies were made before, when that was another place
   */
  Optional<String> moveTo(String destination, String place, Instant at);

  /**
   * Per destination: how many wait for a copy, the oldest of those's queue time, how many adopted copies wait to be read back
   * ({@link Copy#awaitingReadBack}: no copy is pending for them, they are there already), how many failed and are not tried again (given up: damaged or
   * never sent, and their local archive gone), the last verification, the failure that lasts longest.
   */
  Map<String, QueueStats> stats();

  record QueueStats(long pending, Instant oldestPendingSince, long awaitingReadBack, long givenUp, Instant lastVerifiedAt, Instant failingSince,
                    String lastError) {
    public static final QueueStats EMPTY = new QueueStats(0, null, 0, 0, null, null, null);
  }
}
