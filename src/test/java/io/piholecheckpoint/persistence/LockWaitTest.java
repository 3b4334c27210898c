package io.piholecheckpoint.persistence;

import static io.piholecheckpoint.testing.TestInstances.aDefinition;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.piholecheckpoint.core.backup.RunEnd;
import io.piholecheckpoint.core.backup.catalog.Backup;
import io.piholecheckpoint.core.destination.ManagedDestination;
import io.piholecheckpoint.core.job.DatabaseOutages;
import io.piholecheckpoint.core.offsite.copy.Copy;
import io.piholecheckpoint.testing.Eventually;
import io.piholecheckpoint.testing.MigratedDatabase;
import io.piholecheckpoint.testing.MovableClock;
import io.piholecheckpoint.testing.PostgresServer;
import io.piholecheckpoint.testing.TestBackups;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * PostgreSQL: another session holds a lock a write needs (a LOCK TABLE by hand, a transaction left open). The write waits
 * for it no longer than the pool's lock wait, then fails as the database busy; a run's end tries again until it is recorded.
 * A read that locks a row waits like its write, not cut at the read limit.
 */
class LockWaitTest {
  private static final Instant AT = Instant.parse("2026-12-02T03:00:00Z");
  /** Far below the 30 s of production, so the refusal comes quickly; far above any write's own time. */
  private static final Duration LOCK_WAIT = Duration.ofSeconds(2);
  /** Nothing here may take this long: on the old code the writes waited as long as the lock was held. */
  private static final Duration HANGS = Duration.ofSeconds(30);

  @TempDir
  Path dir;
  private Database migrated;
  private Database database;
  private Connection locker;

  @BeforeEach
  void open() throws SQLException {
    migrated = MigratedDatabase.open(Dialect.POSTGRESQL, dir);
    database = Database.openPostgres(migrated.describe(), PostgresServer.USER, PostgresServer.PASSWORD, Duration.ZERO, Database.ATTEMPT, LOCK_WAIT);
    locker = MigratedDatabase.connectOutside(migrated);
    locker.setAutoCommit(false);
  }

  @AfterEach
  void close() throws SQLException {
    locker.rollback();
    locker.close();
    database.close();
    migrated.close();
  }

  @Test
  void aWriteBlockedByATableLockIsRefusedAsBusyWithinTheLockWaitAndWritesNothing() throws Exception {
    MyBatisInstanceRepository instances = new MyBatisInstanceRepository(database, MovableClock.ticking());
    sql(locker, "LOCK TABLE instance IN SHARE MODE"); // reads pass, writes wait

    Instant asked = Instant.now();
    assertTimeoutPreemptively(HANGS, () -> assertThatThrownBy(() -> instances.saveDefinition(aDefinition("HOME", "http://pi.hole")))
        .satisfies(e -> assertThat(DatabaseOutages.busy(e)).as("busy: %s", e).isTrue()));
    assertThat(Duration.between(asked, Instant.now())).isGreaterThanOrEqualTo(LOCK_WAIT.minusMillis(100));
    locker.rollback();

    assertThat(instances.findByEnvPrefix("HOME")).as("nothing half-written").isEmpty();
  }

  /** A run's end must never be lost: refused for the lock, it is tried again (here the lock is let go at the first wait). */
  @Test
  void aRunsEndBlockedByATableLockIsTriedAgainUntilRecorded() throws Exception {
    MyBatisInstanceRepository instances = new MyBatisInstanceRepository(database, MovableClock.ticking());
    instances.saveDefinition(aDefinition("HOME", "http://pi.hole"));
    long home = instances.findByEnvPrefix("HOME").orElseThrow().id();
    new MyBatisRunMarkers(database).started(home, Backup.Trigger.SCHEDULED, AT);
    sql(locker, "LOCK TABLE backup IN SHARE MODE");
    List<Duration> waits = new ArrayList<>();
    DatabaseOutages outages = new DatabaseOutages(pause -> {
      waits.add(pause);
      try {
        locker.rollback();
      } catch (SQLException e) {
        throw new IllegalStateException(e);
      }
    });

    Backup written = assertTimeoutPreemptively(HANGS,
        () -> RunEnd.throughOutages(new MyBatisRunEnd(database, MovableClock.ticking()), outages).write(TestBackups.aSuccess(0, home, AT), null));

    assertThat(waits).as("refused once, then recorded").hasSize(1);
    assertThat(new MyBatisBackupRepository(database).findByInstance(home, 10)).extracting(Backup::id).containsExactly(written.id());
  }

  /**
   * A copy write holds the destination's row (FOR SHARE) and waits while another transaction holds it longer than the read
   * limit (10 s): it is written once that one lets go, within the lock wait, not failed at the read limit.
   */
  @Test
  void aReadThatLocksARowWaitsPastTheReadLimitWithinTheLockWait() throws Exception {
    try (Database patient = Database.openPostgres(migrated.describe(), PostgresServer.USER, PostgresServer.PASSWORD, Duration.ZERO,
        Database.ATTEMPT, ReadTimeout.LIMIT.multipliedBy(3))) {
      assertThat(new MyBatisDestinationRepository(patient, MovableClock.ticking()).add(new ManagedDestination("NAS", Map.of("URL", "file:///mnt/nas"))))
          .isTrue();
      MyBatisCopyRepository copies = new MyBatisCopyRepository(patient, "ENV"::equals);
      sql(locker, "SELECT name FROM offsite_destination WHERE name = 'NAS' FOR UPDATE");

      CompletableFuture<Void> write = CompletableFuture.runAsync(() -> copies.enqueue(List.of(
          Copy.queued(1, 1, "NAS", "home_1.zip", "home/home_1.zip.gpg", AT, AT))));
      Eventually.until("the copy write waits on the row's lock", Duration.ofSeconds(20), () -> write.isDone() || waitingOnLock() > 0);
      Instant waiting = Instant.now();
      // the lock is held past the read limit: the condition is the time the database counts, not a guess at the write's
      Eventually.until("the read limit has passed (or the write ended)", HANGS,
          () -> write.isDone() || Duration.between(waiting, Instant.now()).compareTo(ReadTimeout.LIMIT.plusSeconds(1)) > 0);
      locker.rollback();

      write.get(20, TimeUnit.SECONDS);
      assertThat(copies.findByBackup(1)).extracting(Copy::destination).containsExactly("NAS");
    }
  }

  private int waitingOnLock() throws SQLException {
    try (Connection c = migrated.dataSource().getConnection(); Statement s = c.createStatement();
         ResultSet r = s.executeQuery("SELECT COUNT(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND datname = current_database()")) {
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
