package io.piholecheckpoint.persistence;

import static org.assertj.core.api.Assertions.assertThat;

import io.piholecheckpoint.core.health.DatabaseStatus;
import io.piholecheckpoint.testing.MigratedDatabase;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The health probe of a SQLite file another connection holds for reads too: there and busy, not out of reach. */
class DatabaseProbeBusyTest {
  @TempDir
  Path dir;

  @Test
  void aProbeOfTheAppWaitsTwoSeconds() {
    assertThat(DatabaseProbe.TIMEOUT).isEqualTo(Duration.ofSeconds(2));
  }

  @Test
  void aFileHeldByAnotherConnectionIsReachableAndBusy() throws Exception {
    try (Database database = MigratedDatabase.open(Dialect.SQLITE, dir);
         Connection holder = MigratedDatabase.connectOutside(database);
         Statement hold = holder.createStatement()) {
      hold.execute("PRAGMA locking_mode=EXCLUSIVE");
      hold.execute("BEGIN EXCLUSIVE");
      hold.execute("UPDATE changelog SET description = description"); // the whole file is taken at the first write

      long asked = System.nanoTime();
      // a fifth of production's 2 s (asserted above): the wait is what ends, however long it is, and the test waits no longer
      // than it (a whole second before the probe's SQLite read set no query timeout, which the driver puts in its place)
      DatabaseStatus status = new DatabaseProbe(database, Duration.ofMillis(400)).check();
      Duration waited = Duration.ofNanos(System.nanoTime() - asked);
      hold.execute("ROLLBACK");

      assertThat(waited).as("busy once the probe's wait ran out, not before").isGreaterThanOrEqualTo(Duration.ofMillis(300));
      assertThat(status.reachable()).as(status.error()).isTrue();
      assertThat(status.error()).startsWith("database busy: ").contains("held locked by another connection");
    }
  }
}
