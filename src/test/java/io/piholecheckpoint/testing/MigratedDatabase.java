package io.piholecheckpoint.testing;

import io.piholecheckpoint.persistence.Database;
import io.piholecheckpoint.persistence.Dialect;
import io.piholecheckpoint.persistence.Migrations;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * A database migrated by the real scripts, for repository tests: the scripts run once per test
 * JVM into a template, and each test gets a copy of it (a migration is a few dozen statements,
 * each a commit with a disk sync; a copy is one file). SQLite by default; PostgreSQL on the
 * test-owned {@link PostgresServer}, where the copy is a database made from a template database,
 * or one made before that no one is connected to any more, emptied to the template's state:
 * CREATE and DROP DATABASE copy and delete some 8 MB each and cost ~0.5 s a test, while
 * emptying its tables costs a few ms (bench/RESULTS.md, "Suite time").
 */
public final class MigratedDatabase {
  /** Read without the lock once made: the PostgreSQL template is made under it, and a SQLite test need not wait for that. */
  private static volatile Path template;
  private static String postgresTemplate;
  /** What a database must still look like to be emptied and reused: its schema and the template's rows. */
  private static String postgresFingerprint;
  /** The tables the template holds rows of (the migrations' record), and the emptying of every other one. */
  private static final List<String> postgresFilled = new ArrayList<>();
  private static String postgresEmptying;
  /** The databases this JVM made from the template, the one handed out longest ago first. */
  private static final List<String> postgresMade = new ArrayList<>();
  /**
   * The schema (tables, columns, indexes, constraints, functions, triggers) and the rows a migration leaves. Columns and indexes
   * from the catalogs themselves, not information_schema.columns and pg_indexes: those views cost a new server process ~3 times
   * as much, at each PostgreSQL test (bench/RESULTS.md, "Suite time, unit phase", r45).
   */
  private static final String FINGERPRINT = """
      SELECT md5(string_agg(item, ',' ORDER BY item)) FROM (
        SELECT 'schema ' || nspname AS item FROM pg_namespace WHERE nspname NOT LIKE 'pg\\_%temp\\_%'
        UNION ALL SELECT 'relation ' || relname || ' ' || relkind::text FROM pg_class WHERE relnamespace = 'public'::regnamespace
        UNION ALL SELECT 'column ' || c.relname || '.' || a.attname || ' ' || format_type(a.atttypid, a.atttypmod) || ' ' || a.attnotnull::text
            || ' ' || coalesce(pg_get_expr(d.adbin, d.adrelid), '') || ' ' || a.attidentity::text FROM pg_attribute a
            JOIN pg_class c ON c.oid = a.attrelid LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
            WHERE c.relnamespace = 'public'::regnamespace AND a.attnum > 0 AND NOT a.attisdropped
        UNION ALL SELECT 'index ' || pg_get_indexdef(i.indexrelid) FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid
            WHERE c.relnamespace = 'public'::regnamespace
        UNION ALL SELECT 'constraint ' || conrelid::regclass::text || ' ' || pg_get_constraintdef(oid) FROM pg_constraint
            WHERE connamespace = 'public'::regnamespace
        UNION ALL SELECT 'function ' || oid::regprocedure::text FROM pg_proc WHERE pronamespace = 'public'::regnamespace
        UNION ALL SELECT 'trigger ' || tgrelid::regclass::text || ' ' || tgname FROM pg_trigger WHERE NOT tgisinternal
      ) schema_items""";

  /**
   * Empties the tables of TABLES and gives their ids out from the start again, as TRUNCATE ... RESTART
   * IDENTITY would: by DELETE, foreign keys not checked (the session as a replica's: every table is
   * emptied, so none can be left referring), since a TRUNCATE makes new files for each table and
   * index, three times the DELETE of the few rows a test leaves (bench/RESULTS.md, "Suite time").
   */
  private static final String EMPTYING = """
      DO $$
      DECLARE
        t text;
      BEGIN
        PERFORM set_config('session_replication_role', 'replica', true);
        FOREACH t IN ARRAY TABLES LOOP
          EXECUTE 'DELETE FROM ' || t;
        END LOOP;
        PERFORM setval(d.objid::regclass, q.start_value, false) FROM pg_depend d
          JOIN pg_sequences q ON format('%I.%I', q.schemaname, q.sequencename)::regclass = d.objid
          WHERE d.classid = 'pg_class'::regclass AND d.refobjid::regclass::text = ANY (TABLES) AND q.last_value IS NOT NULL;
      END $$""";

  private MigratedDatabase() {
  }

  /** A copy of the migrated template at {@code file}, opened. */
  public static Database openAt(Path file) {
    return openAt(file, Database.BUSY_WAIT);
  }

  /** As {@link #openAt(Path)}, waiting {@code busyWait} for another connection's lock on the file (production: {@link Database#BUSY_WAIT}). */
  private static Database openAt(Path file, java.time.Duration busyWait) {
    try {
      Files.copy(template(), file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return Database.open(file, busyWait);
  }

  /** A fresh migrated database of {@code dialect}: for SQLite a file in {@code dir}; opened. */
  public static Database open(Dialect dialect, Path dir) {
    return open(dialect, dir, Database.LOCK_WAIT);
  }

  /**
   * As {@link #open(Dialect, Path)}, with PostgreSQL's lock wait ({@link Database#LOCK_WAIT} in production) set to
   * {@code lockWait}: for a test that holds a lock on purpose and need not wait the production 30 s to see it refused.
   */
  public static Database open(Dialect dialect, Path dir, java.time.Duration lockWait) {
    return dialect == Dialect.SQLITE ? openAt(dir.resolve("checkpoint.db")) : openPostgres(lockWait);
  }

  /**
   * For a test that holds a lock on purpose on either database: the wait for another session's lock — PostgreSQL's lock
   * wait ({@link Database#LOCK_WAIT}, 30 s) or SQLite's busy wait ({@link Database#BUSY_WAIT}, 5 s) — set to {@code wait},
   * so that it need not wait production's time to see a statement refused. Nothing else of the test may wait that long.
   */
  public static Database openWaitingAtMost(Dialect dialect, Path dir, java.time.Duration wait) {
    return dialect == Dialect.SQLITE ? openAt(dir.resolve("checkpoint.db"), wait) : openPostgres(wait);
  }

  private static Database openPostgres(java.time.Duration lockWait) {
    Database database = Database.openPostgres(PostgresServer.shared().url(postgresDatabase()), PostgresServer.USER, PostgresServer.PASSWORD,
        java.time.Duration.ZERO, Database.ATTEMPT, lockWait);
    // connected now, and kept connected by its pool until closed: a database someone is connected to is never handed out again
    try (Connection first = database.pool().getConnection()) {
      return database;
    } catch (SQLException e) {
      database.close();
      throw new IllegalStateException("could not connect to the test database " + database.describe() + ": " + e.getMessage(), e);
    }
  }

  /** The same database opened again, as the next process finds it ({@code database} is closed by the caller). */
  public static Database reopen(Database database) {
    // the tests' URLs carry no password, so the description is the URL itself
    return database.dialect() == Dialect.SQLITE ? Database.open(database.file())
        : Database.openPostgres(database.describe(), PostgresServer.USER, PostgresServer.PASSWORD);
  }

  /** A connection of its own, outside the database's pool and data source: another process's. */
  public static Connection connectOutside(Database database) throws SQLException {
    return database.dialect() == Dialect.SQLITE ? DriverManager.getConnection("jdbc:sqlite:" + database.file())
        : DriverManager.getConnection(database.describe(), PostgresServer.USER, PostgresServer.PASSWORD);
  }

  /** PostgreSQL: how many sessions of {@code database} wait on a lock now (a test's statement it has made wait). */
  public static int waitingOnLock(Database database) throws SQLException {
    try (Connection c = database.dataSource().getConnection(); Statement s = c.createStatement();
         ResultSet r = s.executeQuery("SELECT COUNT(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND datname = current_database()")) {
      r.next();
      return r.getInt(1);
    }
  }

  /** One statement on a test's own connection (a lock it takes, a row it holds). */
  public static void execute(Connection connection, String statement) throws SQLException {
    try (Statement s = connection.createStatement()) {
      s.execute(statement);
    }
  }

  /** The name of a migrated, empty database no one is connected to: one made before and emptied, or a new copy of the template. */
  private static synchronized String postgresDatabase() {
    PostgresServer server = PostgresServer.shared();
    String template = postgresTemplate();
    for (String name : List.copyOf(postgresMade)) {
      Reuse reuse = empty(server, name);
      if (reuse != Reuse.IN_USE) {
        postgresMade.remove(name);
      }
      if (reuse == Reuse.EMPTIED) {
        postgresMade.add(name);
        return name;
      }
    }
    String url = server.createDatabase(template);
    String name = url.substring(url.lastIndexOf('/') + 1);
    postgresMade.add(name);
    return name;
  }

  /** The names of the databases that may be handed out again, in the order they would be tried (for its test). */
  static synchronized List<String> reusable() {
    return List.copyOf(postgresMade);
  }

  private enum Reuse { EMPTIED, IN_USE, SPOILT }

  /**
   * Empties {@code name} to the template's state if no one is connected to it (a test holds it, or a closed
   * connection's server process has not ended yet: in use). One gone (PostgresServer drops old ones) or changed
   * beyond its rows (a test added a trigger, deleted a migration's record) is spoilt: it is not used again.
   */
  private static Reuse empty(PostgresServer server, String name) {
    // one connection, to the database itself: each connection is a server process and a SCRAM exchange
    try (Connection c = DriverManager.getConnection(server.url(name), PostgresServer.USER, PostgresServer.PASSWORD);
         Statement s = c.createStatement()) {
      try (ResultSet others = s.executeQuery("SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()")) {
        others.next();
        if (others.getInt(1) > 0) {
          return Reuse.IN_USE;
        }
      }
      if (!postgresFingerprint.equals(fingerprint(s))) {
        return Reuse.SPOILT;
      }
      s.execute(postgresEmptying);
      return Reuse.EMPTIED;
    } catch (SQLException e) {
      return Reuse.SPOILT;
    }
  }

  private static String fingerprint(Statement s) throws SQLException {
    StringBuilder print = new StringBuilder();
    try (ResultSet schema = s.executeQuery(FINGERPRINT)) {
      schema.next();
      print.append(schema.getString(1));
    }
    for (String table : postgresFilled) {
      try (ResultSet rows = s.executeQuery("SELECT md5(coalesce(string_agg(t::text, ',' ORDER BY t::text), '')) FROM " + table + " t")) {
        rows.next();
        print.append(' ').append(table).append('=').append(rows.getString(1));
      }
    }
    return print.toString();
  }

  private static synchronized String postgresTemplate() {
    if (postgresTemplate == null) {
      String url = PostgresServer.shared().createDatabase(null);
      try (Database database = Database.openPostgres(url, PostgresServer.USER, PostgresServer.PASSWORD)) {
        Migrations.migrate(database, new PrintStream(OutputStream.nullOutputStream()));
      }
      String name = url.substring(url.lastIndexOf('/') + 1);
      PostgresServer.shared().execute("ALTER DATABASE " + name + " IS_TEMPLATE true"); // never dropped as an old one
      learnTemplate(url);
      postgresTemplate = name;
    }
    return postgresTemplate;
  }

  /** Which tables the migrated template holds rows of, how to empty the others, and its fingerprint. */
  private static void learnTemplate(String url) {
    try (Connection c = DriverManager.getConnection(url, PostgresServer.USER, PostgresServer.PASSWORD); Statement s = c.createStatement()) {
      List<String> empty = new ArrayList<>();
      try (ResultSet tables = s.executeQuery("SELECT quote_ident(tablename) FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename")) {
        while (tables.next()) {
          empty.add(tables.getString(1));
        }
      }
      for (String table : List.copyOf(empty)) {
        try (ResultSet any = s.executeQuery("SELECT EXISTS (SELECT 1 FROM " + table + ")")) {
          any.next();
          if (any.getBoolean(1)) {
            empty.remove(table);
            postgresFilled.add(table);
          }
        }
      }
      postgresEmptying = EMPTYING.replace("TABLES", "ARRAY['" + String.join("', '", empty.stream().map(t -> t.replace("'", "''")).toList()) + "']");
      postgresFingerprint = fingerprint(s);
    } catch (SQLException e) {
      throw new IllegalStateException("could not read the migrated template " + url + ": " + e.getMessage(), e);
    }
  }

  /**
   * Both templates made ahead, as a test JVM starts ({@link EarlyTemplates}): SQLite's first, which most classes need, then the
   * JVM's PostgreSQL cluster and its migrated template, which the first PostgreSQL test of the JVM would otherwise wait for.
   */
  static void prepare() throws IOException {
    template();
    if (PostgresServer.installed()) {
      PostgresServer.shared(); // outside this class's lock: a SQLite test needing nothing of it goes on meanwhile
      postgresTemplate();
    }
  }

  private static Path template() throws IOException {
    Path made = template;
    return made != null ? made : makeTemplate();
  }

  private static synchronized Path makeTemplate() throws IOException {
    if (template == null) {
      Path dir = Files.createTempDirectory("migrated-template");
      dir.toFile().deleteOnExit();
      Path file = dir.resolve("checkpoint.db");
      // closed before it is copied: the last connection to close folds the WAL into the file
      try (Database database = Database.open(file)) {
        Migrations.migrate(database, new PrintStream(OutputStream.nullOutputStream()));
      }
      file.toFile().deleteOnExit();
      template = file;
    }
    return template;
  }
}
