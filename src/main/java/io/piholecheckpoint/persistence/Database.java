package io.piholecheckpoint.persistence;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.sql.DataSource;
import org.apache.commons.dbcp2.BasicDataSource;
import java.lang.reflect.Proxy;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.ibatis.mapping.Environment;
import org.apache.ibatis.session.Configuration;
import org.apache.ibatis.session.ExecutorType;
import org.apache.ibatis.session.SqlSession;
import org.apache.ibatis.session.SqlSessionFactory;
import org.apache.ibatis.session.TransactionIsolationLevel;
import org.apache.ibatis.session.defaults.DefaultSqlSession;
import org.apache.ibatis.transaction.jdbc.JdbcTransaction;
import org.apache.ibatis.transaction.jdbc.JdbcTransactionFactory;
import org.postgresql.ds.PGSimpleDataSource;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteDataSource;

/**
 * The catalogue's database — the SQLite file by default, or a PostgreSQL database (DATABASE_URL) —
 * its connection pool and the MyBatis session factory over it.
 */
public final class Database implements AutoCloseable {
  /**
   * WAL lets the web layer read while a backup writes; IMMEDIATE takes the write lock at
   * BEGIN, because with DEFERRED most concurrent read-then-write transactions fail with
   * SQLITE_BUSY instead of waiting out busy_timeout ({@link #BUSY_WAIT}). The driver's generated keys are off: nothing
   * asks for them (an insert's id is read by its own statement), and with them on the driver matched every statement's
   * SQL against a backtracking regex (0.5-1 ms for one of retention's WITH queries under C1) and ran one more query after
   * every insert.
   */
  private static final String PRAGMAS = "journal_mode=WAL;foreign_keys=true;transaction_mode=IMMEDIATE;jdbc.get_generated_keys=false";

  /**
   * SQLite: how long a statement waits for another connection's lock on the file (busy_timeout) before it is refused as
   * busy ({@link BusySessions}): the catalogue's one writer at a time is a backup's end or a request, a few milliseconds.
   */
  public static final java.time.Duration BUSY_WAIT = java.time.Duration.ofSeconds(5);

  /** Null for PostgreSQL. */
  private final Path file;
  /** SQLite: busy_timeout (see {@link #BUSY_WAIT}); null on PostgreSQL. */
  private final java.time.Duration busyWait;
  private final Dialect dialect;
  /** The file, or the JDBC URL with any password in it masked: for messages and logs. */
  private final String description;
  private final DataSource direct;
  private final Supplier<BasicDataSource> poolFactory;
  private final java.time.Duration connectWait;
  private final java.time.Duration attempt;
  /** PostgreSQL: the catalogue pool's lock_timeout (see {@link #LOCK_WAIT}); null on SQLite (its busy_timeout). */
  private final java.time.Duration lockWait;
  /** PostgreSQL: how long a plain read may take ({@link ReadTimeout}); null on SQLite. */
  private final java.time.Duration readLimit;
  /** The pool and MyBatis over it, made on first use: the migration step needs neither. */
  private volatile Pooled pooled;
  /** Quartz's own connections (a cluster's store), made on first use; guarded by poolLock. */
  private BasicDataSource scheduler;
  /** The last write refused for a full disk (what to do), until one succeeds: /health shows it, which answers "ok" otherwise. */
  private final java.util.concurrent.atomic.AtomicReference<String> writeRefused = new java.util.concurrent.atomic.AtomicReference<>();
  /** SQLite: the file opened, which every write checks is still the one at its path; {@link FileIdentity#NONE} on PostgreSQL. */
  private final FileIdentity identity;
  private final Object poolLock = new Object(); // not this: dataVersion() must not wait for MyBatis to be built
  private boolean closed; // guarded by poolLock
  private Connection watcher;
  /** How many watcher connections were opened: a new one counts data_version from its own start. */
  private long watcherEpoch;

  private record Pooled(BasicDataSource pool, SqlSessionFactory sessions) {
  }

  private Database(Path file, java.time.Duration busyWait, DataSource direct, Supplier<BasicDataSource> poolFactory,
                   java.time.Duration connectWait) {
    this(file, busyWait, Dialect.SQLITE, file.toString(), direct, poolFactory, connectWait, ATTEMPT, null, null);
  }

  private Database(Path file, java.time.Duration busyWait, Dialect dialect, String description, DataSource direct,
                   Supplier<BasicDataSource> poolFactory, java.time.Duration connectWait, java.time.Duration attempt,
                   java.time.Duration lockWait, java.time.Duration readLimit) {
    this.busyWait = busyWait;
    this.lockWait = lockWait;
    this.readLimit = readLimit;
    this.connectWait = connectWait;
    this.attempt = attempt;
    this.file = file;
    this.dialect = dialect;
    this.description = description;
    this.direct = direct;
    this.poolFactory = poolFactory;
    this.identity = file == null ? FileIdentity.NONE : new FileIdentity(file);
  }

  /** Opens (and, through SQLite, creates if missing) the database file; a start that finds it busy past the busy wait fails at once. */
  public static Database open(Path file) {
    return open(file, BUSY_WAIT);
  }

  /**
   * @param busyWait {@link #BUSY_WAIT} for every database the app opens; shorter in tests that hold the file on purpose,
   *     which need not wait five seconds to see a statement refused as busy
   */
  public static Database open(Path file, java.time.Duration busyWait) {
    return open(file, busyWait, java.time.Duration.ZERO);
  }

  /**
   * @param connectWait how long a start (and the migration step) tries its work on the schema again while another
   *     connection holds the file past its busy wait
   */
  public static Database open(Path file, java.time.Duration busyWait, java.time.Duration connectWait) {
    Properties pragmas = new Properties();
    for (String pragma : pragmas(busyWait).split(";")) {
      pragmas.setProperty(pragma.substring(0, pragma.indexOf('=')), pragma.substring(pragma.indexOf('=') + 1));
    }
    SQLiteDataSource direct = new SQLiteDataSource(new SQLiteConfig(pragmas));
    direct.setUrl("jdbc:sqlite:" + file.toAbsolutePath());
    Path absolute = file.toAbsolutePath();
    return new Database(absolute, busyWait, direct, () -> pool(absolute, busyWait), connectWait);
  }

  private static String pragmas(java.time.Duration busyWait) {
    return PRAGMAS + ";busy_timeout=" + busyWait.toMillis();
  }

  /**
   * A PostgreSQL database (jdbc:postgresql://host:5432/name): nothing connects until used. The
   * user and password may be null (then the URL's, or the driver's defaults, apply).
   */
  public static Database openPostgres(String url, String user, String password) {
    return openPostgres(url, user, password, java.time.Duration.ZERO);
  }

  /** How long one attempt to connect (and sign in) may take before it counts as timed out. */
  public static final java.time.Duration ATTEMPT = java.time.Duration.ofSeconds(10);

  /** @param connectWait how long the first connection (of a start, of the migration step) is tried again while attempts time out */
  public static Database openPostgres(String url, String user, String password, java.time.Duration connectWait) {
    return openPostgres(url, user, password, connectWait, ATTEMPT, LOCK_WAIT);
  }

  /**
   * How long a statement of the catalogue's pool waits for a lock another session holds before PostgreSQL refuses it
   * (lock_timeout, SQLState 55P03), unless DATABASE_LOCK_WAIT_SECONDS says otherwise. A write holds nothing for longer than
   * its own statements, a few milliseconds; one that waits this long waits on a LOCK TABLE, a migration or a transaction
   * left open by hand, and would otherwise hang with its request (or a job's end) for as long as that lasts. The web answers
   * it 503 {@code database_busy}; a job's end write tries again ({@code DatabaseOutages}). Reads are cut sooner, by their
   * own limit ({@link ReadTimeout}), except those that lock rows, which wait like the write they belong to.
   */
  public static final java.time.Duration LOCK_WAIT = java.time.Duration.ofSeconds(30);

  static Database openPostgres(String url, String user, String password, java.time.Duration connectWait, java.time.Duration attempt) {
    return openPostgres(url, user, password, connectWait, attempt, LOCK_WAIT);
  }

  /**
   * @param attempt how long one attempt may take, in whole seconds (at least one, the driver's unit): {@link #ATTEMPT} but
   *     in tests of the waiting itself, which need not wait ten seconds to see an attempt time out
   * @param lockWait see {@link #LOCK_WAIT}
   */
  public static Database openPostgres(String url, String user, String password, java.time.Duration connectWait, java.time.Duration attempt,
                                      java.time.Duration lockWait) {
    return openPostgres(url, user, password, connectWait, attempt, lockWait, ReadTimeout.LIMIT);
  }

  /**
   * @param readLimit how long a plain read may take: {@link ReadTimeout#LIMIT} for every database the app opens, shorter in
   *     tests of the limit, which need not hold a lock for ten seconds to see a read cut or a locking read outlive it
   */
  static Database openPostgres(String url, String user, String password, java.time.Duration connectWait, java.time.Duration attempt,
                               java.time.Duration lockWait, java.time.Duration readLimit) {
    int seconds = (int) Math.max(1, attempt.toSeconds());
    PGSimpleDataSource direct = new PGSimpleDataSource();
    direct.setURL(url);
    if (user != null) {
      direct.setUser(user);
    }
    if (password != null) {
      direct.setPassword(password);
    }
    // a server that does not answer must not hold a start or a health check for the driver's default (forever)
    direct.setConnectTimeout(seconds);
    direct.setLoginTimeout(seconds);
    return new Database(null, null, Dialect.POSTGRESQL, mask(url), direct, () -> {
      BasicDataSource pool = DbcpPools.newPool();
      pool.setDriverClassName("org.postgresql.Driver");
      pool.setUrl(url);
      pool.setUsername(user);
      pool.setPassword(password);
      pool.setConnectionProperties("connectTimeout=" + seconds);
      // a server is shared by the nodes of a cluster: a few connections each, not SQLite's one writer (Quartz's
      // clustered store has a pool of its own, schedulerPool)
      pool.setMaxTotal(12);
      pool.setMaxIdle(4);
      pool.setMinIdle(0);
      pool.setMaxWait(java.time.Duration.ofSeconds(10));
      pool.setValidationQuery("SELECT 1");
      pool.setTestOnBorrow(true); // a server restarted, or a connection a firewall cut, is replaced, not handed out
      return pool;
    }, connectWait, java.time.Duration.ofSeconds(seconds), lockWait, readLimit);
  }

  private static final Pattern SECRET_IN_URL = Pattern.compile("(?i)((?:password|sslpassword)=)[^&;]*|(//[^/@:]*:)[^/@]*@");

  /** A JDBC URL as it may be logged or shown: a password it carries is masked. */
  public static String mask(String url) {
    return SECRET_IN_URL.matcher(url).replaceAll(m -> Matcher.quoteReplacement(m.group(1) != null ? m.group(1) + "***" : m.group(2) + "***@"));
  }

  private static BasicDataSource pool(Path file, java.time.Duration busyWait) {
    BasicDataSource pool = DbcpPools.newPool();
    pool.setDriverClassName("org.sqlite.JDBC");
    pool.setUrl("jdbc:sqlite:" + file);
    pool.setConnectionProperties(pragmas(busyWait));
    pool.setMaxTotal(4);
    pool.setMaxIdle(2);
    pool.setMinIdle(0);
    pool.setMaxWait(java.time.Duration.ofSeconds(10));
    return pool;
  }

  /** The SQLite file; null on PostgreSQL. */
  public Path file() {
    return file;
  }

  public Dialect dialect() {
    return dialect;
  }

  /** The file, or the JDBC URL with its password masked. */
  /** How long a first connection is tried again while attempts time out (zero: once). */
  public java.time.Duration connectWait() {
    return connectWait;
  }

  /** How long one attempt to connect may take ({@link #ATTEMPT} outside tests of the waiting). */
  java.time.Duration attempt() {
    return attempt;
  }

  /** How long a plain read may take on PostgreSQL ({@link ReadTimeout#LIMIT} outside tests of the limit); null on SQLite. */
  java.time.Duration readLimit() {
    return readLimit;
  }

  public String describe() {
    return description;
  }

  /**
   * Connections of their own, with the pool's settings, for one-off work: the migrations and the
   * schema check. Not the pool's: its first connection loads and initialises commons-dbcp2 and
   * MyBatis, which the migration step does not need and a server's start does on another thread
   * ({@link #prepareSessions}).
   */
  public DataSource dataSource() {
    return direct;
  }

  /**
   * A number that changes whenever a change to the database is committed, by this process or
   * another. SQLite: its data_version, read on a connection of its own that never writes (a
   * connection does not see its own commits in it). Its counter starts afresh on every new
   * connection, so the number carries how many were opened: one reopened after an error never
   * repeats a number given before. The connection waits out a lock as the pool's do (without
   * busy_timeout a reader can be refused while another connection opens or cleans up the WAL).
   * PostgreSQL: the position in its write-ahead log, which every commit that wrote moves on (and
   * other writes of the server too: a cache is dropped more often than needed, never too rarely).
   */
  public synchronized long dataVersion() {
    try {
      if (watcher == null) {
        if (dialect == Dialect.POSTGRESQL) {
          watcher = direct.getConnection();
        } else {
          Properties pragmas = new Properties();
          pragmas.setProperty("busy_timeout", Long.toString(busyWait.toMillis()));
          identity.requireSame(); // as the pool's new connections (FileIdentity#guarding)
          watcher = new org.sqlite.JDBC().connect("jdbc:sqlite:" + file, pragmas);
        }
        watcherEpoch++;
      }
      String query = dialect == Dialect.POSTGRESQL ? "SELECT pg_current_wal_insert_lsn() - '0/0'::pg_lsn" : "PRAGMA data_version";
      try (Statement statement = watcher.createStatement(); ResultSet version = statement.executeQuery(query)) {
        version.next();
        return dialect == Dialect.POSTGRESQL ? version.getLong(1) : (watcherEpoch << 40) + version.getLong(1);
      }
    } catch (SQLException e) {
      closeWatcher();
      if (BusySessions.limit(e).isPresent()) {
        // another connection holds the file (SQLite) or the statement waited out its limit: busy as any read, not a fault of ours
        throw new io.piholecheckpoint.core.job.DatabaseBusyException(io.piholecheckpoint.core.job.DatabaseBusyException.Access.READ,
            BusySessions.limit(e).get(), e);
      }
      throw new IllegalStateException("could not read the data version of " + description + ": " + e.getMessage(), e);
    }
  }

  private synchronized void closeWatcher() {
    if (watcher != null) {
      try {
        watcher.close();
      } catch (SQLException e) {
        // it is being dropped either way
      }
      watcher = null;
    }
  }

  /**
   * Opens the pool's first connection and builds the session factory on a thread of its own, so
   * that a server's start does its other work meanwhile on the second core (the two take ~0.3 s);
   * the first use waits for them. The migration step, which needs only the data source, does not call this.
   */
  public void prepareSessions() {
    Thread prepare = new Thread(() -> {
      try (Connection first = pooled().pool().getConnection()) {
        // opened only to start what the pool's first connection starts
      } catch (RuntimeException | SQLException e) {
        // the first use builds or connects again and fails in its own thread, where it is reported
      }
    }, "prepare-mybatis");
    prepare.setDaemon(true);
    prepare.start();
  }

  /** The catalogue's pool: the connections MyBatis's sessions use. */
  public DataSource pool() {
    return pooled().pool();
  }

  /**
   * A pool of Quartz's own, with the same settings, for the clustered job store: its check-in must
   * never wait behind requests that hold every connection of the catalogue's pool (a slow export and
   * a table lock did), or the other nodes declare this live node dead and mark its work interrupted.
   * Quartz's demand is bounded by its own threads, so this pool is never emptied by web requests.
   */
  public DataSource schedulerPool() {
    synchronized (poolLock) {
      if (closed) {
        throw new IllegalStateException("the database " + description + " is closed");
      }
      if (scheduler == null) {
        scheduler = poolFactory.get();
      }
      return scheduler;
    }
  }

  SqlSessionFactory sessions() {
    return pooled().sessions();
  }

  /**
   * A session, not auto-committed, for a write that is worth nothing late (a job's progress, written on the thread that reads
   * the archive from the Pi-hole): a statement that finds a lock another session holds is refused at once, as busy, instead
   * of waiting out SQLite's busy_timeout (5 s), which stalled the download as long. On SQLite its connection waits for no
   * lock until it goes back to the pool; PostgreSQL's lock_timeout is the transaction's to set ({@code JobMapper.noLockWait}),
   * as only a statement can set it there.
   *
   * <p>On SQLite its commit is not fsynced either ({@code synchronous=NORMAL} until it goes back to the pool): in WAL mode a
   * power loss may then lose the write, never spoil the file, and the next durable commit makes it durable with its own. A
   * progress lost that way is worth nothing: the run's marker, written durably before, says the run was cut short. Three
   * fsyncs fewer per backup, ~1 ms each on a busy disk (bench/RESULTS.md, r37-overhead).
   */
  SqlSession openSessionWithoutWaiting() {
    Connection connection;
    try {
      connection = pool().getConnection();
    } catch (SQLException e) {
      throw new org.apache.ibatis.exceptions.PersistenceException("could not take a connection of " + description + ": " + e.getMessage(), e);
    }
    Connection pooledConnection = connection;
    try {
      if (dialect == Dialect.SQLITE) {
        org.sqlite.SQLiteConnection sqlite = connection.unwrap(org.sqlite.SQLiteConnection.class);
        int wait = sqlite.getBusyTimeout();
        sqlite.setBusyTimeout(0);
        int synchronous = synchronous(connection);
        setSynchronous(connection, NOT_FSYNCED);
        connection = restoredOnClose(connection, sqlite, wait, synchronous);
      }
      connection.setAutoCommit(false); // SQLite's driver begins here, and takes the file's write lock (IMMEDIATE)
    } catch (SQLException e) {
      // not handed out again: SQLite's driver, refused its BEGIN, takes itself for in a transaction that is not there
      invalidate(pooledConnection);
      if (BusySessions.limit(e).isPresent()) {
        throw new io.piholecheckpoint.core.job.DatabaseBusyException(io.piholecheckpoint.core.job.DatabaseBusyException.Access.WRITE,
            BusySessions.limit(e).get(), e);
      }
      throw new org.apache.ibatis.exceptions.PersistenceException("could not begin a write on " + description + ": " + e.getMessage(), e);
    }
    return sessions().openSession(connection);
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
    return (Connection) Proxy.newProxyInstance(Database.class.getClassLoader(), new Class<?>[] {Connection.class}, (proxy, method, args) -> {
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
      pooled().pool().invalidateConnection(pooledConnection);
    } catch (IllegalStateException e) {
      // the pool is closing: the connection goes with it
    }
  }

  private Pooled pooled() {
    Pooled p = pooled;
    if (p == null) {
      synchronized (poolLock) {
        if (closed) {
          throw new IllegalStateException("the database " + description + " is closed");
        }
        p = pooled;
        if (p == null) {
          BasicDataSource pool = poolFactory.get();
          if (dialect == Dialect.SQLITE) {
            pool.setDriver(identity.guarding(new org.sqlite.JDBC()));
          }
          if (lockWait != null) {
            // the catalogue's pool only: Quartz's (schedulerPool) waits for its own row locks as Quartz expects, and an
            // instance's turn (AdvisoryTurns) on a connection of its own, with a lock_timeout it sets itself
            pool.setConnectionInitSqls(java.util.List.of("SET lock_timeout = " + lockWait.toMillis()));
          }
          p = new Pooled(pool, sessionFactory(pool, dialect, readLimit, writeRefused, identity));
          pooled = p;
        }
      }
    }
    return p;
  }

  /**
   * The mappers of each dialect, parsed once per JVM and shared by every Database of it: a parse is
   * ~0.1 s of CPU (MyBatis reads its XML through the JDK's XPath), which a process that opens one
   * catalogue spends once, and the tests, which open one per test, spent some 40 % of their time on.
   * The parsed statements hold no connection: each Database opens its sessions on its own pool. The read limit is the
   * configuration's (an interceptor), so a test that shortens it parses the mappers once more for its limit.
   */
  private static final Map<MapperKey, Configuration> MAPPERS = new ConcurrentHashMap<>();

  /** @param readLimit null on SQLite */
  private record MapperKey(Dialect dialect, java.time.Duration readLimit) {
  }

  private static SqlSessionFactory sessionFactory(DataSource dataSource, Dialect dialect, java.time.Duration readLimit,
      java.util.concurrent.atomic.AtomicReference<String> writeRefused, FileIdentity identity) {
    return new PoolSessions(MAPPERS.computeIfAbsent(new MapperKey(dialect, readLimit), Database::mappers), dataSource, writeRefused,
        identity);
  }

  /**
   * SQLite: what happened to the file opened when its path names it no longer (removed, renamed, replaced), and what to do;
   * null while it does, and on PostgreSQL.
   */
  String fileGone() {
    return identity.problem();
  }

  /** The last write refused for a full disk, and what to do about it, until a write succeeds again; null when none. */
  public String writeRefused() {
    return writeRefused.get();
  }

  private static Configuration mappers(MapperKey key) {
    Dialect dialect = key.dialect();
    // no data source of its own: PoolSessions opens every session on the pool of its Database
    DataSource none = (DataSource) Proxy.newProxyInstance(Database.class.getClassLoader(), new Class<?>[] {DataSource.class}, (proxy, method, args) -> {
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
  }

  /**
   * Sessions over the shared mappers on one pool, opened as MyBatis opens them from its environment's
   * data source (a JDBC transaction that takes its connection at the first statement); a statement
   * refused for waiting on another session comes out of them typed ({@link BusySessions}), and a write is refused before it
   * starts when the SQLite file is no longer the one opened ({@link FileIdentity}).
   */
  private record PoolSessions(Configuration configuration, DataSource pool, java.util.concurrent.atomic.AtomicReference<String> writeRefused,
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

  @Override
  public void close() {
    closeWatcher();
    Pooled p;
    BasicDataSource quartz;
    synchronized (poolLock) {
      closed = true;
      p = pooled;
      quartz = scheduler;
    }
    try {
      if (quartz != null) {
        quartz.close();
      }
      if (p != null) {
        p.pool().close();
      }
    } catch (SQLException e) {
      throw new IllegalStateException("could not close the connection pool of " + description, e);
    }
  }
}
