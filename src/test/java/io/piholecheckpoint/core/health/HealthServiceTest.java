package io.piholecheckpoint.core.health;

import static org.assertj.core.api.Assertions.assertThat;

import io.piholecheckpoint.core.backup.catalog.Backup;
import io.piholecheckpoint.core.schedule.Schedule;
import io.piholecheckpoint.testing.Fixtures;
import io.piholecheckpoint.testing.MovableClock;
import io.piholecheckpoint.testing.TestInstances;
import io.piholecheckpoint.testing.TestServices;
import io.piholecheckpoint.core.backup.events.Events;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Nested;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HealthServiceTest {
  private final MovableClock clock = new MovableClock(Instant.parse("2026-11-27T03:00:00Z"));
  private SchedulerStatus scheduler = new SchedulerStatus("started", 1, null, null);
  private List<HealthReport.SyncGroupHealth> syncGroups = List.of();
  private ClusterStatus cluster;
  private HealthReport.PassphraseHealth passphrase;
  /** What the database's sessions remember of the last write refused for a full disk; null: none since the last write. */
  private String writeRefused;
  private List<String> unsoundFiles = List.of();
  private TestServices services;
  private long home;

  @TempDir
  Path dir;

  @BeforeEach
  void setUp() {
    services = new TestServices(dir, clock);
    services.instances.applyEnvironment(List.of(TestInstances.aDefinition("HOME", "http://pi.hole")));
    home = services.instances.list().get(0).id();
    services.gateway.answer(Fixtures.archiveA());
  }

  private HealthService health(Optional<Duration> staleAfter) {
    return new HealthService(new HealthProbes() {
      @Override
      public SchedulerStatus scheduler() {
        return scheduler;
      }

      @Override
      public DatabaseStatus database() {
        return new DatabaseStatus(true, "3", null).withWriteRefused(writeRefused);
      }

      @Override
      public List<HealthReport.SyncGroupHealth> syncGroups() {
        return syncGroups;
      }

      @Override
      public ClusterStatus cluster() {
        return cluster;
      }

      @Override
      public HealthReport.PassphraseHealth passphrase() {
        return passphrase;
      }

      @Override
      public List<String> unsoundFiles() {
        return unsoundFiles;
      }
    }, services.instances, services.catalog, services.archives, clock,
        new Staleness(staleAfter, s -> s.kind() == Schedule.Kind.DAILY ? Duration.ofDays(1) : Duration.ofHours(1)));
  }

  /** Node a's row in Quartz's store as QuartzNodes reads it: alive by Quartz's rule at the injected clock's now. */
  private ClusterStatus.Node checkedIn(String name, Instant at) {
    return new ClusterStatus.Node(name, at, ClusterStatus.alive(at, Duration.ofSeconds(1), clock.instant()), 0);
  }

  @Test
  void theAnsweringNodeIsAliveWhateverItsCheckInSaysAndDegradedOnlyWhileItsOwnCheckInIsOverdue() {
    HealthService health = health(Optional.empty());
    cluster = new ClusterStatus("cluster", "a", List.of(checkedIn("a", clock.instant().minusSeconds(20)), checkedIn("b", clock.instant())), null);

    HealthReport late = health.check();

    assertThat(late.cluster().aliveNodes()).as("itself and b").isEqualTo(2);
    assertThat(late.cluster().nodes()).filteredOn(n -> n.name().equals("a")).singleElement().satisfies(n -> assertThat(n.alive()).isTrue());
    assertThat(late.cluster().checkInOverdue()).isTrue();
    assertThat(late.status()).isEqualTo("degraded");
    assertThat(late.available()).isTrue();

    cluster = new ClusterStatus("cluster", "a", List.of(checkedIn("a", clock.instant().minusMillis(500))), null);
    HealthReport onTime = health.check();
    assertThat(onTime.status()).isEqualTo("ok");
    assertThat(onTime.cluster().aliveNodes()).isEqualTo(1);
    assertThat(onTime.cluster().checkInOverdue()).isFalse();

    cluster = new ClusterStatus("cluster", "a", List.of(), null);
    assertThat(health.check().cluster().aliveNodes()).as("before its first check-in: listed, alive").isEqualTo(1);
    assertThat(health.check().status()).isEqualTo("ok");
  }

  @Test
  void namesTheUnsoundFilesInBackupDirWithoutChangingTheStatus() {
    HealthService health = health(Optional.empty());
    String without = health.check().status();
    unsoundFiles = List.of("p3_20261201T000000Z_trunca.zip", "p4_20261201T000000Z_garbag.zip");

    HealthReport report = health.check();

    assertThat(report.storage().unsoundFiles()).containsExactly("p3_20261201T000000Z_trunca.zip", "p4_20261201T000000Z_garbag.zip");
    assertThat(report.status()).as("files left alone are shown, they break nothing").isEqualTo(without);
  }

  /** Outsider round 40: 2,003 such files made /health (no sign-in) 67 KB of names. */
  @Test
  void countsTheUnsoundFilesAndNamesTheFirstTenOnly() {
    HealthService health = health(Optional.empty());
    unsoundFiles = java.util.stream.IntStream.rangeClosed(1, 2003).mapToObj("p_20261201T000000Z_%06d.zip"::formatted).toList();

    HealthReport report = health.check();

    assertThat(report.storage().unsoundFileCount()).isEqualTo(2003);
    assertThat(report.storage().unsoundFiles()).containsExactlyElementsOf(unsoundFiles.subList(0, 10));
  }

  @Test
  void aWriteTheDatabaseRefusedForAFullDiskMakesHealthDegradedUntilAWriteSucceeds() {
    HealthService health = health(Optional.empty());
    writeRefused = "the database's disk is full: free space in DATA_DIR";

    HealthReport full = health.check();

    assertThat(full.status()).isEqualTo("degraded");
    assertThat(full.available()).as("reads still answer").isTrue();
    assertThat(full.database().writable()).isFalse();
    assertThat(full.database().writeRefused()).isEqualTo("the database's disk is full: free space in DATA_DIR");

    writeRefused = null;
    assertThat(health.check().status()).isEqualTo("ok");
  }

  @Test
  void aClockFurtherFromTheDatabasesThanTheClusterToleratesMakesHealthDegradedNamingTheSkew() {
    HealthService health = health(Optional.empty());
    AtomicLong databaseBehindMillis = new AtomicLong(5_200);
    ClockSkew skew = new ClockSkew(clock, () -> clock.instant().minusMillis(databaseBehindMillis.get()));
    skew.recheck();
    cluster = new ClusterStatus("cluster", "a", List.of(checkedIn("a", clock.instant())), null).withClockSkew(skew.latest());

    HealthReport skewed = health.check();

    assertThat(skewed.status()).isEqualTo("degraded");
    assertThat(skewed.cluster().clockSkewProblem()).startsWith("This node's clock is 5.2 s ahead of the database server's")
        .contains("3.75 s").endsWith("fix this machine's clock (NTP)");

    databaseBehindMillis.set(3_000);
    skew.recheck();
    cluster = cluster.withClockSkew(skew.latest());
    HealthReport within = health.check();
    assertThat(within.status()).as("3 s is within Quartz's tolerance").isEqualTo("ok");
    assertThat(within.cluster().clockSkewProblem()).isNull();
    assertThat(within.cluster().clockSkew()).isEqualTo(Duration.ofSeconds(3));
  }

  @Test
  void aDailyInstanceGoesStaleAfterTwoDaysWithoutSuccessAndRecovers() {
    HealthService health = health(Optional.empty());
    services.backups.runBackup(home, Backup.Trigger.SCHEDULED);

    clock.advance(Duration.ofHours(47));
    assertThat(health.check().status()).isEqualTo("ok");

    clock.advance(Duration.ofHours(2));
    HealthReport degraded = health.check();
    assertThat(degraded.status()).isEqualTo("degraded");
    assertThat(degraded.available()).as("a stale Pi-hole is no reason to restart the container").isTrue();
    assertThat(degraded.instances().get(0).stale()).isTrue();
    assertThat(degraded.instances().get(0).staleAfterSeconds()).isEqualTo(Duration.ofDays(2).toSeconds());

    services.backups.runBackup(home, Backup.Trigger.MANUAL);
    assertThat(health.check().status()).isEqualTo("ok");
  }

  @Test
  void aPassphraseNotCheckedYetIsShownWithoutDegradingWhileAWrongOneDegrades() {
    HealthService health = health(Optional.empty());
    services.backups.runBackup(home, Backup.Trigger.MANUAL);
    Instant next = clock.instant().plus(Duration.ofMinutes(10));
    passphrase = new HealthReport.PassphraseHealth("unchecked", List.of("NAS"), "not known yet", next);

    HealthReport unchecked = health.check();

    assertThat(unchecked.status()).as("not known to be wrong").isEqualTo("ok");
    assertThat(unchecked.passphrase().destinations()).containsExactly("NAS");
    assertThat(unchecked.passphrase().nextTry()).isEqualTo(next);

    passphrase = new HealthReport.PassphraseHealth("wrong", List.of("NAS"), "does not open");
    assertThat(health.check().status()).isEqualTo("degraded");
  }

  @Test
  void anUnschedulableInstanceMakesHealthDegradedAndNamesItWithItsProblem() {
    HealthService health = health(Optional.empty());

    services.instances.markUnschedulable(home, "the scheduler refused its schedule '0 0 0 31 2 ?'");
    HealthReport report = health.check();

    assertThat(report.status()).isEqualTo("degraded");
    assertThat(report.available()).isTrue();
    assertThat(report.instances()).singleElement().satisfies(i -> {
      assertThat(i.name()).isEqualTo("Pi-hole HOME");
      assertThat(i.status()).isEqualTo("misconfigured");
      assertThat(i.message()).contains("0 0 0 31 2 ?");
      assertThat(i.stale()).as("an unscheduled instance cannot go stale").isFalse();
    });

    services.instances.recheck();
    assertThat(health.check().status()).as("a recheck that finds nothing wrong clears the mark").isEqualTo("ok");
  }

  @Test
  void neverSucceedingCountsFromTheStartAndStaleAfterOverridesTheSchedule() {
    HealthService health = health(Optional.of(Duration.ofHours(6)));

    clock.advance(Duration.ofHours(5));
    assertThat(health.check().status()).isEqualTo("ok");
    clock.advance(Duration.ofHours(2));
    assertThat(health.check().status()).isEqualTo("degraded");
  }

  @Test
  void aSyncReplicaFailingLongerThanItsWindowOrADisabledSyncGroupDegradesAndIsListed() {
    HealthService health = health(Optional.empty());
    services.backups.runBackup(home, Backup.Trigger.SCHEDULED);
    Instant since = clock.instant();
    HealthReport.ReplicaHealth failingBriefly = new HealthReport.ReplicaHealth("One", "failed", since, null, since, false, 7200);
    HealthReport.ReplicaHealth failingLong = new HealthReport.ReplicaHealth("One", "failed", since, null, since, true, 7200);

    syncGroups = List.of(new HealthReport.SyncGroupHealth("home", "Main", null, List.of(failingBriefly)));
    assertThat(health.check().status()).as("one failed run is noise").isEqualTo("ok");
    syncGroups = List.of(new HealthReport.SyncGroupHealth("home", "Main", null, List.of(failingLong)));
    HealthReport stale = health.check();
    syncGroups = List.of(new HealthReport.SyncGroupHealth("bad", null, "SYNC_BAD_MODE=exact is refused", List.of()));
    HealthReport disabled = health.check();

    assertThat(stale.status()).isEqualTo("degraded");
    assertThat(stale.available()).as("a replica that does not sync is no reason to restart the container").isTrue();
    assertThat(stale.syncGroups()).singleElement().satisfies(g -> assertThat(g.replicas()).containsExactly(failingLong));
    assertThat(disabled.status()).isEqualTo("degraded");
    assertThat(disabled.syncGroups().get(0).disabled()).contains("SYNC_BAD_MODE");
  }

  @Test
  void aDeadSchedulerIsUnavailableWhateverTheInstances() {
    HealthService health = health(Optional.empty());
    scheduler = new SchedulerStatus("shut down", 0, null, "stopped");

    assertThat(health.check().status()).isEqualTo("unavailable");
    assertThat(health.check().available()).isFalse();
  }

  @Nested
  class Storage {
    private final AtomicLong reportedFree = new AtomicLong(GIB);

    private HealthService healthOn(Path backupDir) {
      services = new TestServices(backupDir, clock, Events.NONE, directory -> reportedFree.get());
      services.instances.applyEnvironment(List.of(TestInstances.aDefinition("HOME", "http://pi.hole")));
      home = services.instances.list().get(0).id();
      services.gateway.answer(Fixtures.archiveA());
      return health(Optional.empty());
    }

    @Test
    void aBackupRefusedForLowSpaceDegradesUntilABackupIsWrittenAgain() {
      HealthService health = healthOn(dir.resolve("archives"));
      reportedFree.set(MIB);

      Backup refused = services.backups.runBackup(home, Backup.Trigger.SCHEDULED);

      assertThat(refused.errorCode()).isEqualTo("storage_error");
      HealthReport full = health.check();
      assertThat(full.status()).isEqualTo("degraded");
      assertThat(full.storage().lowSpace()).isTrue();
      assertThat(full.lastBackup().failure()).isEqualTo("storage_error");

      reportedFree.set(GIB);
      HealthReport freed = health.check();
      assertThat(freed.storage().lowSpace()).isFalse();
      assertThat(freed.status()).as("the last write still failed").isEqualTo("degraded");

      services.backups.runBackup(home, Backup.Trigger.MANUAL);
      assertThat(health.check().status()).isEqualTo("ok");
    }

    /**
     * Outsider 51 (F2): archives rotted or deleted on disk, with no off-site copy to read instead, left /health "ok" — the
     * status README says to alert on — until the day a restore needed them.
     */
    @Test
    void archivesMissingOrDamagedWithNoSoundCopyDegradeNamingABackupAndWhatToDo() {
      HealthService health = healthOn(dir.resolve("archives"));
      Backup first = services.backups.runBackup(home, Backup.Trigger.MANUAL);
      Backup second = services.backups.runBackup(home, Backup.Trigger.MANUAL);
      Backup third = services.backups.runBackup(home, Backup.Trigger.MANUAL);
      assertThat(health.check().status()).isEqualTo("ok");
      assertThat(health.check().storage().filesProblem()).isNull();

      services.backupRepository.setFileMissing(second.id(), true);
      services.backupRepository.setVerifyError(first.id(), "it has changed on disk");
      services.backupRepository.setVerifyError(third.id(), "it has changed on disk");

      HealthReport report = health.check();
      assertThat(report.status()).isEqualTo("degraded");
      assertThat(report.storage().missingFiles()).isEqualTo(1);
      assertThat(report.storage().damagedFiles()).isEqualTo(2);
      assertThat(report.storage().filesProblem()).contains("backup " + second.id() + " has no archive in BACKUP_DIR",
          "2 backups (the first is backup " + first.id() + ") have a damaged archive", "no sound off-site copy",
          "Put the archive back in BACKUP_DIR under its name");
    }

    /** A real full disk: a 16 KiB tmpfs (needs root to mount; skipped elsewhere) whose free-space figure we pretend is ample. */
    @Test
    void aWriteThatHitsAFullDiskTurnsLowSpaceOnUntilSpaceIsFreed() throws Exception {
      Path mount = Files.createDirectories(dir.resolve("tiny"));
      Assumptions.assumeTrue(run("mount", "-t", "tmpfs", "-o", "size=16k", "tmpfs", mount.toString()), "mounting a tmpfs needs root");
      try {
        HealthService health = healthOn(mount);

        Backup failed = services.backups.runBackup(home, Backup.Trigger.SCHEDULED);

        assertThat(failed.errorCode()).isEqualTo("storage_error");
        assertThat(failed.errorMessage()).contains("No space left on device");
        assertThat(health.check().storage().lowSpace()).as("the disk said it was full, whatever the free-space figure").isTrue();
        assertThat(health.check().status()).isEqualTo("degraded");
        try (var left = Files.walk(mount)) {
          assertThat(left.filter(Files::isRegularFile)).as("nothing half-written stays (the empty scratch folder may)").isEmpty();
        }

        reportedFree.addAndGet(GIB);
        assertThat(health.check().storage().lowSpace()).as("space was freed").isFalse();

        assertThat(run("mount", "-o", "remount,size=1m", mount.toString())).isTrue();
        assertThat(services.backups.runBackup(home, Backup.Trigger.MANUAL).successful()).isTrue();
        assertThat(health.check().status()).isEqualTo("ok");
      } finally {
        run("umount", mount.toString());
      }
    }

    private static boolean run(String... command) throws Exception {
      Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
      p.getInputStream().readAllBytes();
      return p.waitFor() == 0;
    }
  }

  private static final long MIB = 1024L * 1024;
  private static final long GIB = 1024 * MIB;
}
