package io.piholecheckpoint.core.sync.runs;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** The record of sync runs, one row per replica and run. */
public interface SyncRunRepository {

  SyncRun insert(SyncRun run);

  /** A group's runs, newest (highest id) first, before the id {@code before} (null: from the newest). */
  List<SyncRun> findByGroup(String group, Long before, int limit);

  /** The runs of these ids that are kept, in the order of {@code ids}. */
  List<SyncRun> findByIds(List<Long> ids);

  /** Whether a safety backup of the replica was ever taken for this group (SNAPSHOT=first takes one only before the first change). */
  boolean hasSnapshot(String group, long replicaId);

  /** Where each replica that has run in the group stands, in no particular order. */
  List<Standing> standings(String group);

  /** Notes, where every node sees it, that this node runs the group from {@code at} on; {@link #ended} takes the note away. */
  void started(String group, Instant at);

  /**
   * Notes on this node's turn of the group that its run is at this replica now, before the replica is contacted: a run this
   * node dies in tells the replica it was at (which may have been changed in part) from those it had not reached.
   */
  void reached(String group, long replicaId);

  /**
   * Notes on this node's turn of the group the pinned safety backup just taken of the replica it is at, before anything
   * is sent to it: a run this node dies in is recorded as interrupted naming that backup (see {@link #takeLeft}).
   */
  void snapshotTaken(String group, long replicaId, long snapshotId);

  /** The group's run on this node is over (whatever its outcome). */
  void ended(String group);

  /** The node that runs the group now, as the notes say; empty when none does. */
  Optional<Running> running(String group);

  /**
   * Takes away the notes of the runs a stopped node left under way, and returns them.
   *
   * @param node the node that stopped; null for every note (one process, which left them all)
   */
  List<Running> takeLeft(String node);

  /**
   * A group's run under way on {@code node} (null: a process before nodes had names) since {@code startedAt}.
   *
   * @param replicaId the replica the run was at last (see {@link #reached}); null when it reached none yet
   * @param snapshotId that replica's safety backup, pinned; null when none was taken of it
   */
  record Running(String group, String node, Instant startedAt, Long replicaId, Long snapshotId) {
    /** A run that took no safety backup yet. */
    public Running(String group, String node, Instant startedAt) {
      this(group, node, startedAt, null, null);
    }

    /** Whether the run had reached this replica: the one it was at (those before it have their records). */
    public boolean reached(long replica) {
      return replicaId != null && replicaId == replica;
    }

    /** The safety backup this run took of the replica, if it is the one the run was at. */
    public Long snapshotOf(long replica) {
      return replicaId != null && replicaId == replica ? snapshotId : null;
    }
  }

  /**
   * @param last the replica's newest run in the group
   * @param lastSuccessAt the end of its newest run that was not FAILED (synced, in sync or partial); null when none was
   * @param failingSince the start of its first FAILED run after that one; null when none failed since
   */
  record Standing(SyncRun last, Instant lastSuccessAt, Instant failingSince) {
  }
}
