package io.piholecheckpoint.core.registry;

import static org.assertj.core.api.Assertions.assertThat;
import java.time.Clock;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.piholecheckpoint.core.archive.work.ArchiveWork;
import io.piholecheckpoint.core.backup.catalog.Backup;
import io.piholecheckpoint.core.backup.catalog.BackupConflictException;
import io.piholecheckpoint.core.browse.ContentsService;
import io.piholecheckpoint.core.backup.events.Events;
import io.piholecheckpoint.core.download.ArchiveDownloader;
import io.piholecheckpoint.core.download.ConnectionTester;
import io.piholecheckpoint.core.download.DownloadPolicy;
import io.piholecheckpoint.core.instance.PiholeInstance;
import io.piholecheckpoint.core.restore.parts.RestoreMode;
import io.piholecheckpoint.core.restore.parts.RestoreParts;
import io.piholecheckpoint.teleporter.TeleporterContents;
import io.piholecheckpoint.testing.Fixtures;
import io.piholecheckpoint.testing.MovableClock;
import io.piholecheckpoint.testing.RecordingPause;
import io.piholecheckpoint.testing.RestoreGraph;
import io.piholecheckpoint.testing.TestInstances;
import io.piholecheckpoint.testing.TestServices;
import java.io.ByteArrayInputStream;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An instance removed from the environment keeps its backups, but its URL and credentials are
 * stale: nothing logs in there any more, and every way to contact it says why, as a backup does.
 */
class RemovedInstancesAreNotContactedTest {
  private static final String REMOVED = "Pi-hole 'Pi-hole HOME' was removed from the configuration; its backups stay available, but it is no longer backed up";

  @TempDir
  Path backupDir;

  private final MovableClock clock = MovableClock.ticking();
  private TestServices s;
  private ArchiveDownloader downloader;
  private long home;
  private Backup backup;
  private PiholeInstance.Status statusBefore;

  @BeforeEach
  void setUp() {
    s = new TestServices(backupDir, clock);
    downloader = new ArchiveDownloader(s.gateway, TestServices.PASSWORD_ONLY, s.archives, DownloadPolicy.DEFAULT, new RecordingPause(), Clock.systemUTC());
    s.instances.applyEnvironment(List.of(TestInstances.aDefinition("HOME", "http://pi.hole")));
    home = s.instances.list().get(0).id();
    backup = s.backups.runBackup(home, Backup.Trigger.MANUAL);
    assertThat(backup.successful()).isTrue();
    s.instances.applyEnvironment(List.of()); // restarted without PIHOLE_HOME_*
    assertThat(s.instances.find(home).removed()).isTrue();
    statusBefore = s.instances.find(home).status();
  }

  @Test
  void aBackupSaysWhy() {
    assertThatThrownBy(() -> s.backups.runBackup(home, Backup.Trigger.MANUAL)).isInstanceOf(BackupConflictException.class).hasMessage(REMOVED);
    assertNothingContacted();
  }

  @Test
  void aConnectionTestIsRefusedAndLeavesTheStatusAlone() {
    ConnectionTester tester = new ConnectionTester(s.instances, downloader, s.catalog, clock);

    assertThatThrownBy(() -> tester.test(home)).isInstanceOf(InstanceConflictException.class).hasMessage(REMOVED);
    assertThat(s.instances.find(home).status()).isEqualTo(statusBefore);
    assertNothingContacted();
  }

  @Test
  void aDiffAgainstTheLiveStateIsRefused() {
    ContentsService contents = new ContentsService(s.backupRepository, s.instances, downloader, s.archives, new TeleporterContents(Clock.systemUTC()), clock,
        ArchiveWork.unbounded());

    assertThatThrownBy(() -> contents.diffAgainstLive(backup.id(), home)).isInstanceOf(InstanceConflictException.class).hasMessage(REMOVED);
    assertNothingContacted();
  }

  @Test
  void aRestoreToItAndItsDryRunAreRefused() {
    RestoreGraph restores = RestoreGraph.of(s.backups.safeChanges(), s.catalog, s.instances, downloader, s.archives,
        new TeleporterContents(Clock.systemUTC()), null, clock, Events.NONE, ArchiveWork.unbounded());

    assertThatThrownBy(() -> restores.previews().preview(backup.id(), home, RestoreMode.EXACT, RestoreParts.of(RestoreMode.EXACT, null)))
        .isInstanceOf(InstanceConflictException.class).hasMessage(REMOVED);
    assertThatThrownBy(() -> restores.admission().begin(backup.id(), home, RestoreMode.EXACT)) // before any record: the repository here is null
        .isInstanceOf(InstanceConflictException.class).hasMessage(REMOVED);
    assertNothingContacted();
  }

  @Test
  void anUploadIntoItsHistoryIsRefused() {
    assertThatThrownBy(() -> s.backups.importArchive(home, new ByteArrayInputStream(Fixtures.archiveA())))
        .isInstanceOf(InstanceConflictException.class).hasMessage(REMOVED);
    assertThat(s.backupRepository.findByInstance(home, 10)).containsExactly(backup);
  }

  private void assertNothingContacted() {
    assertThat(s.gateway.logins()).as("only the backup before the removal logged in").isEqualTo(1);
  }
}
