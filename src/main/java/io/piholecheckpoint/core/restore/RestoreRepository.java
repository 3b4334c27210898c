package io.piholecheckpoint.core.restore;

import java.util.List;
import java.util.Optional;

public interface RestoreRepository {

  /** Stores a new restore and returns it with its id. */
  Restore insert(Restore restore);

  void update(Restore restore);

  /** Marks restores a crash left running as failed; returns how many. */
  int markInterrupted(java.time.Instant now);

  Optional<Restore> findById(long id);

  /** The restores to an instance, newest first. */
  List<Restore> findByTarget(long targetId, int limit);
}
