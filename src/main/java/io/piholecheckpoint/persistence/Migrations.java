package io.piholecheckpoint.persistence;

import io.piholecheckpoint.core.units.Causes;
import java.io.OutputStream;
import java.io.PrintStream;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.ibatis.migration.Change;
import org.apache.ibatis.migration.DataSourceConnectionProvider;
import org.apache.ibatis.migration.operations.StatusOperation;
import org.apache.ibatis.migration.options.DatabaseOperationOption;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The schema, applied and checked with MyBatis Migrations. */
public final class Migrations {
  private static final Logger log = LoggerFactory.getLogger(Migrations.class);
  /** The command that brings a database up to date, for messages. */
  public static final String HINT = "run './entrypoint.sh migrate' (or set CHECKPOINT_MIGRATE_ON_START=true) and start again";

  /** @param current id of the newest applied script, or null for an empty database */
  public record State(int applied, int pending, int unknown, String current) {
  }

  /** @param current id of the newest applied script, or null for an empty changelog */
  public record Applied(int count, String current) {
  }

  private Migrations() {
  }

  /**
   * Applies every pending script; progress goes to {@code out}. Refuses, with nothing applied, a database that holds
   * migrations this build does not know (see {@link #requireKnown}).
   */
  public static void migrate(Database database, PrintStream out) {
    if (database.dialect() == Dialect.SQLITE) {
      waitingOutBusy(database, () -> {
        requireKnown(database);
        up(database, out); // the migration step's lock on DATA_DIR keeps two apart
        return null;
      });
      return;
    }
    // Nodes of a cluster share the database, not DATA_DIR: of two starting at once, the second
    // waits on a lock the server holds for this session, then finds nothing pending.
    try (Connection lock = connect(database); Statement statement = lock.createStatement()) {
      statement.execute("SELECT pg_advisory_lock(" + MIGRATION_LOCK + ")");
      try {
        requireKnown(database); // under the lock: a newer node migrating at the same moment has finished
        up(database, out);
      } finally {
        statement.execute("SELECT pg_advisory_unlock(" + MIGRATION_LOCK + ")");
      }
    } catch (SQLException e) {
      throw new IllegalStateException("could not lock " + database.describe() + " for its migration: " + e.getMessage(), e);
    }
  }

  /**
   * A connection, or what to check when the server cannot be reached or refuses the sign-in. An attempt that times out is
   * tried again for the database's connect wait: a server busy with several nodes starting at once answers a moment later,
   * where a refusal or a wrong password would not.
   */
  static Connection connect(Database database) {
    long until = System.nanoTime() + database.connectWait().toNanos();
    for (int attempt = 1; ; attempt++) {
      try {
        return database.dataSource().getConnection();
      } catch (SQLException e) {
        boolean timedOut = timedOut(e);
        if (timedOut && System.nanoTime() - until < 0) {
          log.warn("The database {} did not answer in time (attempt {}: {}); trying again for up to {} s (DATABASE_CONNECT_WAIT_SECONDS)",
              database.describe(), attempt, e.getMessage(), database.connectWait().toSeconds());
          // a fifth of an attempt between attempts (2 s of the 10 s), never past the wait
          pause(Math.min(database.attempt().toMillis() / 5, Math.max(0, (until - System.nanoTime()) / 1_000_000)));
          continue;
        }
        throw new IllegalStateException(connectProblem(database, e, timedOut, attempt), e);
      }
    }
  }

  private static String connectProblem(Database database, SQLException e, boolean timedOut, int attempts) {
    String state = e.getSQLState() == null ? "" : e.getSQLState();
    if (timedOut) {
      return ("could not connect to the database %s: it did not answer in time (%d attempt(s) over DATABASE_CONNECT_WAIT_SECONDS=%d: %s)"
          + " — the server or the network is slow or overloaded (many nodes starting at once?): raise DATABASE_CONNECT_WAIT_SECONDS, or"
          + " check the server's load and the way to it").formatted(database.describe(), attempts, database.connectWait().toSeconds(), e.getMessage());
    }
    if (state.startsWith("28")) {
      return "the database " + database.describe() + " refused the sign-in: " + e.getMessage() + " — check DATABASE_USER and DATABASE_PASSWORD"
          + " (or _FILE)";
    }
    return "could not connect to the database " + database.describe() + ": " + e.getMessage()
        + " — check DATABASE_URL, DATABASE_USER and DATABASE_PASSWORD (or _FILE), and that the server is up";
  }

  /** The driver's own login timeout, or the socket's connect or read timeout, wherever it is wrapped. */
  private static boolean timedOut(Throwable e) {
    for (Throwable t = e; t != null && t.getCause() != t; t = t.getCause()) {
      if (t instanceof java.net.SocketTimeoutException || t.getMessage() != null && t.getMessage().contains("timed out")) {
        return true;
      }
    }
    return false;
  }

  /**
   * A start's work on the schema, done again while another connection holds the database (SQLite's file locked past its
   * busy_timeout, a PostgreSQL lock wait) for up to the connect wait (DATABASE_CONNECT_WAIT_SECONDS): a process starting
   * beside another that holds the file for a moment starts a moment later, not never. Each attempt has already waited out
   * the driver's own busy wait; what is not busy fails at once.
   */
  static <T> T waitingOutBusy(Database database, java.util.function.Supplier<T> work) {
    long until = System.nanoTime() + database.connectWait().toNanos();
    for (int attempt = 1; ; attempt++) {
      try {
        return work.get();
      } catch (RuntimeException e) {
        if (BusySessions.limit(e).isEmpty()) {
          throw e;
        }
        if (System.nanoTime() - until >= 0) {
          throw new StayedBusy(("the database %s stayed busy: another connection holds it (%d attempt(s) over"
              + " DATABASE_CONNECT_WAIT_SECONDS=%d: %s) — look for another process using it (a second Pi-hole Checkpoint on the same"
              + " DATA_DIR, a sqlite3 shell in a transaction), or raise DATABASE_CONNECT_WAIT_SECONDS")
              .formatted(database.describe(), attempt, database.connectWait().toSeconds(), e.getMessage()), e);
        }
        log.warn("The database {} is busy: another connection holds it (attempt {}: {}); trying again for up to {} s"
            + " (DATABASE_CONNECT_WAIT_SECONDS)", database.describe(), attempt, e.getMessage(), database.connectWait().toSeconds());
        pause(Math.min(200, Math.max(0, (until - System.nanoTime()) / 1_000_000)));
      }
    }
  }

  private static void pause(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("stopped while waiting for the database", e);
    }
  }

  /**
   * Refuses a database that holds migrations this build does not know: a newer build migrated it, and this one would read
   * and write its tables (and rewrite the schedules in Quartz's) as they were before. MyBatis Migrations applies what is
   * pending and ignores the rest; so does nothing here. A rolling upgrade stays possible: the newer build knows every
   * migration of the older ones, and an older node already running is not asked again.
   *
   * @throws SchemaCheck.SchemaException naming each unknown migration, and what to do
   */
  static void requireKnown(Database database) {
    List<String> unknown = unknown(database);
    if (!unknown.isEmpty()) {
      throw new SchemaCheck.SchemaException(("The database at %s holds %d migration(s) that this build of Pi-hole Checkpoint does not know: %s."
          + " A newer build migrated it, and this one would damage what that build wrote. Nothing was changed: upgrade this node to that build"
          + " (or a newer one) and start again").formatted(database.describe(), unknown.size(), String.join(", ", unknown)));
    }
  }

  /** The migrations the changelog holds and this build's scripts do not, as "id (description)"; none for an empty database. */
  static List<String> unknown(Database database) {
    Set<Long> known = new HashSet<>();
    new ClasspathMigrationLoader(database.dialect()).getMigrations().forEach(c -> known.add(c.getId().longValueExact()));
    List<String> unknown = new ArrayList<>();
    try (Connection connection = database.dataSource().getConnection()) {
      try (ResultSet table = connection.getMetaData().getTables(null, connection.getSchema(), "changelog", null)) {
        if (!table.next()) {
          return unknown; // a file that holds other tables was refused when it was opened (ForeignFile)
        }
      }
      try (Statement statement = connection.createStatement();
           ResultSet changelog = statement.executeQuery("SELECT id, description FROM changelog ORDER BY id")) {
        while (changelog.next()) {
          long id = changelog.getLong(1);
          if (!known.contains(id)) {
            unknown.add(id + " (" + changelog.getString(2) + ")");
          }
        }
      }
      return unknown;
    } catch (SQLException e) {
      throw new IllegalStateException("could not read the changelog of " + database.describe() + ": " + e.getMessage() + damaged(e), e);
    }
  }

  /** What to do about an SQLite file that is damaged (SQLITE_CORRUPT, SQLITE_NOTADB); nothing for any other failure. */
  static String damaged(Throwable failure) {
    return Causes.find(failure, org.sqlite.SQLiteException.class)
        .filter(e -> (e.getResultCode().code & 0xff) == 11 || (e.getResultCode().code & 0xff) == 26)
        .map(e -> " — the file is damaged: put back checkpoint.db from a copy (with no -wal or -shm file beside it), or move it away with"
            + " its -wal and -shm files to start a new catalogue (the archives in BACKUP_DIR are then adopted, and Pi-holes added in the web"
            + " interface must be added again)")
        .orElse("");
  }

  /** Any number of the application's own, the same on every node: "checkpoint migrations" in ASCII, truncated. */
  private static final long MIGRATION_LOCK = 0x636b70745f6d6967L;

  private static void up(Database database, PrintStream out) {
    MigrationRun.up(database, out);
  }

  /**
   * The applied count and newest id as the changelog holds them, for the migration step's report right after
   * {@link #migrate}: one query, where {@link #state} loads the scripts again to compare them (and the server checks).
   */
  public static Applied applied(Database database) {
    return waitingOutBusy(database, () -> readApplied(database));
  }

  private static Applied readApplied(Database database) {
    try (Connection connection = database.dataSource().getConnection(); Statement statement = connection.createStatement();
         ResultSet changelog = statement.executeQuery("SELECT COUNT(*), MAX(id) FROM changelog")) {
      changelog.next();
      return new Applied(changelog.getInt(1), changelog.getString(2));
    } catch (SQLException e) {
      throw new IllegalStateException("could not read the changelog after migrating: " + e.getMessage(), e);
    }
  }

  public static State state(Database database) {
    StatusOperation status = new StatusOperation()
        .operate(new DataSourceConnectionProvider(database.dataSource()), new ClasspathMigrationLoader(database.dialect()), options(), new PrintStream(OutputStream.nullOutputStream()));
    List<Change> changes = status.getCurrentStatus();
    String current = changes.stream().filter(c -> c.getAppliedTimestamp() != null)
        .map(c -> c.getId().toPlainString()).reduce((a, b) -> b).orElse(null);
    return new State(status.getAppliedCount(), status.getPendingCount(), status.getMissingCount(), current);
  }

  /**
   * The options of MyBatis Migrations' operations: the status reads the changelog table by this name. (Builds before round 48
   * applied the scripts with them too, through UpOperation, which {@link MigrationRun} replaced; tests still make such builds'
   * databases with it.)
   */
  static DatabaseOperationOption options() {
    DatabaseOperationOption options = new DatabaseOperationOption();
    options.setChangelogTable("changelog");
    options.setSendFullScript(false);
    options.setAutoCommit(false);
    options.setStopOnError(true);
    options.setDelimiter(";");
    options.setFullLineDelimiter(false);
    return options;
  }

  /** The database still held by another connection when the connect wait ran out: the message says what to do. */
  public static final class StayedBusy extends IllegalStateException {
    private static final long serialVersionUID = 1L;

    StayedBusy(String message, Throwable cause) {
      super(message, cause);
    }
  }
}
