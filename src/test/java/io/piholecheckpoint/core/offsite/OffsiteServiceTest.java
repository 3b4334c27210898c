package io.piholecheckpoint.core.offsite;

import io.piholecheckpoint.core.offsite.catalog.OffsiteCatalog;
import io.piholecheckpoint.testing.BackupGraph;
import static org.assertj.core.api.Assertions.assertThat;
import java.time.Clock;

import io.piholecheckpoint.core.archive.ArchiveCipher;
import io.piholecheckpoint.core.archive.ArchiveStore;
import io.piholecheckpoint.core.backup.BackupService;
import io.piholecheckpoint.core.backup.catalog.Backup;
import io.piholecheckpoint.core.backup.catalog.BackupCatalog;
import io.piholecheckpoint.core.backup.events.Events;
import io.piholecheckpoint.core.download.ArchiveDownloader;
import io.piholecheckpoint.core.download.DownloadPolicy;
import io.piholecheckpoint.core.instance.InstanceDefinition;
import io.piholecheckpoint.core.instance.PiholeInstance;
import io.piholecheckpoint.core.instance.RetentionPolicy;
import io.piholecheckpoint.core.instance.TlsTrust;
import io.piholecheckpoint.core.offsite.copy.CopyOutcomes;
import io.piholecheckpoint.core.offsite.copy.CopyRunner;
import io.piholecheckpoint.core.offsite.copy.Uploads;
import io.piholecheckpoint.core.offsite.lanes.LaneStart;
import io.piholecheckpoint.core.offsite.queue.Copy;
import io.piholecheckpoint.core.offsite.remote.Destination;
import io.piholecheckpoint.core.offsite.remote.DestinationConfig;
import io.piholecheckpoint.core.offsite.remote.DestinationException;
import io.piholecheckpoint.core.offsite.remote.DestinationException.Problem;
import io.piholecheckpoint.core.offsite.remote.OffsiteTarget;
import io.piholecheckpoint.core.offsite.remote.OffsiteTargets;
import io.piholecheckpoint.core.offsite.remote.RemoteObject;
import io.piholecheckpoint.core.recovery.PassphraseCheck;
import io.piholecheckpoint.core.registry.InstanceService;
import io.piholecheckpoint.core.retention.RetentionService;
import io.piholecheckpoint.core.schedule.Schedule;
import io.piholecheckpoint.crypto.OpenPgpArchiveCipher;
import io.piholecheckpoint.notify.Notification;
import io.piholecheckpoint.notify.Deliveries;
import io.piholecheckpoint.notify.Notifier;
import io.piholecheckpoint.notify.NotifyEvent;
import io.piholecheckpoint.notify.Outbound;
import io.piholecheckpoint.notify.Provider;
import io.piholecheckpoint.offsite.file.FileDestination;
import io.piholecheckpoint.persistence.Database;
import io.piholecheckpoint.persistence.Dialect;
import io.piholecheckpoint.persistence.MyBatisBackupRepository;
import io.piholecheckpoint.persistence.MyBatisCopyRepository;
import io.piholecheckpoint.persistence.MyBatisInstanceRepository;
import io.piholecheckpoint.storage.LocalArchiveStore;
import io.piholecheckpoint.teleporter.TeleporterContents;
import io.piholecheckpoint.teleporter.TeleporterInspector;
import io.piholecheckpoint.testing.Fixtures;
import io.piholecheckpoint.testing.ForwardingDestination;
import io.piholecheckpoint.testing.MemoryTempDir;
import io.piholecheckpoint.testing.MigratedDatabase;
import io.piholecheckpoint.testing.MovableClock;
import io.piholecheckpoint.testing.RecordingPause;
import io.piholecheckpoint.testing.SameThread;
import io.piholecheckpoint.testing.ScriptedGateway;
import io.piholecheckpoint.testing.TestDialects;
import io.piholecheckpoint.testing.TestInstances;
import io.piholecheckpoint.testing.TestServices;
import io.piholecheckpoint.testing.TestTimes;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.ArgumentsSource;

/** The copy pipeline over a real queue (SQLite and PostgreSQL), a real backup directory and the directory destination. */
@ParameterizedClass
@ArgumentsSource(TestDialects.class)
class OffsiteServiceTest {
  @Parameter
  Dialect dialect;

  private static final String PASSPHRASE = "correct horse battery staple";
  @TempDir(factory = MemoryTempDir.class)
  Path dir;

  private final MovableClock clock = new MovableClock(Instant.parse("2026-12-02T03:00:00Z"));
  private final ScriptedGateway gateway = new ScriptedGateway();
  private final ArchiveCipher cipher = new OpenPgpArchiveCipher(PASSPHRASE.toCharArray());
  private final AtomicInteger wakes = new AtomicInteger();
  private final List<String> outcomes = new ArrayList<>();
  private static final Duration LOCK_WAIT = Duration.ofMillis(500);
  private Database database;
  private MyBatisCopyRepository copies;
  private MyBatisBackupRepository backupRepository;
  private BackupGraph backups;
  private OffsiteService offsite;
  private long home;
  private OffsiteAlerts alerts = OffsiteAlerts.NONE;
  private InstanceService instanceService;
  private MyBatisInstanceRepository instanceRepository;
  private ArchiveStore archives;

  @AfterEach
  void close() {
    if (database != null) {
      database.close();
    }
  }

  /** The app's wiring in small: a backup service whose successful backups queue copies to {@code targets}. */
  private void start(boolean encryptAtRest, RetentionPolicy homeRetention, Destination destination, OffsiteTarget.RemoteRetention retention,
                     List<String> instances) throws IOException {
    // a lock held on purpose (aQueueLockedByAnotherSession…) is refused after 0.5 s, not production's 30; no other test here waits on one
    database = MigratedDatabase.open(dialect, dir, LOCK_WAIT);
    copies = new MyBatisCopyRepository(database);
    backupRepository = new MyBatisBackupRepository(database);
    instanceRepository = new MyBatisInstanceRepository(database, clock);
    instanceService = TestInstances.service(instanceRepository);
    Path backupDir = Files.createDirectories(dir.resolve("backups"));
    archives = new LocalArchiveStore(backupDir, new TeleporterInspector(), ArchiveStore.FreeSpace.OF_FILE_STORE,
        encryptAtRest ? cipher : ArchiveCipher.NONE);
    restart(new OffsiteTarget("NAS", destination, instances, retention, true));
    OffsiteService offsiteAtStart = offsite;
    Events events = new CopyOnBackup(offsiteAtStart, new OffsiteCatalog(offsiteAtStart.targetSet(), copies, clock), wakes::incrementAndGet);
    BackupCatalog catalog = new BackupCatalog(instanceService, backupRepository, archives);
    backups = BackupGraph.of(catalog, instanceService, backupRepository,
        new ArchiveDownloader(gateway, TestServices.PASSWORD_ONLY, archives, DownloadPolicy.DEFAULT, new RecordingPause(), Clock.systemUTC()), archives,
        new TeleporterContents(Clock.systemUTC()), new RetentionService(backupRepository, archives, ZoneOffset.UTC, 7, Events.NONE), clock, events, TestTimes.UTC);
    instanceService.applyEnvironment(List.of(new InstanceDefinition("HOME", "Home", "http://pi.hole", TlsTrust.SYSTEM, null, Schedule.DEFAULT,
        homeRetention, false, true)));
    home = instanceService.list().get(0).id();
  }

  /** A new process over the same database and directories, with this destination: what it keeps in memory starts afresh. */
  private void restart(OffsiteTarget target) {
    CopyRunner runner = new CopyRunner(List.of(target), copies, new Uploads(archives, cipher, backupRepository, instanceRepository), clock,
        (d, outcome) -> outcomes.add(d + ":" + outcome));
    offsite = new OffsiteService(runner, copies, new RemotePruning(copies, backupRepository, instanceRepository, ZoneOffset.UTC, clock), clock,
        alerts, d -> { });
  }

  /** What pages, API, metrics and health read, over the destinations of the service as it is now. */
  private OffsiteCatalog catalog() {
    return new OffsiteCatalog(offsite.targetSet(), copies, clock);
  }

  private void start(Destination destination) throws IOException {
    start(false, new RetentionPolicy(10, 0), destination, OffsiteTarget.RemoteRetention.INSTANCES_OWN, List.of());
  }

  private FileDestination nas() {
    return new FileDestination(new DestinationConfig("NAS", dir.resolve("nas").toUri(), Map.of(), Duration.ofSeconds(5)));
  }

  private Path nasRoot() throws IOException {
    return Files.createDirectories(dir.resolve("nas"));
  }

  private byte[] decrypted(Path file) throws IOException {
    ByteArrayOutputStream plain = new ByteArrayOutputStream();
    try (InputStream in = Files.newInputStream(file)) {
      cipher.decrypt(in, plain);
    }
    return plain.toByteArray();
  }

  private Copy onlyCopy(Backup backup) {
    List<Copy> all = catalog().copiesOf(backup.id());
    assertThat(all).hasSize(1);
    return all.get(0);
  }

  @Nested
  class Copying {
    @Test
    void aSuccessfulBackupIsQueuedAndWakesTheJob() throws Exception {
      start(nas());

      Backup backup = backups.runBackup(home, Backup.Trigger.MANUAL);

      Copy copy = onlyCopy(backup);
      assertThat(copy.state()).isEqualTo(Copy.State.PENDING);
      assertThat(copy.remoteKey()).isEqualTo("home/" + backup.fileName() + ".gpg");
      assertThat(wakes).hasValue(1);
    }

    /**
     * The queue locked by another session as a backup ends: one line says which backup's copies were not queued, why and what
     * happens next, nothing is thrown (Events would log MyBatis's whole error) and the job is still woken, for its catch-up.
     * PostgreSQL only: a table lock that blocks this insert is a PostgreSQL LOCK TABLE refused at lock_timeout (LOCK_WAIT here);
     * SQLite's held file (also busy) is covered by SqliteBusyIT.
     */
    @Test
    void aQueueLockedByAnotherSessionAsABackupEndsIsOneLineAndTheJobIsStillWoken() throws Exception {
      org.junit.jupiter.api.Assumptions.assumeTrue(dialect == Dialect.POSTGRESQL);
      start(nas());
      Backup backup = backups.runBackup(home, Backup.Trigger.MANUAL);
      Events events = new CopyOnBackup(offsite, new OffsiteCatalog(offsite.targetSet(), copies, clock), wakes::incrementAndGet);

      String logged;
      try (io.piholecheckpoint.testing.CapturedOutput log = io.piholecheckpoint.testing.CapturedOutput.start();
           java.sql.Connection locker = MigratedDatabase.connectOutside(database);
           java.sql.Statement lock = locker.createStatement()) {
        locker.setAutoCommit(false);
        lock.execute("LOCK TABLE offsite_copy IN ACCESS EXCLUSIVE MODE");
        events.backupFinished(instanceService.find(home), backup, Duration.ZERO);
        locker.rollback();
        logged = log.text();
      }

      assertThat(wakes).as("the job woken all the same").hasValue(2);
      assertThat(logged).contains("Queueing the off-site copies of backup " + backup.id() + " of 'Home' failed: the database was busy")
          .contains("catch-up queues them").doesNotContain("###").doesNotContain("\tat ");
    }

    @Test
    void aFailedBackupQueuesNothing() throws Exception {
      start(nas());
      gateway.fail(new io.piholecheckpoint.core.gateway.PiholeException(io.piholecheckpoint.core.gateway.PiholeException.Failure.UNREACHABLE, "down"));

      Backup backup = backups.runBackup(home, Backup.Trigger.MANUAL);

      assertThat(backup.successful()).isFalse();
      assertThat(catalog().copiesOf(backup.id())).isEmpty();
    }

    @Test
    void aPlainArchiveLeavesEncryptedAndIsVerifiedAgainstTheBytesSent() throws Exception {
      nasRoot();
      start(nas());
      Backup backup = backups.runBackup(home, Backup.Trigger.MANUAL);

      assertThat(offsite.runDue()).isEqualTo(1);

      Copy copy = onlyCopy(backup);
      assertThat(copy.state()).isEqualTo(Copy.State.VERIFIED);
      Path remote = dir.resolve("nas").resolve(copy.remoteKey());
      byte[] uploaded = Files.readAllBytes(remote);
      assertThat(uploaded).isNotEqualTo(Fixtures.archiveA());
      assertThat(decrypted(remote)).isEqualTo(Fixtures.archiveA());
      assertThat(copy.sentBytes()).isEqualTo(uploaded.length);
      assertThat(copy.sentSha256()).isEqualTo(sha256(uploaded)).isNotEqualTo(backup.archive().sha256());
      assertThat(copy.verifiedAt()).isEqualTo(clock.instant());
      assertThat(outcomes).containsExactly("NAS:verified");
    }

    @Test
    void anArchiveEncryptedAtRestLeavesAsItIsStored() throws Exception {
      nasRoot();
      start(true, new RetentionPolicy(10, 0), nas(), OffsiteTarget.RemoteRetention.INSTANCES_OWN, List.of());
      Backup backup = backups.runBackup(home, Backup.Trigger.MANUAL);

      offsite.runDue();

      Copy copy = onlyCopy(backup);
      assertThat(backup.fileName()).endsWith(".zip.gpg");
      assertThat(copy.remoteKey()).isEqualTo("home/" + backup.fileName());
      assertThat(dir.resolve("nas").resolve(copy.remoteKey())).hasSameBinaryContentAs(dir.resolve("backups").resolve(backup.fileName()));
      assertThat(copy.state()).isEqualTo(Copy.State.VERIFIED);
    }

    @Test
    void aManifestBesideTheCopyDescribesIt() throws Exception {
      nasRoot();
      start(nas());
      Backup backup = backups.runBackup(home, Backup.Trigger.MANUAL);

      offsite.runDue();

      Copy copy = onlyCopy(backup);
      String manifest = Files.readString(dir.resolve("nas").resolve(copy.remoteKey() + ".json"), StandardCharsets.UTF_8);
      assertThat(manifest).contains("\"instance\": \"Home\"", "\"archiveSha256\": \"" + backup.archive().sha256() + "\"",
          "\"uploadedSha256\": \"" + copy.sentSha256() + "\"", "\"encrypted\": true", "\"contentHash\": \"" + backup.archive().contentHash() + "\"",
          "\"piholeFtl\": \"v6.4.1\"", "\"archiveBytes\": " + Fixtures.archiveA().length);
      assertThat(manifest).doesNotContain(PASSPHRASE);
    }

    @Test
    void aDestinationThatTakesOtherInstancesGetsNoCopy() throws Exception {
      start(false, new RetentionPolicy(10, 0), nas(), OffsiteTarget.RemoteRetention.INSTANCES_OWN, List.of("OFFICE"));

      Backup backup = backups.runBackup(home, Backup.Trigger.MANUAL);

      assertThat(catalog().copiesOf(backup.id())).isEmpty();
    }
  }

  @Nested
  class Failures {
    @Test
    void aPassphraseCheckThatFoundTheDestinationOutOfReachAtItsFirstRunIsMadeAtALaterRunOnceDue() throws Exception {
      Path nas = nasRoot();
      start(nas());
      backups.runBackup(home, Backup.Trigger.MANUAL);
      offsite.runDue();
      // the next process runs with another passphrase, and the share is not mounted at its start
      OffsiteTarget target = new OffsiteTarget("NAS", nas(), List.of(), OffsiteTarget.RemoteRetention.INSTANCES_OWN, true);
      PassphraseCheck check = new PassphraseCheck(OffsiteTargets.of(List.of(target)), new OpenPgpArchiveCipher("another".toCharArray()), clock);
      offsite = new OffsiteService(new CopyRunner(List.of(target), copies, new Uploads(archives, cipher, backupRepository, instanceRepository),
          clock, CopyOutcomes.NONE), copies, new RemotePruning(copies, backupRepository, instanceRepository, ZoneOffset.UTC, clock), clock,
          alerts, new LaneStart() {
            @Override
            public void firstRun(String name) {
              check.checkWhenDue(name);
            }

            @Override
            public void laterRun(String name) {
              check.checkWhenDue(name);
            }
          });
      Path unmounted = Files.move(nas, dir.resolve("nas-unmounted"));
      offsite.runDue();
      assertThat(check.unopened()).as("out of reach: not known yet").isEmpty();
      Files.move(unmounted, nas);

      clock.advance(PassphraseCheck.RETRY_AFTER);
      offsite.runDue();

      assertThat(check.unopened()).containsExactly("NAS");
    }

    @Test
    void aStopCutsAnUploadUnderWayOffAndLeavesItsCopyQueuedNotFailed() throws Exception {
      nasRoot();
      java.util.concurrent.CountDownLatch sending = new java.util.concurrent.CountDownLatch(1);
      java.util.concurrent.CountDownLatch stopped = new java.util.concurrent.CountDownLatch(1);
      start(new io.piholecheckpoint.testing.ForwardingDestination(nas()) {
        @Override
        public void put(String key, InputStream in, long length) throws IOException {
          in.read(new byte[1024]);
          sending.countDown();
          try {
            stopped.await();
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
          in.readAllBytes(); // a client sending on: its next read is where the stop is felt
        }
      });
      Backup backup = backups.runBackup(home, Backup.Trigger.MANUAL);
      var run = java.util.concurrent.CompletableFuture.supplyAsync(offsite::runDue);
      sending.await();

      offsite.stop();
      stopped.countDown();

      assertThat(run.get(30, java.util.concurrent.TimeUnit.SECONDS)).isZero();
      Copy queued = onlyCopy(backup);
      assertThat(queued.state()).isEqualTo(Copy.State.PENDING);
      assertThat(queued.attempts()).isZero();
      assertThat(queued.lastError()).isNull();
      assertThat(outcomes).isEmpty();
    }

    /**
     * A client that sent the whole archive and waits for a store that never answers reads no more of it, and one that does not
     * let go on an interrupt (S3's) waits out its timeout: the stop closes the destination, which ends the wait at once.
     */
    @Test
    void aStopClosesTheDestinationSoThatAnUploadWaitingForAnAnswerEndsAtOnceAndStaysQueued() throws Exception {
      nasRoot();
      java.util.concurrent.CountDownLatch waiting = new java.util.concurrent.CountDownLatch(1);
      java.util.concurrent.CountDownLatch closed = new java.util.concurrent.CountDownLatch(1);
      start(new ForwardingDestination(nas()) {
        @Override
        public void put(String key, InputStream in, long length) throws IOException {
          in.readAllBytes();
          waiting.countDown();
          while (closed.getCount() > 0) {
            try {
              closed.await(); // an interrupt does not end this wait; closing the connection does
            } catch (InterruptedException e) {
              // as the JDK's URLConnection: ignored
            }
          }
          throw new IOException("Socket closed");
        }

        @Override
        public void close() {
          closed.countDown();
          super.close();
        }
      });
      Backup backup = backups.runBackup(home, Backup.Trigger.MANUAL);
      var run = java.util.concurrent.CompletableFuture.supplyAsync(offsite::runDue);
      waiting.await();

      try {
        offsite.stop();

        assertThat(run.get(10, java.util.concurrent.TimeUnit.SECONDS)).isZero();
      } finally {
        closed.countDown(); // the old wait, which nothing ended, lets go of its thread
      }
      Copy queued = onlyCopy(backup);
      assertThat(queued.state()).isEqualTo(Copy.State.PENDING);
      assertThat(queued.attempts()).isZero();
      assertThat(queued.lastError()).isNull();
      assertThat(outcomes).isEmpty();
    }

    @Test
    void deletingADestinationCutsItsUploadUnderWayOffAndRecordsNothingOfIt() throws Exception {
      nasRoot();
      java.util.concurrent.CountDownLatch sending = new java.util.concurrent.CountDownLatch(1);
      java.util.concurrent.CountDownLatch deleted = new java.util.concurrent.CountDownLatch(1);
      java.util.concurrent.atomic.AtomicReference<IOException> cut = new java.util.concurrent.atomic.AtomicReference<>();
      start(nas());
      OffsiteTargets live = new OffsiteTargets(List.of(), Map.of());
      live.replaceManaged(List.of(new OffsiteTarget("USB", new io.piholecheckpoint.testing.ForwardingDestination(nas()) {
        @Override
        public void put(String key, InputStream in, long length) throws IOException {
          in.read(new byte[1024]);
          sending.countDown();
          try {
            deleted.await();
            in.readAllBytes(); // a client sending on: its next read is where the deletion is felt
          } catch (IOException e) {
            cut.set(e);
            throw e;
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
        }
      }, List.of(), OffsiteTarget.RemoteRetention.INSTANCES_OWN, true)), Map.of());
      CopyRunner runner = new CopyRunner(live, copies, new Uploads(archives, cipher, backupRepository, instanceRepository), clock,
          (d, outcome) -> outcomes.add(d + ":" + outcome));
      OffsiteService usb = new OffsiteService(runner, copies, new RemotePruning(copies, backupRepository, instanceRepository, ZoneOffset.UTC,
          clock), clock);
      Backup backup = backups.runBackup(home, Backup.Trigger.MANUAL);
      usb.queue(instanceService.list().get(0), backup);
      var run = java.util.concurrent.CompletableFuture.supplyAsync(() -> usb.runDestination("USB"));
      sending.await();

      live.replaceManaged(List.of(), Map.of());
      deleted.countDown();

      assertThat(run.get(30, java.util.concurrent.TimeUnit.SECONDS)).isZero();
      assertThat(cut.get()).hasMessageContaining("deleted or changed");
      assertThat(copies.findByBackup(backup.id())).filteredOn(c -> c.destination().equals("USB")).singleElement()
          .satisfies(c -> assertThat(c.state()).isEqualTo(Copy.State.PENDING));
      assertThat(outcomes).noneMatch(o -> o.startsWith("USB:"));
    }

    @Test
    void aDestinationDownFailsTheCopyWithItsErrorAndRetriesItAfterTheBackoff() throws Exception {
      Files.writeString(dir.resolve("nas"), "a file where the share's folder should be");
      start(nas());
      Backup backup = backups.runBackup(home, Backup.Trigger.MANUAL);

      offsite.runDue();

      Copy failed = onlyCopy(backup);
      assertThat(failed.state()).isEqualTo(Copy.State.FAILED);
      assertThat(failed.attempts()).isEqualTo(1);
      assertThat(failed.lastError()).contains("is not a directory");
      assertThat(failed.nextAttemptAt()).isEqualTo(clock.instant().plus(CopyRunner.FIRST_RETRY));
      clock.advance(Duration.ofSeconds(20));
      assertThat(catalog().status()).singleElement().satisfies(s -> {
        assertThat(s.status()).isEqualTo("failing");
        assertThat(s.pending()).isEqualTo(1);
        assertThat(s.oldestPendingAge()).as("since the backup was queued").isEqualTo(Duration.ofSeconds(20));
        assertThat(s.lastError()).contains("is not a directory");
      });

      Files.delete(dir.resolve("nas"));
      nasRoot();
      assertThat(offsite.runDue()).as("not before its next attempt").isZero();
      clock.advance(CopyRunner.FIRST_RETRY);
      assertThat(offsite.runDue()).isEqualTo(1);

      assertThat(onlyCopy(backup).state()).isEqualTo(Copy.State.VERIFIED);
      assertThat(onlyCopy(backup).lastError()).isNull();
      assertThat(catalog().status()).singleElement().satisfies(s -> {
        assertThat(s.status()).isEqualTo("ok");
        assertThat(s.pending()).isZero();
        assertThat(s.oldestPendingAge()).as("nothing waits").isNull();
        assertThat(s.lastSuccessAt()).isEqualTo(clock.instant());
      });
      assertThat(outcomes).containsExactly("NAS:failed", "NAS:verified");
    }

    @Test
    void theBackoffDoublesUpToSixHours() {
      assertThat(CopyRunner.backoff(0)).isEqualTo(Duration.ofMinutes(1));
      assertThat(CopyRunner.backoff(3)).isEqualTo(Duration.ofMinutes(8));
      assertThat(CopyRunner.backoff(30)).isEqualTo(Duration.ofHours(6));
    }

    @Test
    void aDestinationFailingLongerThanStaleAfterIsReported() throws Exception {
      Files.writeString(dir.resolve("nas"), "a file where the share's folder should be");
      start(nas());
      backups.runBackup(home, Backup.Trigger.MANUAL);
      offsite.runDue();

      clock.advance(Duration.ofDays(2).plusMinutes(1));

      assertThat(catalog().failingLongerThan(Duration.ofDays(2))).containsExactly("NAS");
      assertThat(catalog().failingLongerThan(Duration.ofDays(3))).isEmpty();
    }

    @Test
    void anUploadCutMidStreamCountsAsNothingAndIsSentAgainUnderTheSameKey() throws Exception {
      nasRoot();
      AtomicInteger cuts = new AtomicInteger(1);
      FileDestination nas = nas();
      start(new ForwardingDestination(nas) {
        @Override
        public void put(String key, InputStream in, long length) throws IOException {
          if (cuts.getAndDecrement() > 0) {
            in.readNBytes((int) (length / 2));
            throw new DestinationException(Problem.UNREACHABLE, "the connection was cut");
          }
          super.put(key, in, length);
        }
      });
      Backup backup = backups.runBackup(home, Backup.Trigger.MANUAL);

      offsite.runDue();
      assertThat(onlyCopy(backup).state()).isEqualTo(Copy.State.FAILED);
      assertThat(onlyCopy(backup).sentSha256()).isNull();
      assertThat(nas.list("")).isEmpty();

      clock.advance(CopyRunner.FIRST_RETRY);
      offsite.runDue();

      assertThat(onlyCopy(backup).state()).isEqualTo(Copy.State.VERIFIED);
      assertThat(nas.list("").stream().map(RemoteObject::key)).containsExactlyInAnyOrder(onlyCopy(backup).remoteKey(),
          onlyCopy(backup).remoteKey() + ".json");
    }

    @Test
    void aCopyThatReadsBackDifferentIsFailedAndSentAgain() throws Exception {
      nasRoot();
      AtomicInteger lies = new AtomicInteger(1);
      start(new ForwardingDestination(nas()) {
        @Override
        public Optional<RemoteObject> check(String key) throws IOException {
          Optional<RemoteObject> there = super.check(key);
          return lies.getAndDecrement() > 0 ? there.map(o -> new RemoteObject(o.key(), o.size(), "0".repeat(64), o.modified())) : there;
        }
      });
      Backup backup = backups.runBackup(home, Backup.Trigger.MANUAL);

      offsite.runDue();

      assertThat(onlyCopy(backup).state()).isEqualTo(Copy.State.FAILED);
      assertThat(onlyCopy(backup).lastError()).contains("is not what was sent");
      assertThat(outcomes).containsExactly("NAS:mismatch");
      clock.advance(CopyRunner.FIRST_RETRY);
      offsite.runDue();
      assertThat(onlyCopy(backup).state()).isEqualTo(Copy.State.VERIFIED);
    }

    @Test
    void aCopyUploadedBeforeARestartIsCheckedWithoutBeingSentAgain() throws Exception {
      nasRoot();
      AtomicInteger puts = new AtomicInteger();
      start(new ForwardingDestination(nas()) {
        @Override
        public void put(String key, InputStream in, long length) throws IOException {
          puts.incrementAndGet();
          super.put(key, in, length);
        }
      });
      Backup backup = backups.runBackup(home, Backup.Trigger.MANUAL);
      Copy queued = onlyCopy(backup);
      // the process died after the upload was recorded and before its check
      byte[] sent = "uploaded before the crash".getBytes(StandardCharsets.UTF_8);
      Files.createDirectories(dir.resolve("nas/home"));
      Files.write(dir.resolve("nas").resolve(queued.remoteKey()), sent);
      copies.markCopied(queued.id(), sent.length, sha256(sent), clock.instant());

      offsite.runDue();

      assertThat(onlyCopy(backup).state()).isEqualTo(Copy.State.VERIFIED);
      assertThat(puts).as("only the manifest is put").hasValue(1);
    }

    @Test
    void anArchiveDeletedBeforeItsCopyIsGivenUpNotRetried() throws Exception {
      nasRoot();
      start(nas());
      Backup backup = backups.runBackup(home, Backup.Trigger.MANUAL);
      Files.delete(dir.resolve("backups").resolve(backup.fileName()));

      offsite.runDue();

      Copy copy = onlyCopy(backup);
      assertThat(copy.state()).isEqualTo(Copy.State.FAILED);
      assertThat(copy.nextAttemptAt()).isNull();
      assertThat(copy.lastError()).contains("is no longer in");
      assertThat(catalog().status()).singleElement().satisfies(s -> assertThat(s.pending()).isZero());
    }

    @Test
    void aBackupDeletedWhileItsCopyWaitsOutABackoffDropsThatCopyAndLeavesItsDestinationNeitherFailedNorFailing() throws Exception {
      Files.writeString(dir.resolve("nas"), "a file where the share's folder should be");
      start(nas());
      Backup backup = backups.runBackup(home, Backup.Trigger.MANUAL);
      offsite.runDue();
      assertThat(onlyCopy(backup).nextAttemptAt()).as("waiting out its backoff").isNotNull();

      backups.delete(backup.id());
      clock.advance(CopyRunner.FIRST_RETRY);
      offsite.runDue();

      // a deletion by hand claims the copy for deletion at the destination (r35-copies): nothing is sent, and a claim still
      // waiting for its destination to come back does not count as that destination's failure
      assertThat(copies.findByBackup(backup.id())).as("a deliberate deletion leaves nothing to copy").allSatisfy(c -> assertThat(c.nextAttemptAt()).isNull());
      assertThat(catalog().status()).singleElement().satisfies(s -> {
        assertThat(s.status()).isNotIn("failed", "failing");
        assertThat(s.failed()).isZero();
        assertThat(s.pending()).isZero();
      });
      assertThat(catalog().failingLongerThan(Duration.ofDays(2))).as("/health").isEmpty();
      assertThat(outcomes).as("only the destination's own failure before").containsExactly("NAS:failed");
    }

    @Test
    void aCopyDueWhoseBackupWasDeletedIsDroppedWhenItsDestinationRunsNotGivenUp() throws Exception {
      nasRoot();
      start(nas());
      Backup backup = backups.runBackup(home, Backup.Trigger.MANUAL);
      backups.delete(backup.id());

      offsite.runDestination("NAS"); // one destination's lane, without the run's sweep: the copy itself finds its backup gone

      assertThat(copies.findByBackup(backup.id())).isEmpty();
      assertThat(catalog().failingLongerThan(Duration.ofDays(2))).isEmpty();
      assertThat(outcomes).isEmpty();
    }

    @Test
    void aCopyGivenUpWhoseBackupWasDeletedSinceKeepsItsDestinationFailedNoLonger() throws Exception {
      nasRoot();
      start(nas());
      Backup backup = backups.runBackup(home, Backup.Trigger.MANUAL);
      Files.delete(dir.resolve("backups").resolve(backup.fileName()));
      offsite.runDue();
      assertThat(catalog().failingLongerThan(Duration.ofDays(2))).as("given up while its backup is recorded").containsExactly("NAS");

      backupRepository.delete(backup.id()); // as an older build left it: given up, then its backup deleted

      assertThat(catalog().status()).singleElement().satisfies(s -> {
        assertThat(s.failed()).isZero();
        assertThat(s.status()).isNotEqualTo("failed");
        assertThat(s.lastError()).as("no error of a copy nothing can mend").isNull();
      });
      assertThat(catalog().failingLongerThan(Duration.ofDays(2))).isEmpty();
    }

    /**
     * A backup deleted by hand while its upload is under way: the upload ends and puts the archive there; then neither the copy
     * that finds its backup gone nor anything later may forget the record while the archive (password hashes inside) stays there.
     */
    @Test
    void aBackupDeletedByHandWhileItsCopyUploadsLeavesNothingAtTheDestinationOnceRunsHappened() throws Exception {
      HeldUpload held = uploadHeldMidway();

      backups.delete(held.backup.id());
      releaseAndRunTwice(held);

      assertNothingLeftOf(held);
      assertThat(catalog().failingLongerThan(Duration.ofDays(2))).isEmpty();
    }

    /** The destination refuses the deletion right after the upload: the record stays claimed, and a later run deletes the archive. */
    @Test
    void aBackupDeletedByHandMidUploadWhoseDestinationRefusesTheDeletionIsDeletedThereAtALaterRun() throws Exception {
      HeldUpload held = uploadHeldMidway();
      backups.delete(held.backup.id());
      held.failDeletes.set(true);
      held.release();
      offsite.runDue();

      assertThat(filesAt(nasRoot())).as("the destination refused").hasSize(1);
      assertThat(copies.findByBackup(held.backup.id())).as("kept, claimed for deletion").singleElement()
          .satisfies(c -> assertThat(copies.findClaimed("NAS", c.instanceId())).extracting(Copy::id).containsExactly(c.id()));

      held.failDeletes.set(false);
      clock.advance(CopyRunner.FIRST_RETRY);
      offsite.runDue();

      assertThat(filesAt(nasRoot())).isEmpty();
      assertThat(copies.findByBackup(held.backup.id())).isEmpty();
    }

    /** The held upload let go, then the run after it and the one after the first retry's wait. */
    private void releaseAndRunTwice(HeldUpload held) throws Exception {
      held.release();
      offsite.runDue();
      clock.advance(CopyRunner.FIRST_RETRY);
      offsite.runDue();
    }

    private void assertNothingLeftOf(HeldUpload held) throws Exception {
      assertThat(filesAt(nasRoot())).as("nothing of the deleted backup at the destination").isEmpty();
      assertThat(copies.findByBackup(held.backup.id())).isEmpty();
    }

    /** The run's sweep of copies never made drops one whose upload is under way (its backup's record gone, as retention leaves it). */
    @Test
    void theSweepOfCopiesNeverMadeDuringAnUploadLeavesNothingAtTheDestinationOnceRunsHappened() throws Exception {
      HeldUpload held = uploadHeldMidway();

      Files.delete(dir.resolve("backups").resolve(held.backup.fileName()));
      backupRepository.delete(held.backup.id());
      copies.dropUnmadeOfBackupsGone(); // the run's sweep, while the upload is held
      releaseAndRunTwice(held);

      assertNothingLeftOf(held);
    }
  }

  /** A manual backup whose copy to a NAS is under way, its archive's upload held after its first bytes until released. */
  private static final class HeldUpload {
    final CountDownLatch sending = new CountDownLatch(1);
    final CountDownLatch go = new CountDownLatch(1);
    final AtomicBoolean failDeletes = new AtomicBoolean();
    Backup backup;
    CompletableFuture<Integer> run;

    /** Lets the upload go on, written whole as a slow share does, and waits for its run: it copies nothing, its backup is gone. */
    void release() throws Exception {
      go.countDown();
      assertThat(run.get(30, TimeUnit.SECONDS)).isZero();
    }
  }

  private HeldUpload uploadHeldMidway() throws Exception {
    nasRoot();
    HeldUpload held = new HeldUpload();
    start(new ForwardingDestination(nas()) {
      @Override
      public void put(String key, InputStream in, long length) throws IOException {
        if (key.endsWith(io.piholecheckpoint.core.offsite.copy.Manifest.SUFFIX)) {
          super.put(key, in, length);
          return;
        }
        byte[] first = in.readNBytes(1024);
        held.sending.countDown();
        try {
          held.go.await();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new java.io.InterruptedIOException("interrupted");
        }
        super.put(key, new java.io.SequenceInputStream(new java.io.ByteArrayInputStream(first), in), length);
      }

      @Override
      public void delete(String key) throws IOException {
        if (held.failDeletes.get()) {
          throw new IOException("deletes refused");
        }
        super.delete(key);
      }
    });
    held.backup = backups.runBackup(home, Backup.Trigger.MANUAL);
    held.run = CompletableFuture.supplyAsync(() -> offsite.runDestination("NAS"));
    held.sending.await();
    return held;
  }

  private static List<Path> filesAt(Path root) throws IOException {
    try (var walk = Files.walk(root)) {
      return walk.filter(Files::isRegularFile).toList();
    }
  }

  private final List<Notification> sent = new ArrayList<>();

  private void notifyThroughTheNotifier() {
      Provider recording = new Provider() {
        @Override
        public String name() {
          return "recording";
        }

        @Override
        public Outbound.Result deliver(Notification n) {
          sent.add(n);
          return new Outbound.Result(true, 200, null, 1);
        }
      };
      alerts = new Notifier(new Deliveries(List.of(recording), java.util.EnumSet.of(NotifyEvent.OFFSITE_FAILED, NotifyEvent.RECOVERED),
          new SameThread(), (p, ok) -> { }, clock), Duration.ofHours(6), clock, TestTimes.UTC);
    }

  private List<String> titles() {
    return sent.stream().map(n -> n.event().code() + ": " + n.title()).toList();
  }

  @Nested
  class Notifying {

    /** Runs the queue every minute for this long, as the scheduler's job does. */
    private void runEveryMinuteFor(Duration span) {
      for (long m = 0; m < span.toMinutes(); m++) {
        clock.advance(Duration.ofMinutes(1));
        offsite.runDue();
      }
    }

    /**
     * SQLite only: what it adds is the alerts' timing over ~430 runs a minute apart, which the notifier decides in memory;
     * a run's queries, the failing-since and the recovery among them, are those other cases here make on PostgreSQL too
     * (aDestinationFailingLongerThanStaleAfterIsReported, aDestinationDownFailsTheCopyWithItsErrorAndRetriesItAfterTheBackoff).
     * On PostgreSQL its ~430 runs took ~3 s quiet and 126 s at load 30 (bench/RESULTS.md, "r46-suiteunit").
     */
    @Test
    void aDestinationDownIsToldAfterAnHourOfFailuresThenAfterTheCooldownThenWhenItWorksAgain() throws Exception {
      org.junit.jupiter.api.Assumptions.assumeTrue(dialect == Dialect.SQLITE);
      notifyThroughTheNotifier();
      Files.writeString(dir.resolve("nas"), "a file where the share's folder should be");
      start(nas());
      backups.runBackup(home, Backup.Trigger.MANUAL);

      offsite.runDue();
      runEveryMinuteFor(DestinationReports.FAILING_TOLD_AFTER.minusMinutes(1));
      assertThat(sent).as("a short outage is no news").isEmpty();

      runEveryMinuteFor(Duration.ofMinutes(1));
      assertThat(titles()).containsExactly("offsite_failed: Off-site copies to NAS fail");
      assertThat(sent.get(0).message()).contains("since 2026-12-02 03:00:00 UTC", "is not a directory", "OFFSITE_NAS_*");

      runEveryMinuteFor(Duration.ofHours(5));
      assertThat(sent).as("within the cooldown").hasSize(1);
      runEveryMinuteFor(Duration.ofHours(1));
      assertThat(titles()).last().isEqualTo("offsite_failed: Still: Off-site copies to NAS fail");

      Files.delete(dir.resolve("nas"));
      nasRoot();
      runEveryMinuteFor(CopyRunner.LAST_RETRY);
      assertThat(titles()).hasSize(3).last().isEqualTo("recovered: Off-site copies to NAS work again");
    }

    @Test
    void aDestinationDisabledAtStartIsToldOnce() throws Exception {
      notifyThroughTheNotifier();
      start(nas());
      offsite = new OffsiteService(new CopyRunner(new OffsiteTargets(List.of(), Map.of("B2", "OFFSITE_B2_SECRET_ACCESS_KEY is not set")), copies, null, clock,
          CopyOutcomes.NONE), copies, new RemotePruning(copies, backupRepository, instanceRepository, ZoneOffset.UTC, clock), clock, alerts,
          d -> { });

      offsite.runDue();
      offsite.runDue();

      assertThat(titles()).containsExactly("offsite_failed: Off-site destination B2 is disabled");
      assertThat(sent.get(0).message()).startsWith("OFFSITE_B2_SECRET_ACCESS_KEY is not set. Backups go on locally");
      assertThat(catalog().failingLongerThan(Duration.ofDays(2))).as("/health is degraded by it at once").containsExactly("B2");
    }

    @Test
    void aCopyQueuedForADestinationDisabledSinceWaitsWithWhyAndCountsAsNoFailure() throws Exception {
      nasRoot();
      start(nas());
      Backup backup = backups.runBackup(home, Backup.Trigger.MANUAL);
      // the next process finds NAS's setting broken: disabled at start, its copy still queued
      offsite = new OffsiteService(new CopyRunner(new OffsiteTargets(List.of(), Map.of("NAS", "OFFSITE_NAS_URL is not a URL")), copies, null, clock,
          CopyOutcomes.NONE), copies, new RemotePruning(copies, backupRepository, instanceRepository, ZoneOffset.UTC, clock), clock, alerts,
          d -> { });

      offsite.runDue();

      Copy copy = onlyCopy(backup);
      assertThat(copy.state()).isEqualTo(Copy.State.PENDING);
      assertThat(copy.attempts()).isZero();
      assertThat(copy.lastError()).isNull();
      assertThat(catalog().held(List.of(copy))).containsExactly(Map.entry(copy.id(),
          "destination NAS is disabled (OFFSITE_NAS_URL is not a URL): this copy is not made while it is disabled; enable the destination"
          + " (fix what disabled it) and the copy is made at its next run"));
      OffsiteCatalog.DestinationStatus status = catalog().status().get(0);
      assertThat(status.status()).isEqualTo("disabled");
      assertThat(status.pending()).as("its copies wait for it, and are told").isEqualTo(1);
      assertThat(status.failed()).isZero();

      offsite = new OffsiteService(new CopyRunner(List.of(), copies, null, clock, CopyOutcomes.NONE), copies,
          new RemotePruning(copies, backupRepository, instanceRepository, ZoneOffset.UTC, clock), clock, alerts, d -> { });
      assertThat(catalog().held(List.of(copy))).containsExactly(Map.entry(copy.id(),
          "destination NAS is no longer configured; it will be copied if it is configured again"));

      restart(new OffsiteTarget("NAS", nas(), List.of(), OffsiteTarget.RemoteRetention.INSTANCES_OWN, true));
      assertThat(catalog().held(List.of(copy))).isEmpty();
      offsite.runDue();
      assertThat(onlyCopy(backup).state()).isEqualTo(Copy.State.VERIFIED);
    }

    @Test
    void aVerifiedCopyAtADestinationDisabledOrRemovedSinceIsShownUnreachableNotVerified() throws Exception {
      nasRoot();
      start(nas());
      Backup backup = backups.runBackup(home, Backup.Trigger.MANUAL);
      offsite.runDue();
      Copy copy = onlyCopy(backup);
      assertThat(copy.state()).isEqualTo(Copy.State.VERIFIED);
      assertThat(OffsiteCatalog.shownState(copy, catalog().held(List.of(copy)))).isEqualTo("verified");

      offsite = new OffsiteService(new CopyRunner(new OffsiteTargets(List.of(), Map.of("NAS", "OFFSITE_NAS_URL is not a URL")), copies, null, clock,
          CopyOutcomes.NONE), copies, new RemotePruning(copies, backupRepository, instanceRepository, ZoneOffset.UTC, clock), clock, alerts,
          d -> { });
      Map<Long, String> disabled = catalog().held(List.of(copy));

      assertThat(disabled).containsExactly(Map.entry(copy.id(), "destination NAS is disabled (OFFSITE_NAS_URL is not a URL): the copy verified"
          + " there cannot be reached from here now, nor is it read back or fetched from; it counts again when the destination is enabled again"));
      assertThat(OffsiteCatalog.shownState(copy, disabled)).isEqualTo("unreachable");
      assertThat(catalog().keptAt(List.of(copy))).as("no backup counts as kept there").isEmpty();

      offsite = new OffsiteService(new CopyRunner(List.of(), copies, null, clock, CopyOutcomes.NONE), copies,
          new RemotePruning(copies, backupRepository, instanceRepository, ZoneOffset.UTC, clock), clock, alerts, d -> { });
      Map<Long, String> removed = catalog().held(List.of(copy));

      assertThat(removed).containsExactly(Map.entry(copy.id(), "destination NAS is no longer configured: the copy verified there cannot be"
          + " reached from here now, nor is it read back or fetched from; it counts again if the destination is configured again"));
      assertThat(OffsiteCatalog.shownState(copy, removed)).isEqualTo("unreachable");
      assertThat(onlyCopy(backup).state()).as("its record is kept as it is").isEqualTo(Copy.State.VERIFIED);
    }

    @Test
    void aVerifiedCopyMakesTheDestinationsCopiesInBackoffDueAtOnce() throws Exception {
      nasRoot();
      start(nas());
      Backup first = backups.runBackup(home, Backup.Trigger.MANUAL);
      clock.advance(Duration.ofMinutes(1));
      gateway.answer(Fixtures.archiveB());
      Backup second = backups.runBackup(home, Backup.Trigger.MANUAL);
      // the first waits out a long backoff from an outage; the second is due
      copies.markFailed(onlyCopy(first).id(), "the connection was refused", clock.instant(), clock.instant().plus(Duration.ofHours(6)));

      assertThat(offsite.runDue()).as("the first tried at once, in the same run").isEqualTo(2);
      assertThat(onlyCopy(second).state()).isEqualTo(Copy.State.VERIFIED);
      assertThat(onlyCopy(first).state()).isEqualTo(Copy.State.VERIFIED);
      assertThat(onlyCopy(first).nextAttemptAt()).as("no retry time left behind, past or to come").isNull();
    }
  }

  @Nested
  class CatchingUp {
    private final OffsiteTarget.RemoteRetention keepThree = new OffsiteTarget.RemoteRetention(3, null, null, null, null);

    private List<Backup> imported(int count) throws IOException {
      List<Backup> all = new ArrayList<>();
      for (int i = 0; i < count; i++) {
        all.add(backups.importArchive(home, new java.io.ByteArrayInputStream(i % 2 == 0 ? Fixtures.archiveA() : Fixtures.archiveB())));
        clock.advance(Duration.ofHours(1));
      }
      return all;
    }

    private List<Long> copiedBackupIds() {
      return copies.findVerified("NAS", home).stream().map(Copy::backupId).sorted().toList();
    }

    @Test
    void aDestinationConfiguredAfterBackupsExistGetsTheNewestItsRetentionKeepsNotTheWholeHistory() throws Exception {
      nasRoot();
      start(false, new RetentionPolicy(10, 0), nas(), keepThree, List.of("OFFICE"));
      List<Backup> before = new ArrayList<>();
      for (int i = 0; i < 5; i++) {
        before.add(backups.runBackup(home, Backup.Trigger.SCHEDULED));
        clock.advance(Duration.ofDays(1));
      }
      assertThat(copies.findByBackup(before.get(4).id())).as("not taken then").isEmpty();

      restart(new OffsiteTarget("NAS", nas(), List.of(), keepThree, true));
      offsite.runDue();

      assertThat(copiedBackupIds()).containsExactly(before.get(2).id(), before.get(3).id(), before.get(4).id());
      assertThat(nas().list("home/")).hasSize(6);
    }

    @Test
    void importedBackupsAreCaughtUpAtTheNextRunWithoutARestart() throws Exception {
      nasRoot();
      start(false, new RetentionPolicy(10, 0), nas(), keepThree, List.of());
      offsite.runDue();

      List<Backup> all = imported(2);
      offsite.runDue();

      assertThat(copiedBackupIds()).containsExactly(all.get(0).id(), all.get(1).id());
    }

    @Test
    void aRestartQueuesNothingTwiceEvenWhenTheRetentionNowKeepsMore() throws Exception {
      nasRoot();
      start(false, new RetentionPolicy(10, 0), nas(), keepThree, List.of());
      List<Backup> all = imported(5);
      offsite.runDue();
      assertThat(copiedBackupIds()).containsExactly(all.get(2).id(), all.get(3).id(), all.get(4).id());

      restart(new OffsiteTarget("NAS", nas(), List.of(), new OffsiteTarget.RemoteRetention(10, null, null, null, null), true));
      offsite.runDue();
      restart(new OffsiteTarget("NAS", nas(), List.of(), new OffsiteTarget.RemoteRetention(10, null, null, null, null), true));
      offsite.runDue();

      assertThat(copies.findByBackup(all.get(0).id())).isEmpty();
      assertThat(copies.findByBackup(all.get(1).id())).isEmpty();
      assertThat(copiedBackupIds()).hasSize(3);
      assertThat(outcomes).containsOnly("NAS:verified").hasSize(3);
    }
  }

  @Nested
  class Rechecking {
    private final List<String> checked = new ArrayList<>();

    /** The directory destination, counting what is read back. */
    private Destination counted() {
      return new ForwardingDestination(nas()) {
        @Override
        public Optional<RemoteObject> check(String key) throws IOException {
          checked.add(key);
          return super.check(key);
        }
      };
    }

    private List<Backup> copiedBackups(int count) throws IOException {
      List<Backup> all = new ArrayList<>();
      for (int i = 0; i < count; i++) {
        gateway.answer(i % 2 == 0 ? Fixtures.archiveA() : Fixtures.archiveB());
        all.add(backups.runBackup(home, Backup.Trigger.MANUAL));
        offsite.runDue();
        clock.advance(Duration.ofMinutes(1));
      }
      return all;
    }

    @Test
    void aCopyDeletedAtTheDestinationIsFoundToldAndSentAgain() throws Exception {
      nasRoot();
      notifyThroughTheNotifier();
      start(nas());
      Backup backup = copiedBackups(1).get(0);
      Path remote = dir.resolve("nas").resolve(onlyCopy(backup).remoteKey());
      Files.delete(remote);
      clock.advance(Duration.ofDays(1));

      offsite.runDaily();

      Copy found = onlyCopy(backup);
      assertThat(found.state()).isEqualTo(Copy.State.FAILED);
      assertThat(found.lastError()).contains(found.remoteKey() + " vanished from " + nas().describe(), "it is sent again");
      assertThat(found.nextAttemptAt()).isEqualTo(clock.instant());
      assertThat(titles()).containsExactly("offsite_failed: 1 off-site copy at NAS vanished or changed");
      assertThat(sent.get(0).message()).contains(found.remoteKey() + " vanished from", "sent again");
      assertThat(outcomes).contains("NAS:damaged");

      offsite.runDue();
      assertThat(onlyCopy(backup).state()).isEqualTo(Copy.State.VERIFIED);
      assertThat(decrypted(remote)).isEqualTo(Fixtures.archiveA());
      clock.advance(Duration.ofDays(1));
      offsite.runDaily();
      assertThat(titles()).last().isEqualTo("recovered: Off-site copies at NAS check out again");
    }

    @Test
    void aCopyChangedAtTheDestinationIsSentAgain() throws Exception {
      nasRoot();
      start(nas());
      Backup backup = copiedBackups(1).get(0);
      Path remote = dir.resolve("nas").resolve(onlyCopy(backup).remoteKey());
      Files.writeString(remote, "ransomware was here");
      clock.advance(Duration.ofDays(1));

      offsite.runDaily();
      assertThat(onlyCopy(backup).lastError()).contains("changed at", "19 bytes", "sent " + onlyCopy(backup).sentBytes() + " bytes");
      offsite.runDue();

      assertThat(onlyCopy(backup).state()).isEqualTo(Copy.State.VERIFIED);
      assertThat(decrypted(remote)).isEqualTo(Fixtures.archiveA());
    }

    @Test
    void aVanishedCopyWhoseLocalArchiveIsGoneTooIsGivenUpAndSaysSo() throws Exception {
      nasRoot();
      start(false, new RetentionPolicy(1, 0), nas(), new OffsiteTarget.RemoteRetention(5, null, null, null, null), List.of());
      Backup first = copiedBackups(2).get(0);
      assertThat(backupRepository.findById(first.id())).as("deleted here").isEmpty();
      Files.delete(dir.resolve("nas").resolve(onlyCopy(first).remoteKey()));
      clock.advance(Duration.ofDays(1));

      offsite.runDaily();
      offsite.runDue();

      Copy lost = onlyCopy(first);
      assertThat(lost.state()).isEqualTo(Copy.State.FAILED);
      assertThat(lost.nextAttemptAt()).isNull();
      assertThat(lost.lastError()).contains("vanished", "cannot be sent again: its local archive is gone too");
    }

    @Test
    void aFewCopiesAreReadBackEachDaySoThatEveryOneIsWithinDays() throws Exception {
      nasRoot();
      start(counted());
      List<Backup> all = copiedBackups(8);
      checked.clear();

      clock.advance(Duration.ofDays(1));
      offsite.runDaily();
      assertThat(checked).as("the three looked at longest ago").containsExactly(onlyCopy(all.get(0)).remoteKey(), onlyCopy(all.get(1)).remoteKey(),
          onlyCopy(all.get(2)).remoteKey());
      clock.advance(Duration.ofDays(1));
      offsite.runDaily();
      clock.advance(Duration.ofDays(1));
      offsite.runDaily();

      assertThat(checked).hasSize(9).containsAll(all.stream().map(b -> onlyCopy(b).remoteKey()).toList());
    }

    @Test
    void everyCopyNotReadBackForAWeekIsReadBackAtOnce() throws Exception {
      nasRoot();
      start(counted());
      List<Backup> all = copiedBackups(8);
      checked.clear();

      clock.advance(OffsiteService.RECHECK_ALL_EVERY);
      offsite.runDaily();

      assertThat(checked).containsExactlyInAnyOrderElementsOf(all.stream().map(b -> onlyCopy(b).remoteKey()).toList());
      checked.clear();
      clock.advance(Duration.ofDays(1));
      offsite.runDaily();
      assertThat(checked).as("the next day, a sample again").hasSize(OffsiteService.RECHECK_SAMPLE);
    }

    @Test
    void aDestinationDownEndsItsRecheckWithoutMarkingCopies() throws Exception {
      nasRoot();
      start(counted());
      List<Backup> all = copiedBackups(3);
      checked.clear();
      Files.move(dir.resolve("nas"), dir.resolve("unmounted"));
      clock.advance(Duration.ofDays(1));

      offsite.runDaily();

      assertThat(checked).hasSize(1);
      assertThat(all).allSatisfy(b -> assertThat(onlyCopy(b).state()).isEqualTo(Copy.State.VERIFIED));
    }
  }

  @Nested
  class Pruning {
    @Test
    void aDeletionClaimedAtADestinationRemovedSinceIsGivenBackAtStartSoThatItsBackupCanBePinned() throws Exception {
      nasRoot();
      start(nas());
      Backup backup = backups.runBackup(home, Backup.Trigger.MANUAL);
      offsite.runDue();
      Copy copy = onlyCopy(backup);
      assertThat(copies.claimForDeletion(copy.id(), backup.id())).isTrue(); // and then the process stopped
      FileDestination elsewhere = new FileDestination(new DestinationConfig("ARCHIVE", Files.createDirectories(dir.resolve("archive")).toUri(),
          Map.of(), Duration.ofSeconds(5)));
      restart(new OffsiteTarget("ARCHIVE", elsewhere, List.of(), OffsiteTarget.RemoteRetention.INSTANCES_OWN, true)); // NAS left the configuration

      assertThat(offsite.releaseClaimsOfDestinationsGone()).isEqualTo(1);

      assertThat(backups.pin(backup.id(), true).pinned()).isTrue();
      assertThat(onlyCopy(backup).state()).isEqualTo(Copy.State.VERIFIED);
      assertThat(nasRoot().resolve(copy.remoteKey())).as("what NAS holds is not touched").exists();
    }

    @Test
    void aDeletionClaimedAtADestinationStillInUseIsLeftForItsPruningToFinish() throws Exception {
      nasRoot();
      start(nas());
      Backup backup = backups.runBackup(home, Backup.Trigger.MANUAL);
      offsite.runDue();
      Copy copy = onlyCopy(backup);
      assertThat(copies.claimForDeletion(copy.id(), backup.id())).isTrue();
      restart(new OffsiteTarget("NAS", nas(), List.of(), OffsiteTarget.RemoteRetention.INSTANCES_OWN, true));

      assertThat(offsite.releaseClaimsOfDestinationsGone()).isZero();

      assertThat(backupRepository.setPinned(backup.id(), true)).isFalse();
      assertThat(copies.findClaimed("NAS", home)).extracting(Copy::id).containsExactly(copy.id());
    }

    @Test
    void theDailyRoundPrunesByARetentionChangedSinceTheLastCopy() throws Exception {
      nasRoot();
      start(nas());
      List<Backup> all = new ArrayList<>();
      for (int i = 0; i < 3; i++) {
        all.add(backups.runBackup(home, Backup.Trigger.MANUAL));
        clock.advance(Duration.ofHours(1));
      }
      offsite.runDue();
      instanceService.applyEnvironment(List.of(new InstanceDefinition("HOME", "Home", "http://pi.hole", TlsTrust.SYSTEM, null, Schedule.DEFAULT,
          new RetentionPolicy(1, 0), false, true)));

      offsite.runDaily();

      assertThat(nas().list("home/").stream().map(RemoteObject::key)).containsExactlyInAnyOrder(onlyCopy(all.get(2)).remoteKey(),
          onlyCopy(all.get(2)).remoteKey() + ".json");
      assertThat(catalog().copiesOf(all.get(0).id())).isEmpty();
    }

    @Test
    void theDestinationKeepsItsOwnNumberOfCopiesAndNeverAPinnedOne() throws Exception {
      nasRoot();
      start(false, new RetentionPolicy(10, 0), nas(), new OffsiteTarget.RemoteRetention(1, null, null, null, null), List.of());
      Backup pinned = backups.runBackup(home, Backup.Trigger.MANUAL);
      backupRepository.setPinned(pinned.id(), true);
      offsite.runDue();
      clock.advance(Duration.ofHours(1));
      gateway.answer(Fixtures.archiveB());
      Backup second = backups.runBackup(home, Backup.Trigger.MANUAL);
      offsite.runDue();
      clock.advance(Duration.ofHours(1));
      gateway.answer(Fixtures.archiveA());
      Backup third = backups.runBackup(home, Backup.Trigger.MANUAL);

      offsite.runDue();

      assertThat(catalog().copiesOf(second.id())).isEmpty();
      assertThat(nas().list("home/").stream().map(RemoteObject::key)).containsExactlyInAnyOrder(
          onlyCopy(pinned).remoteKey(), onlyCopy(pinned).remoteKey() + ".json", onlyCopy(third).remoteKey(), onlyCopy(third).remoteKey() + ".json");
    }

    @Test
    void aCopyOutlivesItsLocalBackupWhenTheDestinationKeepsMore() throws Exception {
      nasRoot();
      start(false, new RetentionPolicy(1, 0), nas(), new OffsiteTarget.RemoteRetention(5, null, null, null, null), List.of());
      Backup first = backups.runBackup(home, Backup.Trigger.MANUAL);
      offsite.runDue();
      clock.advance(Duration.ofHours(1));
      gateway.answer(Fixtures.archiveB());

      backups.runBackup(home, Backup.Trigger.MANUAL);
      offsite.runDue();

      assertThat(backupRepository.findById(first.id())).as("deleted at home").isEmpty();
      assertThat(catalog().copiesOf(first.id())).singleElement().satisfies(c -> assertThat(c.state()).isEqualTo(Copy.State.VERIFIED));
      assertThat(nas().list("home/")).hasSize(4);
    }
  }

  private static String sha256(byte[] bytes) throws Exception {
    return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(bytes));
  }
}
