package io.piholecheckpoint.persistence;

import static io.piholecheckpoint.testing.TestInstances.aDefinition;
import static org.assertj.core.api.Assertions.assertThat;

import io.piholecheckpoint.core.backup.catalog.Backup;
import io.piholecheckpoint.testing.MovableClock;
import io.piholecheckpoint.testing.TestBackups;
import io.piholecheckpoint.testing.TestDialects;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.ArgumentsSource;

/**
 * Backup records written before run keys get their run's key (20261213130000), so that a run's end finds an older node's
 * interrupted record of it by the key alone, as it finds one written since: one path, no delete-then-insert beside it.
 */
@ParameterizedClass
@ArgumentsSource(TestDialects.class)
class RunKeyBackfillTest {
  private static final PrintStream QUIET = new PrintStream(OutputStream.nullOutputStream());
  private static final Instant STARTED = Instant.parse("2026-12-10T03:00:00.123Z");

  @Parameter
  Dialect dialect;
  @TempDir
  Path dir;
  private Database database;
  private long home;

  /** A database as the build before the backfill left it: every migration before it. */
  @BeforeEach
  void migrateAllButTheBackfill() {
    database = DatabaseBefore.open(dialect, dir, "20261213130000");
    MyBatisInstanceRepository instances = new MyBatisInstanceRepository(database, MovableClock.ticking());
    instances.saveDefinition(aDefinition("HOME", "http://pi.hole"));
    home = instances.findByEnvPrefix("HOME").orElseThrow().id();
  }

  @AfterEach
  void close() {
    database.close();
  }

  @Test
  void anOlderNodesInterruptedRecordIsReplacedInPlaceByItsRunsEnd() throws Exception {
    long interrupted = insertWithoutKey("FAILED", "SCHEDULED", "interrupted");

    Migrations.migrate(database, QUIET);
    Backup end = new MyBatisRunEnd(database, MovableClock.ticking()).write(TestBackups.aSuccess(0, home, STARTED), null);

    assertThat(keys()).as("one record of the run, under its key").containsExactly(Map.entry(interrupted, "backup/" + home + "/"
        + STARTED.toEpochMilli() + "/"));
    assertThat(end.id()).as("the interrupted record replaced in place, found by its key").isEqualTo(interrupted);
    assertThat(new MyBatisBackupRepository(database).findById(interrupted).orElseThrow().successful()).isTrue();
  }

  /** Two records of one run, from before keys made that one: the migration passes, the end keeps the key, an import none. */
  @Test
  void twoRecordsOfOneRunKeepOneKeyTheEndsAndAnImportGetsNone() throws Exception {
    long interrupted = insertWithoutKey("FAILED", "SCHEDULED", "interrupted");
    long ended = insertWithoutKey("FAILED", "SCHEDULED", "unreachable"); // its end: it failed
    long imported = insertWithoutKey("FAILED", "IMPORTED", "unreachable");

    Migrations.migrate(database, QUIET);

    Map<Long, String> keys = keys();
    assertThat(keys.get(ended)).isEqualTo("backup/" + home + "/" + STARTED.toEpochMilli() + "/");
    assertThat(keys.get(interrupted)).isNull();
    assertThat(keys.get(imported)).isNull();
  }

  private long insertWithoutKey(String status, String trigger, String errorCode) throws Exception {
    try (Connection c = database.dataSource().getConnection(); Statement s = c.createStatement()) {
      s.executeUpdate(("INSERT INTO backup (instance_id, status, trigger_kind, error_code, started_at, finished_at, pinned, suspicious)"
          + " VALUES (%d, '%s', '%s', %s, %d, %d, 0, 0)").formatted(home, status, trigger, errorCode == null ? "NULL" : "'" + errorCode + "'",
          STARTED.toEpochMilli(), STARTED.toEpochMilli() + 1000));
      try (ResultSet id = s.executeQuery("SELECT MAX(id) FROM backup")) {
        id.next();
        return id.getLong(1);
      }
    }
  }

  private Map<Long, String> keys() throws Exception {
    Map<Long, String> keys = new LinkedHashMap<>();
    try (Connection c = database.dataSource().getConnection(); Statement s = c.createStatement();
         ResultSet rows = s.executeQuery("SELECT id, run_key FROM backup ORDER BY id")) {
      while (rows.next()) {
        keys.put(rows.getLong(1), rows.getString(2));
      }
    }
    return keys;
  }
}
