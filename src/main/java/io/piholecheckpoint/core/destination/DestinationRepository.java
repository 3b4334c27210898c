package io.piholecheckpoint.core.destination;

import java.util.List;
import java.util.Optional;

/** The destinations added here; secrets arrive sealed and leave sealed. */
public interface DestinationRepository {
  /** In name order. */
  List<ManagedDestination> findAll();

  Optional<ManagedDestination> find(String name);

  /**
   * How many changes the destinations have had, by any node sharing the database: it moves on with
   * every save and delete, so that a node opens the destinations again only when it has moved.
   */
  long changes();

  /**
   * Stores a new destination with its settings, in one transaction; nothing when the name is taken
   * (by another node a moment before, too).
   *
   * @return false when a destination of the name is stored already: nothing was written
   */
  boolean add(ManagedDestination destination);

  /**
   * Replaces every setting of a stored destination, in one transaction.
   *
   * @return false when none of the name is stored (deleted meanwhile, on another node too): nothing was written
   */
  boolean save(ManagedDestination destination);

  /**
   * Deletes the destination, the queue rows of its copies, its catch-up marks and where it wrote, in one transaction
   * (a write of the copy queue under way for it is waited for, and its rows deleted too): what it holds
   * there stays there (another Checkpoint may adopt it); here nothing waits for it any more. Of a
   * delete and a {@link #save} (or two deletes) at once, on any nodes, the second waits for the
   * first and then finds the destination gone: no setting is ever left without its destination.
   *
   * @return false when none of the name was stored (deleted a moment before): nothing was written
   */
  boolean delete(String name);

  /**
   * Deletes the destination's settings alone: its name is the environment's now, and the copy
   * records under it are the environment destination's.
   *
   * @return false when none of the name was stored: nothing was written
   */
  boolean deleteSettings(String name);
}
