package io.piholecheckpoint.core.syncgroup;

import java.util.List;
import java.util.Optional;

/** The sync groups added in the UI or the API. */
public interface SyncGroupRepository {
  /** In name order. */
  List<ManagedSyncGroup> findAll();

  Optional<ManagedSyncGroup> find(String name);

  /**
   * How many changes the groups have had, by any node sharing the database: it moves on with every
   * {@link #save} and {@link #delete}, so that a node reads the groups again only when it has moved.
   */
  long changes();

  /** Inserts or replaces every setting of the group, in one transaction. */
  void save(ManagedSyncGroup group);

  /**
   * Deletes the group and its runs' history, in one transaction: a group added later under the
   * same name starts afresh (a first safety backup of each replica again), not with another's past.
   */
  void delete(String name);
}
