package io.piholecheckpoint.persistence;

import io.piholecheckpoint.core.backup.InstanceTurns;
import io.piholecheckpoint.core.job.DatabaseBusyException;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.apache.ibatis.session.SqlSession;

/**
 * Each instance's turn across the nodes of a cluster as a PostgreSQL session advisory lock, on a
 * connection of its own (not the pool's: it is held for a whole backup or restore). A node that
 * dies loses its connections, and the server lets its turns go at once.
 */
public final class AdvisoryTurns implements InstanceTurns {
  /** "CPKT": our locks among any other application's advisory locks on the same database. */
  private static final int SPACE = 0x43504B54;
  private final Database database;
  /**
   * The turns this thread holds, with how many times it took each: a restore or sync holds the turn and
   * takes its safety backup in the same thread. A second take on a connection of its own would be another
   * session to PostgreSQL, refused (or waiting forever) for the turn its own caller holds.
   */
  private final ThreadLocal<Map<Long, Integer>> held = ThreadLocal.withInitial(HashMap::new);

  public AdvisoryTurns(Database database) {
    if (database.dialect() != Dialect.POSTGRESQL) {
      throw new IllegalArgumentException("advisory locks are PostgreSQL's; one SQLite node needs none");
    }
    this.database = database;
  }

  @Override
  public Optional<Turn> tryTake(long instanceId) {
    return take(instanceId, false);
  }

  @Override
  public Turn take(long instanceId) {
    return take(instanceId, true).orElseThrow();
  }

  @Override
  public Optional<Turn> tryTake(long instanceId, Duration wait) {
    return take(instanceId, wait);
  }

  private Optional<Turn> take(long instanceId, boolean wait) {
    return take(instanceId, wait ? null : Duration.ZERO);
  }

  /** @param wait how long to wait for another node to let go (null: as long as it takes; zero: not at all) */
  private Optional<Turn> take(long instanceId, Duration wait) {
    Map<Long, Integer> mine = held.get();
    if (mine.containsKey(instanceId)) {
      mine.merge(instanceId, 1, Integer::sum);
      return Optional.of(() -> mine.merge(instanceId, -1, Integer::sum));
    }
    // the session owns the connection: closing it closes the connection, which lets the turn go whatever state the run ended in
    SqlSession session = database.sessions().openSession(connect());
    try {
      TurnMapper turns = session.getMapper(TurnMapper.class);
      if (taken(turns, instanceId, wait)) {
        mine.put(instanceId, 1);
        return Optional.of(() -> {
          if (mine.merge(instanceId, -1, Integer::sum) == 0) {
            mine.remove(instanceId);
            release(session, instanceId);
          }
        });
      }
    } catch (RuntimeException e) {
      session.close();
      throw e;
    }
    session.close();
    return Optional.empty();
  }

  private static boolean taken(TurnMapper turns, long instanceId, Duration wait) {
    if (wait == null) {
      return turns.lock(SPACE, key(instanceId)) == 1;
    }
    if (wait.isZero()) {
      return turns.tryLock(SPACE, key(instanceId)) == 1;
    }
    turns.lockTimeout(Long.toString(Math.max(1, wait.toMillis())));
    try {
      return turns.lock(SPACE, key(instanceId)) == 1;
    } catch (DatabaseBusyException e) {
      if (e.limit() == DatabaseBusyException.Limit.LOCK_WAIT) { // lock_not_available (55P03): lock_timeout ran out
        return false; // still held when the wait ran out
      }
      throw e;
    } finally {
      turns.lockTimeout("0");
    }
  }

  /**
   * Unlocks, then closes. Closing alone would let the turn go too, but only once the server's
   * backend has ended, after close() returned: another node asking at once could still find it held.
   */
  private static void release(SqlSession session, long instanceId) {
    try {
      session.getMapper(TurnMapper.class).unlock(SPACE, key(instanceId));
    } catch (RuntimeException e) {
      // the connection is gone already, and with it the turn
    } finally {
      session.close();
    }
  }

  @Override
  public boolean heldElsewhere(long instanceId) {
    try (SqlSession session = database.sessions().openSession(false)) {
      return session.getMapper(TurnMapper.class).free(SPACE, key(instanceId)) == 0;
    }
  }

  private static int key(long instanceId) {
    return (int) instanceId; // ids are small: an identity column counting up
  }

  private Connection connect() {
    try {
      Connection connection = database.dataSource().getConnection();
      connection.setAutoCommit(true);
      return connection;
    } catch (SQLException e) {
      throw new IllegalStateException("could not reach " + database.describe() + " to take an instance's turn: " + e.getMessage(), e);
    }
  }

}
