package io.piholecheckpoint.persistence;

import static org.assertj.core.api.Assertions.assertThat;

import io.piholecheckpoint.core.health.DatabaseStatus;
import io.piholecheckpoint.testing.MigratedDatabase;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The health probe of a SQLite file another connection holds for reads too: there and busy, not out of reach. */
class DatabaseProbeBusyTest {
  @TempDir
  Path dir;

  @Test
  void aFileHeldByAnotherConnectionIsReachableAndBusy() throws Exception {
    try (Database database = MigratedDatabase.open(Dialect.SQLITE, dir);
         Connection holder = MigratedDatabase.connectOutside(database);
         Statement hold = holder.createStatement()) {
      hold.execute("PRAGMA locking_mode=EXCLUSIVE");
      hold.execute("BEGIN EXCLUSIVE");
      hold.execute("UPDATE changelog SET description = description"); // the whole file is taken at the first write

      DatabaseStatus status = new DatabaseProbe(database).check();
      hold.execute("ROLLBACK");

      assertThat(status.reachable()).as(status.error()).isTrue();
      assertThat(status.error()).startsWith("database busy: ").contains("held locked by another connection");
    }
  }
}
