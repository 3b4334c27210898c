package io.piholecheckpoint.core.download;

import static org.assertj.core.api.Assertions.assertThat;
import java.time.Clock;

import io.piholecheckpoint.core.backup.catalog.Backup;
import io.piholecheckpoint.core.instance.ConnectionStatus;
import io.piholecheckpoint.testing.Fixtures;
import io.piholecheckpoint.testing.MovableClock;
import io.piholecheckpoint.testing.RecordingPause;
import io.piholecheckpoint.testing.TestInstances;
import io.piholecheckpoint.testing.TestServices;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A connection test that logs in does not turn the status of an instance whose last backup failed back to ok. */
class ConnectionTesterTest {
  @TempDir
  Path backupDir;

  private final MovableClock clock = MovableClock.ticking();
  private TestServices s;
  private ConnectionTester tester;
  private long home;

  @BeforeEach
  void setUp() {
    s = new TestServices(backupDir, clock);
    ArchiveDownloader downloader = new ArchiveDownloader(s.gateway, TestServices.PASSWORD_ONLY, s.archives, DownloadPolicy.DEFAULT, new RecordingPause(), Clock.systemUTC());
    tester = new ConnectionTester(s.instances, downloader, s.catalog, clock);
    s.instances.applyEnvironment(List.of(TestInstances.aDefinition("HOME", "http://pi.hole")));
    home = s.instances.list().get(0).id();
  }

  @Test
  void aTestWithNoBackupYetSetsTheStatusToOk() {
    ConnectionTester.ConnectionTest test = tester.test(home);

    assertThat(test.ok()).isTrue();
    assertThat(test.message()).doesNotContain("last backup");
    assertThat(s.instances.find(home).status().connection()).isEqualTo(ConnectionStatus.OK);
  }

  @Test
  void aTestDoesNotHideAFailedBackup() {
    s.gateway.answer("<html>not a Pi-hole</html>".getBytes(StandardCharsets.UTF_8)); // logs in, but its export is no archive
    Backup failed = s.backups.runBackup(home, Backup.Trigger.MANUAL);
    assertThat(failed.successful()).isFalse();
    ConnectionStatus afterBackup = s.instances.find(home).status().connection();
    assertThat(afterBackup).isNotEqualTo(ConnectionStatus.OK);

    ConnectionTester.ConnectionTest test = tester.test(home);

    assertThat(test.ok()).as("it did connect").isTrue();
    assertThat(test.message()).contains("Connected to Pi-hole").contains("last backup (" + failed.id() + ") failed (" + failed.errorCode() + ")")
        .contains("status stays '" + afterBackup.name().toLowerCase(java.util.Locale.ROOT) + "'");
    assertThat(s.instances.find(home).status().connection()).as("still what the backup found").isEqualTo(afterBackup);

    s.gateway.answer(Fixtures.archiveA());
    assertThat(s.backups.runBackup(home, Backup.Trigger.MANUAL).successful()).isTrue();
    assertThat(tester.test(home).message()).doesNotContain("last backup");
    assertThat(s.instances.find(home).status().connection()).isEqualTo(ConnectionStatus.OK);
  }
}
