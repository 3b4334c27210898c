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
 * ({@link Database#openSessionSyncedLater()}), which waits as any write does. On SQLite a connection of the pool, given its
 * fsyncs (and its busy wait) back before it returns to the pool.
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
        org.sqlite.SQLiteConnection sqlite = connection.unwrap(org.sqlite.SQLiteConnection.class);
        int wait = sqlite.getBusyTimeout();
        if (!waits) {
          sqlite.setBusyTimeout(0);
        }
        int synchronous = synchronous(connection);
        setSynchronous(connection, NOT_FSYNCED);
        connection = restoredOnClose(connection, sqlite, wait, synchronous);
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

  /** SQLite's {@code synchronous=NORMAL}: in WAL mode, a commit without an fsync. */
  private static final int NOT_FSYNCED = 1;

  private static int synchronous(Connection connection) throws SQLException {
    try (java.sql.Statement statement = connection.createStatement(); java.sql.ResultSet rows = statement.executeQuery("PRAGMA synchronous")) {
      rows.next();
      return rows.getInt(1);
    }
  }

  private static void setSynchronous(Connection connection, int level) throws SQLException {
    try (java.sql.Statement statement = connection.createStatement()) {
      statement.execute("PRAGMA synchronous=" + level);
    }
  }

  /** {@code connection}, which gives its SQLite connection its busy wait and its fsyncs back before it returns to the pool. */
  private Connection restoredOnClose(Connection connection, org.sqlite.SQLiteConnection sqlite, int wait, int synchronous) {
    return (Connection) Proxy.newProxyInstance(ImpatientSessions.class.getClassLoader(), new Class<?>[] {Connection.class}, (proxy, method, args) -> {
      if (method.getName().equals("close")) {
        try {
          sqlite.setBusyTimeout(wait);
          setSynchronous(connection, synchronous);
        } catch (SQLException e) {
          invalidate(connection); // one that cannot wait again, or would not fsync, is not handed out again
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
