package io.piholecheckpoint.persistence;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.piholecheckpoint.core.health.DatabaseStatus;
import io.piholecheckpoint.core.job.DatabaseOutages;
import io.piholecheckpoint.testing.ImmutableFiles;
import io.piholecheckpoint.testing.MigratedDatabase;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Instant;
import org.apache.ibatis.session.SqlSession;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * DATA_DIR full: a write SQLite refuses with SQLITE_FULL is remembered, and the health check shows it (database.writable
 * false, saying what to do), until a write succeeds again. The refusal is the real driver's: a connection that may not grow
 * the file past its size (max_page_count), as a full disk refuses it; the write goes through the Database's own sessions.
 */
class FullDatabaseWritesTest {
  private static final String BIG = "x".repeat(64 * 1024);

  @TempDir
  Path dir;

  private Database database;

  @BeforeEach
  void open() throws Exception {
    database = MigratedDatabase.open(Dialect.SQLITE, Files.createDirectories(dir.resolve("db")));
  }

  @AfterEach
  void close() {
    database.close();
  }

  private Throwable writeOnAFullDisk() throws Exception {
    try (Connection held = DriverManager.getConnection("jdbc:sqlite:" + database.file())) {
      try (Statement s = held.createStatement()) {
        s.execute("PRAGMA max_page_count = " + pageCount(s));
      }
      held.setAutoCommit(false);
      try (SqlSession session = database.sessions().openSession(held)) {
        return catchThrowable(() -> {
          session.getMapper(SessionMapper.class).insertSecret("big", BIG, Instant.EPOCH);
          session.commit();
        });
      }
    }
  }

  private static long pageCount(Statement s) throws Exception {
    try (var rs = s.executeQuery("PRAGMA page_count")) {
      rs.next();
      return rs.getLong(1);
    }
  }

  @Test
  void aWriteRefusedForAFullDiskShowsInTheHealthCheckUntilAWriteSucceeds() throws Exception {
    assertThat(new DatabaseProbe(database).check().writable()).isTrue();

    Throwable refused = writeOnAFullDisk();

    assertThat(DatabaseOutages.unwritable(refused)).isEqualTo("the database's disk is full: free space in DATA_DIR");
    DatabaseStatus status = new DatabaseProbe(database).check();
    assertThat(status.reachable()).as("reads still pass").isTrue();
    assertThat(status.writable()).isFalse();
    assertThat(status.writeRefused()).isEqualTo("the database's disk is full: free space in DATA_DIR");

    try (SqlSession session = database.sessions().openSession(false)) {
      session.getMapper(SessionMapper.class).insertSecret("small", "s", Instant.EPOCH); // room again
      session.commit();
    }
    assertThat(new DatabaseProbe(database).check().writable()).isTrue();
  }

  @Test
  void aReadOnlySessionsCommitIsNoWriteThatClearsIt() throws Exception {
    writeOnAFullDisk();

    try (SqlSession session = database.sessions().openSession(false)) {
      session.getMapper(SessionMapper.class).findSecret("small");
      session.commit();
    }

    assertThat(new DatabaseProbe(database).check().writable()).isFalse();
  }

  private void write(String name, String value) {
    try (SqlSession session = database.sessions().openSession(false)) {
      session.getMapper(SessionMapper.class).insertSecret(name, value, Instant.EPOCH);
      session.commit();
    }
  }

  private ImmutableFiles unwritable() throws Exception {
    Path file = database.file();
    return ImmutableFiles.of(file, Path.of(file + "-wal"), Path.of(file + "-shm"));
  }

  /**
   * The file there but taking no write (a mount gone read-only, EIO; here chattr +i on the file and its -wal and -shm): as a
   * full disk, the write is refused saying what to check, and the health check says so until a write succeeds again.
   */
  @Test
  void aWriteToAFileThatTakesNoneIsRefusedSayingWhatToCheckAndTheHealthCheckSaysSoUntilAWritePasses() throws Exception {
    write("before", "s"); // the -wal and -shm exist, as in a running app
    Throwable refused;
    try (ImmutableFiles ignored = unwritable()) {
      refused = catchThrowable(() -> write("during", "s"));
      assertThat(refused).isNotNull();
      assertThat(DatabaseOutages.unwritable(refused)).startsWith("the database file cannot be written (SQLITE_")
          .contains("checkpoint.db-wal", "DATA_DIR", "read-write", "lsattr");

      DatabaseStatus status = new DatabaseProbe(database).check();
      assertThat(status.writable()).isFalse();
      assertThat(status.writeRefused()).isEqualTo(DatabaseOutages.unwritable(refused));
    }

    write("after", "s");
    assertThat(new DatabaseProbe(database).check().writable()).as("writable again once a write passes").isTrue();
  }
}
