package io.piholecheckpoint.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import io.piholecheckpoint.testing.ImmutableFiles;
import org.apache.ibatis.exceptions.PersistenceException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * DATA_DIR full: the SQLite file cannot grow and every write fails with SQLITE_FULL. That is storage_error (503) saying where
 * to free space, as a full BACKUP_DIR is, not internal_error (500). The failure is the real driver's: a file held to its size
 * by max_page_count, which SQLite refuses to grow exactly as it does on a full disk.
 */
class FullDatabaseDiskTest {
  @TempDir
  Path dir;

  private SQLException fullWrite() throws SQLException {
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("checkpoint.db")); Statement s = c.createStatement()) {
      s.execute("CREATE TABLE t (v TEXT)");
      s.execute("PRAGMA max_page_count = 2");
      return catchThrowableOfType(SQLException.class, () -> s.execute("INSERT INTO t SELECT hex(randomblob(4096))"));
    }
  }

  @Test
  void aWriteSqliteRefusesForWantOfRoomIsAStorageErrorSayingToFreeSpaceInDataDir() throws SQLException {
    SQLException full = fullWrite();
    assertThat(full.getMessage()).contains("SQLITE_FULL");

    // as MyBatis hands it on from a mapper's insert
    HttpErrors.Answer answer = HttpErrors.of(new PersistenceException("### Error updating database. Cause: " + full, full)).orElseThrow();

    assertThat(answer.status()).isEqualTo(503);
    assertThat(answer.code()).isEqualTo("storage_error");
    assertThat(answer.message()).isEqualTo("the database's disk is full: free space in DATA_DIR");
    assertThat(answer.pageMessage()).startsWith("the database's disk is full: free space in DATA_DIR. Nothing was written");
  }

  @Test
  void aWriteToAFileThatTakesNoneIsAStorageErrorSayingWhatToCheckNotABare500() throws Exception {
    Path file = dir.resolve("checkpoint.db");
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file); Statement s = c.createStatement()) {
      s.execute("PRAGMA journal_mode = WAL");
      s.execute("CREATE TABLE t (v TEXT)");
      s.execute("INSERT INTO t VALUES ('before')");
      SQLException refused;
      // not the -shm: SQLite maps it, and this connection growing it under an immutable file ends in SIGBUS, not an error
      try (ImmutableFiles ignored = ImmutableFiles.of(file, Path.of(file + "-wal"))) {
        refused = catchThrowableOfType(SQLException.class, () -> s.execute("INSERT INTO t VALUES ('x')"));
      }

      HttpErrors.Answer answer = HttpErrors.of(new PersistenceException("### Error updating database. Cause: " + refused, refused))
          .orElseThrow();

      assertThat(answer.status()).isEqualTo(503);
      assertThat(answer.code()).isEqualTo("storage_error");
      assertThat(answer.message()).startsWith("the database file cannot be written (SQLITE_").contains("DATA_DIR").doesNotContain("\tat ");
      assertThat(answer.title()).isEqualTo("The database cannot be written");
    }
  }

  @Test
  void postgresqlRefusingWritesIsOneSayingToPointDatabaseUrlAtThePrimary() {
    SQLException readOnly = new SQLException("ERROR: cannot execute INSERT in a read-only transaction", "25006");

    assertThat(HttpErrors.of(new PersistenceException(readOnly))).hasValueSatisfying(a -> {
      assertThat(a.status()).isEqualTo(503);
      assertThat(a.code()).isEqualTo("storage_error");
      assertThat(a.message()).contains("DATABASE_URL at the primary");
    });
  }

  @Test
  void postgresqlsDiskFullIsOneToo() {
    SQLException full = new SQLException("ERROR: could not extend file \"base/16384/16385\": No space left on device", "53100");

    assertThat(HttpErrors.of(new PersistenceException(full))).hasValueSatisfying(a -> {
      assertThat(a.status()).isEqualTo(503);
      assertThat(a.message()).isEqualTo("the database server's disk is full: free space on the PostgreSQL server");
    });
  }
}
