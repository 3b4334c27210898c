package io.piholecheckpoint.core.job;

import java.util.Optional;

/**
 * The database refused a statement because it waited too long for another session: busy, not down, and the same request
 * may pass in a moment. Raised by the persistence adapter, which alone knows whether the statement read or wrote and what
 * cut its wait; the web answers it 503 {@code database_busy}, a job's end is written again ({@link DatabaseOutages}), a
 * run that it failed is recorded as {@link DatabaseTrouble#BUSY}.
 */
public final class DatabaseBusyException extends RuntimeException {
  /** What the refused statement did. */
  public enum Access {
    /** A query: nothing was to be written. */
    READ,
    /** An insert, update, delete or commit: its transaction is rolled back, nothing was written. */
    WRITE
  }

  /** What ended the wait. */
  public enum Limit {
    /** The read's own time limit (10 s on PostgreSQL), most likely waiting for a lock another session holds on a table. */
    READ_LIMIT,
    /** PostgreSQL's lock wait (DATABASE_LOCK_WAIT_SECONDS) on a lock another session holds. */
    LOCK_WAIT,
    /** SQLite's busy wait on its file, which another connection (a long writer, another process) holds locked. */
    FILE_LOCKED,
    /** The connection pool's wait (10 s) for a free connection: every one was in use by this process's own work at once. */
    POOL_WAIT
  }

  private final Access access;
  private final Limit limit;

  public DatabaseBusyException(Access access, Limit limit, Throwable cause) {
    super("database busy: a " + access.name().toLowerCase(java.util.Locale.ROOT) + " refused at " + limit, cause);
    this.access = access;
    this.limit = limit;
  }

  public Access access() {
    return access;
  }

  public Limit limit() {
    return limit;
  }

  /** The one behind {@code failure}, which a caller may have wrapped; empty when the database was not busy. */
  public static Optional<DatabaseBusyException> in(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t instanceof DatabaseBusyException busy) {
        return Optional.of(busy);
      }
    }
    return Optional.empty();
  }

  /** Where to look for whoever holds the lock, for a person: a sentence without a final period. */
  public String whereToLook() {
    if (limit == Limit.POOL_WAIT) {
      return "every connection of this process was in use for longer than a connection is waited for (10 s): much work at once, as"
          + " right after a start with many Pi-holes";
    }
    return limit == Limit.FILE_LOCKED
        ? "look for another process that keeps the SQLite file checkpoint.db of DATA_DIR in a long transaction (a sqlite3 shell, a"
            + " copy or backup tool)"
        : "look for a long transaction or a LOCK TABLE in pg_stat_activity";
  }
}
