package io.piholecheckpoint.persistence;

import static io.piholecheckpoint.testing.TestInstances.aDefinition;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.piholecheckpoint.core.backup.catalog.Backup;
import io.piholecheckpoint.core.instance.TlsTrust;
import io.piholecheckpoint.core.instance.ConnectionStatus;
import io.piholecheckpoint.core.instance.InstanceDefinition;
import io.piholecheckpoint.core.instance.PiholeInstance;
import io.piholecheckpoint.core.schedule.Schedule;
import io.piholecheckpoint.core.instance.RetentionPolicy;
import io.piholecheckpoint.core.recovery.AdoptionNotes;
import io.piholecheckpoint.core.restore.record.Restore;
import io.piholecheckpoint.core.restore.parts.RestoreMode;
import io.piholecheckpoint.testing.MemoryTempDir;
import io.piholecheckpoint.testing.RepositoryContract;
import io.piholecheckpoint.testing.TestBackups;
import io.piholecheckpoint.core.sync.runs.SyncRun;
import io.piholecheckpoint.core.sync.runs.SyncRunRepository;
import io.piholecheckpoint.core.syncgroup.ManagedSyncGroup;
import io.piholecheckpoint.core.syncgroup.SyncGroupRepository;
import io.piholecheckpoint.core.destination.ManagedDestination;
import io.piholecheckpoint.testing.MigratedDatabase;
import io.piholecheckpoint.testing.MovableClock;
import io.piholecheckpoint.testing.TestDialects;
import java.nio.file.Path;
import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalTime;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.ArgumentsSource;

/** The repositories on a real SQLite file and a real PostgreSQL database, migrated by the real scripts: the contract, and more. */
@ParameterizedClass
@ArgumentsSource(TestDialects.class)
class MyBatisRepositoriesTest extends RepositoryContract {
  @Parameter
  Dialect dialect;

  @TempDir(factory = MemoryTempDir.class) // each commit syncs SQLite's WAL: on a tmpfs the same call returns at once
  Path dir;

  private Database database;
  private MyBatisInstanceRepository instances;
  private MyBatisBackupRepository backups;

  @BeforeEach
  void migrate() {
    database = MigratedDatabase.open(dialect, dir);
    instances = new MyBatisInstanceRepository(database, MovableClock.ticking());
    backups = new MyBatisBackupRepository(database);
  }

  @Override
  protected MyBatisInstanceRepository instances() {
    return instances;
  }

  @Override
  protected MyBatisBackupRepository backups() {
    return backups;
  }

  @AfterEach
  void close() {
    database.close();
  }

  @Test
  void keepsTheNotesOfEachDestinationsLastAdoptionInPlaceOfItsEarlierOnes() {
    MyBatisAdoptionNotes notes = new MyBatisAdoptionNotes(database);
    Instant t = Instant.parse("2026-12-04T09:00:00Z");
    notes.replace("NAS", List.of(new AdoptionNotes.Note(2, "its manifest is not usable: it has no instance", t)));
    notes.replace("B2", List.of(new AdoptionNotes.Note(1, "its manifest describes another object", t),
        new AdoptionNotes.Note(0, "'Home' was re-created with the address http://pi.hole", t)));

    notes.replace("NAS", List.of(new AdoptionNotes.Note(1, "its size differs from what its manifest says was uploaded", t.plusSeconds(60))));

    assertThat(notes.all().keySet()).containsExactly("B2", "NAS");
    assertThat(notes.all().get("NAS")).containsExactly(new AdoptionNotes.Note(1, "its size differs from what its manifest says was uploaded",
        t.plusSeconds(60)));
    assertThat(notes.all().get("B2")).extracting(AdoptionNotes.Note::said).containsExactly("1 archive skipped: its manifest describes another object",
        "'Home' was re-created with the address http://pi.hole");
    notes.replace("B2", List.of());
    assertThat(notes.all()).containsOnlyKeys("NAS");
  }

  @Test
  void aDestinationDeletedTwiceIsDeletedOnceAndASaveAfterItWritesNothing() {
    MyBatisDestinationRepository destinations = new MyBatisDestinationRepository(database, MovableClock.ticking());
    destinations.add(new ManagedDestination("NAS", Map.of("URL", "file:///mnt/nas", "ENCRYPT", "false")));
    long changes = destinations.changes();

    assertThat(destinations.delete("NAS")).isTrue();
    assertThat(destinations.delete("NAS")).as("gone: nothing deleted").isFalse();
    assertThat(destinations.deleteSettings("NAS")).isFalse();
    assertThat(destinations.save(new ManagedDestination("NAS", Map.of("URL", "file:///mnt/other")))).as("no settings without it").isFalse();

    assertThat(destinations.findAll()).isEmpty();
    assertThat(destinations.changes()).as("counted once").isEqualTo(changes + 1);
  }

  @Test
  void anInstanceDeletedTwiceIsDeletedOnceAndEveryChangeOfOneIsCounted() {
    long changes = instances.changes();
    long id = instances.insert(aDefinition("LAB", "http://lab"), new MyBatisInstanceRepository.SealedSecrets(null, null));
    instances.setPaused(id, true);

    assertThat(instances.markRemoved(id)).isTrue();
    assertThat(instances.delete(id)).isTrue();
    assertThat(instances.delete(id)).as("gone: nothing deleted").isFalse();
    assertThat(instances.markRemoved(id)).isFalse();
    assertThat(instances.changes()).as("added, paused, removed, deleted").isEqualTo(changes + 4);
  }

  /** A sync run's record whose commit went through but whose reply an outage swallowed is tried again: one record, not two. */
  @Test
  void aSyncRunTriedAgainAfterItsCommitsReplyWasLostIsRecordedOnce() {
    long[] ids = dailyInstances("MAIN", "ONE");
    long main = ids[0];
    long one = ids[1];
    MyBatisSyncRunRepository runs = new MyBatisSyncRunRepository(database);
    Instant at = Instant.parse("2026-12-03T03:00:00Z");
    SyncRun run = new SyncRun(0, "home", main, one, 4L,
        SyncRun.Outcome.SYNCED, null, "synced", "+1 domain", List.of(), null, at, at.plusSeconds(2));
    java.util.concurrent.atomic.AtomicInteger tries = new java.util.concurrent.atomic.AtomicInteger();
    List<java.time.Duration> waits = new java.util.ArrayList<>();

    SyncRun recorded = new io.piholecheckpoint.core.job.DatabaseOutages(waits::add).record("a sync run", () -> {
      SyncRun written = runs.insert(run);
      if (tries.incrementAndGet() == 1) {
        throw new org.apache.ibatis.exceptions.PersistenceException(new java.sql.SQLException("An I/O error occurred while sending to the backend.", "08006"));
      }
      return written;
    });

    assertThat(waits).as("tried again once").hasSize(1);
    assertThat(runs.findByGroup("home", null, 10)).containsExactly(run.withId(recorded.id()));
  }

  @Test
  void syncRunsAreKeptPerGroupNewestFirstInPagesWithTheirRefusedKeysAndSnapshots() {
    long[] ids = dailyInstances("MAIN", "ONE");
    long main = ids[0];
    long one = ids[1];
    MyBatisSyncRunRepository runs = new MyBatisSyncRunRepository(database);
    Instant at = Instant.parse("2026-12-03T03:00:00Z");
    SyncRun partial = new SyncRun(0, "home", main, one, 4L,
        SyncRun.Outcome.PARTIAL, null, "synced but for 2 setting(s)", "+1 domain",
        List.of("dns.upstreams: read-only", "dns.rateLimit.count: read-only"), 9L, at, at.plusSeconds(2));

    long first = runs.insert(partial).id();
    long second = runs.insert(new SyncRun(0, "home", main, one, 4L, SyncRun.Outcome.IN_SYNC,
        null, "in sync", "no changes", List.of(), null, at, at)).id();
    runs.insert(new SyncRun(0, "other", main, one, 4L, SyncRun.Outcome.FAILED,
        "unreachable", "gone", null, List.of(), null, at, at));
    SyncRun skipped = runs.insert(new SyncRun(0, "other", main, one, null,
        SyncRun.Outcome.SKIPPED, "switched_off", "skipped: switched off", null, List.of(), null, at, at));

    assertThat(runs.findByGroup("home", null, 1)).extracting(SyncRun::id).containsExactly(second);
    assertThat(runs.findByGroup("home", second, 10)).containsExactly(partial.withId(first));
    assertThat(runs.hasSnapshot("home", one)).isTrue();
    assertThat(runs.hasSnapshot("other", one)).isFalse();
    assertThat(runs.findByGroup("other", null, 1)).containsExactly(skipped);
  }

  @Test
  void aSyncGroupAddedHereIsReplacedWholeAndDeletedWithItsRunsOnly() {
    long[] ids = dailyInstances("MAIN", "ONE");
    long main = ids[0];
    long one = ids[1];
    MyBatisSyncGroupRepository groups = new MyBatisSyncGroupRepository(database, MovableClock.ticking());
    MyBatisSyncRunRepository runs = new MyBatisSyncRunRepository(database);
    Instant at = Instant.parse("2026-12-03T03:00:00Z");
    for (String group : List.of("lab", "other")) {
      runs.insert(new SyncRun(0, group, main, one, null, SyncRun.Outcome.IN_SYNC,
          null, "in sync", null, List.of(), null, at, at));
    }

    assertThat(groups.add(new ManagedSyncGroup("LAB", Map.of("PRIMARY", Long.toString(main), "REPLICAS", Long.toString(one), "MODE", "lists",
        "WHEN", "0 */5 * * * ?")))).isTrue();
    assertThat(groups.add(new ManagedSyncGroup("LAB", Map.of("PRIMARY", Long.toString(one))))).as("the name is taken: nothing written").isFalse();
    assertThat(groups.save(new ManagedSyncGroup("LAB", Map.of("PRIMARY", Long.toString(main), "REPLICAS", Long.toString(one), "SNAPSHOT", "never"))))
        .isTrue();
    assertThat(groups.save(new ManagedSyncGroup("GONE", Map.of("PRIMARY", Long.toString(main))))).as("none to replace").isFalse();
    groups.add(new ManagedSyncGroup("OTHER", Map.of("PRIMARY", Long.toString(one), "REPLICAS", Long.toString(main))));

    assertThat(groups.find("LAB")).hasValue(new ManagedSyncGroup("LAB", Map.of("PRIMARY", Long.toString(main), "REPLICAS", Long.toString(one),
        "SNAPSHOT", "never")));
    assertThat(groups.findAll()).extracting(ManagedSyncGroup::name).containsExactly("LAB", "OTHER");
    new MyBatisSyncRunRepository(database, "node-b").started("lab", at);
    assertThat(groups.delete("LAB")).as("running on node-b: kept").isEqualTo(SyncGroupRepository.Deletion.runningOn("node-b"));
    assertThat(groups.find("LAB")).isPresent();
    assertThat(runs.takeLeft("node-b")).extracting(r -> r.group() + " " + r.node()).containsExactly("lab node-b");
    long changes = groups.changes();
    assertThat(groups.delete("LAB")).isEqualTo(SyncGroupRepository.Deletion.DONE);
    assertThat(groups.find("LAB")).isEmpty();
    assertThat(groups.delete("LAB")).as("deleted a moment before: this delete deleted nothing").isEqualTo(SyncGroupRepository.Deletion.GONE);
    assertThat(groups.changes()).as("counted once").isEqualTo(changes + 1);
    assertThat(runs.findByGroup("lab", null, 10)).as("its history went with it").isEmpty();
    assertThat(runs.findByGroup("other", null, 10)).as("another group's stays").hasSize(1);
    assertThat(groups.findAll()).extracting(ManagedSyncGroup::name).containsExactly("OTHER");
  }

  @Test
  void theSafetyBackupNotedOnARunsTurnIsTakenWithTheTurnAndANewRunStartsWithoutOne() {
    MyBatisSyncRunRepository nodeA = new MyBatisSyncRunRepository(database, "node-a");
    MyBatisSyncRunRepository nodeB = new MyBatisSyncRunRepository(database, "node-b");
    Instant at = Instant.parse("2026-12-08T03:00:00Z");
    nodeA.started("lab", at);

    nodeB.snapshotTaken("lab", 7, 41); // not node-b's turn: nothing written
    nodeA.snapshotTaken("lab", 7, 42);
    SyncRunRepository.Running noted = nodeA.running("lab").orElseThrow();
    nodeA.started("lab", at.plusSeconds(60)); // a next run of it
    SyncRunRepository.Running next = nodeA.running("lab").orElseThrow();
    nodeA.snapshotTaken("lab", 8, 43);
    List<SyncRunRepository.Running> left = nodeB.takeLeft("node-a");

    assertThat(noted.snapshotOf(7)).isEqualTo(42L);
    assertThat(noted.snapshotOf(8)).as("another replica: none taken of it").isNull();
    assertThat(next.snapshotId()).as("a new run took none yet").isNull();
    assertThat(left).singleElement().satisfies(r -> {
      assertThat(r.startedAt()).isEqualTo(at.plusSeconds(60));
      assertThat(r.snapshotOf(8)).isEqualTo(43L);
    });
  }

  @Test
  void theReplicaARunReachedIsNotedOnItsTurnWithoutTheSafetyBackupOfTheOneBefore() {
    MyBatisSyncRunRepository nodeA = new MyBatisSyncRunRepository(database, "node-a");
    nodeA.started("lab", Instant.parse("2026-12-08T03:00:00Z"));
    SyncRunRepository.Running none = nodeA.running("lab").orElseThrow();

    nodeA.reached("lab", 7);
    nodeA.snapshotTaken("lab", 7, 42);
    nodeA.reached("lab", 8); // the next replica: nothing taken of it yet
    List<SyncRunRepository.Running> left = nodeA.takeLeft("node-a");

    assertThat(none.reached(7)).as("a run that reached no replica yet").isFalse();
    assertThat(left).singleElement().satisfies(r -> {
      assertThat(r.reached(8)).isTrue();
      assertThat(r.reached(7)).as("the one before has its own record").isFalse();
      assertThat(r.snapshotOf(8)).isNull();
    });
  }

  @Test
  void eachReplicaStandsByItsNewestRunItsLastSuccessAndTheFirstFailureSince() {
    long[] ids = dailyInstances("MAIN", "ONE", "TWO");
    long main = ids[0];
    long one = ids[1];
    long two = ids[2];
    MyBatisSyncRunRepository runs = new MyBatisSyncRunRepository(database);
    Instant t = Instant.parse("2026-12-03T03:00:00Z");
    runs.insert(syncRun("home", main, one, SyncRun.Outcome.SYNCED, t));
    runs.insert(syncRun("home", main, one, SyncRun.Outcome.PARTIAL, t.plusSeconds(3600)));
    runs.insert(syncRun("home", main, one, SyncRun.Outcome.FAILED, t.plusSeconds(7200)));
    SyncRun newest = runs.insert(syncRun("home", main, one, SyncRun.Outcome.FAILED, t.plusSeconds(10800)));
    SyncRun onlyFailure = runs.insert(syncRun("home", main, two, SyncRun.Outcome.FAILED, t));
    runs.insert(syncRun("other", main, two, SyncRun.Outcome.SYNCED, t.plusSeconds(20000)));

    Map<Long, SyncRunRepository.Standing> standings = runs.standings("home").stream()
        .collect(java.util.stream.Collectors.toMap(s -> s.last().replicaId(), s -> s));

    assertThat(standings.get(one)).isEqualTo(new SyncRunRepository.Standing(newest, t.plusSeconds(3601), t.plusSeconds(7200)));
    assertThat(standings.get(two)).isEqualTo(new SyncRunRepository.Standing(onlyFailure, null, t));
    assertThat(runs.standings("none")).isEmpty();
  }

  /** Instances of the environment, daily at 03:00, as a sync group's primary and replicas: their ids in the order given. */
  private long[] dailyInstances(String... prefixes) {
    long[] ids = new long[prefixes.length];
    for (int i = 0; i < prefixes.length; i++) {
      instances.saveDefinition(new InstanceDefinition(prefixes[i], prefixes[i], "http://" + prefixes[i].toLowerCase() + ".lan", TlsTrust.SYSTEM, null,
          new Schedule(Schedule.Kind.DAILY, LocalTime.of(3, 0), DayOfWeek.SUNDAY, null), RetentionPolicy.DEFAULT, false, true));
      ids[i] = instances.findByEnvPrefix(prefixes[i]).orElseThrow().id();
    }
    return ids;
  }

  private static SyncRun syncRun(String group, long primary, long replica, SyncRun.Outcome outcome, Instant at) {
    return new SyncRun(0, group, primary, replica, null, outcome, outcome == SyncRun.Outcome.FAILED ? "unreachable" : null, outcome.name(), null,
        List.of(), null, at, at.plusSeconds(1));
  }

  @Test
  void restoresTheLastProcessLeftUnfinishedSayHowFarTheyGot() {
    instances.saveDefinition(new InstanceDefinition("HOME", "Home", "http://pi.hole", TlsTrust.SYSTEM, null,
        new Schedule(Schedule.Kind.DAILY, LocalTime.of(3, 0), DayOfWeek.SUNDAY, null), RetentionPolicy.DEFAULT, false, true));
    long home = instances.findByEnvPrefix("HOME").orElseThrow().id();
    MyBatisRestoreRepository restores = new MyBatisRestoreRepository(database);
    Instant at = Instant.parse("2026-12-02T03:00:00Z");
    long queued = restores.insert(restore(home, Restore.State.QUEUED, null, at)).id();
    long safetyBackup = restores.insert(restore(home, Restore.State.RUNNING, null, at)).id();
    long importing = restores.insert(restore(home, Restore.State.RUNNING, 7L, at)).id();
    long done = restores.insert(restore(home, Restore.State.VERIFIED, 7L, at)).id();

    assertThat(restores.markInterrupted(at.plusSeconds(60))).isEqualTo(3);

    assertThat(restores.findById(queued).orElseThrow()).satisfies(r -> {
      assertThat(r.state()).isEqualTo(Restore.State.FAILED);
      assertThat(r.message()).startsWith("not started").contains("nothing was changed");
    });
    assertThat(restores.findById(safetyBackup).orElseThrow()).satisfies(r -> {
      assertThat(r.state()).isEqualTo(Restore.State.FAILED);
      assertThat(r.message()).contains("during the safety backup; nothing was changed");
    });
    assertThat(restores.findById(importing).orElseThrow()).satisfies(r -> {
      assertThat(r.state()).isEqualTo(Restore.State.UNVERIFIED);
      assertThat(r.message()).contains("the Pi-hole may have been changed");
      assertThat(r.finishedAt()).isEqualTo(at.plusSeconds(60));
    });
    assertThat(restores.findById(done).orElseThrow().state()).isEqualTo(Restore.State.VERIFIED);
  }

  /** Outsider (low): the start said "N restore(s) were interrupted"; each is answered as recorded now, to be named in a line of its own. */
  @Test
  void theRestoresInterruptedAreAnsweredEachAsRecordedNow() {
    instances.saveDefinition(new InstanceDefinition("HOME", "Home", "http://pi.hole", TlsTrust.SYSTEM, null,
        new Schedule(Schedule.Kind.DAILY, LocalTime.of(3, 0), DayOfWeek.SUNDAY, null), RetentionPolicy.DEFAULT, false, true));
    long home = instances.findByEnvPrefix("HOME").orElseThrow().id();
    MyBatisRestoreRepository restores = new MyBatisRestoreRepository(database);
    Instant at = Instant.parse("2026-12-02T03:00:00Z");
    long queued = restores.insert(restore(home, Restore.State.QUEUED, null, at)).id();
    restores.insert(restore(home, Restore.State.VERIFIED, 7L, at));
    long importing = restores.insert(restore(home, Restore.State.RUNNING, 7L, at)).id();

    List<Restore> interrupted = restores.interrupt(null, "Pi-hole Checkpoint stopped", at.plusSeconds(60));

    assertThat(interrupted).extracting(Restore::id).containsExactly(queued, importing);
    assertThat(interrupted).extracting(Restore::state).containsExactly(Restore.State.FAILED, Restore.State.UNVERIFIED);
    assertThat(interrupted.get(1).message()).isEqualTo(restores.findById(importing).orElseThrow().message()).contains("may have been changed");
    assertThat(restores.interrupt(null, "Pi-hole Checkpoint stopped", at.plusSeconds(120))).isEmpty();
  }

  @Test
  void theRestoresOfADeadNodeAreInterruptedNamingItAndTheOtherNodesAreLeftRunning() {
    instances.saveDefinition(new InstanceDefinition("HOME", "Home", "http://pi.hole", TlsTrust.SYSTEM, null,
        new Schedule(Schedule.Kind.DAILY, LocalTime.of(3, 0), DayOfWeek.SUNDAY, null), RetentionPolicy.DEFAULT, false, true));
    long home = instances.findByEnvPrefix("HOME").orElseThrow().id();
    Instant at = Instant.parse("2026-12-02T03:00:00Z");
    long onB = new MyBatisRestoreRepository(database, "node-b").insert(restore(home, Restore.State.RUNNING, 7L, at)).id();
    MyBatisRestoreRepository onA = new MyBatisRestoreRepository(database, "node-a");
    long alive = onA.insert(restore(home, Restore.State.RUNNING, 8L, at)).id();

    assertThat(onA.markInterrupted("node-b", "node node-b stopped checking in at 2026-12-02T03:00:05Z", at.plusSeconds(20))).isEqualTo(1);

    assertThat(onA.findById(onB).orElseThrow()).satisfies(r -> {
      assertThat(r.state()).isEqualTo(Restore.State.UNVERIFIED);
      assertThat(r.message()).startsWith("interrupted: node node-b stopped checking in at 2026-12-02T03:00:05Z during the restore;")
          .contains("the Pi-hole may have been changed");
    });
    assertThat(onA.findById(alive).orElseThrow().state()).isEqualTo(Restore.State.RUNNING);
  }

  /** What retention keeps while restores of it wait or run, read from any node's records; ended ones name none. */
  @Test
  void theSourcesOfQueuedAndRunningRestoresAreUnfinishedUntilTheyEnd() {
    instances.saveDefinition(new InstanceDefinition("HOME", "Home", "http://pi.hole", TlsTrust.SYSTEM, null,
        new Schedule(Schedule.Kind.DAILY, LocalTime.of(3, 0), DayOfWeek.SUNDAY, null), RetentionPolicy.DEFAULT, false, true));
    long home = instances.findByEnvPrefix("HOME").orElseThrow().id();
    Instant at = Instant.parse("2026-12-02T03:00:00Z");
    MyBatisRestoreRepository restores = new MyBatisRestoreRepository(database, "node-a");
    assertThat(restores.unfinishedSources()).isEmpty();
    restores.insert(restore(home, Restore.State.VERIFIED, 7L, at));
    assertThat(restores.unfinishedSources()).as("a finished restore").isEmpty();
    restores.insert(restore(home, Restore.State.QUEUED, null, at));
    new MyBatisRestoreRepository(database, "node-b").insert(restore(home, Restore.State.RUNNING, 8L, at));

    assertThat(restores.unfinishedSources()).containsExactly(1L);
    restores.markInterrupted(at.plusSeconds(60));
    assertThat(restores.unfinishedSources()).isEmpty();
  }

  private static Restore restore(long target, Restore.State state, Long snapshotId, Instant at) {
    return new Restore(0, 1, target, RestoreMode.LISTS, state, snapshotId, "…", List.of(), List.of(), at,
        state == Restore.State.VERIFIED ? at : null);
  }

  @Test
  void aRunMarkerSurvivesUntilItsRunEndsAndIsTakenOnce() {
    instances.saveDefinition(new InstanceDefinition("HOME", "Home", "http://pi.hole", TlsTrust.SYSTEM, null,
        new Schedule(Schedule.Kind.DAILY, LocalTime.of(3, 0), DayOfWeek.SUNDAY, null), RetentionPolicy.DEFAULT, false, true));
    long home = instances.findByEnvPrefix("HOME").orElseThrow().id();
    MyBatisRunMarkers markers = new MyBatisRunMarkers(database);
    java.time.Instant at = java.time.Instant.parse("2026-12-02T03:00:00Z");

    markers.started(home, io.piholecheckpoint.core.backup.catalog.Backup.Trigger.SCHEDULED, at);
    database.close();
    database = MigratedDatabase.reopen(database); // as the next process finds it
    markers = new MyBatisRunMarkers(database);

    assertThat(markers.takeAll()).containsExactly(
        new io.piholecheckpoint.core.backup.runs.RunMarkers.Marker(home, io.piholecheckpoint.core.backup.catalog.Backup.Trigger.SCHEDULED, at));
    assertThat(markers.takeAll()).isEmpty();

    markers.started(home, io.piholecheckpoint.core.backup.catalog.Backup.Trigger.MANUAL, at);
    markers.ended(home);
    assertThat(markers.takeAll()).as("a run that ended leaves nothing").isEmpty();
  }

  @Test
  void retentionReadsNoRowWhenNoneMayGoAndNothingOlderThanTheOldestThatMay() {
    instances.saveDefinition(aDefinition("HOME", "http://a"));
    long home = instances.findByEnvPrefix("HOME").orElseThrow().id();
    Instant t = Instant.parse("2026-11-01T03:00:00Z");
    for (int i = 0; i < 200; i++) {
      backups.insert(TestBackups.aSuccess(1 + i, home, t.plusSeconds(3600L * i)));
    }
    Instant newest = t.plusSeconds(3600L * 199);

    assertThat(backups.findUpToOldestExpirable(home, 0, null)).as("no limits: nothing may go").isEmpty();
    assertThat(backups.findUpToOldestExpirable(home, 200, newest.minusSeconds(3600L * 200))).isEmpty();
    assertThat(backups.findUpToOldestExpirable(home, 10, null)).as("the oldest may go: all rows").hasSize(200);
    assertThat(backups.findUpToOldestExpirable(home, 0, newest.minusSeconds(3600L * 24))).as("only older than a day may go")
        .hasSize(200);
    backups.findSuccessful(home).stream().skip(11).forEach(b -> backups.delete(b.id()));
    assertThat(backups.findUpToOldestExpirable(home, 10, null)).as("after a run's deletion: the 10 kept and the one beyond")
        .hasSize(11);
    assertThat(backups.findBaselines(home)).hasSize(1);
  }

  @Test
  void refusesASuccessfulBackupWithoutAFile() {
    instances.saveDefinition(aDefinition("HOME", "http://a"));
    long id = instances.findAll().get(0).id();
    Instant t = Instant.parse("2026-11-27T03:00:00Z");

    assertThatThrownBy(() -> backups.insert(new Backup(0, id, Backup.Status.SUCCESS, Backup.Trigger.MANUAL, null, null, null, t, t,
        null, false, false, false, null))).hasMessageMatching("(?s).*(CHECK constraint failed|violates check constraint).*");
  }

  /** The per-instance query joins the instance table: an instance without a record still has its (empty) entry. */
  @Test
  void givesAnInstanceWithoutBackupsAnEmptyListOfRecentSizes() {
    instances.saveDefinition(aDefinition("HOME", "http://a"));
    instances.saveDefinition(aDefinition("NEW", "http://c"));
    long home = instances.findByEnvPrefix("HOME").orElseThrow().id();
    backups.insert(TestBackups.aSuccess(1, home, Instant.parse("2026-11-27T03:00:00Z")));

    long fresh = instances.findByEnvPrefix("NEW").orElseThrow().id();
    assertThat(backups.recentSizesPerInstance(List.of(home, fresh), 1).get(fresh)).isEmpty();
  }

  @Test
  void theDataVersionChangesWithEveryCommitOfThisProcessOrAnother() throws Exception {
    instances.saveDefinition(aDefinition("HOME", "http://a"));
    long home = instances.findByEnvPrefix("HOME").orElseThrow().id();
    long before = database.dataVersion();

    assertThat(database.dataVersion()).as("nothing committed").isEqualTo(before);
    backups.insert(TestBackups.aSuccess(1, home, Instant.parse("2026-11-27T03:00:00Z")));
    long afterOurWrite = database.dataVersion();
    assertThat(afterOurWrite).isNotEqualTo(before);

    backups.findRecentPerInstance(List.of(home), 5);
    assertThat(database.dataVersion()).as("reads change nothing").isEqualTo(afterOurWrite);

    // another process: a connection of its own, outside our pool
    try (java.sql.Connection other = MigratedDatabase.connectOutside(database);
         java.sql.Statement update = other.createStatement()) {
      update.executeUpdate("UPDATE backup SET pinned = 1");
    }
    assertThat(database.dataVersion()).isNotEqualTo(afterOurWrite);
  }
}
