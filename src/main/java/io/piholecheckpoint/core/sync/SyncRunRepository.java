package io.piholecheckpoint.core.sync;

import java.time.Instant;
import java.util.List;

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

  /**
   * @param last the replica's newest run in the group
   * @param lastSuccessAt the end of its newest run that was not FAILED (synced, in sync or partial); null when none was
   * @param failingSince the start of its first FAILED run after that one; null when none failed since
   */
  record Standing(SyncRun last, Instant lastSuccessAt, Instant failingSince) {
  }
}
