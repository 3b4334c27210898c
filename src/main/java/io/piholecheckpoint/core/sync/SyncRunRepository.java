package io.piholecheckpoint.core.sync;

import java.util.List;

/** The record of sync runs, one row per replica and run. */
public interface SyncRunRepository {

  SyncRun insert(SyncRun run);

  /** A group's runs, newest (highest id) first, before the id {@code before} (null: from the newest). */
  List<SyncRun> findByGroup(String group, Long before, int limit);

  /** Whether a safety backup of the replica was ever taken for this group (SNAPSHOT=first takes one only before the first change). */
  boolean hasSnapshot(String group, long replicaId);
}
