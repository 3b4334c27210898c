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

  /**
   * Stores a new group with its settings, in one transaction; nothing when the name is taken (by
   * another node a moment before, too).
   *
   * @return false when a group of the name is stored already: nothing was written
   */
  boolean add(ManagedSyncGroup group);

  /**
   * Replaces every setting of a stored group, in one transaction.
   *
   * @return false when no group of the name is stored (deleted meanwhile, on another node too): nothing was written
   */
  boolean save(ManagedSyncGroup group);

  /**
   * Deletes the group and its runs' history, in one transaction: a group added later under the
   * same name starts afresh (a first safety backup of each replica again), not with another's past.
   * A group that runs now, on any node, is left as it is; so is one that is gone already.
   *
   * @return what was done, decided in the transaction that deletes: of two deletes at once (on any
   *     nodes) one deletes and the other finds the group gone
   */
  Deletion delete(String name);

  /**
   * What a delete did.
   *
   * @param deleted whether this delete removed the group
   * @param runningOn when nothing was deleted because the group runs now: the node it runs on ("" when it has no name)
   */
  record Deletion(boolean deleted, String runningOn) {
    public static final Deletion DONE = new Deletion(true, null);
    /** No group of the name was stored (deleted a moment before, on another node or in another window). */
    public static final Deletion GONE = new Deletion(false, null);

    public static Deletion runningOn(String node) {
      return new Deletion(false, node);
    }
  }
}
