package io.piholecheckpoint.persistence;

import org.apache.ibatis.annotations.Param;

/** PostgreSQL's advisory locks, keyed by a namespace of ours and an instance id. */
interface TurnMapper {
  /** 1 when taken: held by the connection's session until unlocked or closed. */
  int tryLock(@Param("space") int space, @Param("key") int key);

  /** Waits until taken. */
  int lock(@Param("space") int space, @Param("key") int key);

  /** How long a lock of this session waits before it fails ("0": as long as it takes). */
  String lockTimeout(@Param("millis") String millis);

  /** 1 when it was held by this connection's session, which now lets it go. */
  int unlock(@Param("space") int space, @Param("key") int key);

  /** 1 when no session holds it (taken for the transaction only, and let go with it). */
  int free(@Param("space") int space, @Param("key") int key);
}
