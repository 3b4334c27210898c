package io.piholecheckpoint.core.job;

import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The writes that record how a piece of work ended (a job's end, a backup's or sync's record, a restore's outcome), carried
 * through a database outage: a server restarting, a failover, a network cut. Such a write is the only trace of the end; lost,
 * the job stays "running" and its instance or group is refused as "already running" until a day later. So it is tried again,
 * waiting 1 s, then twice as long each time up to 15 s, for as long as the database is out of reach, and given up only when
 * the thread is interrupted or {@link #stop} is called (the server stopping): then the log names what was not recorded.
 *
 * <p>An outage is what the JDBC driver and the pool report as one: SQLState class 08 (the connection failed or could not be
 * made) or 57P01–57P03 (the server is shutting down, crashed, or cannot take connections yet). Any other failure is thrown
 * at once: a bad statement fails the same every time. A write refused for waiting too long on a lock another session holds
 * ({@link #busy}: a LOCK TABLE, a long transaction, another process's transaction on the SQLite file) is tried again the same
 * way: the database is there, and the lock passes. So is a write refused because the SQLite file was removed or replaced
 * under the app ({@link DatabaseFileGoneException}): the end is kept here, and written once the same file is put back (every
 * second: the check is a stat), or given up at a stop as an outage is.
 *
 * <p>A commit whose answer the outage swallowed is written again: the writes this guards end a job once (a finished job
 * takes no second end), write a record under its run's unique key (the retry finds it there and writes nothing more), or run
 * in one transaction that the server rolls back when the connection goes before its commit.
 */
public final class DatabaseOutages {
  private static final Logger log = LoggerFactory.getLogger(DatabaseOutages.class);
  static final Duration FIRST_WAIT = Duration.ofSeconds(1);
  static final Duration LONGEST_WAIT = Duration.ofSeconds(15);
  /** admin_shutdown, crash_shutdown, cannot_connect_now: PostgreSQL going down or not up yet. */
  private static final Set<String> SERVER_UNAVAILABLE = Set.of("57P01", "57P02", "57P03");

  /** Waits between tries; tests pass one that records the waits. */
  @FunctionalInterface
  public interface Wait {
    Wait SLEEP = duration -> Thread.sleep(duration.toMillis());

    void pause(Duration duration) throws InterruptedException;
  }

  private final Wait wait;
  private final Set<Thread> waiting = ConcurrentHashMap.newKeySet();
  /** What each thread in {@link #record} has not recorded yet, while it waits to try again. */
  private final Map<Thread, String> pending = new ConcurrentHashMap<>();
  private volatile boolean stopped;

  public DatabaseOutages(Wait wait) {
    this.wait = wait;
  }

  /** Waits by sleeping. */
  public static DatabaseOutages sleeping() {
    return new DatabaseOutages(Wait.SLEEP);
  }

  /**
   * Whether {@code failure}, or a cause of it, is the database being out of reach, as opposed to a statement it refused.
   */
  public static boolean outage(Throwable failure) {
    return sqlState(failure) != null;
  }

  /** The SQLState of the outage behind {@code failure}; null when it is no outage. */
  public static String sqlState(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t instanceof SQLException sql && outageCode(sql.getSQLState())) {
        return sql.getSQLState();
      }
    }
    return null;
  }

  /**
   * Whether {@code failure}, or a cause of it, is a statement the database gave up waiting for, as the persistence adapter
   * reports it ({@link DatabaseBusyException}): another session holds a lock it needs, the database is busy, not down, and the
   * same request may pass in a moment.
   */
  public static boolean busy(Throwable failure) {
    return DatabaseBusyException.in(failure).isPresent();
  }

  /**
   * Whether {@link #record} tries {@code failure}'s write again: an {@link #outage}, the database {@link #busy}, or its file
   * moved away (which passes when it is put back).
   */
  public static boolean passing(Throwable failure) {
    return outage(failure) || busy(failure) || DatabaseFileGoneException.in(failure).isPresent();
  }

  /**
   * {@code write}, skipping a failure that {@link #passing} says passes: for writes worth nothing once the work has moved on
   * (a restore's step message, as a job's progress), which must not end the work while the database is away.
   */
  public static <T> Consumer<T> skippingWhilePassing(Consumer<T> write, String what) {
    return value -> {
      try {
        write.accept(value);
      } catch (RuntimeException e) {
        if (!passing(e)) {
          throw e;
        }
        log.debug("{} was not written: the database is out of reach or busy ({})", what, e.toString());
      }
    };
  }

  /** What is waiting to be recorded now (the ends {@link #record} keeps trying), for /health: empty when nothing is. */
  public List<String> unrecorded() {
    return List.copyOf(pending.values());
  }

  /**
   * What to do about a write the database refused because its storage takes none, wherever the persistence layer wrapped it;
   * null for any other failure. SQLite: SQLITE_FULL (its file in DATA_DIR could not grow), and SQLITE_READONLY, SQLITE_IOERR,
   * SQLITE_CANTOPEN with their extended codes (a mount gone read-only, an immutable file, a failing disk: the file is there but
   * takes no write). PostgreSQL: disk_full (53100), read_only_sql_transaction (25006: a standby, or writes switched off),
   * io_error (58030). Each is the operator's to fix, not the request's fault nor a bug, and no retry of the request helps.
   */
  public static String unwritable(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t instanceof SQLException sql) {
        String m = String.valueOf(sql.getMessage());
        // sqlite-jdbc: the primary result code as the error code, the extended one's name first in the message
        if (m.startsWith("[SQLITE_")) {
          String name = m.substring(1, Math.max(1, m.indexOf(']')));
          switch (sql.getErrorCode()) {
            case 13:
              return "the database's disk is full: free space in DATA_DIR";
            case 8, 10, 14:
              return "the database file cannot be written (" + name + "): check that the disk of DATA_DIR is mounted read-write and"
                  + " has no errors (see the system log), and that checkpoint.db, checkpoint.db-wal and checkpoint.db-shm in DATA_DIR"
                  + " are writable by this process and not immutable (lsattr)";
            default:
              break;
          }
        }
        switch (String.valueOf(sql.getSQLState())) {
          case "53100":
            return "the database server's disk is full: free space on the PostgreSQL server";
          case "25006":
            return "the database server refuses writes (read-only transaction): point DATABASE_URL at the primary, not a standby,"
                + " and check that default_transaction_read_only is off";
          case "58030":
            return "the database server could not write to its disk (I/O error): check the PostgreSQL server's disk and its log";
          default:
            break;
        }
      }
    }
    return null;
  }

  /** Whether this SQLState says the database is out of reach: class 08, or 57P01–57P03. */
  public static boolean outageCode(String sqlState) {
    return sqlState != null && (sqlState.startsWith("08") || SERVER_UNAVAILABLE.contains(sqlState));
  }

  /**
   * Runs {@code write}, again and again while it fails for a {@link #outage}; its result.
   *
   * @param what what the write records, for the log: "the end of backup job 3f2… of instance 7"
   * @throws RuntimeException the write's own failure when it is no outage, or the outage's once interrupted or stopped
   */
  public <T> T record(String what, Supplier<T> write) {
    Duration next = FIRST_WAIT;
    int failures = 0;
    try {
      while (true) {
        try {
          T result = write.get();
          if (failures > 0) {
            log.info("Recorded {} once the database was back, after {} failed tries", what, failures);
          }
          return result;
        } catch (RuntimeException e) {
          if (!passing(e)) {
            throw e;
          }
          Optional<DatabaseFileGoneException> gone = DatabaseFileGoneException.in(e);
          boolean busy = !outage(e) && busy(e);
          failures++;
          pending.put(Thread.currentThread(), what);
          if (failures == 1 && gone.isPresent()) {
            log.warn("Could not record {}: {}; it is kept and written as soon as the file is back", what, gone.get().getMessage());
          } else if (failures == 1 && busy) {
            DatabaseBusyException refused = DatabaseBusyException.in(e).orElseThrow();
            log.warn("Could not record {}: the database is busy, a lock another session holds was waited for longer than {} ({}); {};"
                + " trying again every {}–{} s until it is let go", what, refused.limit() == DatabaseBusyException.Limit.FILE_LOCKED
                ? "SQLite's busy wait" : refused.limit() == DatabaseBusyException.Limit.POOL_WAIT ? "the pool's wait"
                : "DATABASE_LOCK_WAIT_SECONDS", rootMessage(e), refused.whereToLook(), FIRST_WAIT.toSeconds(),
                LONGEST_WAIT.toSeconds());
          } else if (failures == 1) {
            log.warn("Could not record {}: the database is out of reach (SQLState {}: {}); trying again every {}–{} s until it is back",
                what, sqlState(e), rootMessage(e), FIRST_WAIT.toSeconds(), LONGEST_WAIT.toSeconds());
          }
          // the file's check is a stat: looked at every second, so that the end is written as soon as the file is back
          pauseOrGiveUp(what, gone.isPresent() ? FIRST_WAIT : next, e);
          next = next.multipliedBy(2).compareTo(LONGEST_WAIT) > 0 ? LONGEST_WAIT : next.multipliedBy(2);
        }
      }
    } finally {
      pending.remove(Thread.currentThread());
    }
  }

  /** As {@link #record(String, Supplier)}, for a write without a result. */
  public void record(String what, Runnable write) {
    record(what, () -> {
      write.run();
      return null;
    });
  }

  private void pauseOrGiveUp(String what, Duration pause, RuntimeException outage) {
    Thread self = Thread.currentThread();
    waiting.add(self);
    try {
      if (stopped || self.isInterrupted()) {
        throw new InterruptedException();
      }
      wait.pause(pause);
    } catch (InterruptedException interrupted) {
      self.interrupt();
      log.error("Gave up recording {}: Pi-hole Checkpoint is stopping and the database is still out of reach or busy. It stays unrecorded: a job"
          + " left running is marked interrupted when this node starts again (or when another node finds it gone)", what);
      throw outage;
    } finally {
      waiting.remove(self);
    }
  }

  /** At shutdown: the writes waiting for the database give up now, and later ones after their first failure. */
  public void stop() {
    stopped = true;
    waiting.forEach(Thread::interrupt);
  }

  private static String rootMessage(Throwable e) {
    Throwable root = e;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    return root.getMessage();
  }
}
