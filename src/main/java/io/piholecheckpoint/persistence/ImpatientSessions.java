package io.piholecheckpoint.persistence;

import io.piholecheckpoint.core.job.DatabaseBusyException;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.function.Supplier;
import org.apache.commons.dbcp2.BasicDataSource;
import org.apache.ibatis.session.SqlSession;
import org.apache.ibatis.session.SqlSessionFactory;

/**
 * Sessions whose commit SQLite does not fsync: for a write that is worth nothing late ({@link Database#openSessionWithoutWaiting()}),
 * which also waits for no lock, and for one that a durable commit soon follows or a start completes
 * ({@link Database#openSessionSyncedLater()}), which waits as any write does. On SQLite a connection of a pool of their own,
 * kept at synchronous=NORMAL; one that waits for no lock is given its busy wait back before it returns to that pool.
 */
final class ImpatientSessions {
  private final Dialect dialect;
  private final Supplier<BasicDataSource> pool;
  private final Supplier<SqlSessionFactory> sessions;
  /** The file, or the JDBC URL with its password masked. */
  private final String description;

  ImpatientSessions(Dialect dialect, Supplier<BasicDataSource> pool, Supplier<SqlSessionFactory> sessions, String description) {
    this.dialect = dialect;
    this.pool = pool;
    this.sessions = sessions;
    this.description = description;
  }

  /** See {@link Database#openSessionWithoutWaiting()}. */
  SqlSession open() {
    return open(false);
  }

  /** See {@link Database#openSessionSyncedLater()}. */
  SqlSession openWaiting() {
    return open(true);
  }

  private SqlSession open(boolean waits) {
    Connection connection;
    try {
      connection = pool.get().getConnection();
    } catch (SQLException e) {
      throw new org.apache.ibatis.exceptions.PersistenceException("could not take a connection of " + description + ": " + e.getMessage(), e);
    }
    Connection pooledConnection = connection;
    try {
      if (dialect == Dialect.SQLITE) {
        if (!waits) {
          org.sqlite.SQLiteConnection sqlite = connection.unwrap(org.sqlite.SQLiteConnection.class);
          int wait = sqlite.getBusyTimeout();
          sqlite.setBusyTimeout(0);
          connection = restoredOnClose(connection, sqlite, wait);
        }
      }
      connection.setAutoCommit(false); // SQLite's driver begins here, and takes the file's write lock (IMMEDIATE)
    } catch (SQLException e) {
      // not handed out again: SQLite's driver, refused its BEGIN, takes itself for in a transaction that is not there
      invalidate(pooledConnection);
      if (BusySessions.limit(e).isPresent()) {
        throw new DatabaseBusyException(DatabaseBusyException.Access.WRITE,
            BusySessions.limit(e).get(), e);
      }
      throw new org.apache.ibatis.exceptions.PersistenceException("could not begin a write on " + description + ": " + e.getMessage(), e);
    }
    return sessions.get().openSession(connection);
  }

  /** {@code connection}, which gives its SQLite connection its busy wait back before it returns to the pool. */
  private Connection restoredOnClose(Connection connection, org.sqlite.SQLiteConnection sqlite, int wait) {
    return (Connection) Proxy.newProxyInstance(ImpatientSessions.class.getClassLoader(), new Class<?>[] {Connection.class}, (proxy, method, args) -> {
      if (method.getName().equals("close")) {
        try {
          sqlite.setBusyTimeout(wait);
        } catch (SQLException e) {
          invalidate(connection); // one that cannot wait again is not handed out again
          return null;
        }
      }
      try {
        return method.invoke(connection, args);
      } catch (java.lang.reflect.InvocationTargetException e) {
        throw e.getCause();
      }
    });
  }

  private void invalidate(Connection pooledConnection) {
    try {
      pool.get().invalidateConnection(pooledConnection);
    } catch (IllegalStateException e) {
      // the pool is closing: the connection goes with it
    }
  }
}
