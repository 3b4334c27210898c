package io.piholecheckpoint.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.piholecheckpoint.testing.Eventually;
import io.piholecheckpoint.testing.RunningApp;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A server started while another process holds the SQLite file's write lock (a sqlite3 shell after BEGIN IMMEDIATE): its
 * schema check reads and passes, and its own writes then wait the holder out for DATABASE_CONNECT_WAIT_SECONDS, saying so,
 * instead of stopping the start after the 5 s busy wait (an outsider's start stopped at "a write refused at FILE_LOCKED").
 */
class StartBesideAWriterIT {
  @TempDir
  Path dir;

  @Test
  void theStartWaitsForAnotherProcessesWriteLockAndStartsOnceItIsLetGo() throws Exception {
    Path data = dir.resolve("data");
    Path backups = dir.resolve("backups");
    assertThat(RunningApp.runToExit("migrate", data, backups, Map.of()).code()).isZero();
    StringBuffer said = new StringBuffer();
    CompletableFuture<RunningApp> starting;
    try (Connection other = DriverManager.getConnection("jdbc:sqlite:" + data.resolve("checkpoint.db")); Statement hold = other.createStatement()) {
      hold.execute("BEGIN IMMEDIATE");
      starting = CompletableFuture.supplyAsync(() -> {
        try {
          return RunningApp.startWith("serve", data, backups, Map.of(), line -> said.append(line).append('\n'));
        } catch (Exception e) {
          throw new CompletionException(e);
        }
      });
      Eventually.until("the start said it waits for the database", Duration.ofSeconds(60),
          () -> said.indexOf("is busy: another connection holds it") >= 0 || starting.isDone());
      assertThat(starting).as(said.toString()).isNotDone();
      hold.execute("ROLLBACK");
    } // the other process lets go of the file

    try (RunningApp app = starting.get(90, TimeUnit.SECONDS)) {
      assertThat(app.get("/health").statusCode()).isEqualTo(200);
      assertThat(app.output()).contains("DATABASE_CONNECT_WAIT_SECONDS").doesNotContain("FILE_LOCKED");
    }
  }
}
