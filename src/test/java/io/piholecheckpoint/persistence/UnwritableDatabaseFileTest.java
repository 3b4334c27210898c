package io.piholecheckpoint.persistence;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.piholecheckpoint.core.health.DatabaseStatus;
import io.piholecheckpoint.core.job.DatabaseOutages;
import io.piholecheckpoint.testing.ImmutableFiles;
import io.piholecheckpoint.testing.MigratedDatabase;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import org.apache.ibatis.session.SqlSession;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The SQLite file there but taking no write (a mount gone read-only, EIO; here chattr +i on the file and its -wal and -shm):
 * as a full disk, the write is refused saying what to check, and the health check says the database is not writable until a
 * write succeeds again, instead of a bare failure while /health says all is well.
 */
class UnwritableDatabaseFileTest {
  @TempDir
  Path dir;

  private Database database;

  @BeforeEach
  void open() throws Exception {
    database = MigratedDatabase.open(Dialect.SQLITE, Files.createDirectories(dir.resolve("db")));
    write("before", "s"); // the -wal and -shm exist, as in a running app
  }

  @AfterEach
  void close() {
    database.close();
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

  @Test
  void aWriteToAFileThatTakesNoneIsRefusedSayingWhatToCheckAndTheHealthCheckSaysSoUntilAWritePasses() throws Exception {
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
