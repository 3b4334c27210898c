package io.piholecheckpoint.persistence;

import static org.assertj.core.api.Assertions.assertThat;

import io.piholecheckpoint.core.backup.catalog.Backup;
import io.piholecheckpoint.testing.TestDialects;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.ArgumentsSource;

/**
 * A suspicious backup can be accepted (20261217010000): a backup stored before reads as not accepted, still suspicious,
 * and accepting it clears suspicious and sets the mark in one write, on either database.
 */
@ParameterizedClass
@ArgumentsSource(TestDialects.class)
class AcceptedMigrationTest {
  private static final PrintStream QUIET = new PrintStream(OutputStream.nullOutputStream());

  @Parameter
  Dialect dialect;
  @TempDir
  Path dir;
  private Database database;

  /** A database as the build before the mark left it. */
  @BeforeEach
  void migrateUpToTheMark() {
    database = DatabaseBefore.open(dialect, dir, "20261217010000");
  }

  @AfterEach
  void close() {
    database.close();
  }

  @Test
  void aSuspiciousBackupStoredBeforeStaysSuspiciousUntilAcceptedOnce() throws Exception {
    long instance = insertInstance();
    try (Connection c = database.dataSource().getConnection(); Statement s = c.createStatement()) {
      s.executeUpdate(("INSERT INTO backup (instance_id, status, trigger_kind, file_name, size_bytes, sha256, content_hash, groups_count,"
          + " adlists_count, allow_exact_count, allow_regex_count, deny_exact_count, deny_regex_count, clients_count, dns_records_count,"
          + " cnames_count, changed_settings_count, started_at, finished_at, suspicious)"
          + " VALUES (%d, 'SUCCESS', 'MANUAL', 'home_1.zip', 1000, 'sha', 'content', 1, 0, 0, 0, 0, 0, 0, 0, 0, 10, 1, 1, 1)").formatted(instance));
    }

    Migrations.migrate(database, QUIET);
    MyBatisBackupRepository backups = new MyBatisBackupRepository(database);
    Backup old = backups.findByFileName("home_1.zip").orElseThrow();

    assertThat(old.suspicious()).isTrue();
    assertThat(old.accepted()).isFalse();
    assertThat(backups.accept(old.id())).isTrue();
    assertThat(backups.findById(old.id()).orElseThrow()).satisfies(b -> {
      assertThat(b.suspicious()).isFalse();
      assertThat(b.accepted()).isTrue();
    });
    assertThat(backups.accept(old.id())).as("no longer suspicious: nothing to accept").isFalse();
  }

  private long insertInstance() throws SQLException {
    return DatabaseBefore.insertInstance(database);
  }
}
