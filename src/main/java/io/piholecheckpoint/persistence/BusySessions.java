package io.piholecheckpoint.persistence;

import io.piholecheckpoint.core.job.DatabaseBusyException;
import io.piholecheckpoint.core.job.DatabaseBusyException.Access;
import io.piholecheckpoint.core.job.DatabaseBusyException.Limit;
import io.piholecheckpoint.core.job.DatabaseFileGoneException;
import io.piholecheckpoint.core.job.DatabaseOutages;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.sql.SQLException;
import java.util.Optional;
import java.util.Set;
import org.apache.ibatis.session.SqlSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.sqlite.SQLiteException;

/**
 * Sessions that report a statement the database refused for waiting too long on another session as the core's
 * {@link DatabaseBusyException}, saying whether it read or wrote. Here is where that is known: by the session's method the
 * statement went through (a select, or an insert, update, delete or commit), not by the wording MyBatis wraps it in.
 *
 * <p>Busy is, on PostgreSQL, a statement cancelled at its time limit (57014: a read's, {@link ReadTimeout}) or refused a lock
 * within lock_timeout (55P03: {@link Database#LOCK_WAIT}); on SQLite, SQLITE_BUSY or SQLITE_LOCKED after busy_timeout: another
 * connection, of this process or another, holds the file's write lock (with IMMEDIATE transactions a transaction that only
 * reads takes it at BEGIN too).
 */
final class BusySessions {
  private static final Logger log = LoggerFactory.getLogger(BusySessions.class);
  private static final int SQLITE_BUSY = 5;
  private static final int SQLITE_LOCKED = 6;
  /** The session methods that change rows: built once, not on every call through the proxy. */
  private static final Set<String> CHANGES = Set.of("insert", "update", "delete");

  private BusySessions() {
  }

  /**
   * {@code session}, its mappers included, with busy failures reported as {@link DatabaseBusyException}.
   *
   * @param writeRefused set to what to do when a write is refused for storage that takes none (DatabaseOutages#unwritable), cleared when one succeeds
   * @param identity checked before each write statement and before the commit of a session that wrote: when the SQLite file
   *     was removed or replaced, the write is refused before it reaches the old file (the session's close rolls back what it
   *     wrote before)
   */
  static SqlSession reporting(SqlSession session, java.util.concurrent.atomic.AtomicReference<String> writeRefused, FileIdentity identity) {
    // a select after the session's first write is part of that write (a folder chosen under the lock the write took)
    boolean[] wrote = {false};
    return (SqlSession) Proxy.newProxyInstance(BusySessions.class.getClassLoader(), new Class<?>[] {SqlSession.class}, (proxy, method, args) -> {
      if (method.getName().equals("getMapper")) {
        // the mapper's calls go through this proxy, not straight to the session MyBatis made
        return session.getConfiguration().getMapper((Class<?>) args[0], (SqlSession) proxy);
      }
      Optional<Access> access = wrote[0] && method.getName().startsWith("select") ? Optional.of(Access.WRITE) : access(method.getName());
      boolean ends = method.getName().equals("commit") || method.getName().equals("rollback");
      // a write done: a statement that changed rows, or the commit of a session that wrote (a read-only one's commit is no write)
      boolean writes = CHANGES.contains(method.getName()) || method.getName().equals("commit") && wrote[0];
      wrote[0] = !ends && (wrote[0] || access.filter(Access.WRITE::equals).isPresent());
      if (writes) {
        identity.requireSame();
      }
      try {
        Object result = method.invoke(session, args);
        if (writes) {
          writeRefused.set(null);
        }
        return result;
      } catch (InvocationTargetException e) {
        Throwable failure = e.getCause();
        String gone = identity.problem();
        if (gone != null) {
          // a read that needed a new connection, which the pool no longer opens (FileIdentity#guarding): this is why, not the SQL
          throw new DatabaseFileGoneException(gone, failure);
        }
        String refused = DatabaseOutages.unwritable(failure);
        if (refused != null && writeRefused.getAndSet(refused) == null) {
          // once, until a write succeeds again: every request then answers the same 503, which need not fill the log
          log.error("A write to the database was refused: {}. Every write is refused (503 storage_error, /health degraded) until"
              + " that is fixed, with no restart needed (a start, which must write, stops instead and says so)", refused);
        }
        Optional<Limit> limit = limit(failure);
        if (access.isPresent() && limit.isPresent()) {
          throw new DatabaseBusyException(access.get(), limit.get(), failure);
        }
        throw failure;
      }
    });
  }

  private static Optional<Access> access(String method) {
    if (method.startsWith("select")) {
      return Optional.of(Access.READ);
    }
    return switch (method) {
      case "insert", "update", "delete", "commit", "flushStatements" -> Optional.of(Access.WRITE);
      default -> Optional.empty(); // rollback, close: what they fail with is no request's answer
    };
  }

  /** What cut the wait of the statement behind {@code failure}; empty when it was not refused for waiting. */
  static Optional<Limit> limit(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t instanceof SQLiteException sqlite) {
        int primary = sqlite.getResultCode().code & 0xff; // SQLITE_BUSY_SNAPSHOT, SQLITE_BUSY_RECOVERY … are busy too
        if (primary == SQLITE_BUSY || primary == SQLITE_LOCKED) {
          return Optional.of(Limit.FILE_LOCKED);
        }
      } else if (t instanceof java.util.NoSuchElementException && t.getMessage() != null && t.getMessage().startsWith("Timeout waiting")) {
        return Optional.of(Limit.POOL_WAIT); // commons-pool2's borrow, under DBCP's "Cannot get a connection, pool error"
      } else if (t instanceof SQLException sql && "57014".equals(sql.getSQLState())) {
        return Optional.of(Limit.READ_LIMIT);
      } else if (t instanceof SQLException sql && "55P03".equals(sql.getSQLState())) {
        return Optional.of(Limit.LOCK_WAIT);
      }
    }
    return Optional.empty();
  }
}
