package io.piholecheckpoint.teleporter;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.function.LongSupplier;
import org.sqlite.ProgressHandler;

/**
 * How long SQLite may work on one archive's gravity.db: a number of virtual-machine steps and a
 * wall-clock time for all the queries of one opening, checked by SQLite's progress handler every
 * {@link #STEPS_PER_CHECK} steps, which then ends the running query with an error. Inspecting the
 * gravity.db of 1,000,000 domains takes ~150 million steps (quick_check 15 M, counts 5 M, the dump
 * 135 M, as SQLite builds each row's text: {@link DumpQuery}) and up to 30 s on a busy 2-core machine
 * (bench/RESULTS.md); the limits leave twenty times the steps and five minutes, so only a database
 * far beyond any Pi-hole's reaches them.
 */
record QueryBudget(long maxSteps, long maxNanos) {
  static final QueryBudget DEFAULT = new QueryBudget(3_000_000_000L, 300_000_000_000L);
  static final int STEPS_PER_CHECK = 10_000;

  /** Installs the budget on {@code db}; a query that runs out ends with an SQLException, and {@link Guard#exhausted()} says so. */
  Guard install(Connection db, LongSupplier nanoTime) throws SQLException {
    Guard guard = new Guard(nanoTime, nanoTime.getAsLong());
    ProgressHandler.setHandler(db, STEPS_PER_CHECK, guard);
    return guard;
  }

  final class Guard extends ProgressHandler {
    private final LongSupplier nanoTime;
    private final long started;
    private long steps;
    private volatile String exhausted;

    private Guard(LongSupplier nanoTime, long started) {
      this.nanoTime = nanoTime;
      this.started = started;
    }

    @Override
    protected int progress() {
      steps += STEPS_PER_CHECK;
      if (steps > maxSteps) {
        exhausted = "more than %,d steps".formatted(maxSteps);
      } else if (nanoTime.getAsLong() - started > maxNanos) {
        exhausted = "more than %d seconds".formatted(maxNanos / 1_000_000_000L);
      }
      return exhausted == null ? 0 : 1;
    }

    /** Why the budget ended a query, or null while it has not. */
    String exhausted() {
      return exhausted;
    }
  }
}
