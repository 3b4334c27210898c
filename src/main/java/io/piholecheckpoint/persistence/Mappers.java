package io.piholecheckpoint.persistence;

import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;
import javax.sql.DataSource;
import org.apache.ibatis.mapping.Environment;
import org.apache.ibatis.session.Configuration;
import org.apache.ibatis.session.ExecutorType;
import org.apache.ibatis.session.SqlSession;
import org.apache.ibatis.session.SqlSessionFactory;
import org.apache.ibatis.session.TransactionIsolationLevel;
import org.apache.ibatis.session.defaults.DefaultSqlSession;
import org.apache.ibatis.transaction.jdbc.JdbcTransaction;
import org.apache.ibatis.transaction.jdbc.JdbcTransactionFactory;

/** The MyBatis side of a {@link Database}: its mappers, parsed once per dialect, and the sessions it opens on its pool. */
final class Mappers {
  private Mappers() {
  }

  /**
   * The mappers of each dialect, parsed once per JVM and shared by every Database of it: a parse is
   * ~0.1 s of CPU (MyBatis reads its XML through XPath, {@link MapperXPathFactory}), which a process that opens one
   * catalogue spends once, and the tests, which open one per test, spent some 40 % of their time on.
   * The parsed statements hold no connection: each Database opens its sessions on its own pool. The read limit is the
   * configuration's (an interceptor), so a test that shortens it parses the mappers once more for its limit.
   */
  private static final Map<MapperKey, Configuration> MAPPERS = new ConcurrentHashMap<>();

  /** @param readLimit null on SQLite */
  private record MapperKey(Dialect dialect, java.time.Duration readLimit) {
  }

  /** Sessions on {@code dataSource}, over the shared mappers of its dialect and read limit. */
  static SqlSessionFactory sessionFactory(DataSource dataSource, Dialect dialect, java.time.Duration readLimit,
      AtomicReference<String> writeRefused, FileIdentity identity) {
    return new PoolSessions(MAPPERS.computeIfAbsent(new MapperKey(dialect, readLimit), Mappers::mappers), dataSource, writeRefused,
        identity);
  }

  /** Parses the mappers of {@code dialect} and {@code readLimit} now, unless they are already (a parse under way is waited for). */
  static void prepare(Dialect dialect, java.time.Duration readLimit) {
    MAPPERS.computeIfAbsent(new MapperKey(dialect, readLimit), Mappers::mappers);
  }

  private static Configuration mappers(MapperKey key) {
    Dialect dialect = key.dialect();
    // no data source of its own: PoolSessions opens every session on the pool of its Database
    DataSource none = (DataSource) Proxy.newProxyInstance(Mappers.class.getClassLoader(), new Class<?>[] {DataSource.class}, (proxy, method, args) -> {
      throw new IllegalStateException("the shared mappers have no data source: sessions are opened through a Database");
    });
    Configuration configuration = new Configuration(new Environment("checkpoint", new JdbcTransactionFactory(), none));
    configuration.setDatabaseId(dialect.id());
    configuration.setMapUnderscoreToCamelCase(true);
    configuration.setCacheEnabled(false);
    if (dialect == Dialect.POSTGRESQL) {
      configuration.addInterceptor(new ReadTimeout(key.readLimit())); // SQLite's one writer at a time is its busy_timeout's concern
    }
    configuration.getTypeHandlerRegistry().register(java.time.Instant.class, EpochMillisTypeHandler.class);
    configuration.getTypeHandlerRegistry().register(Boolean.class, BooleanAsIntegerTypeHandler.class);
    configuration.getTypeHandlerRegistry().register(boolean.class, BooleanAsIntegerTypeHandler.class);
    StoredEnums.registerIn(configuration);
    // the XML mappers' element paths found without the JDK's XPath (its garbage), and the files read without their DTD, for this
    // parse only
    return MapperDocuments.whileParsing(() -> MapperXPathFactory.whileParsing(() -> {
      configuration.addMapper(InstanceMapper.class);
      configuration.addMapper(BackupMapper.class);
      configuration.addMapper(RestoreMapper.class);
      configuration.addMapper(BackupRunMapper.class);
      configuration.addMapper(OriginalImportMapper.class);
      configuration.addMapper(OffsiteCopyMapper.class);
      configuration.addMapper(SyncRunMapper.class);
      configuration.addMapper(DestinationMapper.class);
      configuration.addMapper(TurnMapper.class);
      configuration.addMapper(SchedulerStateMapper.class);
      configuration.addMapper(SyncGroupMapper.class);
      configuration.addMapper(JobMapper.class);
      configuration.addMapper(SessionMapper.class);
      configuration.addMapper(OffsitePlaceMapper.class);
      configuration.addMapper(AdoptionNoteMapper.class);
      configuration.addMapper(SettingChangeMapper.class);
      return configuration;
    }));
  }

  /**
   * Sessions over the shared mappers on one pool, opened as MyBatis opens them from its environment's
   * data source (a JDBC transaction that takes its connection at the first statement); a statement
   * refused for waiting on another session comes out of them typed ({@link BusySessions}), and a write is refused before it
   * starts when the SQLite file is no longer the one opened ({@link FileIdentity}).
   */
  private record PoolSessions(Configuration configuration, DataSource pool, AtomicReference<String> writeRefused,
      FileIdentity identity) implements SqlSessionFactory {
    @Override
    public SqlSession openSession() {
      return open(configuration.getDefaultExecutorType(), null, false);
    }

    @Override
    public SqlSession openSession(boolean autoCommit) {
      return open(configuration.getDefaultExecutorType(), null, autoCommit);
    }

    @Override
    public SqlSession openSession(Connection connection) {
      return onConnection(configuration.getDefaultExecutorType(), connection);
    }

    @Override
    public SqlSession openSession(TransactionIsolationLevel level) {
      return open(configuration.getDefaultExecutorType(), level, false);
    }

    @Override
    public SqlSession openSession(ExecutorType execType) {
      return open(execType, null, false);
    }

    @Override
    public SqlSession openSession(ExecutorType execType, boolean autoCommit) {
      return open(execType, null, autoCommit);
    }

    @Override
    public SqlSession openSession(ExecutorType execType, TransactionIsolationLevel level) {
      return open(execType, level, false);
    }

    @Override
    public SqlSession openSession(ExecutorType execType, Connection connection) {
      return onConnection(execType, connection);
    }

    @Override
    public Configuration getConfiguration() {
      return configuration;
    }

    private SqlSession open(ExecutorType execType, TransactionIsolationLevel level, boolean autoCommit) {
      return BusySessions.reporting(
          new DefaultSqlSession(configuration, configuration.newExecutor(new JdbcTransaction(pool, level, autoCommit), execType), autoCommit),
          writeRefused, identity);
    }

    private SqlSession onConnection(ExecutorType execType, Connection connection) {
      boolean autoCommit;
      try {
        autoCommit = connection.getAutoCommit();
      } catch (SQLException e) {
        autoCommit = true; // as MyBatis assumes of a driver that cannot say
      }
      return BusySessions.reporting(
          new DefaultSqlSession(configuration, configuration.newExecutor(new JdbcTransaction(connection), execType), autoCommit),
          writeRefused, identity);
    }
  }
}
