package io.piholecheckpoint.core.backup;

import io.piholecheckpoint.testing.BackupGraph;
import static org.assertj.core.api.Assertions.assertThat;
import java.time.Clock;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.piholecheckpoint.core.archive.ArchiveStore;
import io.piholecheckpoint.core.backup.catalog.Backup;
import io.piholecheckpoint.core.backup.catalog.BackupCatalog;
import io.piholecheckpoint.core.backup.catalog.BackupConflictException;
import io.piholecheckpoint.core.backup.events.Events;
import io.piholecheckpoint.core.backup.runs.InterruptedRuns;
import io.piholecheckpoint.core.backup.runs.RunMarkers;
import io.piholecheckpoint.core.download.ArchiveDownloader;
import io.piholecheckpoint.core.download.DownloadPolicy;
import io.piholecheckpoint.core.instance.ConnectionStatus;
import io.piholecheckpoint.core.instance.PiholeInstance;
import io.piholecheckpoint.core.registry.InstanceService;
import io.piholecheckpoint.core.retention.RetentionService;
import io.piholecheckpoint.core.schedule.LocalTimeText;
import io.piholecheckpoint.persistence.Database;
import io.piholecheckpoint.persistence.MyBatisBackupRepository;
import io.piholecheckpoint.persistence.MyBatisInstanceRepository;
import io.piholecheckpoint.persistence.MyBatisRunMarkers;
import io.piholecheckpoint.storage.LocalArchiveStore;
import io.piholecheckpoint.teleporter.TeleporterContents;
import io.piholecheckpoint.teleporter.TeleporterInspector;
import io.piholecheckpoint.core.instance.InstanceDefinition;
import io.piholecheckpoint.core.instance.RetentionPolicy;
import io.piholecheckpoint.core.instance.TlsTrust;
import io.piholecheckpoint.core.schedule.Schedule;
import io.piholecheckpoint.testing.CapturedOutput;
import io.piholecheckpoint.testing.Fixtures;
import io.piholecheckpoint.testing.MigratedDatabase;
import io.piholecheckpoint.testing.MovableClock;
import io.piholecheckpoint.testing.RecordingPause;
import io.piholecheckpoint.testing.ScriptedGateway;
import io.piholecheckpoint.testing.TestInstances;
import io.piholecheckpoint.testing.TestServices;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Outsider round 34 (L4): the safety backup a restore takes, cut off by a stop of the process, was recorded as a failed manual
 * backup and turned the instance's status to error, as if its Pi-hole had failed. On a real SQLite file: the run's marker says
 * it is a safety backup, and the next start records it as what it was and leaves the instance's status alone. Round 37: the log
 * says what the record says, and calls a safety backup one.
 */
class InterruptedSafetyBackupTest {
  @TempDir
  Path dir;

  private final MovableClock clock = new MovableClock(Instant.parse("2026-12-05T09:00:00Z"));
  /** TIME_ZONE: not UTC, so that a record's time in it cannot pass for the instant's UTC text. */
  private final LocalTimeText berlin = new LocalTimeText(java.time.ZoneId.of("Europe/Berlin"));
  private final ScriptedGateway gateway = new ScriptedGateway();
  private Database database;
  private InstanceService instances;
  private MyBatisBackupRepository backups;
  private BackupGraph service;
  private long home;

  @BeforeEach
  void anInstanceLastSeenWell() throws Exception {
    database = MigratedDatabase.openAt(dir.resolve("checkpoint.db"));
    MyBatisInstanceRepository instanceRepository = new MyBatisInstanceRepository(database, clock);
    instances = TestInstances.service(instanceRepository);
    backups = new MyBatisBackupRepository(database);
    ArchiveStore archives = new LocalArchiveStore(Files.createDirectories(dir.resolve("backups")), new TeleporterInspector(),
        ArchiveStore.FreeSpace.OF_FILE_STORE);
    service = BackupGraph.of(new BackupCatalog(instances, backups, archives), instances, backups,
        new ArchiveDownloader(gateway, TestServices.PASSWORD_ONLY, archives, DownloadPolicy.DEFAULT, new RecordingPause(), Clock.systemUTC()), archives,
        new TeleporterContents(Clock.systemUTC()), new RetentionService(backups, archives, ZoneOffset.UTC, 7, Events.NONE), clock, Events.NONE, berlin,
        new MyBatisRunMarkers(database));
    instances.applyEnvironment(List.of(TestInstances.aDefinition("HOME", "http://pi.hole")));
    home = instances.list().get(0).id();
    instances.recordStatus(home, new PiholeInstance.Status(ConnectionStatus.OK, null, clock.instant(), "v6.4.1", 1));
  }

  @AfterEach
  void close() {
    database.close();
  }

  @Test
  void aSafetyBackupCutOffByAStopIsRecordedAsOneAndLeavesTheInstancesStatusAlone() throws Exception {
    gateway.answer(Fixtures.archiveA());
    gateway.closeGate();
    CompletableFuture<Backup> safety = CompletableFuture.supplyAsync(() -> service.runSafetyBackup(home));
    assertThat(gateway.awaitExportStarted()).isTrue();

    // the next start, as after a kill: what the run left on disk is all there is
    List<RunMarkers.Marker> left = new MyBatisRunMarkers(database).takeAll();
    assertThat(left).singleElement().satisfies(m -> assertThat(m.safety()).as("the marker says what the run is").isTrue());
    Backup recorded = service.recordInterrupted(left.get(0), times -> "interrupted: the process stopped during this backup").orElseThrow();

    assertThat(recorded.errorCode()).isEqualTo(InterruptedRuns.INTERRUPTED);
    assertThat(recorded.errorMessage()).startsWith("interrupted safety backup:").contains("changed nothing on the Pi-hole",
        "start the restore or sync again");
    PiholeInstance after = instances.find(home);
    assertThat(after.status().connection()).as("the process stopped, not the Pi-hole").isEqualTo(ConnectionStatus.OK);
    assertThat(after.state()).isEqualTo("ok");

    gateway.openGate();
    safety.handle((backup, failure) -> backup).get(30, TimeUnit.SECONDS); // the first process's run, let go: its outcome is not the point
  }

  @Test
  void anyOtherRunCutOffByAStopStillMarksTheInstance() throws Exception {
    gateway.answer(Fixtures.archiveA());
    gateway.closeGate();
    CompletableFuture<Backup> manual = CompletableFuture.supplyAsync(() -> service.runBackup(home, Backup.Trigger.MANUAL));
    assertThat(gateway.awaitExportStarted()).isTrue();

    List<RunMarkers.Marker> left = new MyBatisRunMarkers(database).takeAll();
    assertThat(left).singleElement().satisfies(m -> assertThat(m.safety()).isFalse());
    Backup recorded = service.recordInterrupted(left.get(0), times -> "interrupted: the process stopped during this backup").orElseThrow();

    assertThat(recorded.errorMessage()).isEqualTo("interrupted: the process stopped during this backup");
    assertThat(instances.find(home).status().connection()).isEqualTo(ConnectionStatus.ERROR);

    gateway.openGate();
    manual.handle((backup, failure) -> backup).get(30, TimeUnit.SECONDS);
  }

  @Test
  void theLogSaysOfAnInterruptedSafetyBackupWhatItsRecordSays() throws Exception {
    gateway.answer(Fixtures.archiveA());
    gateway.closeGate();
    CompletableFuture<Backup> safety = CompletableFuture.supplyAsync(() -> service.runSafetyBackup(home));
    assertThat(gateway.awaitExportStarted()).isTrue();
    List<RunMarkers.Marker> left = new MyBatisRunMarkers(database).takeAll();

    try (CapturedOutput output = CapturedOutput.start()) {
      Backup recorded = service.recordInterrupted(left.get(0), times -> "interrupted: the process stopped during this backup — e.g. out of memory;"
          + " the next try is at the scheduled time").orElseThrow();

      // the record's words, but for the zone each time names in the log (whose own stamp is UTC)
      Instant started = left.get(0).startedAt();
      assertThat(recorded.errorMessage()).contains("(started " + berlin.of(started) + ")").doesNotContain("+01:00")
          .doesNotContainPattern(BackupServiceTest.ISO_INSTANT);
      assertThat(output.text()).contains("Backup of Pi-hole '" + instances.find(home).name() + "': "
              + recorded.errorMessage().replace(berlin.of(started), berlin.of(started) + " +01:00"))
          .contains("interrupted safety backup:").doesNotContain("out of memory").doesNotContain("the next try is at the scheduled time");
    }

    gateway.openGate();
    safety.handle((backup, failure) -> backup).get(30, TimeUnit.SECONDS);
  }

  /** The refusal is read in the API's answer and on the page, whose times are TIME_ZONE's: so is when the run started. */
  @Test
  void aDeletionRefusedForTheOtherProcessesRunSaysWhenItStartedInTimeZone() {
    io.piholecheckpoint.core.settings.InstanceForm b = io.piholecheckpoint.core.settings.InstanceForm.blank();
    long lab = instances.create(new io.piholecheckpoint.core.settings.InstanceForm("Lab", "http://lab.lan", "labpass", null, b.tlsMode(),
        b.caPem(), b.fingerprint(), b.timeoutSeconds(), "daily", "05:30", b.day(), b.cron(), b.maxBackups(), b.maxAgeDays(), b.keepDaily(),
        b.keepWeekly(), b.keepMonthly(), false, true)).id();
    new MyBatisRunMarkers(database).started(lab, Backup.Trigger.SCHEDULED, Instant.parse("2026-12-04T03:00:00Z"));

    assertThatThrownBy(() -> service.deleteInstance(lab, false)).isInstanceOf(BackupConflictException.class)
        .hasMessageContaining("runs the schedules (started 2026-12-04 04:00:00)")
        .satisfies(e -> assertThat(e.getMessage()).doesNotContainPattern(BackupServiceTest.ISO_INSTANT));
  }

  @Test
  void aSafetyBackupIsLoggedAsOne() {
    gateway.answer(Fixtures.archiveA());

    try (CapturedOutput output = CapturedOutput.start()) {
      service.runSafetyBackup(home);

      assertThat(output.text()).contains("Backed up Pi-hole 'Pi-hole HOME' (safety backup): ").doesNotContain("(manual)");
    }
  }

  @Test
  void aBackupOfAPiholeRenamedWhileItRanIsLoggedByBothNames() throws Exception {
    gateway.answer(Fixtures.archiveA());
    gateway.closeGate();
    try (CapturedOutput output = CapturedOutput.start()) {
      CompletableFuture<Backup> manual = CompletableFuture.supplyAsync(() -> service.runBackup(home, Backup.Trigger.MANUAL));
      assertThat(gateway.awaitExportStarted()).isTrue();

      instances.applyEnvironment(List.of(new InstanceDefinition("HOME", "Pi-hole HOME renamed", "http://pi.hole", TlsTrust.SYSTEM, null,
          Schedule.DEFAULT, RetentionPolicy.DEFAULT, false, true)));
      gateway.openGate();
      manual.get(30, TimeUnit.SECONDS);

      assertThat(output.text()).contains("Backed up Pi-hole 'Pi-hole HOME renamed' (was 'Pi-hole HOME') (manual): ");
    }
  }
}
