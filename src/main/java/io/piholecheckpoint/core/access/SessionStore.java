package io.piholecheckpoint.core.access;

import java.time.Instant;
import java.util.Optional;

/**
 * Where signed-in sessions are kept, shared by every node of one database: by a keyed hash of
 * their id, never the id. Each call its own transaction.
 */
public interface SessionStore {

  void insert(String idHash, Instant at);

  Optional<Instant> lastSeen(String idHash);

  void seen(String idHash, Instant at);

  void delete(String idHash);

  /** Deletes the sessions last seen before {@code cutoff}; how many. */
  int deleteIdleSince(Instant cutoff);

  /**
   * The installation's secret of this {@code name}: the one stored, or {@code generated} stored
   * now when there is none (the first node to ask wins; every other gets the same).
   */
  String sharedSecret(String name, String generated, Instant at);
}
