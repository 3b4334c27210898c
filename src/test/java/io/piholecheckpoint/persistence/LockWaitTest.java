package io.piholecheckpoint.persistence;

import static io.piholecheckpoint.testing.MigratedDatabase.execute;
import static io.piholecheckpoint.testing.MigratedDatabase.waitingOnLock;
import static io.piholecheckpoint.testing.TestInstances.aDefinition;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.piholecheckpoint.core.backup.runs.RunEnd;
import io.piholecheckpoint.core.backup.catalog.Backup;
import io.piholecheckpoint.core.destination.ManagedDestination;
import io.piholecheckpoint.core.job.DatabaseOutages;
import io.piholecheckpoint.core.offsite.queue.Copy;
import io.piholecheckpoint.testing.Eventually;
import io.piholecheckpoint.testing.MigratedDatabase;
import io.piholecheckpoint.testing.MovableClock;
import io.piholecheckpoint.testing.PostgresServer;
import io.piholecheckpoint.testing.TestBackups;
import io.piholecheckpoint.testing.TestTimes;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
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
import org.junit.jupiter.api.condition.EnabledIf;

/**
 * PostgreSQL: another session holds a lock a write needs (a LOCK TABLE by hand, a transaction left open). The write waits
 * for it no longer than the pool's lock wait, then fails as the database busy; a run's end tries again until it is recorded.
 * A read that locks a row waits like its write, not cut at the read limit.
 */
@EnabledIf(value = "io.piholecheckpoint.testing.TestDialects#postgresql", disabledReason = "PostgreSQL's tests run in the integration phase")
class LockWaitTest {
  private static final Instant AT = Instant.parse("2026-12-02T03:00:00Z");
  /**
   * Far below the 30 s of production, so the refusal comes quickly. PostgreSQL's lock_timeout counts only the time a statement
   * waits on a lock, not its own work, so a loaded machine does not make a write reach it: only the locks held here do.
   */
  private static final Duration LOCK_WAIT = Duration.ofMillis(300);
  /** Nothing here may take this long: on the old code the writes waited as long as the lock was held. */
  private static final Duration HANGS = Duration.ofSeconds(30);
  /**
   * The read limit of the tests of it, the driver's shortest (whole seconds): a lock is held past it to see what it cuts and
   * what it leaves, and holding one past production's {@link ReadTimeout#LIMIT} of 10 s was most of this class's time. The
   * only plain reads under it here are the one the lock stops and one of a few rows once the lock is gone.
   */
  private static final Duration READ_LIMIT = Duration.ofSeconds(1);
  /** The lock wait that goes with it: far past the read limit, so a wait that outlives that one is not cut by this one. */
  private static final Duration PAST_THE_READ_LIMIT = Duration.ofSeconds(15);

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
    execute(locker, "LOCK TABLE instance IN SHARE MODE"); // reads pass, writes wait

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
    execute(locker, "LOCK TABLE backup IN SHARE MODE");
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
        () -> RunEnd.throughOutages(new MyBatisRunEnd(database, MovableClock.ticking()), outages, TestTimes.UTC).write(TestBackups.aSuccess(0, home, AT), null));

    assertThat(waits).as("refused once, then recorded").hasSize(1);
    assertThat(new MyBatisBackupRepository(database).findByInstance(home, 10)).extracting(Backup::id).containsExactly(written.id());
  }

  @Test
  void everyDatabaseTheAppOpensCutsAPlainReadAtTenSeconds() {
    assertThat(ReadTimeout.LIMIT).isEqualTo(Duration.ofSeconds(10));
    try (Database plain = Database.openPostgres(migrated.describe(), PostgresServer.USER, PostgresServer.PASSWORD);
         Database waiting = Database.openPostgres(migrated.describe(), PostgresServer.USER, PostgresServer.PASSWORD, Duration.ofSeconds(5));
         Database lockWait = Database.openPostgres(migrated.describe(), PostgresServer.USER, PostgresServer.PASSWORD, Duration.ZERO,
             Database.ATTEMPT, Duration.ofSeconds(2))) {
      assertThat(List.of(plain.readLimit(), waiting.readLimit(), lockWait.readLimit(), database.readLimit())).containsOnly(ReadTimeout.LIMIT);
    }
  }

  /** A read that locks nothing, stopped by a lock that stops reads, is cut at the read limit (as busy), not at the lock wait. */
  @Test
  void aPlainReadBlockedByATableLockIsCutAtTheReadLimitAsBusy() throws Exception {
    try (Database limited = patient()) {
      MyBatisInstanceRepository instances = new MyBatisInstanceRepository(limited, MovableClock.ticking());
      execute(locker, "LOCK TABLE instance IN ACCESS EXCLUSIVE MODE"); // reads wait too

      Instant asked = Instant.now();
      assertTimeoutPreemptively(HANGS, () -> assertThatThrownBy(() -> instances.findByEnvPrefix("HOME"))
          .satisfies(e -> assertThat(DatabaseOutages.busy(e)).as("busy: %s", e).isTrue()));
      assertThat(Duration.between(asked, Instant.now())).as("cut at this database's read limit, not at its lock wait nor production's 10 s")
          .isGreaterThanOrEqualTo(READ_LIMIT.minusMillis(100)).isLessThan(ReadTimeout.LIMIT);
    }
  }

  /**
   * A copy write holds the destination's row (FOR SHARE) and waits while another transaction holds it longer than the read
   * limit: it is written once that one lets go, within the lock wait, not failed at the read limit.
   */
  @Test
  void aReadThatLocksARowWaitsPastTheReadLimitWithinTheLockWait() throws Exception {
    try (Database patient = patient()) {
      assertThat(new MyBatisDestinationRepository(patient, MovableClock.ticking()).add(new ManagedDestination("NAS", Map.of("URL", "file:///mnt/nas"))))
          .isTrue();
      MyBatisCopyRepository copies = new MyBatisCopyRepository(patient, "ENV"::equals);
      execute(locker, "SELECT name FROM offsite_destination WHERE name = 'NAS' FOR UPDATE");

      CompletableFuture<Void> write = CompletableFuture.runAsync(() -> copies.enqueue(List.of(
          Copy.queued(1, 1, "NAS", "home_1.zip", "home/home_1.zip.gpg", AT, AT))));
      Eventually.until("the copy write waits on the row's lock", Duration.ofSeconds(20), () -> write.isDone() || waitingOnLock(migrated) > 0);
      Instant waiting = Instant.now();
      // the lock is held past the read limit: the condition is the time the database counts, not a guess at the write's
      Eventually.until("the read limit has passed (or the write ended)", HANGS,
          () -> write.isDone() || Duration.between(waiting, Instant.now()).compareTo(READ_LIMIT.plusMillis(500)) > 0);
      locker.rollback();

      write.get(20, TimeUnit.SECONDS);
      assertThat(copies.findByBackup(1)).extracting(Copy::destination).containsExactly("NAS");
    }
  }

  /** The same database with the tests' read limit and a lock wait far longer. */
  private Database patient() {
    return Database.openPostgres(migrated.describe(), PostgresServer.USER, PostgresServer.PASSWORD, Duration.ZERO, Database.ATTEMPT,
        PAST_THE_READ_LIMIT, READ_LIMIT);
  }
}
