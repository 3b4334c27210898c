package io.piholecheckpoint.persistence;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.piholecheckpoint.testing.CapturedOutput;
import io.piholecheckpoint.testing.Eventually;
import io.piholecheckpoint.testing.MigratedDatabase;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sqlite.SQLiteErrorCode;
import org.sqlite.SQLiteException;

/**
 * A process starting beside another that holds the SQLite file for a moment (a long write, a sqlite3 shell): its checks of
 * the schema wait that moment out instead of stopping the start (a CI run once lost a start to it).
 */
class StartBesideABusyDatabaseTest {
  @TempDir
  Path dir;

  @Test
  void theSchemaCheckWaitsOutAFileAnotherConnectionHoldsAndPassesOnceItIsLetGo() throws Exception {
    Path file = dir.resolve("checkpoint.db");
    MigratedDatabase.openAt(file).close();
    try (Database database = Database.open(file, Duration.ofMillis(500), Duration.ofSeconds(120));
         CapturedOutput log = CapturedOutput.start()) {
      CompletableFuture<Migrations.State> check;
      try (Connection holder = MigratedDatabase.connectOutside(database); Statement hold = holder.createStatement()) {
        hold.execute("PRAGMA locking_mode=EXCLUSIVE");
        hold.execute("BEGIN EXCLUSIVE");
        hold.execute("UPDATE changelog SET description = description"); // readers are shut out from the first write on

        check = CompletableFuture.supplyAsync(() -> SchemaCheck.requireCurrent(database));
        Eventually.until("the start said it waits", Duration.ofSeconds(60), () -> log.text().contains("is busy: another connection holds it"));
        assertThat(check).isNotDone();
        hold.execute("ROLLBACK");
      } // the other process lets go of the file

      assertThat(check.get(60, TimeUnit.SECONDS).pending()).isZero();
      assertThat(log.text()).contains(file.toString()).contains("DATABASE_CONNECT_WAIT_SECONDS");
    }
  }

  @Test
  void aDatabaseStillBusyAfterTheWaitIsNamedWithWhatToDo() {
    try (Database database = Database.open(dir.resolve("checkpoint.db"), Database.BUSY_WAIT, Duration.ZERO)) {
      AtomicInteger attempts = new AtomicInteger();
      assertThatThrownBy(() -> Migrations.waitingOutBusy(database, () -> {
        attempts.incrementAndGet();
        throw new IllegalStateException("could not read the changelog", new SQLiteException("database is locked", SQLiteErrorCode.SQLITE_BUSY));
      })).hasMessageContaining("stayed busy").hasMessageContaining("DATABASE_CONNECT_WAIT_SECONDS=0")
          .hasMessageContaining("a second Pi-hole Checkpoint on the same DATA_DIR");
      assertThat(attempts).hasValue(1);
    }
  }

  @Test
  void whatIsNotBusyFailsAtOnce() {
    try (Database database = Database.open(dir.resolve("checkpoint.db"), Database.BUSY_WAIT, Duration.ofSeconds(120))) {
      AtomicInteger attempts = new AtomicInteger();
      assertThatThrownBy(() -> Migrations.waitingOutBusy(database, () -> {
        attempts.incrementAndGet();
        throw new IllegalStateException("could not read the changelog", new SQLiteException("disk I/O error", SQLiteErrorCode.SQLITE_IOERR));
      })).hasMessage("could not read the changelog");
      assertThat(attempts).hasValue(1);
    }
  }
}
