package io.piholecheckpoint.persistence;

import static org.assertj.core.api.Assertions.assertThat;

import io.piholecheckpoint.core.backup.catalog.Backup;
import io.piholecheckpoint.testing.TestDialects;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.ArgumentsSource;

/**
 * A safety backup has its own trigger (20261219010000): one stored before as manual becomes {@code safety} where a restore or
 * a sync run names it as its safety backup; the user's own manual backups stay manual, on either database.
 */
@ParameterizedClass
@ArgumentsSource(TestDialects.class)
class SafetyTriggerMigrationTest {
  private static final PrintStream QUIET = new PrintStream(OutputStream.nullOutputStream());

  @Parameter
  Dialect dialect;
  @TempDir
  Path dir;
  private Database database;

  @BeforeEach
  void migrateUpToTheTrigger() {
    database = DatabaseBefore.open(dialect, dir, "20261219010000");
  }

  @AfterEach
  void close() {
    database.close();
  }

  @Test
  void aManualBackupARestoreOrSyncNamesAsItsSafetyBackupBecomesSafetyAndTheUsersOwnStayManual() throws Exception {
    long instance = DatabaseBefore.insertInstance(database);
    try (Connection c = database.dataSource().getConnection(); Statement s = c.createStatement()) {
      for (String name : new String[] {"restored", "synced", "own"}) {
        s.executeUpdate(("INSERT INTO backup (instance_id, status, trigger_kind, file_name, size_bytes, sha256, content_hash, started_at,"
            + " finished_at, pinned) VALUES (%d, 'SUCCESS', 'MANUAL', '%s.zip', 1000, 'sha', 'content', 1, 1, 1)").formatted(instance, name));
      }
      s.executeUpdate(("INSERT INTO restore (backup_id, target_id, mode, state, snapshot_id, message, started_at)"
          + " SELECT id, %d, 'LISTS', 'VERIFIED', id, 'restored and verified', 2 FROM backup WHERE file_name = 'restored.zip'").formatted(instance));
      s.executeUpdate(("INSERT INTO sync_run (sync_group, primary_id, replica_id, outcome, message, snapshot_id, started_at, finished_at)"
          + " SELECT 'home', %d, %d, 'SYNCED', 'synced and verified', id, 3, 3 FROM backup WHERE file_name = 'synced.zip'")
          .formatted(instance, instance));
    }

    Migrations.migrate(database, QUIET);
    MyBatisBackupRepository backups = new MyBatisBackupRepository(database);

    assertThat(backups.findByFileName("restored.zip").orElseThrow().trigger()).isEqualTo(Backup.Trigger.SAFETY);
    assertThat(backups.findByFileName("synced.zip").orElseThrow().trigger()).isEqualTo(Backup.Trigger.SAFETY);
    assertThat(backups.findByFileName("own.zip").orElseThrow().trigger()).isEqualTo(Backup.Trigger.MANUAL);
    assertThat(backups.findByFileName("own.zip").orElseThrow().pinned()).as("the other columns are copied as they were").isTrue();
  }
}
