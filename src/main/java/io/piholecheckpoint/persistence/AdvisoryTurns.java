package io.piholecheckpoint.persistence;

import io.piholecheckpoint.core.backup.InstanceTurns;
import io.piholecheckpoint.core.job.DatabaseBusyException;
import io.piholecheckpoint.core.offsite.DestinationTurns;
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
 * dies loses its connections, and the server lets its turns go at once. A destination's turn for a
 * check or an adoption is one too, in a space of its own for each work.
 */
public final class AdvisoryTurns implements InstanceTurns, DestinationTurns {
  /** "CPKT": our locks among any other application's advisory locks on the same database. */
  private static final int SPACE = 0x43504B54;
  /** "CPKC" and "CPKA": a destination's check and adoption, keyed by its name's hash. */
  private static final Map<Work, Integer> DESTINATION_SPACES = Map.of(Work.CHECK, 0x43504B43, Work.ADOPTION, 0x43504B41);
  private final Database database;
  /**
   * The turns this thread holds (by space and key), with how many times it took each: a restore or sync
   * holds the turn and takes its safety backup in the same thread. A second take on a connection of its own
   * would be another session to PostgreSQL, refused (or waiting forever) for the turn its own caller holds.
   */
  private final ThreadLocal<Map<Long, Integer>> held = ThreadLocal.withInitial(HashMap::new);

  public AdvisoryTurns(Database database) {
    if (database.dialect() != Dialect.POSTGRESQL) {
      throw new IllegalArgumentException("advisory locks are PostgreSQL's; one SQLite node needs none");
    }
    this.database = database;
  }

  @Override
  public Optional<InstanceTurns.Turn> tryTake(long instanceId) {
    return take(instanceId, false);
  }

  @Override
  public InstanceTurns.Turn take(long instanceId) {
    return take(instanceId, true).orElseThrow();
  }

  @Override
  public Optional<InstanceTurns.Turn> tryTake(long instanceId, Duration wait) {
    return take(instanceId, wait);
  }

  /**
   * A destination's turn for that work: refused while another node (or another thread of this one) holds it. Two names whose
   * hashes are equal share a turn: one is refused while the other's work runs, as the same name's would be.
   */
  @Override
  public Optional<DestinationTurns.Turn> tryTake(Work work, String destination) {
    return take(DESTINATION_SPACES.get(work), destination.hashCode(), Duration.ZERO).map(turn -> turn::close);
  }

  private Optional<InstanceTurns.Turn> take(long instanceId, boolean wait) {
    return take(instanceId, wait ? null : Duration.ZERO);
  }

  private Optional<InstanceTurns.Turn> take(long instanceId, Duration wait) {
    return take(SPACE, key(instanceId), wait);
  }

  /** @param wait how long to wait for another node to let go (null: as long as it takes; zero: not at all) */
  private Optional<InstanceTurns.Turn> take(int space, int key, Duration wait) {
    Map<Long, Integer> mine = held.get();
    long lock = ((long) space << 32) | (key & 0xFFFFFFFFL);
    if (mine.containsKey(lock)) {
      mine.merge(lock, 1, Integer::sum);
      return Optional.of(() -> mine.merge(lock, -1, Integer::sum));
    }
    // the session owns the connection: closing it closes the connection, which lets the turn go whatever state the run ended in
    SqlSession session = database.sessions().openSession(connect());
    try {
      TurnMapper turns = session.getMapper(TurnMapper.class);
      if (taken(turns, space, key, wait)) {
        mine.put(lock, 1);
        return Optional.of(() -> {
          if (mine.merge(lock, -1, Integer::sum) == 0) {
            mine.remove(lock);
            release(session, space, key);
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

  private static boolean taken(TurnMapper turns, int space, int key, Duration wait) {
    if (wait == null) {
      return turns.lock(space, key) == 1;
    }
    if (wait.isZero()) {
      return turns.tryLock(space, key) == 1;
    }
    turns.lockTimeout(Long.toString(Math.max(1, wait.toMillis())));
    try {
      return turns.lock(space, key) == 1;
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
  private static void release(SqlSession session, int space, int key) {
    try {
      session.getMapper(TurnMapper.class).unlock(space, key);
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
