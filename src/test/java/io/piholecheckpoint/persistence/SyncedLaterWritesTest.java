package io.piholecheckpoint.persistence;

import static io.piholecheckpoint.testing.MigratedDatabase.execute;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.piholecheckpoint.core.job.Job;
import io.piholecheckpoint.testing.MigratedDatabase;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.ibatis.session.SqlSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A backup's job is opened, and a claimed backup's record deleted, with a commit SQLite does not fsync: a durable commit follows
 * each (the run's marker, the job's end), or the next start completes it, so its own fsync bought nothing (two of a manual
 * backup's eight, bench/RESULTS.md r47-overhead). Unlike a progress write, each still waits for a lock as any write does.
 */
class SyncedLaterWritesTest {
  /** Far below SQLite's busy wait (5 s): the write is still waiting then. */
  private static final long STILL_WAITING_MILLIS = 300;

  @TempDir
  Path dir;

  @Test
  void aSessionSyncedLaterCommitsWithoutAnFsyncOnAConnectionApartAndTheCataloguesConnectionsFsyncEveryCommit() throws Exception {
    try (Database database = MigratedDatabase.open(Dialect.SQLITE, dir)) {
      Object laterConnection;
      int during;
      try (SqlSession session = database.openSessionSyncedLater()) {
        laterConnection = session.getConnection().unwrap(org.sqlite.SQLiteConnection.class);
        during = synchronous(session.getConnection());
      }
      try (SqlSession session = database.sessions().openSession()) {
        // a pool of their own, kept at NORMAL: no connection is switched there and back (three PRAGMA statements a write)
        assertThat(session.getConnection().unwrap(org.sqlite.SQLiteConnection.class)).as("a connection of the catalogue's pool").isNotSameAs(laterConnection);
        assertThat(synchronous(session.getConnection())).as("the catalogue's connections: FULL, every commit fsynced").isEqualTo(2);
      }
      assertThat(during).as("NORMAL: in WAL mode, a commit without an fsync").isEqualTo(1);
    }
  }

  @Test
  void aJobOpenedWhileAnotherSessionHoldsTheCatalogueWaitsForItThenIsWritten() throws Exception {
    try (Database database = MigratedDatabase.open(Dialect.SQLITE, dir);
         Connection holder = MigratedDatabase.connectOutside(database)) {
      MyBatisJobRepository jobs = new MyBatisJobRepository(database);
      Job job = new Job(UUID.randomUUID().toString(), Job.Kind.BACKUP, "3", Job.State.QUEUED, 0, null, List.of(), null, null,
          Instant.parse("2026-12-06T05:00:00Z"), null, "node-a");
      holder.setAutoCommit(false);
      execute(holder, "UPDATE job SET bytes = bytes"); // the file's write lock

      CompletableFuture<Boolean> insert = CompletableFuture.supplyAsync(() -> jobs.insert(job));
      Throwable meanwhile = catchThrowable(() -> insert.get(STILL_WAITING_MILLIS, TimeUnit.MILLISECONDS));
      holder.rollback();

      assertThat(meanwhile).as("waiting for the lock, not refused as a progress write is").isInstanceOf(TimeoutException.class);
      assertThat(insert.get(10, TimeUnit.SECONDS)).as("written once the lock is let go").isTrue();
      assertThat(jobs.find(job.id())).as("the job, read back").isPresent();
      jobs.finish(job.id(), Job.State.DONE, List.of(), null, null, Instant.parse("2026-12-06T05:01:00Z"), null);
      assertThat(jobs.find(job.id()).orElseThrow().finished()).as("the connection went back to the pool as it was").isTrue();
    }
  }

  private static int synchronous(Connection connection) throws Exception {
    try (Statement statement = connection.createStatement(); ResultSet rows = statement.executeQuery("PRAGMA synchronous")) {
      rows.next();
      return rows.getInt(1);
    }
  }
}
