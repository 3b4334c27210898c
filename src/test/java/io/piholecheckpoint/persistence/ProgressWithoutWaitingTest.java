package io.piholecheckpoint.persistence;

import static io.piholecheckpoint.testing.MigratedDatabase.execute;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.piholecheckpoint.core.job.DatabaseBusyException;
import io.piholecheckpoint.core.job.Job;
import io.piholecheckpoint.testing.MigratedDatabase;
import io.piholecheckpoint.testing.TestDialects;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.apache.ibatis.session.SqlSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ArgumentsSource;

/**
 * A job's progress is written on the thread that reads the archive from the Pi-hole: a write that waited out SQLite's busy
 * wait (5 s) or PostgreSQL's lock wait (30 s) while another session held the catalogue stalled the download as long, up to
 * the Pi-hole's read timeout. Progress is worth nothing late, so a write that finds the database held is refused at once,
 * as busy (the job's end still waits: {@code DatabaseOutages}), and the next one writes once the lock is let go.
 */
class ProgressWithoutWaitingTest {
  /** Far below both waits (5 s, 30 s), far above a refused statement's own time on a loaded machine. */
  private static final Duration AT_ONCE = Duration.ofMillis(2_500);

  @TempDir
  Path dir;

  @ParameterizedTest
  @ArgumentsSource(TestDialects.class)
  void aProgressWriteWhileAnotherSessionHoldsTheCatalogueIsRefusedAtOnceAndTheNextOneWrites(Dialect dialect) throws Exception {
    try (Database database = MigratedDatabase.open(dialect, dir);
         Connection holder = MigratedDatabase.connectOutside(database)) {
      MyBatisJobRepository jobs = new MyBatisJobRepository(database);
      Job job = new Job(UUID.randomUUID().toString(), Job.Kind.BACKUP, "3", Job.State.QUEUED, 0, null, List.of(), null, null,
          Instant.parse("2026-12-04T02:00:00Z"), null, "node-a");
      jobs.insert(job);
      holder.setAutoCommit(false);
      // SQLite: the file's write lock (reads pass in WAL mode); PostgreSQL: the job table, every write to it waits
      execute(holder, dialect == Dialect.SQLITE ? "UPDATE job SET bytes = bytes" : "LOCK TABLE job IN SHARE MODE");

      long start = System.nanoTime();
      Throwable refused = catchThrowable(() -> jobs.progress(job.id(), Job.State.DOWNLOADING, 32_768, 65_536L));
      Duration took = Duration.ofNanos(System.nanoTime() - start);
      holder.rollback();

      assertThat(took).as("the progress write waited for the lock").isLessThan(AT_ONCE);
      assertThat(refused).as("refused as busy, which Jobs.progress skips").isInstanceOf(DatabaseBusyException.class);
      assertThat(jobs.find(job.id()).orElseThrow().bytes()).as("nothing half-written").isZero();
      jobs.progress(job.id(), Job.State.DOWNLOADING, 65_536, 65_536L);
      assertThat(jobs.find(job.id()).orElseThrow().bytes()).as("written once the lock is let go").isEqualTo(65_536);
      jobs.finish(job.id(), Job.State.DONE, List.of(), null, null, Instant.parse("2026-12-04T02:01:00Z"), null);
      assertThat(jobs.find(job.id()).orElseThrow().finished()).as("the connection went back to the pool as it was").isTrue();
    }
  }

  /** Its commit is not fsynced (a progress is worth nothing after a crash), on a connection apart: the catalogue's fsync every commit. */
  @Test
  void aProgressCommitIsNotFsyncedOnAConnectionApartAndTheCataloguesConnectionsFsyncEveryCommit() throws Exception {
    try (Database database = MigratedDatabase.open(Dialect.SQLITE, dir)) {
      Object progressConnection;
      int during;
      try (SqlSession session = database.openSessionWithoutWaiting()) {
        progressConnection = session.getConnection().unwrap(org.sqlite.SQLiteConnection.class);
        during = synchronous(session.getConnection());
      }
      try (SqlSession session = database.sessions().openSession()) {
        // a pool of their own, kept at NORMAL: no connection is switched there and back (three PRAGMA statements a write)
        assertThat(session.getConnection().unwrap(org.sqlite.SQLiteConnection.class)).as("a connection of the catalogue's pool").isNotSameAs(progressConnection);
        assertThat(synchronous(session.getConnection())).as("the catalogue's connections: FULL, every commit fsynced").isEqualTo(2);
      }
      assertThat(during).as("NORMAL: in WAL mode, a commit without an fsync").isEqualTo(1);
    }
  }

  private static int synchronous(Connection connection) throws Exception {
    try (Statement statement = connection.createStatement(); ResultSet rows = statement.executeQuery("PRAGMA synchronous")) {
      rows.next();
      return rows.getInt(1);
    }
  }
}
