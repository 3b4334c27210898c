package io.piholecheckpoint.core.job;

import java.util.Optional;

/**
 * The database failing a piece of work (a backup, a sync, a restore) rather than the work itself: busy (a statement waited past
 * its limit, most likely for a lock another session holds) or out of reach. Such a run is recorded with one of these codes and
 * a sentence saying what to do, instead of "unexpected": nothing is wrong with the Pi-hole or the settings, and it passes.
 */
public final class DatabaseTrouble {
  public static final String BUSY = "database_busy";
  public static final String UNREACHABLE = "database_unreachable";

  private DatabaseTrouble() {
  }

  /** {@link #BUSY} or {@link #UNREACHABLE} when {@code failure} is the database's, empty otherwise. */
  public static Optional<String> code(Throwable failure) {
    if (DatabaseOutages.outage(failure)) {
      return Optional.of(UNREACHABLE);
    }
    return DatabaseOutages.busy(failure) ? Optional.of(BUSY) : Optional.empty();
  }

  /** Whether a run's failure code is one of these. */
  public static boolean isCode(String errorCode) {
    return BUSY.equals(errorCode) || UNREACHABLE.equals(errorCode);
  }

  /** What happened and what to do, for a person, without SQL or row values; empty when {@code failure} is not the database's. */
  public static Optional<String> describe(Throwable failure) {
    return code(failure).map(code -> code.equals(BUSY)
        ? DatabaseBusyException.in(failure).orElseThrow().limit() == DatabaseBusyException.Limit.POOL_WAIT
            ? "the database was busy: " + DatabaseBusyException.in(failure).orElseThrow().whereToLook() + "; it passes as that work ends"
        : DatabaseBusyException.in(failure).orElseThrow().limit() == DatabaseBusyException.Limit.FILE_LOCKED
            ? "the database was busy: a statement waited longer than it may (SQLite's busy wait, 5 s) for the database file, which"
                + " another connection held locked (" + DatabaseBusyException.in(failure).orElseThrow().whereToLook() + "); it passes"
                + " once that lock is let go"
            : "the database was busy: a statement waited longer than it may, most likely for a lock another database session holds on a"
                + " table (a LOCK TABLE or a long transaction: look in pg_stat_activity); it passes once that lock is let go"
        : "the database could not be reached (SQLState " + DatabaseOutages.sqlState(failure) + "): check that the database server runs"
            + " and DATABASE_URL points at it");
  }
}
