package io.piholecheckpoint.persistence;

import io.piholecheckpoint.testing.PostgresServer;
import java.io.OutputStream;
import java.io.PrintStream;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.apache.ibatis.migration.DataSourceConnectionProvider;
import org.apache.ibatis.migration.operations.UpOperation;

/**
 * A database as the build before a migration left it: every migration older than it applied, that one and the later not.
 * Up to the migration, not "all but the newest": migrations added after it would otherwise run it before the test's rows are
 * written.
 */
final class DatabaseBefore {
  private static final PrintStream QUIET = new PrintStream(OutputStream.nullOutputStream());

  private DatabaseBefore() {
  }

  /** @param migration the id of the first migration left out, e.g. {@code 20261215020000} */
  static Database open(Dialect dialect, Path dir, String migration) {
    Database database = dialect == Dialect.SQLITE ? Database.open(dir.resolve("checkpoint.db"))
        : Database.openPostgres(PostgresServer.shared().createDatabase(null), PostgresServer.USER, PostgresServer.PASSWORD);
    ClasspathMigrationLoader scripts = new ClasspathMigrationLoader(dialect);
    BigDecimal first = new BigDecimal(migration);
    int before = (int) scripts.getMigrations().stream().filter(m -> m.getId().compareTo(first) < 0).count();
    new UpOperation(before).operate(new DataSourceConnectionProvider(database.dataSource()), scripts, Migrations.options(), QUIET);
    return database;
  }

  /** Inserts an instance "Home" with the columns every migration since its table's creation knows; its id. */
  static long insertInstance(Database database) throws SQLException {
    try (Connection c = database.dataSource().getConnection(); Statement s = c.createStatement()) {
      s.executeUpdate("INSERT INTO instance (name, slug, origin, url, schedule_kind, schedule_time, schedule_day, max_backups, max_age_days,"
          + " keep_daily, keep_weekly, keep_monthly, skip_unchanged, active, removed, created_at, updated_at)"
          + " VALUES ('Home', 'home', 'UI', 'http://pi.hole', 'DAILY', '03:00', 'SUNDAY', 10, 0, 0, 0, 0, 0, 1, 0, 0, 0)");
      try (ResultSet id = s.executeQuery("SELECT MAX(id) FROM instance")) {
        id.next();
        return id.getLong(1);
      }
    }
  }
}
