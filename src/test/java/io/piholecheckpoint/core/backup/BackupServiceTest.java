package io.piholecheckpoint.core.backup;

import io.piholecheckpoint.testing.BackupGraph;
import static org.assertj.core.api.Assertions.assertThat;
import java.time.Clock;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.piholecheckpoint.core.archive.ArchiveCipher;
import io.piholecheckpoint.core.archive.ArchiveStore;
import io.piholecheckpoint.core.archive.scratch.ScratchDirectory;
import io.piholecheckpoint.core.backup.catalog.Backup;
import io.piholecheckpoint.core.backup.catalog.BackupCatalog;
import io.piholecheckpoint.core.backup.catalog.BackupConflictException;
import io.piholecheckpoint.core.backup.catalog.BackupHistory;
import io.piholecheckpoint.core.backup.events.Events;
import io.piholecheckpoint.core.backup.runs.RunEnd;
import io.piholecheckpoint.core.backup.runs.RunTrail;
import io.piholecheckpoint.core.backup.runs.InterruptedRuns;
import io.piholecheckpoint.core.backup.runs.RunMarkers;
import io.piholecheckpoint.core.download.ArchiveDownloader;
import io.piholecheckpoint.core.download.DownloadPolicy;
import io.piholecheckpoint.core.gateway.PiholeException;
import io.piholecheckpoint.core.gateway.PiholeVersions;
import io.piholecheckpoint.core.instance.ConnectionStatus;
import io.piholecheckpoint.core.instance.InstanceDefinition;
import io.piholecheckpoint.core.instance.RetentionPolicy;
import io.piholecheckpoint.core.instance.TlsTrust;
import io.piholecheckpoint.core.registry.InstanceService;
import io.piholecheckpoint.core.retention.RetentionService;
import io.piholecheckpoint.core.schedule.LocalTimeText;
import io.piholecheckpoint.core.schedule.Schedule;
import io.piholecheckpoint.storage.LocalArchiveStore;
import io.piholecheckpoint.teleporter.TeleporterContents;
import io.piholecheckpoint.teleporter.TeleporterInspector;
import io.piholecheckpoint.testing.CapturedOutput;
import io.piholecheckpoint.testing.Fixtures;
import io.piholecheckpoint.testing.InMemoryBackupRepository;
import io.piholecheckpoint.testing.InMemoryInstanceRepository;
import io.piholecheckpoint.testing.MovableClock;
import io.piholecheckpoint.testing.RecordingPause;
import io.piholecheckpoint.testing.ScriptedGateway;
import io.piholecheckpoint.testing.TestArchives;
import io.piholecheckpoint.testing.TestInstances;
import io.piholecheckpoint.testing.TestServices;
import io.piholecheckpoint.testing.TestTimes;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BackupServiceTest {
  /** An instant as Instant.toString() writes it: "2026-12-05T17:51:29.839Z". */
  static final String ISO_INSTANT = "\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}";

  @TempDir
  Path backupDir;

  private final ScriptedGateway gateway = new ScriptedGateway();
  private final InMemoryBackupRepository repository = new InMemoryBackupRepository();
  private final InstanceService instances = TestInstances.service(new InMemoryInstanceRepository());
  private BackupGraph service;
  private BackupCatalog catalog;
  private long home;

  private final RecordingPause pause = new RecordingPause();
  private long freeBytes = Long.MAX_VALUE;

  private ArchiveStore archives;

  @BeforeEach
  void setUp() {
    archives = new LocalArchiveStore(backupDir, new TeleporterInspector(), dir -> freeBytes);
    catalog = new BackupCatalog(instances, repository, archives);
    service = serviceWith(new RetentionService(repository, archives, ZoneOffset.UTC, 7, Events.NONE));
    define(false);
  }

  private BackupGraph serviceWith(RetentionService retention) {
    return serviceWith(retention, Events.NONE);
  }

  private BackupGraph serviceWith(RetentionService retention, Events events) {
    return BackupGraph.of(catalog, instances, repository,
        new ArchiveDownloader(gateway, TestServices.PASSWORD_ONLY, archives, DownloadPolicy.DEFAULT, pause, Clock.systemUTC()), archives, new io.piholecheckpoint.teleporter.TeleporterContents(java.time.Clock.systemUTC()),
        retention, MovableClock.ticking(), events, TestTimes.UTC);
  }

  private void define(boolean skipUnchanged) {
    instances.applyEnvironment(List.of(new InstanceDefinition("HOME", "Home", "http://pi.hole", TlsTrust.SYSTEM, null, Schedule.DEFAULT,
        new RetentionPolicy(2, 0), skipUnchanged, true)));
    home = instances.list().get(0).id();
  }

  /** Every file under the backup directory, its scratch folder included. */
  private List<Path> filesInBackupDir() throws Exception {
    try (var files = Files.walk(backupDir)) {
      return files.filter(Files::isRegularFile).toList();
    }
  }

  @Nested
  class Success {
    @Test
    void storesTheArchiveWithItsChecksumAndRecordsIt() throws Exception {
      Backup backup = service.runBackup(home, Backup.Trigger.MANUAL);

      assertThat(backup.successful()).isTrue();
      Path file = backupDir.resolve(backup.fileName());
      assertThat(Files.readAllBytes(file)).isEqualTo(Fixtures.archiveA());
      assertThat(backup.archive().sha256()).isEqualTo(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Fixtures.archiveA())));
      assertThat(backup.archive().sizeBytes()).isEqualTo(Fixtures.archiveA().length);
      assertThat(backup.fileName()).matches("home_20261127T030000Z_[a-z0-9]{6}\\.zip");
      assertThat(backup.archive().versions()).isEqualTo(new PiholeVersions("v6.2.2", "v6.4.1", null));
      assertThat(backup.archive().summary().adlists()).isEqualTo(2);
      assertThat(repository.all()).containsExactly(backup);
      assertThat(instances.find(home).status().connection()).isEqualTo(ConnectionStatus.OK);
      assertThat(gateway.openSessions()).isZero();
    }

    @Test
    void prunesBackupsBeyondRetentionCount() throws Exception {
      Backup first = service.runBackup(home, Backup.Trigger.SCHEDULED);
      service.runBackup(home, Backup.Trigger.SCHEDULED);
      service.runBackup(home, Backup.Trigger.SCHEDULED);

      assertThat(repository.findSuccessful(home)).hasSize(2).noneMatch(b -> b.id() == first.id());
      assertThat(filesInBackupDir()).hasSize(2).noneMatch(p -> p.getFileName().toString().equals(first.fileName()));
    }

    /** Retention cut short by a busy database once the backup is kept: expected and passing, one WARN line as every job's (JobFailures). */
    @Test
    void aBusyDatabaseThatCutsRetentionShortKeepsTheBackupAndIsOneWarnLineWithoutATrace() {
      service = serviceWith(new RetentionService(repository, archives, ZoneOffset.UTC, 7, Events.NONE, () -> {
        throw new io.piholecheckpoint.core.job.DatabaseBusyException(io.piholecheckpoint.core.job.DatabaseBusyException.Access.READ,
            io.piholecheckpoint.core.job.DatabaseBusyException.Limit.FILE_LOCKED, new java.sql.SQLException("[SQLITE_BUSY] database is locked"));
      }));
      service.runBackup(home, Backup.Trigger.SCHEDULED);
      service.runBackup(home, Backup.Trigger.SCHEDULED);

      Backup third;
      String logged;
      try (CapturedOutput output = CapturedOutput.start()) {
        third = service.runBackup(home, Backup.Trigger.SCHEDULED);
        logged = output.text();
      }

      assertThat(third.successful()).isTrue();
      assertThat(logged.lines().filter(l -> l.contains("WARN") || l.contains("ERROR"))).singleElement().asString()
          .contains("WARN", "Retention of Pi-hole 'Home' after backup " + third.id(), "was cut short", "it runs again after the next backup");
      assertThat(logged).doesNotContain("\tat ");
    }

    @Test
    void recordsWhatChangedSinceThePreviousBackup() {
      Backup first = service.runBackup(home, Backup.Trigger.SCHEDULED);
      gateway.answer(Fixtures.archiveB());

      Backup second = service.runBackup(home, Backup.Trigger.SCHEDULED);
      Backup third = service.runBackup(home, Backup.Trigger.SCHEDULED);

      assertThat(first.archive().changes()).isNull();
      assertThat(second.archive().changes()).isEqualTo("+1 adlist, +1 domain, \u22121 domain, +1 local DNS record, 1 setting");
      assertThat(third.archive().changes()).isEqualTo("no changes");
    }

    @Test
    void keepsTheDiffOfALargeChangeWhenItsSummaryIsComputedAndNoneOfASmallOne(@TempDir Path made) throws Exception {
      gateway.answer(Files.readAllBytes(io.piholecheckpoint.testing.LargeArchives.withDenyDomains(made, "base", 10)));
      Backup base = service.runBackup(home, Backup.Trigger.SCHEDULED);
      gateway.answer(Files.readAllBytes(io.piholecheckpoint.testing.LargeArchives.withDenyDomains(made, "few", 20)));
      Backup few = service.runBackup(home, Backup.Trigger.SCHEDULED);
      gateway.answer(Files.readAllBytes(io.piholecheckpoint.testing.LargeArchives.withDenyDomains(made, "many", 1220)));
      Backup many = service.runBackup(home, Backup.Trigger.SCHEDULED);

      assertThat(few.archive().changes()).isEqualTo("+10 domains");
      assertThat(many.archive().changes()).isEqualTo("+1,200 domains");
      ScratchDirectory scratch = ScratchDirectory.of(backupDir);
      assertThat(scratch.diff(base.archive().sha256(), few.archive().sha256())).as("10 changes: computed again when asked for").doesNotExist();
      assertThat(scratch.diff(few.archive().sha256(), many.archive().sha256())).as("kept before anyone opens the diff").exists();
    }

    @Test
    void namesA2faSecretThatAppearedAndIsNotUnchanged() {
      service.runBackup(home, Backup.Trigger.SCHEDULED);
      gateway.answer(TestArchives.withSetting(Fixtures.archiveA(), "totp_secret", "JBSWY3DPEHPK3PXPHISTORYROW"));

      Backup second = service.runBackup(home, Backup.Trigger.SCHEDULED);

      assertThat(second.archive().changes()).isEqualTo("2FA enabled");
      assertThat(BackupHistory.unchangedSincePrevious(repository.findSuccessful(home))).doesNotContain(second.id());
    }

    /** The "unchanged" badge follows the content hashes: a summary must not say "no changes" where the hashes differ. */
    @Test
    void saysNoChangesOnlyWhereTheRowIsUnchanged() {
      service.runBackup(home, Backup.Trigger.SCHEDULED);
      gateway.answer(TestArchives.replaced(Fixtures.archiveA(), "etc/hosts", "127.0.0.1 localhost\n10.0.0.9 added.lan\n".getBytes(StandardCharsets.UTF_8)));

      Backup second = service.runBackup(home, Backup.Trigger.SCHEDULED);

      assertThat(BackupHistory.unchangedSincePrevious(repository.findSuccessful(home))).doesNotContain(second.id());
      assertThat(second.archive().changes()).as("names the entry, as the diff page does").isEqualTo(ChangeSummary.OTHER_CHANGES + ": etc/hosts changed");
    }

    @Test
    void keepsNoNewFileForAnUnchangedPiholeWhenAskedTo() throws Exception {
      define(true);
      Backup first = service.runBackup(home, Backup.Trigger.SCHEDULED);

      Backup second = service.runBackup(home, Backup.Trigger.SCHEDULED);

      assertThat(second.id()).isEqualTo(first.id());
      assertThat(second.stillCurrentAt()).isAfter(first.finishedAt());
      assertThat(filesInBackupDir()).hasSize(1);
    }

    @Test
    void tellsAScheduledRunThatFoundThePiholeUnchangedAsAScheduledRunOfItsOwn() {
      define(true);
      List<Backup> told = new java.util.concurrent.CopyOnWriteArrayList<>();
      List<Duration> took = new java.util.concurrent.CopyOnWriteArrayList<>();
      service = serviceWith(new RetentionService(repository, archives, ZoneOffset.UTC, 7, Events.NONE), new Events() {
        @Override
        public void backupFinished(io.piholecheckpoint.core.instance.PiholeInstance instance, Backup backup, Duration time) {
          told.add(backup);
          took.add(time);
        }
      });
      Backup first = service.runBackup(home, Backup.Trigger.MANUAL);

      Backup second = service.runBackup(home, Backup.Trigger.SCHEDULED);

      assertThat(second.id()).as("no new file").isEqualTo(first.id());
      assertThat(second.trigger()).as("the record stays the manual backup it was").isEqualTo(Backup.Trigger.MANUAL);
      assertThat(told).hasSize(2);
      assertThat(told.get(1).trigger()).as("counted as the scheduled run it was, not as the manual backup it re-confirmed")
          .isEqualTo(Backup.Trigger.SCHEDULED);
      assertThat(told.get(1).successful()).isTrue();
      assertThat(told.get(1).startedAt()).isAfter(first.finishedAt());
      assertThat(told.get(1).finishedAt()).isEqualTo(second.stillCurrentAt());
      assertThat(took.get(1)).isEqualTo(Duration.between(told.get(1).startedAt(), second.stillCurrentAt()));
    }

    @Test
    void storesAnUnchangedPiholeAgainByDefault() throws Exception {
      service.runBackup(home, Backup.Trigger.SCHEDULED);

      service.runBackup(home, Backup.Trigger.SCHEDULED);

      assertThat(filesInBackupDir()).hasSize(2);
      assertThat(BackupHistory.unchangedSincePrevious(repository.findSuccessful(home))).hasSize(1);
    }

    @Test
    void flagsAnArchiveThatLostMostOfItsContentAndKeepsTheGoodOnes() throws Exception {
      Backup good = service.runBackup(home, Backup.Trigger.SCHEDULED);
      gateway.answer(TestArchives.withoutGravity(Fixtures.archiveA()));

      Backup wiped = service.runBackup(home, Backup.Trigger.SCHEDULED);
      Backup wipedAgain = service.runBackup(home, Backup.Trigger.SCHEDULED);

      assertThat(wiped.suspicious()).isTrue();
      assertThat(wipedAgain.suspicious()).isTrue();
      assertThat(repository.findById(good.id())).as("the good backup survives MAX_BACKUPS=2").isPresent();
    }

    @Test
    void flagsAnImportedArchiveByTheRuleADownloadedOneMeets() throws Exception {
      Backup good = service.runBackup(home, Backup.Trigger.SCHEDULED);

      Backup wiped = service.importArchive(home, new java.io.ByteArrayInputStream(TestArchives.withoutGravity(Fixtures.archiveA())));
      Backup sound = service.importArchive(home, new java.io.ByteArrayInputStream(Fixtures.archiveA()));

      assertThat(wiped.suspicious()).isTrue();
      assertThat(sound.suspicious()).as("compared with the last good backup, not the flagged import").isFalse();
      assertThat(good.suspicious()).isFalse();
    }

    /**
     * An upload holds what someone had elsewhere, not what the Pi-hole holds: the Pi-hole's next backup is judged against its own
     * last good one. Judged against a bigger upload, an unchanged Pi-hole was flagged ("−N adlists") and its sync held.
     */
    @Test
    void judgesADownloadedBackupAgainstTheLastGoodOneTakenFromThePiholeNotAnUpload() throws Exception {
      gateway.answer(TestArchives.withoutAdlists(Fixtures.archiveA()));
      Backup taken = service.runBackup(home, Backup.Trigger.SCHEDULED);
      Backup upload = service.importArchive(home, new java.io.ByteArrayInputStream(Fixtures.archiveA()));

      Backup next = service.runBackup(home, Backup.Trigger.SCHEDULED);

      assertThat(upload.suspicious()).isFalse();
      assertThat(next.suspicious()).as("the Pi-hole did not change since backup %d", taken.id()).isFalse();
      assertThat(next.archive().changes()).as("the upload between them is named as not compared with")
          .isEqualTo("no changes since backup " + taken.id());
    }

    @Test
    void flagsAnArchiveWithoutGravityEvenWithNothingToCompareWith() throws Exception {
      gateway.answer(TestArchives.withoutGravity(Fixtures.archiveA()));

      Backup first = service.runBackup(home, Backup.Trigger.SCHEDULED);

      assertThat(first.successful()).isTrue();
      assertThat(first.suspicious()).as("no lists at all: kept, flagged").isTrue();
    }

    /**
     * The summary skips suspicious backups, the "unchanged" badge compares neighbours: the text names what it compared with. A
     * flagged backup equal to the one before it is "no changes": the Pi-hole really is in that state, the loss is not told again.
     */
    @Test
    void namesTheGoodBackupASummaryComparesWithWhenSuspiciousOnesLieBetweenButNotARepeatedLoss() {
      Backup good = service.runBackup(home, Backup.Trigger.SCHEDULED);
      gateway.answer(TestArchives.withoutGravity(Fixtures.archiveA()));
      Backup wiped = service.runBackup(home, Backup.Trigger.SCHEDULED);
      Backup wipedAgain = service.runBackup(home, Backup.Trigger.SCHEDULED);
      gateway.answer(Fixtures.archiveA());

      Backup back = service.runBackup(home, Backup.Trigger.SCHEDULED);

      assertThat(wiped.archive().changes()).doesNotContain("since backup");
      assertThat(BackupHistory.unchangedSincePrevious(List.of(back, wipedAgain, wiped, good))).containsExactly(wipedAgain.id());
      assertThat(wipedAgain.archive().changes()).as("compared with backup %d, not %d", wiped.id(), good.id()).isEqualTo("no changes");
      assertThat(back.archive().changes()).isEqualTo("no changes since backup " + good.id());
    }

    /**
     * A deliberate clean-up looks like a wipe; once a person accepts it, it is the baseline: a later backup equal to it is
     * neither suspicious nor compared with the backup from before the clean-up, and it counts in MAX_BACKUPS=2.
     */
    @Test
    void anAcceptedBackupIsTheBaselineOfLaterBackupsAndCountsInRetention() {
      Backup full = service.runBackup(home, Backup.Trigger.SCHEDULED);
      gateway.answer(TestArchives.withoutAdlists(Fixtures.archiveA()));
      Backup cleaned = service.runBackup(home, Backup.Trigger.SCHEDULED);
      assertThat(cleaned.suspicious()).isTrue();

      Backup accepted = service.accept(cleaned.id(), true);
      Backup next = service.runBackup(home, Backup.Trigger.SCHEDULED);

      assertThat(accepted.suspicious()).isFalse();
      assertThat(accepted.accepted()).isTrue();
      assertThat(next.suspicious()).isFalse();
      assertThat(next.archive().changes()).as("compared with backup %d, not %d", cleaned.id(), full.id()).isEqualTo("no changes");
      assertThat(repository.findById(full.id())).as("two good backups newer than it: MAX_BACKUPS=2 lets it go").isEmpty();
    }

    /** Outsider 47 F11: the lists of an archive without gravity.db are unknown, not removed; the change line said "−2 groups, −3 adlists…". */
    @Test
    void saysABackupWithoutGravityDbHoldsNoListsRatherThanThatTheyWereRemoved() {
      service.runBackup(home, Backup.Trigger.SCHEDULED);
      gateway.answer(TestArchives.withoutGravity(TestArchives.withSetting(Fixtures.archiveA(), "totp_secret", "JBSWY3DPEHPK3PXP")));

      Backup listless = service.runBackup(home, Backup.Trigger.SCHEDULED);

      assertThat(listless.archive().changes()).as("what the archive does show still counts: 2FA turned on")
          .isEqualTo(io.piholecheckpoint.core.contents.ContentDiff.NO_GRAVITY_DB + ", 2FA enabled");
    }

    /** README: an archive without gravity.db never becomes the last good backup; accepted, Sync would empty every replica's lists. */
    @Test
    void refusesToAcceptABackupWithoutGravityDbAndKeepsItFlagged() {
      service.runBackup(home, Backup.Trigger.SCHEDULED);
      gateway.answer(TestArchives.withoutGravity(Fixtures.archiveA()));
      Backup listless = service.runBackup(home, Backup.Trigger.SCHEDULED);
      assertThat(listless.suspicious()).isTrue();

      assertThatThrownBy(() -> service.accept(listless.id(), true)).isInstanceOf(BackupConflictException.class)
          .hasMessageContaining("holds no gravity.db").hasMessageContaining("back the Pi-hole up again");
      assertThat(repository.findById(listless.id()).orElseThrow()).satisfies(b -> {
        assertThat(b.suspicious()).isTrue();
        assertThat(b.accepted()).isFalse();
      });
    }

    @Test
    void acceptsOnlyASuspiciousBackup() {
      Backup good = service.runBackup(home, Backup.Trigger.SCHEDULED);
      gateway.failTimes(1, new PiholeException(PiholeException.Failure.WRONG_PASSWORD, "wrong password"));
      Backup failed = service.runBackup(home, Backup.Trigger.SCHEDULED);

      assertThatThrownBy(() -> service.accept(good.id(), true)).isInstanceOf(BackupConflictException.class)
          .hasMessageContaining("is not flagged suspicious");
      assertThatThrownBy(() -> service.accept(failed.id(), true)).isInstanceOf(BackupConflictException.class)
          .hasMessageContaining("failed");
      assertThat(repository.findById(good.id()).orElseThrow().accepted()).isFalse();
    }

    @Test
    void retriesATransientFailureWithBackoffAndSucceeds() {
      gateway.failTimes(2, new PiholeException(PiholeException.Failure.UNREACHABLE, "connection refused"));

      Backup backup = service.runBackup(home, Backup.Trigger.SCHEDULED);

      assertThat(backup.successful()).isTrue();
      assertThat(gateway.logins()).isEqualTo(3);
      assertThat(pause.pauses()).hasSize(2);
      assertThat(pause.pauses().get(0)).isBetween(Duration.ofSeconds(1), Duration.ofSeconds(3));
      assertThat(pause.pauses().get(1)).isBetween(Duration.ofSeconds(2), Duration.ofSeconds(6));
    }

    @Test
    void givesUpAfterTheConfiguredRetries() {
      gateway.fail(new PiholeException(PiholeException.Failure.SERVER_UNAVAILABLE, "HTTP 503"));

      Backup backup = service.runBackup(home, Backup.Trigger.SCHEDULED);

      assertThat(backup.errorCode()).isEqualTo("pihole_unavailable");
      assertThat(gateway.logins()).isEqualTo(DownloadPolicy.DEFAULT.retries() + 1);
    }
  }

  @Nested
  class Failure {
    @Test
    void neverContactsAUrlTheRulesRefuseEvenWhenAnOldRowHoldsIt() {
      instances.applyEnvironment(List.of(new InstanceDefinition("HOME", "Home", "http://169.254.169.254", TlsTrust.SYSTEM, null,
          Schedule.DEFAULT, new RetentionPolicy(2, 0), false, true)));

      Backup backup = service.runBackup(home, Backup.Trigger.MANUAL);

      assertThat(backup.errorCode()).isEqualTo("misconfigured");
      assertThat(backup.errorMessage()).contains("is not contacted").contains("Link-local");
      assertThat(gateway.logins()).isZero();
    }

    /** A hand-edited row: tls_mode='CA_FILE' and no certificate. Not a NullPointerException, and no request. */
    @Test
    void neverContactsAPiholeWhoseTlsSettingsAreIncomplete() {
      instances.applyEnvironment(List.of(new InstanceDefinition("HOME", "Home", "https://pi.hole", new TlsTrust(TlsTrust.Mode.CA_FILE, null, null, null), null,
          Schedule.DEFAULT, new RetentionPolicy(2, 0), false, true)));

      Backup backup = service.runBackup(home, Backup.Trigger.MANUAL);

      assertThat(backup.errorCode()).isEqualTo("misconfigured");
      assertThat(backup.errorMessage()).contains("is not contacted").contains("CA_FILE needs a CA certificate");
      assertThat(instances.find(home).status().connection()).isEqualTo(ConnectionStatus.ERROR);
      assertThat(gateway.logins()).isZero();
    }

    @Test
    void recordsAPiholeFailureWithItsMessageAndLeavesNoFile() throws Exception {
      gateway.fail(new PiholeException(PiholeException.Failure.WRONG_PASSWORD, "wrong password for Pi-hole 'Home'"));

      Backup backup = service.runBackup(home, Backup.Trigger.SCHEDULED);

      assertThat(backup.status()).isEqualTo(Backup.Status.FAILED);
      assertThat(backup.errorCode()).isEqualTo("wrong_password");
      assertThat(backup.errorMessage()).isEqualTo("wrong password for Pi-hole 'Home'");
      assertThat(backup.fileName()).isNull();
      assertThat(filesInBackupDir()).isEmpty();
      assertThat(instances.find(home).status().connection()).isEqualTo(ConnectionStatus.AUTH_ERROR);
      assertThat(gateway.logins()).as("a wrong password is not retried").isEqualTo(1);
    }

    /** E.g. the HTTP client refusing a header value, or a row the code did not expect: still a record, and a status. */
    @Test
    void anUnclassifiedFailureStillEndsInAFailedRecordAndTheInstancesStatus() throws Exception {
      gateway.fail(new IllegalArgumentException("invalid header value"));

      Backup backup = service.runBackup(home, Backup.Trigger.MANUAL);

      assertThat(backup.status()).isEqualTo(Backup.Status.FAILED);
      assertThat(backup.errorCode()).isEqualTo("internal_error");
      assertThat(backup.errorMessage()).contains("'Home'").contains("IllegalArgumentException").contains("report this with the log")
          .as("the exception's own text stays in the log: the record is shown by the pages and the API").doesNotContain("invalid header value");
      assertThat(repository.findByInstance(home, 5)).containsExactly(backup);
      assertThat(instances.find(home).status().connection()).isEqualTo(ConnectionStatus.ERROR);
      assertThat(instances.find(home).status().message()).isEqualTo(backup.errorMessage());
      assertThat(filesInBackupDir()).isEmpty();
    }

    @Test
    void failsClearlyWhenTheDiskIsFullAndLeavesNothing() throws Exception {
      freeBytes = 1024 * 1024;

      Backup backup = service.runBackup(home, Backup.Trigger.SCHEDULED);

      assertThat(backup.errorCode()).isEqualTo("storage_error");
      assertThat(backup.errorMessage()).contains("has only 1.0 MB free").contains("BACKUP_DIR");
      assertThat(filesInBackupDir()).isEmpty();
      assertThat(gateway.openSessions()).isZero();
    }

    @Test
    void refusesAnAnswerThatIsNotATeleporterArchive() throws Exception {
      gateway.answer("<!DOCTYPE html><html>login</html>".getBytes(StandardCharsets.UTF_8));

      Backup backup = service.runBackup(home, Backup.Trigger.MANUAL);

      assertThat(backup.errorCode()).isEqualTo("not_an_archive");
      assertThat(backup.errorMessage()).contains("Pi-hole 'Home' did not send a valid Teleporter archive");
      assertThat(filesInBackupDir()).isEmpty();
      assertThat(gateway.openSessions()).isZero();
    }

    @Test
    void refusesATruncatedArchive() throws Exception {
      byte[] archive = Fixtures.archiveA();
      gateway.answer(java.util.Arrays.copyOf(archive, archive.length / 2));

      Backup backup = service.runBackup(home, Backup.Trigger.MANUAL);

      assertThat(backup.errorCode()).isEqualTo("not_an_archive");
      assertThat(filesInBackupDir()).isEmpty();
    }

    @Test
    void refusesABackupOfARemovedInstance() {
      instances.applyEnvironment(List.of());

      assertThatThrownBy(() -> service.runBackup(home, Backup.Trigger.MANUAL))
          .isInstanceOf(BackupConflictException.class).hasMessageContaining("was removed");
    }
  }

  @Nested
  class RunMarkersOfCrashes {
    private final List<String> trace = new java.util.ArrayList<>();
    private final RunMarkers recording = new RunMarkers() {
      @Override
      public void started(long instanceId, Backup.Trigger trigger, java.time.Instant at) {
        trace.add("started " + trigger + " with " + repository.findByInstance(instanceId, 10).size() + " record(s)");
      }

      @Override
      public void ended(long instanceId) {
        trace.add("ended with " + repository.findByInstance(instanceId, 10).size() + " record(s)");
      }

      @Override
      public List<Marker> takeAll() {
        return List.of();
      }
    };

    @BeforeEach
    void withMarkers() {
      ArchiveStore archives = new LocalArchiveStore(backupDir, new TeleporterInspector(), dir -> freeBytes);
      catalog = new BackupCatalog(instances, repository, archives);
      service = BackupGraph.of(catalog, instances, repository,
          new ArchiveDownloader(gateway, TestServices.PASSWORD_ONLY, archives, DownloadPolicy.DEFAULT, pause, Clock.systemUTC()), archives, new TeleporterContents(Clock.systemUTC()),
          new RetentionService(repository, archives, ZoneOffset.UTC, 7, Events.NONE), MovableClock.ticking(), Events.NONE, TestTimes.UTC, recording);
    }

    @Test
    void aRunIsMarkedBeforeItStartsAndUnmarkedOnceItsRecordIsWritten() {
      service.runBackup(home, Backup.Trigger.SCHEDULED);

      assertThat(trace).containsExactly("started SCHEDULED with 0 record(s)", "ended with 1 record(s)");
    }

    @Test
    void aFailedRunIsUnmarkedToo() {
      gateway.fail(new PiholeException(PiholeException.Failure.WRONG_PASSWORD, "wrong password"));

      service.runBackup(home, Backup.Trigger.MANUAL);

      assertThat(trace).containsExactly("started MANUAL with 0 record(s)", "ended with 1 record(s)");
    }

    @Test
    void aRunTheProcessDiedInIsRecordedAsInterruptedAndShownOnTheInstance() {
      RunMarkers.Marker left = new RunMarkers.Marker(home, Backup.Trigger.SCHEDULED, java.time.Instant.parse("2026-12-02T03:00:00Z"));

      Backup recorded = service.recordInterrupted(left, times -> "interrupted: the process stopped during this backup").orElseThrow();

      assertThat(recorded.errorCode()).isEqualTo("interrupted");
      assertThat(recorded.trigger()).isEqualTo(Backup.Trigger.SCHEDULED);
      assertThat(recorded.startedAt()).isEqualTo(left.startedAt());
      assertThat(catalog.latestAttempt(home)).contains(recorded);
      assertThat(instances.find(home).status().message()).contains("interrupted");
    }
  }

  /** A node of a cluster: another node may hold an instance's turn, or have died in a run of it. */
  @Nested
  class AcrossNodes {
    /** TIME_ZONE: not UTC, so that a record's time in it cannot pass for the instant's UTC text. */
    private final LocalTimeText berlin = new LocalTimeText(java.time.ZoneId.of("Europe/Berlin"));
    private boolean heldByAnotherNode;
    private RunMarkers.Marker left;
    /** Who the store says left a marker found. */
    private RunMarkers.Runner runner = RunMarkers.Runner.GONE;
    /** The database cannot be reached: no write to it goes through. */
    private boolean databaseDown;
    private final InstanceTurns turns = new InstanceTurns() {
      @Override
      public java.util.Optional<Turn> tryTake(long instanceId) {
        return heldByAnotherNode ? java.util.Optional.empty() : java.util.Optional.of(() -> { });
      }

      @Override
      public Turn take(long instanceId) {
        return () -> { };
      }

      @Override
      public boolean heldElsewhere(long instanceId) {
        return heldByAnotherNode;
      }
    };
    private final RunMarkers markers = new RunMarkers() {
      @Override
      public void started(long instanceId, Backup.Trigger trigger, java.time.Instant at) {
        left = new Marker(instanceId, trigger, at, "node-a");
      }

      @Override
      public void ended(long instanceId) {
        refuseIfDown();
        left = null;
      }

      @Override
      public Runner runnerOf(Marker marker) {
        return runner;
      }

      @Override
      public List<Marker> takeAll() {
        return List.of();
      }

      @Override
      public java.util.Optional<Marker> find(long instanceId) {
        return java.util.Optional.ofNullable(left);
      }

      @Override
      public List<Marker> findOf(String node) {
        return left != null && node.equals(left.node()) ? List.of(left) : List.of();
      }
    };

    @BeforeEach
    void asANode() {
      ArchiveStore archives = new LocalArchiveStore(backupDir, new TeleporterInspector(), dir -> freeBytes);
      catalog = new BackupCatalog(instances, repository, archives);
      service = BackupGraph.of(catalog, instances, repository,
          new ArchiveDownloader(gateway, TestServices.PASSWORD_ONLY, archives, DownloadPolicy.DEFAULT, pause, Clock.systemUTC()), archives, new TeleporterContents(Clock.systemUTC()),
          new RetentionService(repository, archives, ZoneOffset.UTC, 7, Events.NONE), MovableClock.ticking(), Events.NONE, new RunTrail(markers,
          (record, status) -> {
            refuseIfDown();
            return RunEnd.separately(repository, instances, markers).write(record, status);
          }, berlin), io.piholecheckpoint.core.archive.work.ArchiveWork.unbounded(), turns);
    }

    private void refuseIfDown() {
      if (databaseDown) {
        throw new IllegalStateException("database unreachable: Connection refused");
      }
    }

    @Test
    void aRunWhoseEndTheDatabaseDidNotTakeIsRecordedAsSuchByTheNextRunHereNotAsANodeThatStopped() throws Exception {
      runner = RunMarkers.Runner.THIS_NODE;
      databaseDown = true;
      assertThatThrownBy(() -> service.runBackup(home, Backup.Trigger.SCHEDULED)).hasMessageContaining("database unreachable");
      java.time.Instant started = left.startedAt();
      databaseDown = false;

      Backup ran = service.runBackup(home, Backup.Trigger.SCHEDULED);

      assertThat(ran.successful()).isTrue();
      Backup interrupted = repository.findByInstance(home, 10).stream().filter(b -> !b.successful()).findFirst().orElseThrow();
      assertThat(interrupted.errorCode()).isEqualTo(InterruptedRuns.INTERRUPTED);
      assertThat(interrupted.errorMessage()).startsWith("interrupted: the database could not be reached when this backup ended (started "
          + berlin.of(started) + "), so it could not be recorded and kept no archive; node node-a, which ran it, did not stop, and ran it again at ")
          .doesNotContain("stopped during").doesNotContainPattern(ISO_INSTANT);
      assertThat(filesInBackupDir()).hasSize(1);
    }

    @Test
    void aRunLeftByANodeThatStillChecksInIsNotRecordedAsOneItStoppedIn() {
      runner = RunMarkers.Runner.LIVE_NODE;
      left = new RunMarkers.Marker(home, Backup.Trigger.SCHEDULED, java.time.Instant.parse("2026-12-04T03:00:00Z"), "node-b");

      service.runBackup(home, Backup.Trigger.SCHEDULED);

      Backup interrupted = repository.findByInstance(home, 10).stream().filter(b -> !b.successful()).findFirst().orElseThrow();
      assertThat(interrupted.errorMessage()).startsWith("interrupted: node node-b, which ran this backup, did not stop (it still checks in) but"
          + " did not record how it ended (started 2026-12-04 04:00:00): the database could not be reached from it then").doesNotContain("stopped during");
      assertThat(interrupted.node()).isEqualTo("node-b");
    }

    @Test
    void refusesAManualBackupWhileAnotherNodeHoldsTheInstance() {
      heldByAnotherNode = true;

      assertThatThrownBy(() -> service.requireStartable(home, false)).isInstanceOf(BackupConflictException.class)
          .hasMessageContaining("running on another node");
      assertThatThrownBy(() -> service.runBackup(home, Backup.Trigger.MANUAL)).isInstanceOf(BackupConflictException.class)
          .hasMessageContaining("running on another node");
      assertThat(repository.findByInstance(home, 10)).isEmpty();
    }

    @Test
    void aRefusalNamesTheNodeABackupOfTheInstanceRunsOn() {
      heldByAnotherNode = true;
      left = new RunMarkers.Marker(home, Backup.Trigger.SCHEDULED, java.time.Instant.parse("2026-12-04T03:00:00Z"), "node-b");

      assertThatThrownBy(() -> service.requireStartable(home, false)).isInstanceOf(BackupConflictException.class)
          .hasMessage("a backup of 'Home' is already running on node node-b; try again when it has finished");
      assertThatThrownBy(() -> service.requireStartable(home, java.util.Optional.of("node-c"))).isInstanceOf(BackupConflictException.class)
          .hasMessage("a backup of 'Home' is already running on node node-c; try again when it has finished");
    }

    @Test
    void aDeadNodesManualBackupIsRecordedAsInterruptedAtOnceAndOnlyOnce() {
      left = new RunMarkers.Marker(home, Backup.Trigger.MANUAL, java.time.Instant.parse("2026-12-04T03:00:00Z"), "node-b");

      int recorded = service.recordInterruptedOf("node-b", java.time.Instant.parse("2026-12-04T03:00:04Z"));
      service.runBackup(home, Backup.Trigger.MANUAL);

      assertThat(recorded).isEqualTo(1);
      List<Backup> failed = repository.findByInstance(home, 10).stream().filter(b -> !b.successful()).toList();
      assertThat(failed).singleElement().satisfies(b -> {
        assertThat(b.errorCode()).isEqualTo(InterruptedRuns.INTERRUPTED);
        assertThat(b.errorMessage()).isEqualTo("interrupted: node node-b stopped during this backup (started 2026-12-04 04:00:00,"
            + " last checked in at 2026-12-04 04:00:04); start it again");
        assertThat(b.node()).isEqualTo("node-b");
      });
    }

    @Test
    void recordsTheRunADeadNodeLeftAsInterruptedNamingItBeforeRunningAgain() {
      left = new RunMarkers.Marker(home, Backup.Trigger.SCHEDULED, java.time.Instant.parse("2026-12-04T03:00:00Z"), "node-a");

      Backup ran = service.runBackup(home, Backup.Trigger.SCHEDULED);

      assertThat(ran.successful()).isTrue();
      List<Backup> history = repository.findByInstance(home, 10);
      assertThat(history).hasSize(2);
      Backup interrupted = history.stream().filter(b -> !b.successful()).findFirst().orElseThrow();
      assertThat(interrupted.errorCode()).isEqualTo(InterruptedRuns.INTERRUPTED);
      assertThat(interrupted.errorMessage()).contains("node node-a stopped during this backup");
      assertThat(interrupted.node()).isEqualTo("node-a");
      assertThat(interrupted.startedAt()).isEqualTo(java.time.Instant.parse("2026-12-04T03:00:00Z"));
    }

    /** 02:30 comes twice in Berlin on 2027-10-31: the record says which by the offset, as the pages do. */
    @Test
    void aRunCutOffInTheHourTheClocksGoBackSaysWhichPassOfItItStartedIn() {
      left = new RunMarkers.Marker(home, Backup.Trigger.SCHEDULED, java.time.Instant.parse("2027-10-31T00:30:00Z"), "node-a");

      service.runBackup(home, Backup.Trigger.SCHEDULED);

      Backup interrupted = repository.findByInstance(home, 10).stream().filter(b -> !b.successful()).findFirst().orElseThrow();
      assertThat(interrupted.errorMessage()).contains("(started 2027-10-31 02:30:00 +02:00)").doesNotContainPattern(ISO_INSTANT);
    }

    /** The log's own stamp is UTC and no "Times in …" heads it: there the same words name the zone of each time. */
    @Test
    void theLogLineOfARunADeadNodeLeftNamesTheZoneOfItsTimesAndTheRecordReadsAsItsPage() {
      left = new RunMarkers.Marker(home, Backup.Trigger.MANUAL, java.time.Instant.parse("2026-12-04T03:00:00Z"), "node-b");

      try (CapturedOutput output = CapturedOutput.start()) {
        service.recordInterruptedOf("node-b", java.time.Instant.parse("2026-12-04T03:00:04Z"));

        assertThat(output.text()).contains("Backup of Pi-hole 'Home': interrupted: node node-b stopped during this backup"
            + " (started 2026-12-04 04:00:00 +01:00, last checked in at 2026-12-04 04:00:04 +01:00); start it again");
      }
      assertThat(instances.find(home).status().message()).isEqualTo("interrupted: node node-b stopped during this backup"
          + " (started 2026-12-04 04:00:00, last checked in at 2026-12-04 04:00:04); start it again");
    }
  }

  @Nested
  class Concurrency {
    @Test
    void refusesAManualBackupWhileOneRuns() throws Exception {
      gateway.closeGate();
      CompletableFuture<Backup> running = CompletableFuture.supplyAsync(() -> service.runBackup(home, Backup.Trigger.SCHEDULED));
      assertThat(gateway.awaitExportStarted()).isTrue();

      assertThatThrownBy(() -> service.runBackup(home, Backup.Trigger.MANUAL))
          .isInstanceOf(BackupConflictException.class).hasMessageContaining("already running");

      gateway.openGate();
      assertThat(running.get(10, TimeUnit.SECONDS).successful()).isTrue();
    }

    @Test
    void refusesToDeleteAnInstanceWhileItsBackupRuns() throws Exception {
      gateway.closeGate();
      CompletableFuture<Backup> running = CompletableFuture.supplyAsync(() -> service.runBackup(home, Backup.Trigger.SCHEDULED));
      assertThat(gateway.awaitExportStarted()).isTrue();
      instances.applyEnvironment(List.of()); // its variables are gone: deletable, but its backup still runs

      assertThatThrownBy(() -> service.deleteInstance(home, true))
          .isInstanceOf(BackupConflictException.class).hasMessage("a backup of 'Home' is running; delete it when it has finished");
      assertThat(instances.list()).extracting(i -> i.id()).contains(home);

      gateway.openGate();
      assertThat(running.get(10, TimeUnit.SECONDS).successful()).isTrue();
      service.deleteInstance(home, true);
      assertThat(instances.list()).isEmpty();
    }

    /** A restore holding the instance (its lock, as RestoreService holds it) until ended. */
    private record RestoreUnderway(java.util.concurrent.CountDownLatch release, CompletableFuture<Boolean> running) {
      static RestoreUnderway of(BackupGraph service, long instanceId) throws InterruptedException {
        java.util.concurrent.CountDownLatch started = new java.util.concurrent.CountDownLatch(1);
        java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
        CompletableFuture<Boolean> running = CompletableFuture.supplyAsync(() -> service.exclusively(instanceId, "a restore to 'Home'", () -> {
          started.countDown();
          try {
            return release.await(60, TimeUnit.SECONDS);
          } catch (InterruptedException e) {
            throw new IllegalStateException(e);
          }
        }));
        assertThat(started.await(60, TimeUnit.SECONDS)).isTrue();
        return new RestoreUnderway(release, running);
      }

      void end() throws Exception {
        release.countDown();
        assertThat(running.get(10, TimeUnit.SECONDS)).isTrue();
      }
    }

    @Test
    void refusesAManualBackupWhileARestoreToItRunsSayingSo() throws Exception {
      RestoreUnderway restore = RestoreUnderway.of(service, home);

      assertThatThrownBy(() -> service.requireStartable(home, false))
          .isInstanceOf(BackupConflictException.class).hasMessage("a restore to 'Home' is running; back it up when it has finished");
      assertThatThrownBy(() -> service.runBackup(home, Backup.Trigger.MANUAL))
          .isInstanceOf(BackupConflictException.class).hasMessage("a restore to 'Home' is running; back it up when it has finished");

      restore.end();
    }

    @Test
    void refusesToDeleteAnInstanceWhileARestoreToItRuns() throws Exception {
      instances.applyEnvironment(List.of());
      RestoreUnderway restore = RestoreUnderway.of(service, home);

      assertThatThrownBy(() -> service.deleteInstance(home, false))
          .isInstanceOf(BackupConflictException.class).hasMessage("a restore to 'Home' is running; delete it when it has finished");

      restore.end();
      // marked removed already (its variables are gone): deleting it keeping its backups again deletes nothing, with them it does
      service.deleteInstance(home, true);
    }

    /** The instance is read when the run's turn comes: one removed while the run waited is not backed up. */
    @Test
    void refusesAScheduledBackupWhoseInstanceWasRemovedWhileItWaited() throws Exception {
      RestoreUnderway restore = RestoreUnderway.of(service, home);
      CompletableFuture<Backup> scheduled = new CompletableFuture<>();
      Thread waiting = new Thread(() -> {
        try {
          scheduled.complete(service.runBackup(home, Backup.Trigger.SCHEDULED));
        } catch (RuntimeException e) {
          scheduled.completeExceptionally(e);
        }
      });
      waiting.start();
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      while (waiting.getState() != Thread.State.WAITING && System.nanoTime() < deadline) {
        Thread.onSpinWait(); // until it waits for the restore's turn
      }
      instances.applyEnvironment(List.of());

      restore.end();

      assertThatThrownBy(() -> scheduled.get(10, TimeUnit.SECONDS)).hasCauseInstanceOf(BackupConflictException.class)
          .hasMessageContaining(InstanceService.removedMessage("Home"));
      assertThat(repository.findByInstance(home, 10)).isEmpty();
    }

    @Test
    void letsAScheduledBackupWaitForARunningOne() throws Exception {
      gateway.closeGate();
      CompletableFuture<Backup> manual = CompletableFuture.supplyAsync(() -> service.runBackup(home, Backup.Trigger.MANUAL));
      assertThat(gateway.awaitExportStarted()).isTrue();
      CompletableFuture<Backup> scheduled = CompletableFuture.supplyAsync(() -> service.runBackup(home, Backup.Trigger.SCHEDULED));

      gateway.openGate();

      assertThat(manual.get(10, TimeUnit.SECONDS).successful()).isTrue();
      assertThat(scheduled.get(10, TimeUnit.SECONDS).successful()).isTrue();
      assertThat(gateway.maxConcurrentExports()).isEqualTo(1);
    }
  }

  @Nested
  class StoppedWhileStoring {
    /**
     * A stop interrupts the backup's thread (see BackupService#cancelRunning): when that lands during the encrypted write,
     * the file channel closes with a ClosedByInterruptException whose message is null. That is the stop's doing, not the disk's.
     */
    @Test
    void aBackupStoppedDuringTheEncryptedWriteIsCancelledAndLeavesNoFile() throws Exception {
      ArchiveCipher real = new io.piholecheckpoint.crypto.OpenPgpArchiveCipher("a passphrase long enough".toCharArray());
      ArchiveCipher stoppedMidWrite = new ArchiveCipher() {
        @Override
        public boolean encryptsNewArchives() {
          return true;
        }

        @Override
        public void encrypt(java.io.InputStream plain, java.io.OutputStream encrypted) throws java.io.IOException {
          service.cancelRunning();
          Thread.currentThread().interrupt(); // what the stop does to a running backup's thread
          real.encrypt(plain, encrypted);
        }

        @Override
        public void decrypt(java.io.InputStream encrypted, java.io.OutputStream plain) throws java.io.IOException {
          real.decrypt(encrypted, plain);
        }
      };
      ArchiveStore archives = new LocalArchiveStore(backupDir, new TeleporterInspector(), dir -> freeBytes, stoppedMidWrite);
      catalog = new BackupCatalog(instances, repository, archives);
      service = BackupGraph.of(catalog, instances, repository,
          new ArchiveDownloader(gateway, TestServices.PASSWORD_ONLY, archives, DownloadPolicy.DEFAULT, pause, Clock.systemUTC()), archives, new TeleporterContents(Clock.systemUTC()),
          new RetentionService(repository, archives, ZoneOffset.UTC, 7, Events.NONE), MovableClock.ticking(), Events.NONE, TestTimes.UTC);

      Backup backup;
      try {
        backup = service.runBackup(home, Backup.Trigger.MANUAL);
      } finally {
        Thread.interrupted(); // the test thread goes on uninterrupted
      }

      assertThat(backup.status()).isEqualTo(Backup.Status.FAILED);
      assertThat(backup.errorCode()).isEqualTo("cancelled");
      assertThat(backup.errorMessage()).contains("cancelled").doesNotContain("null");
      assertThat(filesInBackupDir()).isEmpty();
      assertThat(gateway.openSessions()).isZero();
    }
  }
}
