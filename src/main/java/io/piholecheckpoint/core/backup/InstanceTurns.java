package io.piholecheckpoint.core.backup;

import java.util.Optional;

/**
 * An instance's turn across the nodes of a cluster: its backups, restores and syncs never run on
 * two nodes at once. Within one process {@link BackupService}'s own lock serialises them; this is
 * taken by the one that holds that lock, and held in the database (a node that dies lets go). As that
 * lock, a turn is reentrant: the thread that holds it (a restore or sync taking its safety backup) is
 * given it again, and it is let go when the outermost take is closed.
 */
public interface InstanceTurns {
  /** A turn held until closed. */
  interface Turn extends AutoCloseable {
    @Override
    void close();
  }

  /** The turn now, or empty when another node holds it. */
  Optional<Turn> tryTake(long instanceId);

  /** The turn once another node lets go of it within {@code wait}; empty when it still holds it then. */
  default Optional<Turn> tryTake(long instanceId, java.time.Duration wait) {
    return tryTake(instanceId);
  }

  /** The turn, once the node that holds it lets go. */
  Turn take(long instanceId);

  /** Whether another node holds the instance's turn at this moment. */
  boolean heldElsewhere(long instanceId);

  /** One node: the process's own lock is all there is. */
  InstanceTurns LOCAL = new InstanceTurns() {
    private static final Turn HELD = () -> { };

    @Override
    public Optional<Turn> tryTake(long instanceId) {
      return Optional.of(HELD);
    }

    @Override
    public Turn take(long instanceId) {
      return HELD;
    }

    @Override
    public boolean heldElsewhere(long instanceId) {
      return false;
    }
  };
}
