package io.piholecheckpoint.persistence;

import static org.assertj.core.api.Assertions.assertThat;

import io.piholecheckpoint.core.archive.Archive;
import io.piholecheckpoint.core.archive.ContentSummary;
import io.piholecheckpoint.core.backup.catalog.Backup;
import io.piholecheckpoint.core.gateway.PiholeVersions;
import io.piholecheckpoint.testing.TestDialects;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.ArgumentsSource;

/**
 * Domains of a type Pi-hole does not define are stored with a backup's counts (20261215020000). A backup stored
 * before has none counted, and reads as it did: its archive is not opened again at the migration.
 */
@ParameterizedClass
@ArgumentsSource(TestDialects.class)
class OtherDomainsCountMigrationTest {
  private static final PrintStream QUIET = new PrintStream(OutputStream.nullOutputStream());

  @Parameter
  Dialect dialect;
  @TempDir
  Path dir;
  private Database database;

  /** A database as the build before the count left it. */
  @BeforeEach
  void migrateUpToTheCount() {
    database = DatabaseBefore.open(dialect, dir, "20261215020000");
  }

  @AfterEach
  void close() {
    database.close();
  }

  @Test
  void aBackupStoredBeforeReadsAsItDid() throws Exception {
    long instance = insertInstance();
    try (Connection c = database.dataSource().getConnection(); Statement s = c.createStatement()) {
      s.executeUpdate(("INSERT INTO backup (instance_id, status, trigger_kind, file_name, size_bytes, sha256, content_hash, groups_count,"
          + " adlists_count, allow_exact_count, allow_regex_count, deny_exact_count, deny_regex_count, clients_count, dns_records_count,"
          + " cnames_count, changed_settings_count, started_at, finished_at)"
          + " VALUES (%d, 'SUCCESS', 'MANUAL', 'home_1.zip', 1000, 'sha', 'content', 2, 2, 1, 0, 1, 1, 1, 1, 1, 10, 1, 1)").formatted(instance));
    }

    Migrations.migrate(database, QUIET);

    Backup old = new MyBatisBackupRepository(database).findByFileName("home_1.zip").orElseThrow();
    assertThat(old.archive().summary()).isEqualTo(new ContentSummary(2, 2, 1, 0, 1, 1, 0, 1, 1, 1, 10));
    assertThat(old.archive().summary().describe()).isEqualTo("2 adlists, 3 domains, 1 client, 1 local DNS record, 1 CNAME, 2 groups");
  }

  @Test
  void aNewBackupKeepsItsDomainsOfOtherTypes() throws Exception {
    Migrations.migrate(database, QUIET);
    long instance = insertInstance();
    ContentSummary summary = new ContentSummary(2, 2, 1, 0, 1, 1, 2, 1, 1, 1, 10);
    Instant at = Instant.parse("2026-12-15T03:00:00Z");
    MyBatisBackupRepository backups = new MyBatisBackupRepository(database);

    Backup stored = backups.insert(new Backup(0, instance, Backup.Status.SUCCESS, Backup.Trigger.MANUAL,
        new Archive("home_2.zip", 1000, "sha", "content", new PiholeVersions(null, "v6.4.1", null), summary, null),
        null, null, at, at, null, false, false, false, null));

    assertThat(backups.findById(stored.id()).orElseThrow().archive().summary()).isEqualTo(summary);
  }

  private long insertInstance() throws SQLException {
    return DatabaseBefore.insertInstance(database);
  }
}
