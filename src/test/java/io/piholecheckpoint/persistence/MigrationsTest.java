package io.piholecheckpoint.persistence;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import io.piholecheckpoint.testing.PostgresServer;
import io.piholecheckpoint.testing.TestDialects;
import org.apache.ibatis.migration.DataSourceConnectionProvider;
import org.apache.ibatis.migration.operations.UpOperation;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ArgumentsSource;

class MigrationsTest {
  private static final PrintStream QUIET = new PrintStream(OutputStream.nullOutputStream());

  @TempDir
  Path dir;

  private static final Path SCRIPTS = Path.of("src/main/resources/db/migrations");

  /** The common scripts and those for PostgreSQL only are listed; a PostgreSQL variant has the name of a common one. */
  @Test
  void listsEveryScriptInTheIndex() throws Exception {
    List<String> onDisk = new ArrayList<>(sqlFiles(SCRIPTS, ""));
    List<String> postgresql = sqlFiles(SCRIPTS.resolve("postgresql"), "postgresql/");
    List<String> indexed = scripts();
    List<String> variants = postgresql.stream().filter(f -> !indexed.contains(f)).toList();
    onDisk.addAll(postgresql.stream().filter(indexed::contains).toList());

    assertThat(indexed).containsExactlyInAnyOrderElementsOf(onDisk);
    assertThat(variants).as("variants of common scripts").isNotEmpty()
        .allSatisfy(v -> assertThat(onDisk).contains(v.substring("postgresql/".length())));
  }

  private static List<String> sqlFiles(Path dir, String prefix) throws Exception {
    try (var files = Files.list(dir)) {
      return files.map(p -> prefix + p.getFileName()).filter(n -> n.endsWith(".sql")).sorted().toList();
    }
  }

  @ParameterizedTest
  @ArgumentsSource(TestDialects.class)
  void appliesEveryStatementOfEveryScript(Dialect dialect) throws Exception {
    try (Database database = empty(dialect)) {
      Migrations.migrate(database, QUIET);

      assertThat(tables(database)).contains("changelog", "instance", "backup", "restore");
      assertThat(indexes(database)).contains("backup_by_instance", "backup_by_time");
      Migrations.State state = Migrations.state(database);
      assertThat(state.pending()).isZero();
      assertThat(state.unknown()).isZero();
    }
  }

  /** Quartz's job store is PostgreSQL's alone: the scripts of postgresql/ listed in the index never reach SQLite. */
  @ParameterizedTest
  @ArgumentsSource(TestDialects.class)
  void createsQuartzsJobStoreOnPostgresqlOnly(Dialect dialect) throws Exception {
    try (Database database = empty(dialect)) {
      Migrations.migrate(database, QUIET);

      if (dialect == Dialect.POSTGRESQL) {
        assertThat(tables(database)).contains("qrtz_job_details", "qrtz_triggers", "qrtz_fired_triggers", "qrtz_scheduler_state", "qrtz_locks");
      } else {
        assertThat(tables(database)).noneMatch(t -> t.toLowerCase(java.util.Locale.ROOT).startsWith("qrtz_"));
      }
    }
  }

  /**
   * A script written once holds what SQLite holds on PostgreSQL too: a time far past 2038 in
   * milliseconds (PostgreSQL reads the scripts' INTEGER as BIGINT), generated ids, and the CHECKs
   * that PostgreSQL's own variants of two scripts widen in place.
   */
  @ParameterizedTest
  @ArgumentsSource(TestDialects.class)
  void holdsTheSameValuesOnBothDatabases(Dialect dialect) throws Exception {
    try (Database database = empty(dialect)) {
      Migrations.migrate(database, QUIET);
      try (Connection c = database.dataSource().getConnection(); Statement s = c.createStatement()) {
        long farFuture = 4_102_444_800_000L * 2;
        s.executeUpdate("INSERT INTO instance (name, slug, origin, url, schedule_kind, schedule_time, schedule_day, max_backups, max_age_days,"
            + " created_at, updated_at) VALUES ('a', 'a', 'UI', 'http://a', 'DAILY', '03:00', 'SUNDAY', 1, 1, " + farFuture + ", 1)");
        s.executeUpdate("INSERT INTO instance (name, slug, origin, url, schedule_kind, schedule_time, schedule_day, max_backups, max_age_days,"
            + " created_at, updated_at) VALUES ('b', 'b', 'UI', 'http://b', 'DAILY', '03:00', 'SUNDAY', 1, 1, 1, 1)");
        s.executeUpdate("INSERT INTO backup (instance_id, status, trigger_kind, started_at, finished_at) VALUES (1, 'FAILED', 'OFFSITE', 1, 1)");
        s.executeUpdate("INSERT INTO restore (backup_id, target_id, mode, state, message, started_at) VALUES (1, 2, 'LISTS', 'QUEUED', 'm', 1)");
        try (ResultSet rs = s.executeQuery("SELECT id, created_at FROM instance ORDER BY id")) {
          rs.next();
          assertThat(rs.getLong(1)).isEqualTo(1);
          assertThat(rs.getLong(2)).isEqualTo(farFuture);
          rs.next();
          assertThat(rs.getLong(1)).isEqualTo(2);
        }
        assertThatThrownBy(() -> s.executeUpdate("INSERT INTO backup (instance_id, status, trigger_kind, started_at, finished_at)"
            + " VALUES (1, 'FAILED', 'GUESSED', 1, 1)")).isInstanceOf(java.sql.SQLException.class);
      }
    }
  }

  @ParameterizedTest
  @ArgumentsSource(TestDialects.class)
  void isIdempotent(Dialect dialect) throws Exception {
    try (Database database = empty(dialect)) {
      Migrations.migrate(database, QUIET);
      Migrations.migrate(database, QUIET);

      assertThat(Migrations.state(database).applied())
          .isEqualTo(scripts().stream().filter(f -> !f.contains("/") || f.startsWith(dialect.id() + "/")).count());
    }
  }

  @ParameterizedTest
  @ArgumentsSource(TestDialects.class)
  void refusesADatabaseThatIsBehind(Dialect dialect) throws Exception {
    try (Database database = empty(dialect)) {
      Migrations.migrate(database, QUIET);
      try (Connection c = database.dataSource().getConnection(); Statement s = c.createStatement()) {
        s.executeUpdate("DELETE FROM changelog WHERE ID = (SELECT MAX(ID) FROM changelog)");
      }

      assertThatThrownBy(() -> SchemaCheck.requireCurrent(database))
          .hasMessageContaining("is behind this version").hasMessageContaining("./entrypoint.sh migrate");
    }
  }

  /**
   * A newer build's migrations, unknown here: the migration step and the server's start refuse the database, naming them and
   * saying to upgrade, and the step applies nothing (not even what this build has pending). MyBatis Migrations alone applied
   * the pending scripts and ignored the rest, and an older build went on to rewrite the newer one's Quartz triggers.
   */
  @ParameterizedTest
  @ArgumentsSource(TestDialects.class)
  void refusesToMigrateOrServeADatabaseWithMigrationsThisBuildDoesNotKnowNamingThem(Dialect dialect) throws Exception {
    try (Database database = empty(dialect)) {
      Migrations.migrate(database, QUIET);
      int applied;
      try (Connection c = database.dataSource().getConnection(); Statement s = c.createStatement()) {
        // this build's newest pending, as it would be had the newer build skipped it
        // An older build left the newest migration out.
        s.executeUpdate("DELETE FROM changelog WHERE id = (SELECT MAX(id) FROM (SELECT id FROM changelog) ids)");
        s.executeUpdate("INSERT INTO changelog (id, applied_at, description) VALUES (20991231000000, '2099-12-31 00:00:00', 'create later table')");
        s.executeUpdate("INSERT INTO changelog (id, applied_at, description) VALUES (20991231000001, '2099-12-31 00:00:01', 'later column')");
        applied = count(s);
      }

      assertThatThrownBy(() -> Migrations.migrate(database, QUIET)).isInstanceOf(SchemaCheck.SchemaException.class)
          .hasMessageContaining("holds 2 migration(s) that this build of Pi-hole Checkpoint does not know:"
              + " 20991231000000 (create later table), 20991231000001 (later column)")
          .hasMessageContaining("Nothing was changed: upgrade this node to that build");
      assertThatThrownBy(() -> SchemaCheck.requireCurrent(database)).isInstanceOf(SchemaCheck.SchemaException.class)
          .hasMessageContaining("20991231000000 (create later table), 20991231000001 (later column)").hasMessageContaining("upgrade this node");
      try (Connection c = database.dataSource().getConnection(); Statement s = c.createStatement()) {
        assertThat(count(s)).as("nothing applied").isEqualTo(applied);
      }
    }
  }

  /** A rolling upgrade: the newer build migrates a database an older one migrated, and every older migration is one it knows. */
  @ParameterizedTest
  @ArgumentsSource(TestDialects.class)
  void migratesADatabaseAnOlderBuildLeftBehind(Dialect dialect) throws Exception {
    try (Database database = empty(dialect)) {
      // The older build knew every migration but the newest.
      ClasspathMigrationLoader scripts = new ClasspathMigrationLoader(database.dialect());
      new UpOperation(scripts.getMigrations().size() - 1)
          .operate(new DataSourceConnectionProvider(database.dataSource()), scripts, Migrations.options(), QUIET);
      assertThat(Migrations.state(database).pending()).isEqualTo(1);

      Migrations.migrate(database, QUIET);

      assertThat(SchemaCheck.requireCurrent(database).current()).isNotNull();
      assertThat(Migrations.unknown(database)).isEmpty();
    }
  }

  private static int count(Statement s) throws Exception {
    try (ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM changelog")) {
      rs.next();
      return rs.getInt(1);
    }
  }

  /**
   * Outsider round 49 (F3): an SQLite file that is someone else's (a Pi-hole's gravity.db copied or mounted as checkpoint.db) was
   * migrated in place and run as a new install. An SQLite file without our changelog is new only while it holds no table.
   */
  @Test
  void refusesAnotherProgramsSqliteFileNamingItsTablesAndWritesNothingIntoIt() throws Exception {
    Path file = dir.resolve("checkpoint.db");
    try (Connection c = java.sql.DriverManager.getConnection("jdbc:sqlite:" + file); Statement s = c.createStatement()) {
      s.execute("CREATE TABLE adlist (id INTEGER PRIMARY KEY, address TEXT)");
      s.execute("CREATE TABLE domainlist (id INTEGER PRIMARY KEY, domain TEXT)");
    }

    Files.setLastModifiedTime(file, LONG_AGO);
    byte[] before = Files.readAllBytes(file);

    assertThatThrownBy(() -> Database.open(file)).isInstanceOf(SchemaCheck.SchemaException.class)
        .hasMessageContaining(file + " is an SQLite database that is not a Pi-hole Checkpoint catalogue: it holds 2 table(s) of something"
            + " else (adlist, domainlist) and no changelog of ours. Nothing was written to it")
        .hasMessageContaining("mv " + file + " " + file + ".away");
    assertUntouched(file, before);
  }

  /**
   * Outsider round 50 (F1): the refusal said "Nothing was written to it", but the connection that looked had set journal_mode=WAL,
   * rewriting the header of a file in SQLite's default mode. The look is read-only: bytes, mtime and folder are as they were.
   */
  private static void assertUntouched(Path file, byte[] before) throws Exception {
    byte[] after = Files.readAllBytes(file);
    assertThat(java.util.HexFormat.of().formatHex(after, 0, 100)).as("its header (journal mode at 18-19, change counter at 24-27)")
        .isEqualTo(java.util.HexFormat.of().formatHex(before, 0, 100));
    assertThat(java.util.Arrays.equals(after, before)).as("the file's bytes are as they were").isTrue();
    assertThat(Files.getLastModifiedTime(file)).as("its mtime").isEqualTo(LONG_AGO);
    try (var beside = Files.list(file.getParent())) {
      assertThat(beside).as("nothing made beside it").containsExactly(file);
    }
  }

  private static final java.nio.file.attribute.FileTime LONG_AGO = java.nio.file.attribute.FileTime.fromMillis(1_700_000_000_000L);

  /** An SQLite file with no table yet (an older build's first start stopped before its first migration) is a new catalogue. */
  @Test
  void migratesAnSqliteFileThatHoldsNoTableYet() throws Exception {
    Path file = dir.resolve("checkpoint.db");
    try (Connection c = java.sql.DriverManager.getConnection("jdbc:sqlite:" + file); Statement s = c.createStatement()) {
      s.execute("PRAGMA user_version = 0");
      s.execute("CREATE TABLE t (x)");
      s.execute("DROP TABLE t");
    }

    try (Database database = Database.open(file)) {
      Migrations.migrate(database, QUIET);

      assertThat(tables(database)).contains("changelog", "instance", "backup");
    }
  }

  /** Outsider round 49 (F4): a damaged (truncated) file was refused in SQLite's words only; the refusal says what to do. */
  @Test
  void aDamagedFileIsRefusedSayingWhatToDo() throws Exception {
    Path file = dir.resolve("checkpoint.db");
    try (Database database = Database.open(file)) {
      Migrations.migrate(database, QUIET);
    }
    byte[] whole = Files.readAllBytes(file);
    byte[] broken = java.util.Arrays.copyOf(whole, whole.length / 2);
    java.util.Arrays.fill(broken, 100, 4096, (byte) 0x5a); // the header's page count and the schema's first page
    Files.write(file, broken);
    Files.setLastModifiedTime(file, LONG_AGO);

    assertThatThrownBy(() -> Database.open(file)).hasMessageContaining("the file is damaged: put back checkpoint.db from"
        + " a copy (with no -wal or -shm file beside it), or move it away with its -wal and -shm files to start a new catalogue");
    assertUntouched(file, broken);
  }

  @Test
  void refusesAMissingDatabaseFileWithTheMigrateHint() {
    assertThatThrownBy(() -> SchemaCheck.requireFile(dir.resolve("checkpoint.db")))
        .hasMessageContaining("There is no database at").hasMessageContaining("CHECKPOINT_MIGRATE_ON_START=true");
  }

  @Test
  void opensConnectionsWithWalForeignKeysAndImmediateTransactions() throws Exception {
    try (Database database = Database.open(dir.resolve("checkpoint.db"));
         Connection c = database.dataSource().getConnection(); Statement s = c.createStatement()) {
      try (ResultSet rs = s.executeQuery("PRAGMA journal_mode")) {
        assertThat(rs.getString(1)).isEqualToIgnoringCase("wal");
      }
      try (ResultSet rs = s.executeQuery("PRAGMA foreign_keys")) {
        assertThat(rs.getInt(1)).isEqualTo(1);
      }
      try (ResultSet rs = s.executeQuery("PRAGMA busy_timeout")) {
        assertThat(rs.getInt(1)).isEqualTo(5000);
      }
    }
  }

  @Test
  void opensConnectionsThatLeaveAnInsertsKeysUnread() throws Exception {
    try (Database database = Database.open(dir.resolve("checkpoint.db"))) {
      for (javax.sql.DataSource source : List.of(database.dataSource(), database.pool())) {
        try (Connection c = source.getConnection(); Statement s = c.createStatement()) {
          s.execute("CREATE TABLE IF NOT EXISTS t (id INTEGER PRIMARY KEY, v TEXT)");
          try (java.sql.PreparedStatement insert = c.prepareStatement("INSERT INTO t (v) VALUES ('a')")) {
            insert.executeUpdate();

            try (ResultSet keys = insert.getGeneratedKeys()) {
              assertThat(keys.next()).as("no query for the key after the insert").isFalse();
            }
          }
        }
      }
    }
  }

  private static List<String> scripts() throws Exception {
    return Files.readAllLines(SCRIPTS.resolve("scripts.list")).stream().filter(l -> !l.isBlank()).toList();
  }

  /** A database with nothing in it: a new SQLite file, or a new PostgreSQL database. */
  private Database empty(Dialect dialect) {
    return dialect == Dialect.SQLITE ? Database.open(dir.resolve("checkpoint.db"))
        : Database.openPostgres(PostgresServer.shared().createDatabase(null), PostgresServer.USER, PostgresServer.PASSWORD);
  }

  private static List<String> tables(Database database) throws Exception {
    return names(database, "table");
  }

  private static List<String> indexes(Database database) throws Exception {
    return names(database, "index");
  }

  private static List<String> names(Database database, String type) throws Exception {
    List<String> names = new ArrayList<>();
    String query = database.dialect() == Dialect.SQLITE ? "SELECT name FROM sqlite_master WHERE type = '" + type + "'"
        : type.equals("table") ? "SELECT tablename FROM pg_tables WHERE schemaname = current_schema()"
        : "SELECT indexname FROM pg_indexes WHERE schemaname = current_schema()";
    try (Connection c = database.dataSource().getConnection(); Statement s = c.createStatement();
         ResultSet rs = s.executeQuery(query)) {
      while (rs.next()) {
        names.add(rs.getString(1));
      }
    }
    return names;
  }
}
