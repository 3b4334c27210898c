package io.piholecheckpoint.core.offsite;

import java.util.Optional;

/**
 * A destination's turn for work a person asks for that must not run twice at once on it (Check again, an adoption),
 * across the nodes of a cluster: two nodes checking the same copies would each mark them, two adopting the same
 * destination would each record its backups. Each process keeps its own guard too; this is the one the other nodes see,
 * held in the database, so that a node that dies lets go with its connection.
 */
public interface DestinationTurns {
  /** The work a turn is for: a check and an adoption of the same destination may run at once, two of either may not. */
  enum Work { CHECK, ADOPTION }

  /** A turn held until closed. */
  interface Turn extends AutoCloseable {
    @Override
    void close();
  }

  /** The turn now, or empty while another node holds it. */
  Optional<Turn> tryTake(Work work, String destination);

  /** One node: the process's own guard is all there is. */
  DestinationTurns LOCAL = (work, destination) -> Optional.of(() -> { });
}
