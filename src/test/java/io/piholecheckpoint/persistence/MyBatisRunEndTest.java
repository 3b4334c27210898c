package io.piholecheckpoint.persistence;

import static io.piholecheckpoint.testing.TestInstances.aDefinition;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.piholecheckpoint.core.backup.catalog.Backup;
import io.piholecheckpoint.core.backup.runs.RunEnd;
import io.piholecheckpoint.core.backup.runs.RunMarkers;
import io.piholecheckpoint.core.job.DatabaseOutages;
import io.piholecheckpoint.core.instance.ConnectionStatus;
import io.piholecheckpoint.core.instance.PiholeInstance;
import io.piholecheckpoint.testing.Eventually;
import io.piholecheckpoint.testing.MemoryTempDir;
import io.piholecheckpoint.testing.MigratedDatabase;
import io.piholecheckpoint.testing.MovableClock;
import io.piholecheckpoint.testing.TestBackups;
import io.piholecheckpoint.testing.TestDialects;
import io.piholecheckpoint.testing.TestTimes;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.ibatis.exceptions.PersistenceException;
import org.apache.ibatis.session.SqlSession;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ArgumentsSource;
import org.junit.jupiter.params.provider.ValueSource;

/** A run's end (record, status, marker) on a real SQLite file and a real PostgreSQL database: all three or none. */
@ParameterizedClass
@ArgumentsSource(TestDialects.class)
class MyBatisRunEndTest {
  @Parameter
  Dialect dialect;

  private static final Instant AT = Instant.parse("2026-12-02T03:00:00Z");
  private static final PiholeInstance.Status REACHED = new PiholeInstance.Status(ConnectionStatus.OK, null, AT, "v6.4.1", 2);

  @TempDir(factory = MemoryTempDir.class) // each commit syncs SQLite's WAL: on a tmpfs the same call returns at once
  Path dir;

  private Database database;
  private MyBatisInstanceRepository instances;
  private MyBatisBackupRepository backups;
  private MyBatisRunMarkers markers;
  private long home;

  @BeforeEach
  void aRunInProgress() {
    database = MigratedDatabase.open(dialect, dir);
    instances = new MyBatisInstanceRepository(database, MovableClock.ticking());
    backups = new MyBatisBackupRepository(database);
    markers = new MyBatisRunMarkers(database);
    instances.saveDefinition(aDefinition("HOME", "http://pi.hole"));
    home = instances.findByEnvPrefix("HOME").orElseThrow().id();
    markers.started(home, Backup.Trigger.SCHEDULED, AT);
  }

  @AfterEach
  void close() {
    database.close();
  }

  @Test
  void writesTheRecordAndTheStatusAndEndsTheMarkerTogether() {
    Backup written = new MyBatisRunEnd(database, MovableClock.ticking()).write(TestBackups.aSuccess(0, home, AT), REACHED);

    assertThat(backups.findById(written.id())).isPresent();
    assertThat(instances.findById(home).orElseThrow().status().piholeVersion()).isEqualTo("v6.4.1");
    assertThat(markers.takeAll()).as("the run has ended").isEmpty();
  }

  /** Its node, taken for dead, finished the run after another node recorded it as interrupted: one run, one record. */
  @Test
  void replacesTheInterruptedRecordAnotherNodeWroteOfTheSameRun() {
    markers.takeAll();
    Backup interrupted = Backup.failed(home, Backup.Trigger.SCHEDULED, "interrupted", "interrupted: node a stopped during this backup", AT,
        AT.plusSeconds(60)).ranBy("a");
    // as the other node records it: under the run's key (records from before keys got theirs in a migration: RunKeyBackfillTest)
    backups.insertInterrupted(interrupted).orElseThrow();
    Backup earlier = backups.insertInterrupted(Backup.failed(home, Backup.Trigger.SCHEDULED, "interrupted", "interrupted: node a stopped",
        AT.minusSeconds(3600), AT.minusSeconds(3000)).ranBy("a")).orElseThrow();

    Backup written = new MyBatisRunEnd(database, MovableClock.ticking(), "a").write(TestBackups.aSuccess(0, home, AT), REACHED);

    assertThat(backups.findByInstance(home, 10)).extracting(Backup::id).containsExactlyInAnyOrder(written.id(), earlier.id());
  }

  /** What a run hands back (the API answers with it) is the record a read of it gives, instants in whole milliseconds as stored. */
  @ParameterizedTest
  @ValueSource(booleans = {true, false})
  void returnsTheRecordAsAReadOfItGivesIt(boolean successful) {
    Instant startedAt = AT.plusNanos(123_456_789);
    Backup record = successful ? TestBackups.aSuccess(0, home, startedAt) : TestBackups.aFailure(0, home, startedAt);
    Backup withFinish = new Backup(0, home, record.status(), record.trigger(), record.archive(), record.errorCode(), record.errorMessage(),
        startedAt, startedAt.plusNanos(987_654_321), null, false, successful, false, null);

    Backup written = new MyBatisRunEnd(database, MovableClock.ticking()).write(withFinish, REACHED);

    assertThat(written).isEqualTo(backups.findById(written.id()).orElseThrow());
    assertThat(written.finishedAt()).isEqualTo(AT.plusMillis(1_111));
  }

  @Test
  void aFailureWithoutStatusLeavesTheStatusAsItWas() {
    new MyBatisRunEnd(database, MovableClock.ticking()).write(TestBackups.aFailure(0, home, AT), null);

    assertThat(instances.findById(home).orElseThrow().status().connection()).isEqualTo(ConnectionStatus.UNKNOWN);
    assertThat(backups.findByInstance(home, 10)).hasSize(1);
    assertThat(markers.takeAll()).isEmpty();
  }

  /**
   * A crash (here: the database refusing the statement) at any of the three statements leaves none
   * of them: no record, the old status, and the marker that reports the run as interrupted.
   */
  @ParameterizedTest
  @ValueSource(strings = {"BEFORE INSERT ON backup", "BEFORE UPDATE ON instance", "BEFORE DELETE ON backup_run"})
  void aStatementThatFailsLeavesNoneOfTheThree(String when) throws SQLException {
    if (dialect == Dialect.SQLITE) {
      sql("CREATE TRIGGER crash " + when + " BEGIN SELECT RAISE(ABORT, 'crash here'); END");
    } else {
      sql("CREATE FUNCTION crash() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'crash here'; END $$");
      sql("CREATE TRIGGER crash " + when + " FOR EACH ROW EXECUTE FUNCTION crash()");
    }

    assertThatThrownBy(() -> new MyBatisRunEnd(database, MovableClock.ticking()).write(TestBackups.aSuccess(0, home, AT), REACHED))
        .hasMessageContaining("crash here");
    // the checks below read and end the marker
    sql(dialect == Dialect.SQLITE ? "DROP TRIGGER crash" : "DROP TRIGGER crash " + when.substring(when.indexOf(" ON ") + 1));

    assertThat(backups.findByInstance(home, 10)).as("no record").isEmpty();
    assertThat(instances.findById(home).orElseThrow().status().connection()).isEqualTo(ConnectionStatus.UNKNOWN);
    assertThat(markers.takeAll()).containsExactly(new RunMarkers.Marker(home, Backup.Trigger.SCHEDULED, AT));
  }

  /**
   * The end's commit went through, but the outage cut the connection before its reply: the write is tried again, and the
   * run keeps one record (the retry finds its own end there). A failure has no archive whose unique name would refuse it.
   */
  @ParameterizedTest
  @ValueSource(booleans = {true, false})
  void anEndTriedAgainAfterItsCommitsReplyWasLostLeavesOneRecord(boolean successful) {
    RunEnd real = new MyBatisRunEnd(database, MovableClock.ticking(), "a");
    AtomicInteger tries = new AtomicInteger();
    RunEnd replyLost = (record, status) -> {
      Backup written = real.write(record, status);
      if (tries.incrementAndGet() == 1) {
        throw new PersistenceException(new SQLException("An I/O error occurred while sending to the backend.", "08006"));
      }
      return written;
    };
    List<Duration> waits = new ArrayList<>();

    Backup run = successful ? TestBackups.aSuccess(0, home, AT) : TestBackups.aFailure(0, home, AT);

    Backup written = RunEnd.throughOutages(replyLost, new DatabaseOutages(waits::add), TestTimes.UTC).write(run, REACHED);

    assertThat(waits).as("tried again once").hasSize(1);
    assertThat(backups.findByInstance(home, 10)).extracting(Backup::id).containsExactly(written.id());
  }

  /**
   * Another node marks the run interrupted (its insert not committed yet) when the run's own end is written: on PostgreSQL
   * the end waits for the mark's commit and then takes its place; SQLite's write lock orders the two. One record: the end.
   */
  @Test
  void anInterruptedMarkCommittedWhileTheEndIsWrittenLeavesOnlyTheEnd() throws Exception {
    markers.takeAll();
    Backup interrupted = interruptedRecord();
    Backup written;
    try (Connection mark = database.pool().getConnection()) {
      mark.setAutoCommit(false);
      SqlSession session = database.sessions().openSession(mark);
      assertThat(session.getMapper(BackupRunMapper.class).insertInterruptedRecord(interrupted, RunKeys.of(interrupted))).isEqualTo(1);

      CompletableFuture<Backup> end = CompletableFuture.supplyAsync(
          () -> new MyBatisRunEnd(database, MovableClock.ticking(), "a").write(TestBackups.aSuccess(0, home, AT), REACHED));
      awaitWaitingOrDone(end);
      mark.commit();
      mark.setAutoCommit(true); // SQLite's driver begins the next transaction at once, and its lock would stop the end
      written = end.get(20, TimeUnit.SECONDS);
    }

    assertThat(backups.findByInstance(home, 10)).extracting(Backup::id, Backup::status)
        .containsExactly(org.assertj.core.groups.Tuple.tuple(written.id(), Backup.Status.SUCCESS));
  }

  /** The other order: the run's end is written (not committed yet) when another node's mark comes; the mark writes nothing. */
  @Test
  void anEndCommittedWhileAnInterruptedMarkIsWrittenLeavesOnlyTheEnd() throws Exception {
    markers.takeAll();
    Backup written;
    CompletableFuture<java.util.Optional<Backup>> mark;
    try (Connection end = database.pool().getConnection()) {
      end.setAutoCommit(false);
      SqlSession session = database.sessions().openSession(end);
      written = new MyBatisRunEnd(database, MovableClock.ticking(), "a").writeIn(session, TestBackups.aSuccess(0, home, AT), REACHED);

      mark = CompletableFuture.supplyAsync(() -> backups.insertInterrupted(interruptedRecord()));
      awaitWaitingOrDone(mark);
      end.commit();
      end.setAutoCommit(true);
      assertThat(mark.get(20, TimeUnit.SECONDS)).as("the mark wrote nothing").isEmpty();
    }

    assertThat(backups.findByInstance(home, 10)).extracting(Backup::id, Backup::status)
        .containsExactly(org.assertj.core.groups.Tuple.tuple(written.id(), Backup.Status.SUCCESS));
  }

  private Backup interruptedRecord() {
    return Backup.failed(home, Backup.Trigger.SCHEDULED, "interrupted", "interrupted: node a stopped during this backup", AT, AT.plusSeconds(60))
        .ranBy("a");
  }

  /** PostgreSQL: until the other transaction waits on a lock this one holds (or has finished without). SQLite orders them either way. */
  private void awaitWaitingOrDone(CompletableFuture<?> other) throws Exception {
    if (dialect == Dialect.POSTGRESQL) {
      Eventually.until("the other transaction waits on a lock, or has finished", Duration.ofSeconds(20), () -> other.isDone() || waitingOnLock() > 0);
    }
  }

  private int waitingOnLock() throws SQLException {
    try (Connection c = database.dataSource().getConnection(); Statement s = c.createStatement();
         ResultSet r = s.executeQuery("SELECT COUNT(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND datname = current_database()")) {
      r.next();
      return r.getInt(1);
    }
  }

  private void sql(String statement) throws SQLException {
    try (Connection c = database.dataSource().getConnection(); Statement s = c.createStatement()) {
      s.execute(statement);
    }
  }
}
