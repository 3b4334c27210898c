package io.piholecheckpoint.persistence;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.piholecheckpoint.testing.PostgresServer;
import io.piholecheckpoint.testing.TestDialects;
import java.io.OutputStream;
import java.io.PrintStream;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import org.apache.ibatis.migration.Change;
import org.apache.ibatis.migration.DataSourceConnectionProvider;
import org.apache.ibatis.migration.operations.UpOperation;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ArgumentsSource;

/** Each migration and its changelog row commit together, and a database an older build left half-migrated is recognised. */
class MigrationRunTest {
  private static final PrintStream QUIET = new PrintStream(OutputStream.nullOutputStream());
  /** A migration of one statement that fails when run twice: "duplicate column name: deleting". */
  private static final String DELETING = "20261204050000_backup_deleting.sql";

  @TempDir
  Path dir;

  /**
   * A process stopped after a migration's script and before its row (here the row's insert refused) leaves the database as it
   * was before the migration, and the next start applies it. UpOperation committed the script on its own: the column stayed,
   * and every later start failed with "duplicate column name".
   */
  @ParameterizedTest
  @ArgumentsSource(TestDialects.class)
  void aMigrationWhoseRecordCannotBeWrittenLeavesNothingOfItsChanges(Dialect dialect) throws Exception {
    try (Database database = empty(dialect)) {
      migrateBefore(database, DELETING);
      execute(database, dialect == Dialect.SQLITE
          ? "CREATE TRIGGER stopped BEFORE INSERT ON changelog WHEN NEW.id = " + id(DELETING) + " BEGIN SELECT RAISE(ABORT, 'stopped'); END"
          : "ALTER TABLE changelog ADD CONSTRAINT stopped CHECK (id <> " + id(DELETING) + ")");

      assertThatThrownBy(() -> Migrations.migrate(database, QUIET)).hasMessageContaining("stopped");

      assertThat(columns(database, "backup")).doesNotContain("deleting");
      execute(database, dialect == Dialect.SQLITE ? "DROP TRIGGER stopped" : "ALTER TABLE changelog DROP CONSTRAINT stopped");
      Migrations.migrate(database, QUIET);
      assertThat(columns(database, "backup")).contains("deleting");
      assertThat(Migrations.state(database).pending()).isZero();
    }
  }

  /** An older build's kill between a script and its row (the outsider's t10-keep): the schema is the migration's, so only the row is written. */
  @Test
  void aMigrationAnOlderBuildAppliedWithoutItsRecordIsRecordedAndTheRestApplied() throws Exception {
    try (Database database = empty(Dialect.SQLITE)) {
      migrateBefore(database, DELETING);
      execute(database, "ALTER TABLE backup ADD COLUMN deleting INTEGER NOT NULL DEFAULT 0");

      Migrations.migrate(database, QUIET);

      Migrations.State state = SchemaCheck.requireCurrent(database);
      assertThat(state.pending()).isZero();
      assertThat(changelog(database)).contains(id(DELETING));
    }
  }

  /** A schema that is neither before nor after the failing migration cannot be completed safely: refused, naming the file, the migration and what to do. */
  @Test
  void aDatabaseHoldingPartOfAMigrationIsRefusedWithWhatToDoAndNothingChanged() throws Exception {
    try (Database database = empty(Dialect.SQLITE)) {
      migrateBefore(database, DELETING);
      execute(database, "ALTER TABLE backup ADD COLUMN deleting TEXT");
      List<BigDecimal> before = changelog(database);

      assertThatThrownBy(() -> Migrations.migrate(database, QUIET)).isInstanceOf(SchemaCheck.SchemaException.class)
          .hasMessageContaining(dir.resolve("checkpoint.db").toString())
          .hasMessageContaining("holds part of migration " + DELETING)
          .hasMessageContaining("duplicate column name: deleting")
          .hasMessageContaining("restore checkpoint.db from a copy made before that start");

      assertThat(changelog(database)).isEqualTo(before);
    }
  }

  /** What a build before this one did, up to the migration named: UpOperation, script by script. */
  private static void migrateBefore(Database database, String script) {
    ClasspathMigrationLoader scripts = new ClasspathMigrationLoader(database.dialect());
    List<Change> changes = scripts.getMigrations();
    java.util.Collections.sort(changes);
    int steps = (int) changes.stream().filter(c -> c.getId().compareTo(id(script)) < 0).count();
    new UpOperation(steps).operate(new DataSourceConnectionProvider(database.dataSource()), scripts, Migrations.options(), QUIET);
  }

  private static BigDecimal id(String script) {
    return ClasspathMigrationLoader.change(script).getId();
  }

  private static void execute(Database database, String sql) throws Exception {
    try (Connection c = database.dataSource().getConnection(); Statement s = c.createStatement()) {
      s.execute(sql);
    }
  }

  private static List<String> columns(Database database, String table) throws Exception {
    List<String> columns = new java.util.ArrayList<>();
    try (Connection c = database.dataSource().getConnection(); ResultSet rs = c.getMetaData().getColumns(null, c.getSchema(), table, null)) {
      while (rs.next()) {
        columns.add(rs.getString("COLUMN_NAME"));
      }
    }
    return columns;
  }

  private static List<BigDecimal> changelog(Database database) throws Exception {
    List<BigDecimal> ids = new java.util.ArrayList<>();
    try (Connection c = database.dataSource().getConnection(); Statement s = c.createStatement();
         ResultSet rs = s.executeQuery("SELECT id FROM changelog ORDER BY id")) {
      while (rs.next()) {
        ids.add(rs.getBigDecimal(1));
      }
    }
    return ids;
  }

  private Database empty(Dialect dialect) {
    return dialect == Dialect.SQLITE ? Database.open(dir.resolve("checkpoint.db"))
        : Database.openPostgres(PostgresServer.shared().createDatabase(null), PostgresServer.USER, PostgresServer.PASSWORD);
  }
}
