package io.piholecheckpoint.persistence;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Properties;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.sql.DataSource;
import org.apache.commons.dbcp2.BasicDataSource;
import org.apache.ibatis.session.SqlSession;
import org.apache.ibatis.session.SqlSessionFactory;
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
  private final DataVersion version;
  private final ImpatientSessions impatient;

  /** @param syncedLater SQLite: the connections kept at synchronous=NORMAL for {@link ImpatientSessions}; null on PostgreSQL */
  private record Pooled(BasicDataSource pool, SqlSessionFactory sessions, BasicDataSource syncedLater) {
  }

  /**
   * How long its connections and statements wait, each set apart for the tests of that wait.
   *
   * @param busy SQLite: busy_timeout (see {@link #BUSY_WAIT}); null on PostgreSQL
   * @param connect how long a first connection is tried again while attempts time out (zero: once)
   * @param attempt how long one attempt to connect may take ({@link #ATTEMPT})
   * @param lock PostgreSQL: the catalogue pool's lock_timeout (see {@link #LOCK_WAIT}); null on SQLite (its busy_timeout)
   * @param readLimit PostgreSQL: how long a plain read may take ({@link ReadTimeout}); null on SQLite
   */
  private record Waits(java.time.Duration busy, java.time.Duration connect, java.time.Duration attempt, java.time.Duration lock,
                       java.time.Duration readLimit) {
  }

  private Database(Path file, Dialect dialect, String description, DataSource direct, Supplier<BasicDataSource> poolFactory, Waits waits) {
    this.busyWait = waits.busy();
    this.lockWait = waits.lock();
    this.readLimit = waits.readLimit();
    this.connectWait = waits.connect();
    this.attempt = waits.attempt();
    this.file = file;
    this.dialect = dialect;
    this.description = description;
    this.direct = direct;
    this.poolFactory = poolFactory;
    this.identity = file == null ? FileIdentity.NONE : new FileIdentity(file);
    this.version = new DataVersion(dialect, this::versionWatcher, description);
    this.impatient = new ImpatientSessions(dialect, () -> dialect == Dialect.SQLITE ? pooled().syncedLater() : pooled().pool(), this::sessions,
        description);
  }

  /**
   * Opens (and, through SQLite, creates if missing) the database file; a start that finds it busy past the busy wait fails at once.
   * A file that is there is looked at first, read-only: another program's SQLite database or a damaged file is refused with
   * nothing written into it ({@link ForeignFile}).
   */
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
    return open(file, busyWait, connectWait, pragmas(busyWait));
  }

  /**
   * As {@link #open(Path, java.time.Duration, java.time.Duration)}, for a new catalogue under its temporary name
   * ({@link NewCatalogue}): its commits are not fsynced (synchronous=OFF). The file is synced once, whole, before it is put in
   * place, and one a crash left unfinished is made anew: a fresh install's migration step syncs 2 times instead of 49.
   */
  public static Database openUnsynced(Path file, java.time.Duration busyWait, java.time.Duration connectWait) {
    return open(file, busyWait, connectWait, pragmas(busyWait) + ";synchronous=OFF");
  }

  private static Database open(Path file, java.time.Duration busyWait, java.time.Duration connectWait, String directPragmas) {
    ForeignFile.requireNone(file.toAbsolutePath(), busyWait); // before the first connection sets journal_mode=WAL in it
    Properties pragmas = new Properties();
    for (String pragma : directPragmas.split(";")) {
      pragmas.setProperty(pragma.substring(0, pragma.indexOf('=')), pragma.substring(pragma.indexOf('=') + 1));
    }
    SQLiteDataSource direct = new SQLiteDataSource(new SQLiteConfig(pragmas));
    direct.setUrl("jdbc:sqlite:" + file.toAbsolutePath());
    Path absolute = file.toAbsolutePath();
    return new Database(absolute, Dialect.SQLITE, absolute.toString(), direct, () -> DialectPools.sqlite(absolute, pragmas(busyWait)),
        new Waits(busyWait, connectWait, ATTEMPT, null, null));
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
    return new Database(null, Dialect.POSTGRESQL, mask(url), direct, () -> DialectPools.postgres(url, user, password, seconds),
        new Waits(null, connectWait, java.time.Duration.ofSeconds(seconds), lockWait, readLimit));
  }

  private static final Pattern SECRET_IN_URL = Pattern.compile("(?i)((?:password|sslpassword)=)[^&;]*|(//[^/@:]*:)[^/@]*@");

  /** A JDBC URL as it may be logged or shown: a password it carries is masked. */
  public static String mask(String url) {
    return SECRET_IN_URL.matcher(url).replaceAll(m -> Matcher.quoteReplacement(m.group(1) != null ? m.group(1) + "***" : m.group(2) + "***@"));
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
  public long dataVersion() {
    return version.read();
  }

  /** The connection data_version is read on: one that never writes, waiting out a lock as the pool's do. */
  private Connection versionWatcher() throws SQLException {
    if (dialect == Dialect.POSTGRESQL) {
      return direct.getConnection();
    }
    Properties pragmas = new Properties();
    pragmas.setProperty("busy_timeout", Long.toString(busyWait.toMillis()));
    identity.requireSame(); // as the pool's new connections (FileIdentity#guarding)
    return new org.sqlite.JDBC().connect("jdbc:sqlite:" + file, pragmas);
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

  /**
   * Parses the mappers that a catalogue the app opens on {@code dialect} uses, unless done already: the server's start calls
   * it on a thread of its own as its web app begins, before the settings are checked and the database opened, and
   * {@link #prepareSessions} then finds the parse under way or done. The parse is what the start's first read waits for longest.
   */
  public static void prepareMappers(Dialect dialect) {
    Mappers.prepare(dialect, dialect == Dialect.POSTGRESQL ? ReadTimeout.LIMIT : null);
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
    return impatient.open();
  }

  /**
   * A session, not auto-committed, whose commit SQLite does not fsync ({@code synchronous=NORMAL}, as
   * {@link #openSessionWithoutWaiting()}) but which waits for a lock as any write does: for a write that a durable commit soon
   * follows, or that the next start completes, so that its own fsync buys nothing. In WAL mode a power loss may lose it, never
   * spoil the file, and the next durable commit makes it durable with its own. On PostgreSQL a session as any other.
   */
  SqlSession openSessionSyncedLater() {
    return impatient.openWaiting();
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
          p = new Pooled(pool, Mappers.sessionFactory(pool, dialect, readLimit, writeRefused, identity),
              dialect == Dialect.SQLITE ? syncedLaterPool() : null);
          pooled = p;
        }
      }
    }
    return p;
  }

  /**
   * SQLite's connections for the commits it does not fsync ({@link ImpatientSessions}): opened at synchronous=NORMAL and kept so,
   * instead of a catalogue connection switched there and back (three PRAGMA statements per write, five writes per backup).
   * Small: these writes are one row each, one at a time, and a connection's page cache is memory the server keeps.
   */
  private BasicDataSource syncedLaterPool() {
    BasicDataSource pool = poolFactory.get();
    pool.setDriver(identity.guarding(new org.sqlite.JDBC()));
    pool.addConnectionProperty("synchronous", "NORMAL");
    pool.addConnectionProperty("cache_size", "-256"); // KiB: a few pages are all a job row or a marker touches
    pool.setMaxTotal(2);
    pool.setMaxIdle(1);
    return pool;
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

  @Override
  public void close() {
    version.close();
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
        if (p.syncedLater() != null) {
          p.syncedLater().close();
        }
      }
    } catch (SQLException e) {
      throw new IllegalStateException("could not close the connection pool of " + description, e);
    }
  }
}
