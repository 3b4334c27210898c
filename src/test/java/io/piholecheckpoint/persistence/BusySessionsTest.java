package io.piholecheckpoint.persistence;

import static io.piholecheckpoint.testing.TestInstances.aDefinition;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.piholecheckpoint.core.job.DatabaseBusyException;
import io.piholecheckpoint.core.job.DatabaseBusyException.Access;
import io.piholecheckpoint.core.job.DatabaseBusyException.Limit;
import io.piholecheckpoint.core.job.DatabaseTrouble;
import io.piholecheckpoint.testing.MigratedDatabase;
import io.piholecheckpoint.testing.MovableClock;
import io.piholecheckpoint.testing.PostgresServer;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A statement refused for waiting on another session leaves the persistence adapter typed: the core's
 * {@link DatabaseBusyException}, saying whether it read or wrote and what cut its wait, found on real databases held by a
 * second connection — SQLite's file, PostgreSQL's table locks.
 */
class BusySessionsTest {
  /**
   * SQLite's wait for the file (and the pool's for a connection) in the tests that hold them, a 25th of production's
   * {@link Database#BUSY_WAIT}: the refusal comes after it, however long it is, and the three waits were this class's time
   * (0.5 s each in r50's base: 1.5 s of the unit phase for nothing but waiting).
   */
  private static final Duration BUSY_WAIT = Duration.ofMillis(200);
  /**
   * PostgreSQL's lock wait in the test that holds a table, a hundredth of production's {@link Database#LOCK_WAIT}: both refusals
   * come after it. lock_timeout counts only the time spent waiting on a lock, so a loaded machine does not make a statement
   * reach it.
   */
  private static final Duration PG_LOCK_WAIT = Duration.ofMillis(300);

  @TempDir
  Path dir;

  @Test
  void everyDatabaseTheAppOpensWaitsFiveSecondsForTheFileOnEachOfItsConnections(@TempDir Path other) throws Exception {
    assertThat(Database.BUSY_WAIT).isEqualTo(Duration.ofSeconds(5));
    try (Database database = Database.open(dir.resolve("checkpoint.db"));
         Database held = MigratedDatabase.openWaitingAtMost(Dialect.SQLITE, other, BUSY_WAIT)) {
      assertThat(busyTimeout(database.dataSource())).isEqualTo(5000);
      assertThat(busyTimeout(database.pool())).isEqualTo(5000);
      assertThat(busyTimeout(held.dataSource())).isEqualTo(200);
      assertThat(busyTimeout(held.pool())).isEqualTo(200);
    }
  }

  @Test
  void aSqliteWriteWhileAnotherConnectionHoldsTheFileIsABusyWriteAndWritesNothing() throws Exception {
    try (Database database = MigratedDatabase.openWaitingAtMost(Dialect.SQLITE, dir, BUSY_WAIT);
         Connection holder = MigratedDatabase.connectOutside(database)) {
      MyBatisInstanceRepository instances = new MyBatisInstanceRepository(database, MovableClock.ticking());
      sql(holder, "BEGIN EXCLUSIVE");

      long asked = System.nanoTime();
      Throwable refused = catchThrowable(() -> instances.saveDefinition(aDefinition("HOME", "http://pi.hole")));
      Duration waited = Duration.ofNanos(System.nanoTime() - asked);
      sql(holder, "ROLLBACK");

      assertThat(waited).as("refused once the busy wait ran out, not at once").isGreaterThanOrEqualTo(BUSY_WAIT.minusMillis(100));
      assertThat(refused).isInstanceOf(DatabaseBusyException.class);
      assertThat(((DatabaseBusyException) refused).access()).isEqualTo(Access.WRITE);
      assertThat(((DatabaseBusyException) refused).limit()).isEqualTo(Limit.FILE_LOCKED);
      assertThat(DatabaseTrouble.code(refused)).as("a run it fails ends database_busy").hasValue(DatabaseTrouble.BUSY);
      assertThat(instances.findByEnvPrefix("HOME")).as("nothing half-written").isEmpty();
    }
  }

  /**
   * Outsider round 48 (F9): with 1,000 instances at start, a scheduled backup's first write waited out the pool's 10 s for a
   * connection and was dropped to its next time (a day later), with MyBatis's text in the log. Every connection in use is the
   * database busy: a run it fails is database_busy, which is tried again after DATABASE_RETRY_SECONDS.
   */
  @Test
  void aWriteThatFindsEveryPooledConnectionInUseIsABusyWriteNotAnUnexpectedFailure() throws Exception {
    try (Database database = MigratedDatabase.openWaitingAtMost(Dialect.SQLITE, dir, BUSY_WAIT)) {
      MyBatisInstanceRepository instances = new MyBatisInstanceRepository(database, MovableClock.ticking());
      org.apache.commons.dbcp2.BasicDataSource pool = (org.apache.commons.dbcp2.BasicDataSource) database.pool();
      pool.setMaxWait(BUSY_WAIT); // production's 10 s, shortened: what matters is how the refusal is typed
      java.util.List<Connection> held = new java.util.ArrayList<>();
      Throwable refused;
      try {
        while (held.size() < pool.getMaxTotal()) {
          held.add(pool.getConnection());
        }
        refused = catchThrowable(() -> instances.saveDefinition(aDefinition("HOME", "http://pi.hole")));
      } finally {
        for (Connection c : held) {
          c.close();
        }
      }

      assertThat(refused).isInstanceOf(DatabaseBusyException.class);
      assertThat(((DatabaseBusyException) refused).limit()).isEqualTo(Limit.POOL_WAIT);
      assertThat(DatabaseTrouble.code(refused)).as("a run it fails ends database_busy, and is tried again").hasValue(DatabaseTrouble.BUSY);
      assertThat(DatabaseTrouble.describe(refused)).hasValueSatisfying(d -> assertThat(d)
          .contains("every connection of this process was in use").doesNotContain("###").doesNotContain("Mapper"));
      assertThat(instances.findByEnvPrefix("HOME")).as("nothing half-written").isEmpty();
    }
  }

  @Test
  void aSqliteReadWhileAnotherConnectionHoldsTheWholeFileIsABusyRead() throws Exception {
    try (Database database = MigratedDatabase.openWaitingAtMost(Dialect.SQLITE, dir, BUSY_WAIT);
         Connection holder = MigratedDatabase.connectOutside(database)) {
      MyBatisInstanceRepository instances = new MyBatisInstanceRepository(database, MovableClock.ticking());
      sql(holder, "PRAGMA locking_mode=EXCLUSIVE");
      sql(holder, "BEGIN EXCLUSIVE");
      sql(holder, "UPDATE changelog SET description = description");

      Throwable refused = catchThrowable(instances::findAll);
      sql(holder, "ROLLBACK");

      assertThat(refused).isInstanceOf(DatabaseBusyException.class);
      assertThat(((DatabaseBusyException) refused).access()).isEqualTo(Access.READ);
      assertThat(((DatabaseBusyException) refused).limit()).isEqualTo(Limit.FILE_LOCKED);
    }
  }

  /** Read or write by the statement MyBatis ran, whatever wording it wraps the driver's refusal in. */
  @Test
  void aPostgresReadAndWriteRefusedAtTheLockWaitSayWhichTheyWere() throws Exception {
    try (Database migrated = MigratedDatabase.open(Dialect.POSTGRESQL, dir);
         Database database = Database.openPostgres(migrated.describe(), PostgresServer.USER, PostgresServer.PASSWORD, Duration.ZERO,
             Database.ATTEMPT, PG_LOCK_WAIT);
         Connection locker = MigratedDatabase.connectOutside(migrated)) {
      MyBatisInstanceRepository instances = new MyBatisInstanceRepository(database, MovableClock.ticking());
      locker.setAutoCommit(false);
      sql(locker, "LOCK TABLE instance IN ACCESS EXCLUSIVE MODE"); // reads wait too

      Throwable read = catchThrowable(instances::findAll);
      Throwable write = catchThrowable(() -> instances.saveDefinition(aDefinition("HOME", "http://pi.hole")));
      locker.rollback();

      assertThat(read).isInstanceOfSatisfying(DatabaseBusyException.class, busy -> {
        assertThat(busy.access()).isEqualTo(Access.READ);
        assertThat(busy.limit()).isEqualTo(Limit.LOCK_WAIT);
      });
      assertThat(write).isInstanceOfSatisfying(DatabaseBusyException.class, busy -> {
        assertThat(busy.access()).isEqualTo(Access.WRITE);
        assertThat(busy.limit()).isEqualTo(Limit.LOCK_WAIT);
      });
    }
  }

  @Test
  void aFailureThatIsNotBusyLeavesAsItWas(@TempDir Path other) throws Exception {
    try (Database database = MigratedDatabase.open(Dialect.SQLITE, other)) {
      MyBatisInstanceRepository instances = new MyBatisInstanceRepository(database, MovableClock.ticking());
      try (Connection outside = MigratedDatabase.connectOutside(database)) {
        sql(outside, "DROP TABLE setting_change");
      }

      Throwable failed = catchThrowable(() -> instances.insert(aDefinition("HOME", "http://pi.hole"),
          new io.piholecheckpoint.core.instance.InstanceRepository.SealedSecrets(null, null)));

      assertThat(failed).isNotNull().isNotInstanceOf(DatabaseBusyException.class);
      assertThat(DatabaseBusyException.in(failed)).isEmpty();
    }
  }

  private static int busyTimeout(javax.sql.DataSource source) throws SQLException {
    try (Connection c = source.getConnection(); Statement s = c.createStatement(); java.sql.ResultSet r = s.executeQuery("PRAGMA busy_timeout")) {
      r.next();
      return r.getInt(1);
    }
  }

  private static void sql(Connection c, String statement) throws SQLException {
    try (Statement s = c.createStatement()) {
      s.execute(statement);
    }
  }
}
