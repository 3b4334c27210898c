package io.piholecheckpoint.core.restore;

import io.piholecheckpoint.testing.InMemoryRestoreRepository;
import io.piholecheckpoint.testing.BackupGraph;
import io.piholecheckpoint.core.restore.parts.RestoreMode;
import io.piholecheckpoint.core.restore.parts.RestoreParts;
import static io.piholecheckpoint.testing.TestInstances.aDefinition;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.piholecheckpoint.core.archive.Archive;
import io.piholecheckpoint.core.archive.ArchiveStore;
import io.piholecheckpoint.core.archive.work.ArchiveWork;
import io.piholecheckpoint.core.archive.BackupNotFoundException;
import io.piholecheckpoint.core.backup.catalog.Backup;
import io.piholecheckpoint.core.backup.catalog.BackupCatalog;
import io.piholecheckpoint.core.backup.catalog.BackupConflictException;
import io.piholecheckpoint.core.backup.events.Events;
import io.piholecheckpoint.core.download.ArchiveDownloader;
import io.piholecheckpoint.core.download.DownloadPolicy;
import io.piholecheckpoint.core.gateway.PiholeException;
import io.piholecheckpoint.core.instance.PiholeInstance;
import io.piholecheckpoint.core.health.SchedulerStatus;
import io.piholecheckpoint.core.health.SchedulerView;
import io.piholecheckpoint.core.instance.InstanceDefinition;
import io.piholecheckpoint.core.instance.RetentionPolicy;
import io.piholecheckpoint.core.instance.TlsTrust;
import io.piholecheckpoint.core.registry.InstanceNotFoundException;
import io.piholecheckpoint.core.restore.record.Restore;
import io.piholecheckpoint.core.restore.record.RestoreRepository;
import io.piholecheckpoint.core.schedule.Schedule;
import io.piholecheckpoint.teleporter.TeleporterContents;
import io.piholecheckpoint.testing.Eventually;
import io.piholecheckpoint.testing.MovableClock;
import io.piholecheckpoint.testing.RecordingPause;
import io.piholecheckpoint.testing.RestoreGraph;
import io.piholecheckpoint.testing.SameThread;
import io.piholecheckpoint.testing.TestServices;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RestoreServiceTest {
  private static final SchedulerView RUNNING = view(new SchedulerStatus("started", 1, null, null));
  private static final SchedulerView STANDBY = view(new SchedulerStatus("standby", 0, null,
      "another Pi-hole Checkpoint process holds scheduler.lock and runs the schedules for this DATA_DIR"));

  @TempDir
  Path dir;

  private final MovableClock clock = MovableClock.ticking();
  private final InMemoryRestoreRepository restores = new InMemoryRestoreRepository();
  private TestServices services;
  private long home;

  @BeforeEach
  void setUp() {
    // retention learns from the restores which backups they are about to use, as the application wires it
    services = new TestServices(dir, clock, restores::unfinishedSources);
    services.instances.applyEnvironment(List.of(aDefinition("HOME", "http://pi.hole")));
    home = services.instances.list().get(0).id();
  }

  /** Outsider 39 (HIGH): the safety backup of a refused restore, left unpinned, counted toward MAX_BACKUPS; now it is deleted. */
  @Test
  void aRestoreWhoseImportThePiholeRefusesFailedAndDeletesItsSafetyBackup() {
    Backup source = services.backups.runBackup(home, Backup.Trigger.MANUAL);
    services.gateway.onImport(() -> {
      throw new PiholeException(PiholeException.Failure.SERVER_ERROR, "Pi-hole 'Home' refused the import: Invalid file");
    });

    Restore started = service(RUNNING).start(source.id(), home, RestoreMode.LISTS, null);

    Restore failed = restores.findById(started.id()).orElseThrow();
    assertThat(failed.state()).isEqualTo(Restore.State.FAILED);
    assertThat(failed.snapshotId()).as("its safety backup is gone: the record links none").isNull();
    assertThat(failed.message()).contains("Invalid file").containsPattern("safety backup \\d+ was deleted again: nothing was applied");
    assertThat(services.backupRepository.findByInstance(home, 100)).extracting(Backup::id).as("nothing changed: only the backup restored is left")
        .containsExactly(source.id());
  }

  /** Outsider 40: the line of its deletion named the Pi-hole "instance 1", where every other line names it. */
  @Test
  void theDeletedSafetyBackupsLineNamesThePiholeByName() {
    Backup source = services.backups.runBackup(home, Backup.Trigger.MANUAL);
    services.gateway.onImport(() -> {
      throw new PiholeException(PiholeException.Failure.SERVER_ERROR, "Pi-hole 'Home' refused the import: Invalid file");
    });
    String name = services.instances.list().get(0).name();

    String log;
    try (io.piholecheckpoint.testing.CapturedOutput output = io.piholecheckpoint.testing.CapturedOutput.start()) {
      service(RUNNING).start(source.id(), home, RestoreMode.LISTS, null);
      log = output.text();
    }

    assertThat(log.lines().filter(l -> l.contains("Deleted backup")).toList()).singleElement().asString()
        .contains("of backup " + source.id() + " to Pi-hole '" + name + "', which failed with nothing applied").doesNotContain("instance");
  }

  /**
   * Outsider 39 (HIGH): MAX_BACKUPS=3, four restores of the oldest refused at the import (an app password without app_sudo): their
   * unpinned safety backups pushed backups 2 and 3 out, then the next backup pushed out 1, leaving copies of the broken state only.
   */
  @Test
  void refusedRestoresNeverPushOrdinaryBackupsOutOfRetention() {
    long small = instanceWith(new RetentionPolicy(3, 0, 0, 0, 0));
    Backup first = services.backups.runBackup(small, Backup.Trigger.MANUAL);
    Backup second = services.backups.runBackup(small, Backup.Trigger.MANUAL);
    Backup third = services.backups.runBackup(small, Backup.Trigger.MANUAL);
    services.gateway.onImport(() -> {
      throw new PiholeException(PiholeException.Failure.READ_ONLY, "Pi-hole 'SMALL' refused the restore: this app-password session is read-only");
    });

    for (int attempt = 0; attempt < 4; attempt++) {
      Restore done = restores.findById(service(RUNNING).start(first.id(), small, RestoreMode.LISTS, null).id()).orElseThrow();
      assertThat(done.state()).as(done.message()).isEqualTo(Restore.State.FAILED);
    }
    assertThat(services.backupRepository.findByInstance(small, 100)).extracting(Backup::id).as("the history as it was")
        .containsExactlyInAnyOrder(first.id(), second.id(), third.id());
    Backup next = services.backups.runBackup(small, Backup.Trigger.MANUAL);

    assertThat(services.backupRepository.findByInstance(small, 100)).extracting(Backup::id).as("retention let the oldest go, as without the restores")
        .containsExactlyInAnyOrder(second.id(), third.id(), next.id());
  }

  /** Outsider 37 (L): a restore said "started" for minutes, while it waited for archive turns, took its safety backup and checked. */
  @Test
  void aRunningRestoreSaysEachStepItTakes() {
    Backup source = services.backups.runBackup(home, Backup.Trigger.MANUAL);
    services.gateway.onImport(() -> List.of("etc/pihole/gravity.db->group"));

    Restore done = restores.findById(service(RUNNING).start(source.id(), home, RestoreMode.LISTS, null).id()).orElseThrow();

    assertThat(done.state()).as(done.message()).isEqualTo(Restore.State.VERIFIED);
    String name = services.instances.find(home).name();
    assertThat(restores.runningMessages()).containsSubsequence("checking backup " + source.id(), "taking the safety backup of '" + name + "'",
        "importing backup " + source.id() + " into '" + name + "'", "waiting for '" + name + "' to restart after the import",
        "checking the result: comparing a fresh export of '" + name + "' with what was intended");
  }

  /** Outsider 33 (M1): the Pi-hole never became ready after the import; its settings were never sent, and the record must not say "restored". */
  @Test
  void aPiholeNotReadyAfterTheImportLeavesItsSettingsNotAppliedAndSaysWhichNeedARetry() {
    Backup source = services.backups.runBackup(home, Backup.Trigger.MANUAL);
    services.gateway.onImport(() -> List.of("etc/pihole/gravity.db->group"));
    services.gateway.failRestart(new PiholeException(PiholeException.Failure.SERVER_UNAVAILABLE,
        "Pi-hole 'Home' was not back from its restart 30 s after the import: it answered HTTP 503 Service Unavailable (not ready yet)"));

    Restore started = service(RUNNING).start(source.id(), home, RestoreMode.LISTS_AND_DNS, null);

    Restore done = restores.findById(started.id()).orElseThrow();
    assertThat(done.state()).as("the import changed it; nothing checked").isEqualTo(Restore.State.UNVERIFIED);
    assertThat(done.message()).startsWith("partly restored: the import of backup " + source.id() + " was applied")
        .contains("answered HTTP 503").contains("2 step(s) were NOT applied: dns.hosts, dns.cnameRecords").contains("restore again")
        .contains("safety backup " + done.snapshotId() + " (pinned)").doesNotContain("restored and verified");
    assertThat(done.refusedSettings()).hasSize(2).allSatisfy(s -> assertThat(s).contains(": NOT applied, the Pi-hole was not ready"));
    assertThat(services.catalog.find(done.snapshotId()).pinned()).as("it may be the way back").isTrue();
  }

  /** Outsider 34: a Pi-hole that timed out, never answering 503, had its steps listed as not applied for "HTTP 503 or restarting". */
  @Test
  void stepsNotAppliedSayWhatThePiholeDidNotA503ItNeverAnswered() {
    Backup source = services.backups.runBackup(home, Backup.Trigger.MANUAL);
    services.gateway.onImport(() -> List.of("etc/pihole/gravity.db->group"));
    services.gateway.failRestart(new PiholeException(PiholeException.Failure.TIMEOUT,
        "Pi-hole 'Home' was not back from its restart 30 s after the import: it took the connection but did not answer"));

    Restore done = restores.findById(service(RUNNING).start(source.id(), home, RestoreMode.LISTS_AND_DNS, null).id()).orElseThrow();

    assertThat(done.state()).isEqualTo(Restore.State.UNVERIFIED);
    assertThat(done.refusedSettings()).hasSize(2).allSatisfy(s -> assertThat(s)
        .contains(": NOT applied, the Pi-hole was not ready (it did not answer in time)").doesNotContain("503"));
  }

  @Test
  void stepsNotAppliedQuoteThePiholesLastAnswerWhereItWasKept() {
    Backup source = services.backups.runBackup(home, Backup.Trigger.MANUAL);
    services.gateway.onImport(() -> List.of("etc/pihole/gravity.db->group"));
    services.gateway.failRestart(new PiholeException(PiholeException.Failure.UNREACHABLE,
        "Pi-hole 'Home' was not back from its restart 30 s after the import: it refused or dropped the connection", "it refused the connection", null));

    Restore done = restores.findById(service(RUNNING).start(source.id(), home, RestoreMode.LISTS_AND_DNS, null).id()).orElseThrow();

    assertThat(done.refusedSettings()).containsExactly(
        "dns.hosts: NOT applied, the Pi-hole was not ready (it refused the connection); restore again to apply it",
        "dns.cnameRecords: NOT applied, the Pi-hole was not ready (it refused the connection); restore again to apply it");
  }

  /** Outsider 33 (L5): the backup holds the password the Pi-hole had; a refused login afterwards is not the restore's doing, and is not said to be. */
  @Test
  void anExactRestoreThatKeptThePasswordSaysALoginRefusedAfterwardsHasAnotherCause() {
    Backup source = services.backups.runBackup(home, Backup.Trigger.MANUAL);
    services.gateway.onImport(() -> {
      // the password changed on the Pi-hole as it restarted: not by the import, whose archive holds the one it had
      services.gateway.fail(new PiholeException(PiholeException.Failure.WRONG_PASSWORD, "Pi-hole 'Home' refused the password"));
      return List.of("etc/pihole/pihole.toml");
    });

    Restore done = restores.findById(service(RUNNING).start(source.id(), home, RestoreMode.EXACT, null).id()).orElseThrow();

    assertThat(done.state()).isEqualTo(Restore.State.UNVERIFIED);
    assertThat(done.message()).contains("the login to check it was refused, and not because of the restore")
        .contains("backup " + source.id() + " holds the password and app password the Pi-hole had before it")
        .contains("PIHOLE_HOME_PASSWORD").doesNotContain("the password it had when backup").doesNotContain("$BALLOON");
    PiholeInstance.Status status = services.instances.find(home).status();
    assertThat(status.connection()).as("outsider 47 F14: the last contact was a refused login, not ok").isEqualTo(io.piholecheckpoint.core.instance.ConnectionStatus.AUTH_ERROR);
    assertThat(status.message()).isEqualTo("Pi-hole 'Home' refused the password");
  }

  /** Outsider 49 F13: a dry run whose login the Pi-hole refused answered wrong_password, and left the instance 'ok' on the dashboard. */
  @Test
  void aDryRunWhoseLoginIsRefusedSetsTheInstanceToAuthErrorAsARestoreWould() {
    Backup source = services.backups.runBackup(home, Backup.Trigger.MANUAL);
    services.gateway.fail(new PiholeException(PiholeException.Failure.WRONG_PASSWORD, "Pi-hole 'Home' refused the password"));

    assertThatThrownBy(() -> service(RUNNING).preview(source.id(), home, RestoreMode.LISTS, null)).isInstanceOf(PiholeException.class);

    PiholeInstance.Status status = services.instances.find(home).status();
    assertThat(status.connection()).as(status.toString()).isEqualTo(io.piholecheckpoint.core.instance.ConnectionStatus.AUTH_ERROR);
    assertThat(status.message()).isEqualTo("Pi-hole 'Home' refused the password");
  }

  /** Outsider 41 (M): an exact restore that turns 2FA on locks out the login configured here, as a changed password does, and says so. */
  @Test
  void anExactRestoreThatTurnsOn2faMarksTheInstanceAnAuthErrorSayingWhatToSet() {
    services.gateway.answer(io.piholecheckpoint.testing.TestArchives.withSetting(io.piholecheckpoint.testing.Fixtures.archiveA(), "totp_secret",
        "JBSWY3DPEHPK3PXP"));
    Backup source = services.backups.runBackup(home, Backup.Trigger.MANUAL);
    services.gateway.answer(io.piholecheckpoint.testing.Fixtures.archiveA()); // 2FA was turned off since
    services.gateway.onImport(() -> {
      // what the gateway says when the Pi-hole asks for a code and none is configured here
      services.gateway.fail(new PiholeException(PiholeException.Failure.TWO_FACTOR,
          "Pi-hole 'Home' has two-factor authentication on: set PIHOLE_HOME_TOTP_SECRET to its TOTP secret, or use an app password"));
      return List.of("etc/pihole/pihole.toml");
    });

    Restore done = restores.findById(service(RUNNING).start(source.id(), home, RestoreMode.EXACT, null).id()).orElseThrow();

    assertThat(done.state()).isEqualTo(Restore.State.UNVERIFIED);
    assertThat(done.message()).contains("two-factor login configured here no longer works")
        .contains("set PIHOLE_HOME_TOTP_SECRET to the backup's 2FA secret and restart Pi-hole Checkpoint");
    PiholeInstance.Status status = services.instances.find(home).status();
    assertThat(status.connection()).as("not ok: the next backup would fail").isEqualTo(io.piholecheckpoint.core.instance.ConnectionStatus.AUTH_ERROR);
    assertThat(status.message()).contains("restore " + done.id() + " brought back the 2FA secret the Pi-hole had when backup " + source.id());
    assertThat(done.message()).as("outsider 47 F14: an unverified restore says how to undo it")
        .contains("safety backup " + done.snapshotId() + " (pinned) holds what it had before — restore it to undo");
  }

  /** Outsider 33 (L9): SIGTERM cut the import off unanswered; the record says "may have been changed", and so must the log. */
  @Test
  void aRestoreStoppedWhileItsImportWentUnansweredLogsThatThePiholeMayHaveBeenChanged() {
    Backup source = services.backups.runBackup(home, Backup.Trigger.MANUAL);
    RestoreService service = service(RUNNING);
    services.gateway.onImport(() -> {
      service.stop();
      throw new PiholeException(PiholeException.Failure.CANCELLED, "Pi-hole 'Home' had not answered the import when Pi-hole Checkpoint stopped;"
          + " it may have applied it");
    });

    Restore stopped;
    String log;
    try (io.piholecheckpoint.testing.CapturedOutput output = io.piholecheckpoint.testing.CapturedOutput.start()) {
      stopped = restores.findById(service.start(source.id(), home, RestoreMode.LISTS, null).id()).orElseThrow();
      log = output.text();
    }

    assertThat(stopped.message()).startsWith("the Pi-hole may have been changed");
    String target = "to Pi-hole '" + services.instances.find(home).name() + "'";
    assertThat(log).contains(target + " may have changed the Pi-hole").doesNotContain(target + " changed the Pi-hole");
  }

  /** Outsider (low): an import refused with a 429 is a refusal, not a change that may have been applied: failed, saying so. */
  @Test
  void anImportRefusedAsRateLimitedFailsAsNothingChanged() {
    Backup source = services.backups.runBackup(home, Backup.Trigger.MANUAL);
    String refusal = "Pi-hole 'Home' is limiting requests and refused the import with HTTP 429; nothing was applied. Try again in 30 s (its Retry-After)";
    services.gateway.onImport(() -> {
      throw new PiholeException(PiholeException.Failure.RATE_LIMITED, refusal);
    });

    Restore done = restores.findById(service(RUNNING).start(source.id(), home, RestoreMode.LISTS, null).id()).orElseThrow();

    assertThat(done.state()).as(done.message()).isEqualTo(Restore.State.FAILED);
    assertThat(done.message()).startsWith(refusal).contains("was deleted again: nothing was applied");
  }

  /** Outsider (low): an unverified restore's WARN line named no backup that undoes it; the record did only when its import failed. */
  @Test
  void anUnverifiedRestoresWarnLineNamesTheSafetyBackupThatUndoesIt() {
    Backup source = services.backups.runBackup(home, Backup.Trigger.MANUAL);
    services.gateway.onImport(() -> {
      services.gateway.fail(new PiholeException(PiholeException.Failure.SERVER_ERROR, "Pi-hole 'Home' answered the export with HTTP 500"));
      return List.of("etc/pihole/gravity.db->group");
    });
    Restore notChecked = restoreLogged(source);
    services.gateway.fail(null);
    services.gateway.onImport(() -> {
      throw PiholeException.outcomeUnknown(PiholeException.Failure.SERVER_ERROR, "Pi-hole 'Home' answered the Teleporter import with HTTP 500");
    });
    Restore notKnown = restoreLogged(source);

    for (Restore done : List.of(notChecked, notKnown)) {
      String undo = "safety backup " + done.snapshotId() + " (pinned) holds what it had before — restore it to undo";
      assertThat(done.state()).as(done.message()).isEqualTo(Restore.State.UNVERIFIED);
      assertThat(done.message()).containsIgnoringCase(undo);
      assertThat(logged.get(done.id())).contains("WARN").contains("Restore " + done.id() + " of backup " + source.id()).contains(undo);
    }
  }

  private final java.util.Map<Long, String> logged = new java.util.HashMap<>();

  private Restore restoreLogged(Backup source) {
    try (io.piholecheckpoint.testing.CapturedOutput output = io.piholecheckpoint.testing.CapturedOutput.start()) {
      Restore done = restores.findById(service(RUNNING).start(source.id(), home, RestoreMode.LISTS, null).id()).orElseThrow();
      logged.put(done.id(), output.text());
      return done;
    }
  }

  /** Outsider 39 (M): an import answered HTTP 500 was "no answer said whether it was applied, but … HTTP 500" in the record, "unanswered" in the log. */
  @Test
  void anImportAnsweredWithAServerErrorIsSaidInTheSameTrueWordsInTheRecordAndTheLog() {
    Backup source = services.backups.runBackup(home, Backup.Trigger.MANUAL);
    services.gateway.onImport(() -> {
      throw PiholeException.outcomeUnknown(PiholeException.Failure.SERVER_ERROR,
          "Pi-hole 'Home' answered the Teleporter import with HTTP 500 Internal Server Error — check its logs");
    });

    Restore done;
    String log;
    try (io.piholecheckpoint.testing.CapturedOutput output = io.piholecheckpoint.testing.CapturedOutput.start()) {
      done = restores.findById(service(RUNNING).start(source.id(), home, RestoreMode.LISTS, null).id()).orElseThrow();
      log = output.text();
    }

    String said = "a change was sent to it, and whether it was applied is not known";
    assertThat(done.state()).isEqualTo(Restore.State.UNVERIFIED);
    assertThat(done.message()).startsWith("the Pi-hole may have been changed (" + said + "): Pi-hole 'Home' answered the Teleporter import with HTTP 500")
        .doesNotContain("no answer said");
    assertThat(log).contains("may have changed the Pi-hole (" + said + ")").contains("HTTP 500").doesNotContain("unanswered");
  }

  /**
   * Each read of a stored archive decrypts and hashes all of it (an encrypted 50 MB archive under the image's C1-only JVM: seconds
   * each), and a restore checks its backup twice, at its request and when it runs: each check is one read, not an open before it
   * too. The others: the parts it holds, and one read held through the run for its settings, the import (through the catalog) and
   * the comparison afterwards.
   */
  @Test
  void aRestoreReadsItsBackupsArchiveOnceForEachCheck() {
    Backup source = services.backups.runBackup(home, Backup.Trigger.MANUAL);
    services.gateway.onImport(() -> List.of("etc/pihole/gravity.db->group"));
    List<String> reads = new ArrayList<>();
    ArchiveStore counted = (ArchiveStore) Proxy.newProxyInstance(ArchiveStore.class.getClassLoader(), new Class<?>[] {ArchiveStore.class},
        (proxy, method, args) -> {
          Object of = args == null ? null : args[0] instanceof Archive archive ? archive.fileName() : args[0];
          if ((method.getName().equals("open") || method.getName().equals("verify")) && source.fileName().equals(of)) {
            reads.add(method.getName());
          }
          try {
            return method.invoke(services.archives, args);
          } catch (InvocationTargetException e) {
            throw e.getCause();
          }
        });
    BackupCatalog catalog = new BackupCatalog(services.instances, services.backupRepository, counted);
    RestoreGraph graph = RestoreGraph.of(services.backups.safeChanges(), catalog, services.instances, new ArchiveDownloader(services.gateway,
        TestServices.PASSWORD_ONLY, services.archives, DownloadPolicy.DEFAULT, new RecordingPause(), Clock.systemUTC()), counted, new TeleporterContents(Clock.systemUTC()), restores,
        clock, Events.NONE, ArchiveWork.unbounded());

    Restore started = graph.service(new SameThread(), RUNNING).start(source.id(), home, RestoreMode.LISTS, null);

    assertThat(restores.findById(started.id()).orElseThrow().state()).isEqualTo(Restore.State.VERIFIED);
    assertThat(reads).as("the reads of the backup's archive").containsExactly("verify", "open", "verify", "open");
  }

  /** The safety backup's own retention ran with MAX_BACKUPS already reached: the restored backup was its one deletion. */
  @Test
  void restoringTheOldestOfMaxBackupsKeepsItAndStoresTheSafetyBackupPinned() {
    long small = instanceWith(new RetentionPolicy(3, 0, 0, 0, 0));
    Backup oldest = services.backups.runBackup(small, Backup.Trigger.MANUAL);
    services.backups.runBackup(small, Backup.Trigger.MANUAL);
    services.backups.runBackup(small, Backup.Trigger.MANUAL);
    services.gateway.onImport(() -> List.of("etc/pihole/gravity.db->group"));

    Restore started = service(RUNNING).start(oldest.id(), small, RestoreMode.LISTS, null);

    Restore done = restores.findById(started.id()).orElseThrow();
    assertThat(done.state()).as(done.message()).isEqualTo(Restore.State.VERIFIED);
    assertThat(services.backupRepository.findById(oldest.id())).as("the restored backup").isPresent();
    assertThat(services.catalog.find(done.snapshotId()).pinned()).isTrue();
    assertThat(services.catalog.find(done.snapshotId()).trigger()).as("listed as what it is, not as a person's manual backup")
        .isEqualTo(Backup.Trigger.SAFETY);
  }

  /** Older than MAX_AGE_DAYS but not yet pruned (no backup ran since): the safety backup's retention must not take it from the restore. */
  @Test
  void restoringABackupRetentionWouldLetGoKeepsItForTheRestore() {
    long aged = instanceWith(new RetentionPolicy(0, 30, 0, 0, 0));
    Backup old = services.backups.runBackup(aged, Backup.Trigger.MANUAL);
    clock.advance(java.time.Duration.ofDays(20));
    services.backups.runBackup(aged, Backup.Trigger.MANUAL);
    clock.advance(java.time.Duration.ofDays(11));
    services.gateway.onImport(() -> List.of("etc/pihole/gravity.db->group"));

    Restore started = service(RUNNING).start(old.id(), aged, RestoreMode.LISTS, null);

    Restore done = restores.findById(started.id()).orElseThrow();
    assertThat(done.state()).as(done.message()).isEqualTo(Restore.State.VERIFIED);
    assertThat(services.backupRepository.findById(old.id())).as("the restored backup").isPresent();
    assertThat(services.retention.prune(services.instances.find(aged), clock.instant())).as("once the restore is over, retention lets it go")
        .extracting(d -> d.backup().id()).containsExactly(old.id());
  }

  @Test
  void anUnexpectedFailureOfTheImportKeepsItsOwnTextInTheLogAndSaysThePiholeMayHaveBeenChanged() {
    Backup source = services.backups.runBackup(home, Backup.Trigger.MANUAL);

    // the scripted Pi-hole's import throws an exception nobody classified, with an internal text
    Restore started = service(RUNNING).start(source.id(), home, RestoreMode.LISTS, null);

    Restore failed = restores.findById(started.id()).orElseThrow();
    assertThat(failed.state()).as("whether the import was applied is not known").isEqualTo(Restore.State.UNVERIFIED);
    assertThat(failed.message()).doesNotContain("the scripted gateway only exports")
        .startsWith("the Pi-hole may have been changed")
        .contains("failed unexpectedly (UnsupportedOperationException")
        .contains("Safety backup " + failed.snapshotId() + " (pinned)")
        .contains("server log has the details");
  }

  /** The database went out of reach (its read for the check refused a connection): said as such, not as a failure nobody knows. */
  @Test
  void aRestoreTheDatabaseFailedAfterItsImportSaysTheCheckCouldNotRunBecauseTheDatabaseWasUnreachable() {
    Backup source = services.backups.runBackup(home, Backup.Trigger.MANUAL);
    services.gateway.onImport(() -> {
      throw new org.apache.ibatis.exceptions.PersistenceException("### Error querying database",
          new java.sql.SQLException("Connection to 127.0.0.1:5432 refused", "08001"));
    });

    Restore started = service(RUNNING).start(source.id(), home, RestoreMode.LISTS, null);

    Restore failed = restores.findById(started.id()).orElseThrow();
    assertThat(failed.state()).isEqualTo(Restore.State.UNVERIFIED);
    assertThat(failed.message()).contains("the check of the result could not run: the database could not be reached")
        .contains("DATABASE_URL").contains("Safety backup " + failed.snapshotId() + " (pinned)").doesNotContain("unexpectedly");
  }

  @Test
  void aRestoreStoppedAfterItsImportWasAnsweredSaysThePiholeWasChangedChecksNothingAndLogsOut() {
    Backup source = services.backups.runBackup(home, Backup.Trigger.MANUAL);
    RestoreService service = service(RUNNING);
    services.gateway.onImport(() -> {
      service.stop(); // SIGTERM while the Pi-hole works on the import, which it then applies
      return List.of("etc/pihole/gravity.db->group");
    });
    int loginsBefore = services.gateway.logins();

    Restore started = service.start(source.id(), home, RestoreMode.LISTS_AND_DNS, null);

    Restore stopped = restores.findById(started.id()).orElseThrow();
    assertThat(stopped.state()).isEqualTo(Restore.State.UNVERIFIED);
    assertThat(stopped.message()).startsWith("partly restored: the Pi-hole WAS changed (restoring backup " + source.id() + " had begun)")
        .contains("Pi-hole Checkpoint stopped before the restore could finish and check it")
        .contains("2 step(s) were NOT applied: dns.hosts, dns.cnameRecords")
        .contains("Safety backup " + stopped.snapshotId() + " (pinned)");
    assertThat(stopped.refusedSettings()).as("the local DNS was never sent").hasSize(2).allMatch(line -> line.contains("NOT applied"));
    assertThat(stopped.finishedAt()).isNotNull();
    assertThat(services.gateway.logins()).as("the safety backup and the import; no export to check").isEqualTo(loginsBefore + 2);
    assertThat(services.gateway.openSessions()).as("logged out").isZero();
    assertThat(Thread.currentThread().isInterrupted()).as("the stop's interrupt ended with the restore").isFalse();
  }

  @Test
  void aRestoreIsQueuedUntilItStartsAndAQueuedOneDoesNotStartOnceStopped() {
    Backup source = services.backups.runBackup(home, Backup.Trigger.MANUAL);
    List<Runnable> queued = new ArrayList<>();
    RestoreService service = service(RUNNING, queued::add);
    int loginsBefore = services.gateway.logins();

    Restore waiting = service.start(source.id(), home, RestoreMode.LISTS, null);

    assertThat(restores.findById(waiting.id()).orElseThrow().state()).isEqualTo(Restore.State.QUEUED);
    assertThat(restores.findById(waiting.id()).orElseThrow().finished()).isFalse();
    service.stop();
    queued.remove(0).run();
    Restore notStarted = restores.findById(waiting.id()).orElseThrow();
    assertThat(notStarted.state()).isEqualTo(Restore.State.FAILED);
    assertThat(notStarted.message()).startsWith("not started: Pi-hole Checkpoint stopped before this restore's turn; nothing was changed");
    assertThat(services.gateway.logins()).isEqualTo(loginsBefore);
  }

  @Test
  void aRestoreIsRunningOnceItStarts() {
    Backup source = services.backups.runBackup(home, Backup.Trigger.MANUAL);
    List<Restore.State> seen = new ArrayList<>();
    services.gateway.onImport(() -> {
      restores.findByTarget(home, 1).forEach(r -> seen.add(r.state()));
      throw new PiholeException(PiholeException.Failure.SERVER_ERROR, "refused");
    });

    service(RUNNING).start(source.id(), home, RestoreMode.LISTS, null);

    assertThat(seen).containsExactly(Restore.State.RUNNING);
  }

  /**
   * A client that reads a restore's outcome and at once asks for the next one is not refused as if the first still ran: between
   * the outcome's record and the moment its thread lets the target go, the next request waits for that moment.
   */
  @Test
  void aRestoreAskedForOnceTheLastOutcomeIsRecordedWaitsForItToLetGoInsteadOfBeingRefused() throws Exception {
    Backup source = services.backups.runBackup(home, Backup.Trigger.MANUAL);
    java.util.concurrent.CountDownLatch recorded = new java.util.concurrent.CountDownLatch(1);
    java.util.concurrent.CountDownLatch letGo = new java.util.concurrent.CountDownLatch(1);
    RestoreRepository holding = (RestoreRepository) java.lang.reflect.Proxy.newProxyInstance(RestoreRepository.class.getClassLoader(),
        new Class<?>[] {RestoreRepository.class}, (proxy, method, args) -> {
          Object result = method.invoke(restores, args);
          if (method.getName().equals("update") && ((Restore) args[0]).finished() && recorded.getCount() > 0) {
            recorded.countDown();
            letGo.await(60, java.util.concurrent.TimeUnit.SECONDS); // the outcome is on record; its thread has not let go yet
          }
          return result;
        });
    RestoreService service = service(RUNNING, task -> new Thread(task, "restore").start(), holding);
    Restore first = service.start(source.id(), home, RestoreMode.LISTS, null);
    assertThat(recorded.await(60, java.util.concurrent.TimeUnit.SECONDS)).isTrue();

    java.util.concurrent.FutureTask<Restore> next = new java.util.concurrent.FutureTask<>(() -> service.start(source.id(), home, RestoreMode.LISTS, null));
    Thread asking = new Thread(next, "asking");
    asking.start();
    Eventually.until("the next request waits or is answered", java.time.Duration.ofSeconds(60),
        () -> next.isDone() || asking.getState() == Thread.State.TIMED_WAITING);
    letGo.countDown();

    Restore second = next.get(60, java.util.concurrent.TimeUnit.SECONDS);
    assertThat(second.id()).isNotEqualTo(first.id());
    Eventually.until("the second restore ended", java.time.Duration.ofSeconds(60), () -> restores.findById(second.id()).orElseThrow().finished());
  }

  @Test
  void aSecondRestoreToATargetWhoseRestoreIsQueuedOrRunningIsRefusedNamingIt() {
    Backup source = services.backups.runBackup(home, Backup.Trigger.MANUAL);
    List<Runnable> queued = new ArrayList<>();
    RestoreService service = service(RUNNING, queued::add);

    Restore first = service.start(source.id(), home, RestoreMode.LISTS, null);

    assertThatThrownBy(() -> service.start(source.id(), home, RestoreMode.EXACT, null))
        .isInstanceOf(BackupConflictException.class)
        .hasMessageContaining("restore " + first.id() + " (of backup " + source.id() + ")")
        .hasMessageContaining("/api/v1/restores/" + first.id());
    assertThat(restores.findByTarget(home, 10)).hasSize(1);

    queued.remove(0).run();
    assertThat(restores.findById(first.id()).orElseThrow().finished()).isTrue();
    Restore next = service.start(source.id(), home, RestoreMode.LISTS, null);
    assertThat(next.id()).isNotEqualTo(first.id());
  }

  @Test
  void aRestoreWhoseSafetyBackupFailsLinksNone() {
    Backup source = services.backups.runBackup(home, Backup.Trigger.MANUAL);
    services.gateway.fail(new IllegalStateException("unreachable"));

    Restore started = service(RUNNING).start(source.id(), home, RestoreMode.LISTS, null);

    Restore failed = restores.findById(started.id()).orElseThrow();
    assertThat(failed.state()).isEqualTo(Restore.State.FAILED);
    assertThat(failed.snapshotId()).isNull();
    assertThat(failed.message()).startsWith("nothing was changed");
  }

  /** Outsider 39 (M): an import answered 401 ended the restore "failed"; a 401 means "log in again", and the import applied nothing. */
  @Test
  void anImportAnswered401IsSentOnceMoreAfterANewLogin() {
    Backup source = services.backups.runBackup(home, Backup.Trigger.MANUAL);
    java.util.concurrent.atomic.AtomicInteger imports = new java.util.concurrent.atomic.AtomicInteger();
    services.gateway.onImport(() -> {
      if (imports.incrementAndGet() == 1) {
        throw new PiholeException(PiholeException.Failure.WRONG_PASSWORD, "Pi-hole 'Home' answered the import with HTTP 401: it no longer knew the"
            + " session, and applied nothing");
      }
      return List.of("etc/pihole/gravity.db->group");
    });
    int loginsBefore = services.gateway.logins();

    Restore done = restores.findById(service(RUNNING).start(source.id(), home, RestoreMode.LISTS, null).id()).orElseThrow();

    assertThat(done.state()).as(done.message()).isEqualTo(Restore.State.VERIFIED);
    assertThat(imports.get()).isEqualTo(2);
    // the safety backup's login, the restore's two, the check's export
    assertThat(services.gateway.logins() - loginsBefore).isEqualTo(4);
  }

  /** Outsider 39 (M): with its session gone after the restart, the wait ran out its 30 s and the restore ended "unverified". */
  @Test
  void aSessionEndedAtTheRestartIsReplacedAndTheRestoreGoesOn() {
    Backup source = services.backups.runBackup(home, Backup.Trigger.MANUAL);
    services.gateway.onImport(() -> List.of("etc/pihole/gravity.db->group"));
    services.gateway.failNextRestart(new PiholeException(PiholeException.Failure.WRONG_PASSWORD,
        "Pi-hole 'Home' answered again after the import, but no longer knew the session (GET /api/info/ftl answered HTTP 401)"));

    Restore done = restores.findById(service(RUNNING).start(source.id(), home, RestoreMode.LISTS, null).id()).orElseThrow();

    assertThat(done.state()).as(done.message()).isEqualTo(Restore.State.VERIFIED);
    assertThat(done.message()).isEqualTo("restored and verified");
  }

  /**
   * Outsider 40 (M): the Pi-hole ended the session as it went down; the new login came ~60 ms later, the settings after it met
   * a Pi-hole still down ("EOF reached while reading"), and the readiness check never ran. The new login waits out the refused
   * connections, then the wait goes on through the new session.
   */
  @Test
  void aNewLoginAfterASessionEndedAtTheRestartWaitsOutTheRestartAndTheWaitGoesOn() {
    Backup source = services.backups.runBackup(home, Backup.Trigger.MANUAL);
    services.gateway.onImport(() -> {
      services.gateway.failNextRestart(new PiholeException(PiholeException.Failure.WRONG_PASSWORD,
          "Pi-hole 'Home' answered again after the import, but no longer knew the session (GET /api/info/ftl answered HTTP 401)"));
      services.gateway.failTimes(2, new PiholeException(PiholeException.Failure.UNREACHABLE,
          "Pi-hole 'Home' could not be reached: EOF reached while reading"));
      return List.of("etc/pihole/gravity.db->group");
    });

    Restore done = restores.findById(service(RUNNING).start(source.id(), home, RestoreMode.LISTS, null).id()).orElseThrow();

    assertThat(done.state()).as(done.message()).isEqualTo(Restore.State.VERIFIED);
    assertThat(services.gateway.restartWaits()).as("the readiness wait ran again, through the new session").isEqualTo(2);
    String name = services.instances.find(home).name();
    assertThat(restores.runningMessages()).containsSubsequence("waiting for '" + name + "' to restart after the import",
        "logging in to '" + name + "' again: it ended the session at its restart", "waiting for '" + name + "' to restart after the import");
  }

  /** Outsider 40 (M): when the new login never succeeds within the restart wait, the steps not sent are named, not left out. */
  @Test
  void aNewLoginThatNeverSucceedsWithinTheRestartWaitLeavesTheStepsNamedAsNotApplied() {
    Backup source = services.backups.runBackup(home, Backup.Trigger.MANUAL);
    services.gateway.onImport(() -> {
      services.gateway.failNextRestart(new PiholeException(PiholeException.Failure.WRONG_PASSWORD,
          "Pi-hole 'Home' answered again after the import, but no longer knew the session (GET /api/info/ftl answered HTTP 401)"));
      services.gateway.failTimes(Integer.MAX_VALUE, new PiholeException(PiholeException.Failure.UNREACHABLE,
          "Pi-hole 'Home' could not be reached: EOF reached while reading"));
      return List.of("etc/pihole/gravity.db->group");
    });

    Restore done = restores.findById(service(RUNNING).start(source.id(), home, RestoreMode.LISTS_AND_DNS, null).id()).orElseThrow();

    assertThat(done.state()).isEqualTo(Restore.State.UNVERIFIED);
    assertThat(done.message()).startsWith("partly restored: the import of backup " + source.id() + " was applied")
        .contains("logging in again did not succeed within the 30 s of the restart wait")
        .contains("2 step(s) were NOT applied: dns.hosts, dns.cnameRecords").contains("safety backup " + done.snapshotId() + " (pinned)");
    assertThat(done.refusedSettings()).hasSize(2).allSatisfy(s -> assertThat(s).contains(": NOT applied, the Pi-hole was not ready"));
  }

  /** A Pi-hole that ends every new session during its restart does not hold the restore in logins: it ends, saying so. */
  @Test
  void aPiholeThatEndsEveryNewSessionEndsTheRestartWaitAfterAFewLogins() {
    Backup source = services.backups.runBackup(home, Backup.Trigger.MANUAL);
    services.gateway.onImport(() -> List.of("etc/pihole/gravity.db->group"));
    services.gateway.failRestart(new PiholeException(PiholeException.Failure.WRONG_PASSWORD,
        "Pi-hole 'Home' answered again after the import, but no longer knew the session (GET /api/info/ftl answered HTTP 401)"));

    Restore done = restores.findById(service(RUNNING).start(source.id(), home, RestoreMode.LISTS_AND_DNS, null).id()).orElseThrow();

    assertThat(done.state()).isEqualTo(Restore.State.UNVERIFIED);
    assertThat(done.message()).startsWith("partly restored").contains("ended the session again after 3 new login(s)");
    assertThat(services.gateway.restartWaits()).isEqualTo(4);
  }

  /** Outsider 39 (M): a restore that ended at its failed safety backup left no line in the log; every outcome gets one. */
  @Test
  void aRestoreWhoseSafetyBackupFailsSaysSoInTheLogWithWhatToDo() {
    Backup source = services.backups.runBackup(home, Backup.Trigger.MANUAL);
    services.gateway.fail(new PiholeException(PiholeException.Failure.UNREACHABLE, "Pi-hole 'Home' could not be reached: connection refused"));

    Restore failed;
    String log;
    try (io.piholecheckpoint.testing.CapturedOutput output = io.piholecheckpoint.testing.CapturedOutput.start()) {
      failed = restores.findById(service(RUNNING).start(source.id(), home, RestoreMode.LISTS, null).id()).orElseThrow();
      log = output.text();
    }

    assertThat(failed.state()).isEqualTo(Restore.State.FAILED);
    assertThat(failed.message()).contains("restore again once a backup of it succeeds");
    assertThat(log).contains("Restore " + failed.id() + " of backup " + source.id() + " to '" + services.instances.find(home).name() + "': "
        + failed.message());
  }

  @Test
  void aStandbyRefusesRestoresButStillPreviewsThem() {
    Backup source = services.backups.runBackup(home, Backup.Trigger.MANUAL);
    int backupsBefore = services.backupRepository.findSuccessful(home).size();
    RestoreService standby = service(STANDBY);

    assertThatThrownBy(() -> standby.start(source.id(), home, RestoreMode.LISTS, null))
        .isInstanceOf(BackupConflictException.class)
        .hasMessageContaining("scheduler is not running")
        .hasMessageContaining("another Pi-hole Checkpoint process holds")
        .hasMessageContaining("process that runs the schedules");
    assertThat(restores.findByTarget(home, 10)).isEmpty();
    assertThat(services.backupRepository.findSuccessful(home)).hasSize(backupsBefore);

    assertThat(standby.preview(source.id(), home, RestoreMode.LISTS, null)).isNotNull();
  }

  @Test
  void anUnknownBackupOrTargetIsNotFoundEvenOnAStandby() {
    Backup source = services.backups.runBackup(home, Backup.Trigger.MANUAL);
    RestoreService standby = service(STANDBY);

    assertThatThrownBy(() -> standby.start(source.id() + 1000, home, RestoreMode.LISTS, null)).isInstanceOf(BackupNotFoundException.class);
    assertThatThrownBy(() -> standby.start(source.id(), home + 1000, RestoreMode.LISTS, null)).isInstanceOf(InstanceNotFoundException.class);
    assertThat(restores.findByTarget(home, 10)).isEmpty();
  }

  @Test
  void aRestoreBehindASyncOfItsTargetSaysItWaitsForTheSyncThenRuns() throws Exception {
    Backup source = services.backups.runBackup(home, Backup.Trigger.MANUAL);
    java.util.concurrent.CountDownLatch held = new java.util.concurrent.CountDownLatch(1);
    java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
    java.util.concurrent.CompletableFuture<Boolean> sync = java.util.concurrent.CompletableFuture.supplyAsync(() ->
        services.backups.exclusively(home, "a sync of 'Home' (group home)", () -> {
          held.countDown();
          try {
            return release.await(60, java.util.concurrent.TimeUnit.SECONDS);
          } catch (InterruptedException e) {
            throw new IllegalStateException(e);
          }
        }));
    assertThat(held.await(60, java.util.concurrent.TimeUnit.SECONDS)).isTrue();

    java.util.concurrent.atomic.AtomicReference<Thread> runner = new java.util.concurrent.atomic.AtomicReference<>();
    Restore started = service(RUNNING, startingIn(runner)).start(source.id(), home, RestoreMode.LISTS, null);

    assertThat(started.message()).as("queued, it names the sync too").isEqualTo("waiting for its turn: a sync of 'Home' (group home) is running");
    Eventually.until("the restore waits", java.time.Duration.ofSeconds(60), () -> runner.get().getState() == Thread.State.WAITING);
    assertThat(restores.findById(started.id()).orElseThrow().state()).as("nothing of it started: still queued, as README says")
        .isEqualTo(Restore.State.QUEUED);
    assertThat(restores.findById(started.id()).orElseThrow().message()).isEqualTo("waiting for its turn: a sync of 'Home' (group home) is running");
    release.countDown();
    assertThat(sync.get()).isTrue();
    Eventually.until("the restore ran", java.time.Duration.ofSeconds(60), () -> restores.findById(started.id()).orElseThrow().finishedAt() != null);
    assertThat(restores.findById(started.id()).orElseThrow().snapshotId()).as("it went on once the sync was done").isNotNull();
  }

  @Test
  void aRestoreBehindABackupOfItsTargetStaysQueuedNamingThatBackupUntilItStarts() throws Exception {
    Backup source = services.backups.runBackup(home, Backup.Trigger.MANUAL);
    services.gateway.onImport(List::of);
    services.gateway.closeGate();
    java.util.concurrent.CompletableFuture<Backup> backup =
        java.util.concurrent.CompletableFuture.supplyAsync(() -> services.backups.runBackup(home, Backup.Trigger.SCHEDULED));
    Eventually.until("the backup downloads", java.time.Duration.ofSeconds(60), () -> services.gateway.exportsInProgress() == 1);
    java.util.concurrent.atomic.AtomicReference<Thread> runner = new java.util.concurrent.atomic.AtomicReference<>();

    Restore started = service(RUNNING, startingIn(runner)).start(source.id(), home, RestoreMode.LISTS, null);

    assertThat(started.state()).isEqualTo(Restore.State.QUEUED);
    assertThat(started.message()).as("it names the backup").isEqualTo("waiting for its turn: a backup of 'Pi-hole HOME' is running");
    Eventually.until("the restore waits for the backup", java.time.Duration.ofSeconds(60), () -> runner.get().getState() == Thread.State.WAITING);
    Restore waiting = restores.findById(started.id()).orElseThrow();
    assertThat(waiting.state()).as("queued, not \"running, started\"").isEqualTo(Restore.State.QUEUED);
    assertThat(waiting.message()).isEqualTo("waiting for its turn: a backup of 'Pi-hole HOME' is running");
    services.gateway.openGate();
    assertThat(backup.get(60, java.util.concurrent.TimeUnit.SECONDS).status()).isEqualTo(Backup.Status.SUCCESS);
    Eventually.until("the restore ran", java.time.Duration.ofSeconds(60), () -> restores.findById(started.id()).orElseThrow().finishedAt() != null);
    assertThat(restores.findById(started.id()).orElseThrow().snapshotId()).as("it went on once the backup was done").isNotNull();
  }

  /** Runs the restore on a thread of its own, kept in {@code runner}: the test waits until it blocks for its target's turn. */
  private static java.util.concurrent.Executor startingIn(java.util.concurrent.atomic.AtomicReference<Thread> runner) {
    return task -> {
      Thread thread = new Thread(task);
      runner.set(thread);
      thread.start();
    };
  }

  @Test
  void aRestoreBehindABackupsArchiveWorkNamesThatBackupWhileItIsQueuedAndWhileItWaits() throws Exception {
    Backup source = services.backups.runBackup(home, Backup.Trigger.MANUAL);
    services.gateway.onImport(List::of);
    long small = instanceWith(RetentionPolicy.DEFAULT);
    // one turn, taken by a backup of SMALL, whose inspection the test holds: the archive work of the restore to HOME waits behind it
    ArchiveWork work = new ArchiveWork(1, java.time.Duration.ofSeconds(30));
    java.util.concurrent.CountDownLatch inspecting = new java.util.concurrent.CountDownLatch(1);
    java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
    io.piholecheckpoint.core.archive.ArchiveInspector held = archive -> {
      inspecting.countDown();
      try {
        if (!release.await(60, java.util.concurrent.TimeUnit.SECONDS)) {
          throw new IllegalStateException("never released");
        }
      } catch (InterruptedException e) {
        throw new IllegalStateException(e);
      }
      return new io.piholecheckpoint.teleporter.TeleporterInspector().inspect(archive);
    };
    ArchiveStore store = new io.piholecheckpoint.storage.LocalArchiveStore(dir, new io.piholecheckpoint.core.archive.work.GatedInspector(held, work),
        d -> Long.MAX_VALUE);
    ArchiveDownloader downloader = new ArchiveDownloader(services.gateway, TestServices.PASSWORD_ONLY, store, DownloadPolicy.DEFAULT, new RecordingPause(), Clock.systemUTC());
    io.piholecheckpoint.testing.BackupGraph backups = io.piholecheckpoint.testing.BackupGraph.of(services.catalog, services.instances,
        services.backupRepository, downloader, store, new TeleporterContents(Clock.systemUTC()), services.retention, clock, Events.NONE,
        new io.piholecheckpoint.core.backup.runs.RunTrail(io.piholecheckpoint.core.backup.runs.RunMarkers.NONE,
        io.piholecheckpoint.core.backup.runs.RunEnd.separately(services.backupRepository, services.instances,
        io.piholecheckpoint.core.backup.runs.RunMarkers.NONE), io.piholecheckpoint.testing.TestTimes.UTC), work);
    RestoreGraph graph = RestoreGraph.of(backups.safeChanges(), services.catalog, services.instances, downloader, store, new TeleporterContents(Clock.systemUTC()), restores,
        clock, Events.NONE, work);
    java.util.concurrent.CompletableFuture<Backup> backup = java.util.concurrent.CompletableFuture.supplyAsync(
        () -> backups.runBackup(small, Backup.Trigger.MANUAL));
    assertThat(inspecting.await(60, java.util.concurrent.TimeUnit.SECONDS)).isTrue();

    Restore queued = graph.admission().begin(source.id(), home, RestoreMode.LISTS);
    java.util.concurrent.CompletableFuture<Restore> restore = java.util.concurrent.CompletableFuture.supplyAsync(
        () -> graph.runner().run(queued, RestoreParts.of(RestoreMode.LISTS, null)));

    assertThat(queued.message()).isEqualTo("waiting for its turn; backup %d is checked when a backup of 'Pi-hole SMALL' lets it".formatted(source.id()));
    String waiting = "checking backup %d: waiting for its turn, taken by a backup of 'Pi-hole SMALL' (ARCHIVE_PARALLEL at once)".formatted(source.id());
    Eventually.until("the running restore says what it waits behind", java.time.Duration.ofSeconds(60),
        () -> waiting.equals(restores.findById(queued.id()).orElseThrow().message()));
    release.countDown();
    assertThat(backup.get(60, java.util.concurrent.TimeUnit.SECONDS).successful()).isTrue();
    Restore done = restore.get(60, java.util.concurrent.TimeUnit.SECONDS);
    assertThat(done.state()).as(done.message()).isEqualTo(Restore.State.VERIFIED);
    assertThat(work.busyWith()).isEmpty();
  }

  /** Outsider 40 (M): a restore queued behind another said only "waiting for its turn" for as long as the first ran. */
  @Test
  void aRestoreQueuedBehindAnotherNamesTheOneAheadOfIt() throws Exception {
    Backup source = services.backups.runBackup(home, Backup.Trigger.MANUAL);
    long small = instanceWith(RetentionPolicy.DEFAULT);
    services.gateway.onImport(List::of);
    java.util.concurrent.ExecutorService oneAtATime = java.util.concurrent.Executors.newSingleThreadExecutor();
    try {
      RestoreService service = service(RUNNING, oneAtATime);
      services.gateway.closeGate(); // the first restore's safety backup waits here: it runs while the second is queued
      Restore first = service.start(source.id(), home, RestoreMode.LISTS, null);
      assertThat(services.gateway.awaitExportStarted()).isTrue();

      Restore second = service.start(source.id(), small, RestoreMode.LISTS, null);

      assertThat(restores.findById(second.id()).orElseThrow().message())
          .isEqualTo("waiting for its turn: behind restore %d to Pi-hole 'Pi-hole HOME'".formatted(first.id()));
      services.gateway.openGate();
      Eventually.until("both ran", java.time.Duration.ofSeconds(60), () -> restores.findById(second.id()).orElseThrow().finishedAt() != null);
      assertThat(restores.findById(first.id()).orElseThrow().state()).isEqualTo(Restore.State.VERIFIED);
    } finally {
      oneAtATime.shutdownNow();
    }
  }

  private long instanceWith(RetentionPolicy policy) {
    services.instances.applyEnvironment(List.of(aDefinition("HOME", "http://pi.hole"), new InstanceDefinition("SMALL", "Pi-hole SMALL",
        "http://small.pi.hole", TlsTrust.SYSTEM, null, Schedule.DEFAULT, policy, false, true)));
    return services.instances.list().stream().filter(i -> i.name().equals("Pi-hole SMALL")).findFirst().orElseThrow().id();
  }

  private RestoreService service(SchedulerView scheduler) {
    return service(scheduler, new SameThread());
  }

  private RestoreService service(SchedulerView scheduler, java.util.concurrent.Executor executor) {
    return service(scheduler, executor, restores);
  }

  private RestoreService service(SchedulerView scheduler, java.util.concurrent.Executor executor, RestoreRepository restores) {
    ArchiveDownloader downloader = new ArchiveDownloader(services.gateway, TestServices.PASSWORD_ONLY, services.archives, DownloadPolicy.DEFAULT,
        new RecordingPause(), Clock.systemUTC());
    return RestoreGraph.of(services.backups.safeChanges(), services.catalog, services.instances, downloader, services.archives,
        new TeleporterContents(Clock.systemUTC()), restores, clock, Events.NONE, ArchiveWork.unbounded()).service(executor, scheduler);
  }

  private static SchedulerView view(SchedulerStatus status) {
    return new SchedulerView() {
      @Override
      public SchedulerStatus status() {
        return status;
      }

      @Override
      public Optional<Instant> nextRun(long instanceId) {
        return Optional.empty();
      }
    };
  }
}
