package io.piholecheckpoint.core.recovery;

import io.piholecheckpoint.core.offsite.catalog.OffsiteCatalog;
import io.piholecheckpoint.testing.BackupGraph;
import io.piholecheckpoint.testing.TestTimes;
import java.time.Clock;
import io.piholecheckpoint.core.archive.ArchiveCipher;
import io.piholecheckpoint.core.archive.ArchiveDamagedException;
import io.piholecheckpoint.core.archive.ArchiveFiles;
import io.piholecheckpoint.core.archive.ArchiveStorageException;
import io.piholecheckpoint.core.archive.ArchiveStore;
import io.piholecheckpoint.core.backup.BackupService;
import io.piholecheckpoint.core.backup.catalog.Backup;
import io.piholecheckpoint.core.backup.catalog.BackupCatalog;
import io.piholecheckpoint.core.backup.catalog.BackupRepository;
import io.piholecheckpoint.core.backup.events.Events;
import io.piholecheckpoint.core.download.ArchiveDownloader;
import io.piholecheckpoint.core.download.DownloadPolicy;
import io.piholecheckpoint.core.instance.InstanceDefinition;
import io.piholecheckpoint.core.instance.InstanceRepository;
import io.piholecheckpoint.core.instance.PiholeInstance;
import io.piholecheckpoint.core.instance.RetentionPolicy;
import io.piholecheckpoint.core.instance.TlsTrust;
import io.piholecheckpoint.core.offsite.CopyOnBackup;
import io.piholecheckpoint.core.offsite.DestinationTurns;
import io.piholecheckpoint.core.offsite.OffsiteService;
import io.piholecheckpoint.core.offsite.RemotePruning;
import io.piholecheckpoint.core.offsite.copy.CopyDamagedException;
import io.piholecheckpoint.core.offsite.copy.CopyOutcomes;
import io.piholecheckpoint.core.offsite.copy.CopyRunner;
import io.piholecheckpoint.core.offsite.copy.Uploads;
import io.piholecheckpoint.core.offsite.queue.Copy;
import io.piholecheckpoint.core.offsite.remote.Destination;
import io.piholecheckpoint.core.offsite.remote.DestinationConfig;
import io.piholecheckpoint.core.offsite.remote.DestinationNotFoundException;
import io.piholecheckpoint.core.offsite.remote.OffsiteTarget;
import io.piholecheckpoint.core.offsite.remote.OffsiteTargets;
import io.piholecheckpoint.core.offsite.remote.RemoteObject;
import io.piholecheckpoint.core.recovery.adopted.AdoptedCopies;
import io.piholecheckpoint.core.recovery.fetch.FetchingArchiveStore;
import io.piholecheckpoint.core.registry.InstanceService;
import io.piholecheckpoint.core.retention.RetentionService;
import io.piholecheckpoint.core.schedule.Schedule;
import io.piholecheckpoint.core.settings.InstanceForm;
import io.piholecheckpoint.crypto.OpenPgpArchiveCipher;
import io.piholecheckpoint.offsite.file.FileDestination;
import io.piholecheckpoint.persistence.Database;
import io.piholecheckpoint.persistence.MyBatisBackupRepository;
import io.piholecheckpoint.persistence.MyBatisCopyRepository;
import io.piholecheckpoint.persistence.MyBatisInstanceRepository;
import io.piholecheckpoint.storage.LocalArchiveStore;
import io.piholecheckpoint.teleporter.TeleporterContents;
import io.piholecheckpoint.teleporter.TeleporterInspector;
import io.piholecheckpoint.testing.Fixtures;
import io.piholecheckpoint.testing.MemoryTempDir;
import io.piholecheckpoint.testing.MigratedDatabase;
import io.piholecheckpoint.testing.MovableClock;
import io.piholecheckpoint.testing.RecordingPause;
import io.piholecheckpoint.testing.ScriptedGateway;
import io.piholecheckpoint.testing.TestArchives;
import io.piholecheckpoint.testing.TestInstances;
import io.piholecheckpoint.testing.TestServices;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
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
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

/**
 * Disaster recovery over real parts: an install backs up and copies to a directory destination;
 * a second install with a new database and an empty backup directory adopts what the destination
 * holds, then fetches an archive back when it is opened.
 */
class AdoptionServiceTest {
  private static final String PASSPHRASE = "correct horse battery staple";
  @TempDir(factory = MemoryTempDir.class)
  Path dir;

  private final MovableClock clock = new MovableClock(Instant.parse("2026-12-02T03:00:00Z"));
  private final ArchiveCipher cipher = new OpenPgpArchiveCipher(PASSPHRASE.toCharArray());
  private final List<Database> databases = new ArrayList<>();

  @AfterEach
  void close() {
    databases.forEach(Database::close);
  }

  private FileDestination nas() throws Exception {
    return folder("NAS");
  }

  /** A directory destination of that name, in the folder of its name in lower case: the same for the lost and the new install. */
  private FileDestination folder(String name) throws Exception {
    Path folder = Files.createDirectories(dir.resolve(name.toLowerCase(java.util.Locale.ROOT)));
    return new FileDestination(new DestinationConfig(name, folder.toUri(), Map.of(), Duration.ofSeconds(5)));
  }

  private List<OffsiteTarget> targets(List<String> names) throws Exception {
    List<OffsiteTarget> all = new ArrayList<>();
    for (String name : names) {
      all.add(new OffsiteTarget(name, folder(name), List.of(), OffsiteTarget.RemoteRetention.INSTANCES_OWN, true));
    }
    return all;
  }

  private static InstanceDefinition home() {
    return new InstanceDefinition("HOME", "Home", "http://pi.hole", TlsTrust.SYSTEM, null, Schedule.DEFAULT, new RetentionPolicy(10, 0), false, true);
  }

  /** The install that is lost: two backups of different content, each copied and verified at the destination. */
  private List<Backup> backUpAndCopy(boolean encryptAtRest) throws Exception {
    return backUpAndCopy(encryptAtRest, Fixtures.archiveB(), false);
  }

  /**
   * The install that is lost: a backup of archive A, then one of {@code second} an hour later, each copied and verified at the
   * destination; then, when {@code pinFirst}, the first is pinned after its copy was made, and the next run of the copies follows.
   */
  private List<Backup> backUpAndCopy(boolean encryptAtRest, byte[] second, boolean pinFirst) throws Exception {
    Lost old = new Lost(encryptAtRest);
    Backup first = old.backUp(Fixtures.archiveA(), Backup.Trigger.SCHEDULED);
    clock.advance(Duration.ofHours(1));
    Backup later = old.backUp(second, Backup.Trigger.MANUAL);
    assertThat(old.offsite.runDue()).isEqualTo(2);
    if (pinFirst) {
      old.backups.pin(first.id(), true);
      old.offsite.runDue();
    }
    return List.of(first, later);
  }

  /** The install that is lost: one instance, HOME, whose backups are copied to the destination at each run of the copies. */
  private final class Lost {
    final MyBatisBackupRepository backupRepository;
    final OffsiteService offsite;
    final BackupGraph backups;
    final ScriptedGateway gateway = new ScriptedGateway();
    final long id;

    Lost(boolean encryptAtRest) throws Exception {
      this(encryptAtRest, List.of("NAS"));
    }

    /** @param destinations the directory destinations its backups are copied to, by name */
    Lost(boolean encryptAtRest, List<String> destinations) throws Exception {
      Database database = MigratedDatabase.openAt(dir.resolve("old.db"));
      databases.add(database);
      MyBatisCopyRepository copies = new MyBatisCopyRepository(database);
      backupRepository = new MyBatisBackupRepository(database);
      MyBatisInstanceRepository instanceRepository = new MyBatisInstanceRepository(database, clock);
      InstanceService instances = TestInstances.service(instanceRepository);
      ArchiveStore archives = new LocalArchiveStore(Files.createDirectories(dir.resolve("old-backups")), new TeleporterInspector(),
          ArchiveStore.FreeSpace.OF_FILE_STORE, encryptAtRest ? cipher : ArchiveCipher.NONE);
      offsite = new OffsiteService(new CopyRunner(targets(destinations), copies, new Uploads(archives, cipher, backupRepository,
          instanceRepository), clock, (d, o) -> { }), copies, new RemotePruning(copies, backupRepository, instanceRepository, ZoneOffset.UTC, clock),
          clock);
      backups = BackupGraph.of(new BackupCatalog(instances, backupRepository, archives), instances, backupRepository,
          new ArchiveDownloader(gateway, TestServices.PASSWORD_ONLY, archives, DownloadPolicy.DEFAULT, new RecordingPause(), Clock.systemUTC()), archives,
          new TeleporterContents(Clock.systemUTC()), new RetentionService(backupRepository, archives, ZoneOffset.UTC, 7, Events.NONE), clock,
          new CopyOnBackup(offsite, new OffsiteCatalog(offsite.targetSet(), copies, clock), () -> { }), TestTimes.UTC);
      instances.applyEnvironment(List.of(home()));
      id = instances.list().get(0).id();
    }

    Backup backUp(byte[] archive, Backup.Trigger trigger) {
      gateway.answer(archive);
      return backups.runBackup(id, trigger);
    }
  }

  /** The new install: its own database and backup directory, the same destination settings and passphrase. */
  private final class Fresh {
    final MyBatisBackupRepository backups;
    final MyBatisCopyRepository copies;
    final InstanceService instances;
    final AdoptionService adoption;
    final ArchiveStore archives;
    final Path backupDir;
    final MyBatisInstanceRepository instanceRepository;
    final List<OffsiteTarget> targets;

    Fresh(boolean withEnvironmentInstance, boolean encryptAtRest) throws Exception {
      this(withEnvironmentInstance, encryptAtRest, List.of("NAS"));
    }

    /** @param destinations the directory destinations it is set up with, by name, as the lost install was */
    Fresh(boolean withEnvironmentInstance, boolean encryptAtRest, List<String> destinations) throws Exception {
      Database database = MigratedDatabase.openAt(dir.resolve("new.db"));
      databases.add(database);
      backups = new MyBatisBackupRepository(database);
      copies = new MyBatisCopyRepository(database);
      instanceRepository = new MyBatisInstanceRepository(database, clock);
      instances = TestInstances.service(instanceRepository);
      if (withEnvironmentInstance) {
        instances.applyEnvironment(List.of(home()));
      }
      targets = targets(destinations);
      adoption = new AdoptionService(targets, copies, backups, instances, clock);
      backupDir = Files.createDirectories(dir.resolve("new-backups"));
      archives = new FetchingArchiveStore(new LocalArchiveStore(backupDir, new TeleporterInspector(), ArchiveStore.FreeSpace.OF_FILE_STORE,
          encryptAtRest ? cipher : ArchiveCipher.NONE), copies, backups, targets, cipher, clock);
    }

    PiholeInstance only() {
      assertThat(instances.list()).hasSize(1);
      return instances.list().get(0);
    }

    /** One run of the copy queue at the destination, as the scheduler's off-site job runs it. */
    void runQueue() {
      runQueue(CopyRunner.BATCH);
    }

    /** One run of the copy queue that takes at most {@code batch} copies. */
    void runQueue(int batch) {
      runner(batch).runDue(targets.get(0));
    }

    CopyRunner runner(int batch) {
      return new CopyRunner(OffsiteTargets.of(targets), copies, new Uploads(archives, cipher, backups, instanceRepository), clock,
          CopyOutcomes.NONE, batch);
    }

    /** The destination's row of GET /api/v1/offsite. */
    OffsiteCatalog.DestinationStatus status() {
      return new OffsiteCatalog(OffsiteTargets.of(targets), copies, clock).status().get(0);
    }

    Copy copyOf(Backup backup) {
      return copies.findByBackup(backup.id()).get(0);
    }
  }

  @Test
  void aFreshInstallAdoptsEveryCopyIntoTheHistoryOfTheInstanceOfTheSameName() throws Exception {
    List<Backup> old = backUpAndCopy(false);
    Fresh fresh = new Fresh(true, false);

    AdoptionService.Result result = fresh.adoption.adopt("nas");

    assertThat(result).isEqualTo(new AdoptionService.Result("NAS", 2, 2, 0, Map.of()));
    List<Backup> adopted = fresh.backups.findSuccessful(fresh.only().id());
    assertThat(adopted).extracting(b -> b.archive().sha256()).containsExactlyInAnyOrder(old.get(0).archive().sha256(), old.get(1).archive().sha256());
    Backup newest = adopted.stream().filter(b -> b.archive().sha256().equals(old.get(1).archive().sha256())).findFirst().orElseThrow();
    assertThat(newest.trigger()).as("as the lost install took it").isEqualTo(Backup.Trigger.MANUAL);
    assertThat(newest.finishedAt()).isEqualTo(old.get(1).finishedAt());
    assertThat(newest.archive()).usingRecursiveComparison().ignoringFields("changes").isEqualTo(old.get(1).archive());
    assertThat(fresh.copies.findByBackup(newest.id())).singleElement().satisfies(c -> {
      assertThat(c.state()).as("nothing has read it back yet").isEqualTo(Copy.State.COPIED);
      assertThat(c.verifiedAt()).isNull();
      assertThat(c.destination()).isEqualTo("NAS");
    });
    assertThat(fresh.backupDir.resolve(newest.fileName())).doesNotExist();
  }

  /**
   * Outsider round 46, F1: what decides how a backup is treated travels with its copy. After a recovery a wiped backup and one
   * without gravity.db are still flagged (no baseline, no place in MAX_BACKUPS), an accepted one is still accepted, an upload
   * is still an upload, each with the changes it was shown with; retention of the recovered install lets go of what the lost
   * one would.
   */
  @Test
  void aRecoveredHistoryKeepsEachBackupsFlagAcceptanceAndTriggerAndRetentionLetsGoOfTheSameBackups() throws Exception {
    Lost old = new Lost(false);
    old.backUp(Fixtures.archiveA(), Backup.Trigger.SCHEDULED);
    clock.advance(Duration.ofHours(1));
    Backup cleanedUp = old.backUp(TestArchives.withoutAdlists(Fixtures.archiveA()), Backup.Trigger.SCHEDULED);
    clock.advance(Duration.ofHours(1));
    Backup uploaded = old.backups.importArchive(old.id, new java.io.ByteArrayInputStream(Fixtures.archiveB()));
    clock.advance(Duration.ofHours(1));
    Backup noLists = old.backUp(TestArchives.withoutGravity(Fixtures.archiveB()), Backup.Trigger.SCHEDULED);
    clock.advance(Duration.ofHours(1));
    old.backUp(Fixtures.archiveA(), Backup.Trigger.SCHEDULED);
    clock.advance(Duration.ofHours(1));
    Backup wiped = old.backUp(TestArchives.withoutAdlists(Fixtures.archiveA()), Backup.Trigger.MANUAL);
    assertThat(old.offsite.runDue()).isEqualTo(6);
    old.backups.accept(cleanedUp.id(), true); // after its copy was made: its manifest is written again
    old.offsite.runDue();
    List<Backup> lost = old.backupRepository.findSuccessful(old.id);
    assertThat(lost).filteredOn(Backup::suspicious).extracting(Backup::id).containsExactlyInAnyOrder(noLists.id(), wiped.id());

    Fresh fresh = new Fresh(true, false);
    fresh.adoption.adopt("NAS");

    List<Backup> recovered = fresh.backups.findSuccessful(fresh.only().id());
    assertThat(recovered).extracting(Backup::fileName, Backup::suspicious, Backup::accepted, Backup::trigger, b -> b.archive().changes())
        .containsExactlyElementsOf(lost.stream().map(b -> tuple(b.fileName(), b.suspicious(), b.accepted(),
            b.trigger(), b.archive().changes())).toList());
    assertThat(recovered).filteredOn(Backup::accepted).extracting(Backup::fileName).containsExactly(cleanedUp.fileName());
    assertThat(recovered).filteredOn(b -> b.trigger() == Backup.Trigger.IMPORTED).extracting(Backup::fileName).containsExactly(uploaded.fileName());
    List<String> oldWouldDelete = old.backupRepository.findExpiredWithoutKeepers(old.id, 2, Instant.EPOCH).stream()
        .map(BackupRepository.Expired::fileName).toList();
    assertThat(oldWouldDelete).isNotEmpty().doesNotContain(noLists.fileName(), wiped.fileName());
    assertThat(fresh.backups.findExpiredWithoutKeepers(fresh.only().id(), 2, Instant.EPOCH)).extracting(BackupRepository.Expired::fileName)
        .as("retention of the recovered install lets go of what the lost one would").containsExactlyElementsOf(oldWouldDelete);
  }

  /**
   * Round 48: a safety backup adopted after a disaster recovery came back with the trigger {@code offsite}, and a manual or
   * scheduled one did too. Every field of a backup's record comes back as the lost install had it, but for those that are the
   * new install's own: its id, its instance's id (the instance is found by name), the node that ran it (an adoption is run by
   * none) and whether its file is on this disk.
   */
  @Test
  void aRecoveredBackupKeepsEveryFieldOfItsRecord() throws Exception {
    Lost old = new Lost(false);
    old.backUp(Fixtures.archiveA(), Backup.Trigger.SCHEDULED);
    clock.advance(Duration.ofHours(1));
    old.backUp(Fixtures.archiveB(), Backup.Trigger.MANUAL);
    clock.advance(Duration.ofHours(1));
    old.backUp(Fixtures.archiveB(), Backup.Trigger.SCHEDULED); // unchanged: the one before it is still current
    clock.advance(Duration.ofHours(1));
    old.gateway.answer(Fixtures.archiveA());
    old.backups.runSafetyBackup(old.id);
    clock.advance(Duration.ofHours(1));
    old.backups.importArchive(old.id, new java.io.ByteArrayInputStream(TestArchives.withAdlistChanged(Fixtures.archiveA())));
    clock.advance(Duration.ofHours(1));
    old.backUp(TestArchives.withoutAdlists(Fixtures.archiveA()), Backup.Trigger.SCHEDULED);
    old.offsite.runDue();
    List<Backup> lost = old.backupRepository.findSuccessful(old.id);
    assertThat(lost).extracting(Backup::trigger).contains(Backup.Trigger.SCHEDULED, Backup.Trigger.MANUAL, Backup.Trigger.SAFETY,
        Backup.Trigger.IMPORTED);
    assertThat(lost).filteredOn(b -> b.trigger() == Backup.Trigger.SAFETY).singleElement().satisfies(b -> assertThat(b.pinned()).isTrue());
    assertThat(lost).anySatisfy(b -> assertThat(b.suspicious()).isTrue());

    Fresh fresh = new Fresh(true, false);
    fresh.adoption.adopt("NAS");

    // fileMissing: its archive is at the destination, not on this disk, until it is first fetched (README)
    assertThat(fresh.backups.findSuccessful(fresh.only().id()))
        .usingRecursiveFieldByFieldElementComparatorIgnoringFields("id", "instanceId", "node", "fileMissing").containsExactlyElementsOf(lost);
  }

  /**
   * Round 48: adopting older copies into an install that already has later backups of the instance may flag the adopted ones,
   * but leaves the marks of those later ones as they are: an accepted one stays accepted, a flagged one stays flagged.
   */
  @Test
  void adoptingOlderCopiesLeavesTheMarksOfTheLaterBackupsAlone() throws Exception {
    Lost old = new Lost(false);
    old.backUp(Fixtures.archiveA(), Backup.Trigger.SCHEDULED);
    clock.advance(Duration.ofHours(1));
    Backup wiped = old.backUp(TestArchives.withoutAdlists(Fixtures.archiveA()), Backup.Trigger.SCHEDULED);
    old.offsite.runDue();
    Fresh fresh = new Fresh(true, false);
    long home = fresh.only().id();
    clock.advance(Duration.ofHours(1));
    Backup accepted = fresh.backups.insert(Backup.succeeded(home, Backup.Trigger.SCHEDULED,
        io.piholecheckpoint.testing.TestBackups.anArchive("home_20261202T050000Z_accept.zip", "later-accepted"), true, clock.instant(),
        clock.instant()));
    assertThat(fresh.backups.accept(accepted.id())).isTrue();
    clock.advance(Duration.ofHours(1));
    Backup flagged = fresh.backups.insert(Backup.succeeded(home, Backup.Trigger.SCHEDULED,
        io.piholecheckpoint.testing.TestBackups.anArchive("home_20261202T060000Z_flaggd.zip", "later-flagged"), true, clock.instant(),
        clock.instant()));

    fresh.adoption.adopt("NAS");

    assertThat(fresh.backups.findById(accepted.id()).orElseThrow()).extracting(Backup::suspicious, Backup::accepted).containsExactly(false, true);
    assertThat(fresh.backups.findById(flagged.id()).orElseThrow()).extracting(Backup::suspicious, Backup::accepted).containsExactly(true, false);
    assertThat(fresh.backups.findSuccessful(home)).filteredOn(b -> b.fileName().equals(wiped.fileName())).singleElement()
        .satisfies(b -> assertThat(b.suspicious()).as("the adopted wipe is flagged as it was").isTrue());
  }

  /**
   * A manifest written before it said how its backup was judged: the adopted history is judged again by the integrity rule, in
   * order, so a wiped backup is flagged (and says why) and is not the baseline of the good one after it.
   */
  @Test
  void aHistoryFromManifestsThatDoNotSayHowEachBackupWasJudgedIsJudgedAgainInOrder() throws Exception {
    Lost old = new Lost(false);
    Backup good = old.backUp(Fixtures.archiveA(), Backup.Trigger.SCHEDULED);
    clock.advance(Duration.ofHours(1));
    Backup wiped = old.backUp(TestArchives.withoutAdlists(Fixtures.archiveA()), Backup.Trigger.SCHEDULED);
    clock.advance(Duration.ofHours(1));
    Backup again = old.backUp(Fixtures.archiveA(), Backup.Trigger.SCHEDULED);
    clock.advance(Duration.ofHours(1));
    Backup wipedAgain = old.backUp(TestArchives.withoutAdlists(Fixtures.archiveA()), Backup.Trigger.SCHEDULED);
    assertThat(old.offsite.runDue()).isEqualTo(4);
    try (Stream<Path> files = Files.walk(dir.resolve("nas"))) {
      for (Path manifest : files.filter(f -> f.toString().endsWith(".json")).toList()) {
        Files.writeString(manifest, Files.readString(manifest).replaceAll("(?m)^\\s*\"(suspicious|accepted|changes)\": .*\\R", ""));
      }
    }

    Fresh fresh = new Fresh(true, false);
    fresh.adoption.adopt("NAS");

    List<Backup> recovered = fresh.backups.findSuccessful(fresh.only().id());
    assertThat(recovered).extracting(Backup::fileName, Backup::suspicious).containsExactlyInAnyOrder(tuple(good.fileName(), false),
        tuple(wiped.fileName(), true), tuple(again.fileName(), false), tuple(wipedAgain.fileName(), true));
    assertThat(recovered).filteredOn(Backup::suspicious).allSatisfy(b -> assertThat(b.archive().changes()).startsWith("holds much less than backup"));
  }

  /**
   * Outsider round 46, F3: after a recovery the copy at one destination is found damaged when read back while the other
   * destination's copy is not read back yet. The archive is fetched back from that one (which verifies it) and the damaged copy
   * is sent again from it, not given up as if no sound copy were to be had.
   */
  @Test
  void aCopyFoundDamagedWhenReadBackAfterARecoveryIsSentAgainFromTheOtherDestinationsCopyNotReadBackYet() throws Exception {
    Lost old = new Lost(false, List.of("NAS", "DAV"));
    Backup lost = old.backUp(Fixtures.archiveA(), Backup.Trigger.SCHEDULED);
    old.offsite.runDue();
    String key = "home/" + lost.fileName() + ".gpg";
    flipAByte(dir.resolve("nas").resolve(key));
    Fresh fresh = new Fresh(true, false, List.of("NAS", "DAV"));
    fresh.adoption.adopt("NAS");
    fresh.adoption.adopt("DAV");
    Backup adopted = fresh.backups.findSuccessful(fresh.only().id()).get(0);

    fresh.runQueue(); // NAS: its copy is read back first, and found damaged

    Copy atNas = fresh.copies.findByBackup(adopted.id()).stream().filter(c -> c.destination().equals("NAS")).findFirst().orElseThrow();
    assertThat(atNas.lastError()).as("sent again from the copy at DAV").contains("it is sent again");
    fresh.runQueue();
    assertThat(fresh.copies.findByBackup(adopted.id())).extracting(Copy::destination, Copy::state)
        .containsExactlyInAnyOrder(tuple("NAS", Copy.State.VERIFIED), tuple("DAV", Copy.State.VERIFIED));
  }

  /** The manifest carries the domains of types Pi-hole does not define beside its ten counts: the adopted backup counts them too. */
  @Test
  void anAdoptedBackupKeepsItsDomainsOfOtherTypes() throws Exception {
    Backup odd = backUpAndCopy(false, TestArchives.withDomainsOfTypes(Fixtures.archiveB(), 7, 9), false).get(1);
    Fresh fresh = new Fresh(true, false);

    fresh.adoption.adopt("nas");

    Backup adopted = fresh.backups.findSuccessful(fresh.only().id()).stream()
        .filter(b -> b.archive().sha256().equals(odd.archive().sha256())).findFirst().orElseThrow();
    assertThat(odd.archive().summary().otherDomains()).isEqualTo(2);
    assertThat(adopted.archive().summary()).isEqualTo(odd.archive().summary());
  }

  /**
   * Issue 16: every name without a Latin letter reduced to one folder, {@code pihole/}. Each instance now has its own; a fresh
   * install gives each its own history, its re-created instance keeps its folder, and a copy an older build put in the shared
   * folder is still adopted, by the name in its manifest.
   */
  @Test
  void twoInstancesWhoseNamesShareASlugCopyToTwoFoldersAndAFreshInstallKeepsThemApart() throws Exception {
    Map<String, Backup> old = backUpAndCopyEach("Кухня", "Гостиная");
    Map<String, String> folders = new java.util.TreeMap<>();
    Database lost = databases.get(databases.size() - 1);
    new MyBatisInstanceRepository(lost, clock).findAll().forEach(i -> folders.put(i.name(), i.slug()));
    try (Stream<Path> listed = Files.list(dir.resolve("nas"))) {
      assertThat(listed.map(p -> p.getFileName().toString())).as("one folder each").containsExactlyInAnyOrderElementsOf(folders.values());
    }
    assertThat(folders.values()).allMatch(f -> f.matches("pihole-[0-9a-f]{6}"));
    String legacy = copyAsAnOlderBuildDid(folders.get("Гостиная"), old.get("Гостиная"));
    Fresh fresh = new Fresh(false, false);

    AdoptionService.Result result = fresh.adoption.adopt("NAS");

    assertThat(result.skipped()).isEmpty();
    assertThat(result.adopted()).isEqualTo(3);
    Map<String, PiholeInstance> made = new java.util.TreeMap<>();
    fresh.instances.list().forEach(i -> made.put(i.name(), i));
    assertThat(made).containsOnlyKeys("Кухня", "Гостиная");
    assertThat(made.get("Кухня").slug()).as("its next copies go beside its earlier ones").isEqualTo(folders.get("Кухня"));
    assertThat(made.get("Гостиная").slug()).isEqualTo(folders.get("Гостиная"));
    assertThat(fresh.backups.findSuccessful(made.get("Кухня").id())).extracting(Backup::fileName).containsExactly(old.get("Кухня").fileName());
    assertThat(fresh.backups.findSuccessful(made.get("Гостиная").id())).extracting(Backup::fileName)
        .containsExactlyInAnyOrder(old.get("Гостиная").fileName(), legacy);
  }

  /**
   * The install that is lost: one instance of each name (environment ones), one backup each, copied and verified at the
   * destination; returns each one's backup by name.
   */
  private Map<String, Backup> backUpAndCopyEach(String... names) throws Exception {
    Database database = MigratedDatabase.openAt(dir.resolve("old.db"));
    databases.add(database);
    MyBatisCopyRepository copies = new MyBatisCopyRepository(database);
    MyBatisBackupRepository backupRepository = new MyBatisBackupRepository(database);
    MyBatisInstanceRepository instanceRepository = new MyBatisInstanceRepository(database, clock);
    InstanceService instances = TestInstances.service(instanceRepository);
    ArchiveStore archives = new LocalArchiveStore(Files.createDirectories(dir.resolve("old-backups")), new TeleporterInspector(),
        ArchiveStore.FreeSpace.OF_FILE_STORE, ArchiveCipher.NONE);
    OffsiteTarget target = new OffsiteTarget("NAS", nas(), List.of(), OffsiteTarget.RemoteRetention.INSTANCES_OWN, true);
    OffsiteService offsite = new OffsiteService(new CopyRunner(List.of(target), copies, new Uploads(archives, cipher, backupRepository,
        instanceRepository), clock, (d, o) -> { }), copies, new RemotePruning(copies, backupRepository, instanceRepository, ZoneOffset.UTC, clock),
        clock);
    ScriptedGateway gateway = new ScriptedGateway();
    BackupGraph backups = BackupGraph.of(new BackupCatalog(instances, backupRepository, archives), instances, backupRepository,
        new ArchiveDownloader(gateway, TestServices.PASSWORD_ONLY, archives, DownloadPolicy.DEFAULT, new RecordingPause(), Clock.systemUTC()), archives,
        new TeleporterContents(Clock.systemUTC()), new RetentionService(backupRepository, archives, ZoneOffset.UTC, 7, Events.NONE), clock,
        new CopyOnBackup(offsite, new OffsiteCatalog(offsite.targetSet(), copies, clock), () -> { }), TestTimes.UTC);
    List<InstanceDefinition> definitions = new ArrayList<>();
    for (int i = 0; i < names.length; i++) {
      definitions.add(new InstanceDefinition("PIHOLE" + i, names[i], "http://10.0.0." + (i + 1), TlsTrust.SYSTEM, null, Schedule.DEFAULT,
          new RetentionPolicy(10, 0), false, true));
    }
    instances.applyEnvironment(definitions);
    Map<String, Backup> made = new java.util.LinkedHashMap<>();
    for (PiholeInstance instance : instances.list()) {
      gateway.answer(made.isEmpty() ? Fixtures.archiveA() : Fixtures.archiveB());
      made.put(instance.name(), backups.runBackup(instance.id(), Backup.Trigger.SCHEDULED));
      clock.advance(Duration.ofMinutes(1));
    }
    assertThat(offsite.runDue()).isEqualTo(names.length);
    return made;
  }

  /**
   * A copy of {@code backup} as a build before folders were unique made it: in {@code pihole/}, the file named so too, its
   * manifest saying so; returns its file name.
   */
  private String copyAsAnOlderBuildDid(String folder, Backup backup) throws Exception {
    String fileName = "pihole" + backup.fileName().substring(folder.length());
    Path nas = dir.resolve("nas");
    Path legacy = Files.createDirectories(nas.resolve("pihole"));
    String sent = backup.fileName() + ArchiveCipher.SUFFIX; // encrypted on the way
    Files.copy(nas.resolve(folder).resolve(sent), legacy.resolve(fileName + ArchiveCipher.SUFFIX));
    Files.writeString(legacy.resolve(fileName + ArchiveCipher.SUFFIX + ".json"), Files.readString(nas.resolve(folder).resolve(sent + ".json"))
        .replace(folder + "/" + backup.fileName(), "pihole/" + fileName).replace(backup.fileName(), fileName)
        .replace("\"" + folder + "\"", "\"pihole\""), StandardCharsets.UTF_8);
    return fileName;
  }

  /** A name two instances have (rows of an older version, or a hand-edited database) is no one's: neither history takes the copies. */
  @Test
  void aNameTwoInstancesHaveAdoptsIntoNeitherHistory() throws Exception {
    backUpAndCopy(false);
    Fresh fresh = new Fresh(false, false);
    InstanceDefinition home = new InstanceDefinition(null, "Home", "http://pi.hole", TlsTrust.SYSTEM, null, Schedule.DEFAULT,
        new RetentionPolicy(10, 0), false, true);
    long first = fresh.instanceRepository.insert(home, new InstanceRepository.SealedSecrets(null, null));
    long second = fresh.instanceRepository.insert(home, new InstanceRepository.SealedSecrets(null, null));

    AdoptionService.Result result = fresh.adoption.adopt("NAS");

    assertThat(result.adopted()).isZero();
    assertThat(result.skipped()).containsOnlyKeys("its manifest names the instance 'Home', which 2 instances here have (#" + first + ", #"
        + second + "); rename all but one and adopt again");
    assertThat(fresh.backups.findSuccessful(first)).isEmpty();
    assertThat(fresh.backups.findSuccessful(second)).isEmpty();
  }

  /** The archive's file name recorded already, as another instance's backup: said in one line, never as the database's error. */
  @Test
  void anArchiveRecordedAsAnotherInstancesBackupIsSkippedWithOneLine() throws Exception {
    List<Backup> old = backUpAndCopy(false);
    Fresh fresh = new Fresh(false, false);
    long other = fresh.instanceRepository.insert(new InstanceDefinition(null, "Garage", "http://garage.lan", TlsTrust.SYSTEM, null,
        Schedule.DEFAULT, new RetentionPolicy(10, 0), false, true), new InstanceRepository.SealedSecrets(null, null));
    Backup taken = fresh.backups.insert(Backup.succeeded(other, Backup.Trigger.MANUAL, old.get(0).archive(), false, old.get(0).startedAt(),
        old.get(0).finishedAt()));

    AdoptionService.Result result = fresh.adoption.adopt("NAS");

    assertThat(result.adopted()).isEqualTo(1);
    assertThat(result.skipped()).containsOnlyKeys("its archive " + old.get(0).fileName() + " is recorded already, as backup " + taken.id()
        + " (instance #" + other + "), and is not recorded twice");
    assertThat(fresh.backups.findSuccessful(other)).extracting(Backup::id).containsExactly(taken.id());
  }

  @Test
  void anAdoptedCopyIsVerifiedOnlyOnceTheQueueReadItBackAsItsManifestSays() throws Exception {
    backUpAndCopy(false);
    Fresh fresh = new Fresh(true, false);
    fresh.adoption.adopt("NAS");
    List<Backup> adopted = fresh.backups.findSuccessful(fresh.only().id());
    List<Path> manifestsBefore = manifests();
    List<String> manifestTexts = new ArrayList<>();
    for (Path m : manifestsBefore) {
      manifestTexts.add(Files.readString(m));
    }
    assertThat(adopted).allSatisfy(b -> assertThat(fresh.copyOf(b).state()).isEqualTo(Copy.State.COPIED));

    fresh.runQueue();

    assertThat(adopted).allSatisfy(b -> {
      Copy copy = fresh.copyOf(b);
      assertThat(copy.state()).isEqualTo(Copy.State.VERIFIED);
      assertThat(copy.verifiedAt()).isEqualTo(clock.instant());
      assertThat(copy.lastError()).isNull();
    });
    assertThat(fresh.backupDir).as("read back there, not fetched").isEmptyDirectory();
    for (int i = 0; i < manifestsBefore.size(); i++) {
      assertThat(manifestsBefore.get(i)).as("its manifest is left as it was written").hasContent(manifestTexts.get(i));
    }
  }

  @Test
  void adoptedCopiesWaitingToBeReadBackAreCountedApartNotAsPendingCopies() throws Exception {
    backUpAndCopy(false);
    Fresh fresh = new Fresh(true, false);
    fresh.adoption.adopt("NAS");

    OffsiteCatalog.DestinationStatus waiting = fresh.status();

    assertThat(waiting.pending()).as("they are at the destination: no copy of them is pending").isZero();
    assertThat(waiting.oldestPendingAge()).isNull();
    assertThat(waiting.awaitingReadBack()).isEqualTo(2);
    assertThat(waiting.status()).isNotEqualTo("pending");

    fresh.runQueue();

    OffsiteCatalog.DestinationStatus read = fresh.status();
    assertThat(read.awaitingReadBack()).isZero();
    assertThat(read.pending()).isZero();
    assertThat(read.status()).isEqualTo("ok");
  }

  @Test
  void eachRunReadsBackAtMostItsBatchOfAdoptedCopiesAndTheNextRunTheRest() throws Exception {
    List<Backup> old = backUpAndCopy(false);
    Fresh fresh = new Fresh(true, false);
    fresh.adoption.adopt("NAS");
    int batch = old.size() - 1;

    fresh.runQueue(batch);

    List<Copy> afterFirst = fresh.backups.findSuccessful(fresh.only().id()).stream().map(fresh::copyOf).toList();
    assertThat(afterFirst).filteredOn(c -> c.state() == Copy.State.VERIFIED).as("a batch read back").hasSize(batch);
    assertThat(afterFirst).filteredOn(Copy::awaitingReadBack).as("the last one waits for the next run").hasSize(1);
    assertThat(fresh.status().awaitingReadBack()).isEqualTo(1);

    fresh.runQueue(batch);

    assertThat(fresh.backups.findSuccessful(fresh.only().id())).allSatisfy(b -> assertThat(fresh.copyOf(b).state()).isEqualTo(Copy.State.VERIFIED));
    assertThat(fresh.status().awaitingReadBack()).isZero();
    assertThat(CopyRunner.BATCH).as("the production batch: 51 waiting, 50 read back in a run and the last in the next").isEqualTo(50);
  }

  @Test
  void anAdoptedCopyWhoseDestinationIsDownIsReadBackAgainLaterNeverUploadedAndItsErrorGoesWhenVerified() throws Exception {
    backUpAndCopy(false);
    Fresh fresh = new Fresh(true, false);
    fresh.adoption.adopt("NAS");
    List<Backup> adopted = fresh.backups.findSuccessful(fresh.only().id());
    Path nas = dir.resolve("nas");
    Path unmounted = Files.move(nas, dir.resolve("nas-unmounted"));

    fresh.runQueue();

    List<Copy> waiting = adopted.stream().map(fresh::copyOf).toList();
    assertThat(waiting).as("the destination is down: its other copies wait for the next run").filteredOn(c -> c.state() == Copy.State.FAILED)
        .singleElement().satisfies(c -> assertThat(c.lastError()).contains("is the disk or share mounted"));
    assertThat(waiting).allSatisfy(c -> {
      assertThat(c.damagedAt()).as("nothing says the copy is damaged").isNull();
      assertThat(c.awaitingReadBack()).isTrue();
    });
    Files.move(unmounted, nas);
    clock.advance(CopyRunner.FIRST_RETRY);

    fresh.runQueue();

    assertThat(adopted).allSatisfy(b -> {
      Copy verified = fresh.copyOf(b);
      assertThat(verified.state()).isEqualTo(Copy.State.VERIFIED);
      assertThat(verified.lastError()).as("the failure of the try before is past").isNull();
      assertThat(verified.copiedAt()).as("read back, not uploaded from here").isNull();
    });
    assertThat(fresh.backupDir).as("nothing fetched to send").isEmptyDirectory();
  }

  @Test
  void anAdoptedCopyWhoseBytesAreNotWhatItsManifestSaysIsFailedAsDamagedWhenReadBack() throws Exception {
    backUpAndCopy(false);
    Path remote = archivesAtTheDestination().get(0);
    flipAByte(remote);
    Fresh fresh = new Fresh(true, false);
    fresh.adoption.adopt("NAS");
    Backup damaged = fresh.backups.findSuccessful(fresh.only().id()).stream()
        .filter(b -> remote.getFileName().toString().startsWith(b.fileName())).findFirst().orElseThrow();

    fresh.runQueue();

    Copy copy = fresh.copyOf(damaged);
    assertThat(copy.state()).isEqualTo(Copy.State.FAILED);
    assertThat(copy.damagedAt()).isNotNull();
    assertThat(copy.verifiedAt()).isNull();
    assertThat(copy.nextAttemptAt()).as("no archive here to send again").isNull();
    assertThat(copy.lastError()).contains("failed verification (found when read back after its adoption)",
        "its checksum does not match what was sent", "cannot be sent again");
    assertThatThrownBy(() -> fresh.archives.open(damaged.fileName())).isInstanceOf(CopyDamagedException.class)
        .hasMessageContaining("failed verification");
    assertThat(fresh.backups.findSuccessful(fresh.only().id())).filteredOn(b -> b.id() != damaged.id())
        .allSatisfy(b -> assertThat(fresh.copyOf(b).state()).isEqualTo(Copy.State.VERIFIED));
  }

  @Test
  void anAdoptedCopyFoundShorterWhenAdoptedAgainIsMarkedDamagedAsSmallerThanWhatWasSent() throws Exception {
    backUpAndCopy(false);
    Fresh fresh = new Fresh(true, false);
    fresh.adoption.adopt("NAS");
    fresh.runQueue();
    Path remote = archivesAtTheDestination().get(0);
    byte[] bytes = Files.readAllBytes(remote);
    Files.write(remote, java.util.Arrays.copyOf(bytes, bytes.length - 100)); // an upload cut short by another writer, or a disk that lost its tail
    Backup cut = fresh.backups.findSuccessful(fresh.only().id()).stream()
        .filter(b -> remote.getFileName().toString().startsWith(b.fileName())).findFirst().orElseThrow();

    int known = fresh.backups.findSuccessful(fresh.only().id()).size();

    AdoptionService.Result again = fresh.adoption.adopt("NAS");
    AdoptionService.Result third = fresh.adoption.adopt("NAS");

    assertThat(again.skipped()).as("the history's own copy, not a stranger").isEmpty();
    assertThat(again.known()).isEqualTo(known);
    assertThat(again.notes()).singleElement().asString().startsWith("the copy of backup " + cut.id() + " failed verification")
        .contains("smaller than what was sent");
    assertThat(third.skipped()).as("known to be damaged already").isEmpty();
    assertThat(third.known()).isEqualTo(known);
    assertThat(third.notes()).isEmpty();
    Copy copy = fresh.copyOf(cut);
    assertThat(copy.state()).isEqualTo(Copy.State.FAILED);
    assertThat(copy.damagedAt()).isNotNull();
    assertThat(copy.lastError()).contains("found when adopted again", "it is smaller than what was sent (" + (bytes.length - 100) + " bytes; sent "
        + bytes.length + " bytes)").doesNotContain("checksum");
  }

  /** Renamed since its copy was made, the instance's copy found cut short is still its own: marked damaged, not skipped as a stranger. */
  @Test
  void aRenamedInstancesCopyFoundShorterWhenAdoptedAgainIsMarkedDamagedNotSkipped() throws Exception {
    backUpAndCopy(false);
    Fresh fresh = new Fresh(false, false);
    fresh.adoption.adopt("NAS");
    fresh.runQueue();
    PiholeInstance home = fresh.only();
    fresh.instances.update(home.id(), renamed(home, "Renamed Mid Run"));
    Path remote = archivesAtTheDestination().get(0);
    byte[] bytes = Files.readAllBytes(remote);
    Files.write(remote, java.util.Arrays.copyOf(bytes, bytes.length - 100));
    Backup cut = fresh.backups.findSuccessful(home.id()).stream()
        .filter(b -> remote.getFileName().toString().startsWith(b.fileName())).findFirst().orElseThrow();

    AdoptionService.Result again = fresh.adoption.adopt("NAS");

    assertThat(again.skipped()).as("the history's own copy, not a stranger").isEmpty();
    assertThat(again.known()).isEqualTo(2);
    assertThat(again.notes()).singleElement().asString().startsWith("the copy of backup " + cut.id() + " failed verification");
    assertThat(fresh.copyOf(cut).state()).isEqualTo(Copy.State.FAILED);
    assertThat(fresh.only().name()).isEqualTo("Renamed Mid Run");
  }

  @Test
  void aCopyCutShortIsSaidToBeSmallerThanWhatWasSentWhenFetchedNotAChecksumMismatch() throws Exception {
    backUpAndCopy(false);
    Fresh fresh = new Fresh(true, false);
    fresh.adoption.adopt("NAS");
    fresh.runQueue();
    Path remote = archivesAtTheDestination().get(0);
    byte[] bytes = Files.readAllBytes(remote);
    Files.write(remote, java.util.Arrays.copyOf(bytes, bytes.length / 2));
    Backup cut = fresh.backups.findSuccessful(fresh.only().id()).stream()
        .filter(b -> remote.getFileName().toString().startsWith(b.fileName())).findFirst().orElseThrow();

    assertThatThrownBy(() -> fresh.archives.open(cut.fileName())).isInstanceOf(CopyDamagedException.class)
        .hasMessageContaining("it is smaller than what was sent (" + bytes.length / 2 + " bytes; sent " + bytes.length + " bytes)")
        .hasMessageNotContaining("checksum");
  }

  @Test
  void anAdoptedCopyFetchedBeforeTheQueueReadItBackIsVerifiedByThatFetch() throws Exception {
    backUpAndCopy(false);
    Fresh fresh = new Fresh(true, false);
    fresh.adoption.adopt("NAS");
    Backup adopted = fresh.backups.findSuccessful(fresh.only().id()).get(0);

    fresh.archives.open(adopted.fileName()).close();

    assertThat(fresh.copyOf(adopted).state()).isEqualTo(Copy.State.VERIFIED);
  }

  @Test
  void aGoodFetchClearsWhatAnEarlierCheckFoundWrongWithTheBackup() throws Exception {
    backUpAndCopy(false);
    Fresh fresh = new Fresh(true, false);
    fresh.adoption.adopt("NAS");
    fresh.runQueue();
    Backup adopted = fresh.backups.findSuccessful(fresh.only().id()).get(0);
    fresh.archives.open(adopted.fileName()).close();
    fresh.backups.setVerifyError(adopted.id(), "it is 3 bytes with SHA-256 …: it has changed on disk"); // the daily check found it damaged
    Files.delete(fresh.backupDir.resolve(adopted.fileName())); // and the user removed the file

    fresh.archives.open(adopted.fileName()).close();

    assertThat(fresh.backups.findById(adopted.id()).orElseThrow().verifyError()).isNull();
  }

  @Test
  void eachAdoptionTellsTheMetricsWhatItTookAndSkipped() throws Exception {
    backUpAndCopy(false);
    Path manifest = manifests().get(0);
    Files.writeString(manifest, "{\"format\": \"pihole-checkpoint-offsite/1\", \"instance\": [1]}", StandardCharsets.UTF_8);
    Fresh fresh = new Fresh(true, false);
    List<String> told = new ArrayList<>();
    AdoptionService adoption = new AdoptionService(OffsiteTargets.of(List.of(new OffsiteTarget("NAS", nas(), List.of(),
        OffsiteTarget.RemoteRetention.INSTANCES_OWN, true))), new AdoptedCopies(fresh.copies, fresh.backups, fresh.instances, clock), clock,
        new CopyOutcomes() {
          @Override
          public void attempted(String destination, String outcome) {
          }

          @Override
          public void adopted(String destination, int adopted, int skipped) {
            told.add(destination + ":" + adopted + "/" + skipped);
          }
        });

    adoption.adopt("NAS");
    adoption.adopt("NAS");

    assertThat(told).containsExactly("NAS:1/1", "NAS:0/1");
  }

  /** On PostgreSQL each node has its own service: the destination's turn in the database is what the other node holds. */
  @Test
  void anAdoptionOfADestinationAnotherNodeIsAdoptingIsRefusedAndRecordsNothing() throws Exception {
    backUpAndCopy(false);
    Fresh fresh = new Fresh(true, false);
    List<String> asked = new ArrayList<>();
    DestinationTurns heldElsewhere = (work, destination) -> {
      asked.add(work + " " + destination);
      return Optional.empty();
    };
    AdoptionService adoption = new AdoptionService(OffsiteTargets.of(fresh.targets), new AdoptedCopies(fresh.copies, fresh.backups, fresh.instances, clock),
        clock, CopyOutcomes.NONE, AdoptionNotes.NONE, heldElsewhere);

    assertThatThrownBy(() -> adoption.adopt("nas")).isInstanceOf(AdoptionRunningException.class)
        .hasMessageContaining("an adoption of the off-site copies at NAS is running");
    adoption.adoptAtStart("NAS"); // leaves the work to the adoption under way, without failing

    assertThat(asked).containsExactly("ADOPTION NAS", "ADOPTION NAS");
    assertThat(fresh.backups.findSuccessful(fresh.only().id())).isEmpty();
    assertThat(fresh.adoption.adopt("NAS").adopted()).as("once that node's adoption has ended").isEqualTo(2);
  }

  @Test
  void aSecondAdoptionAdoptsNothingTwice() throws Exception {
    backUpAndCopy(false);
    Fresh fresh = new Fresh(true, false);
    fresh.adoption.adopt("NAS");

    AdoptionService.Result again = fresh.adoption.adopt("NAS");

    assertThat(again).isEqualTo(new AdoptionService.Result("NAS", 2, 0, 2, Map.of()));
    assertThat(fresh.backups.findSuccessful(fresh.only().id())).hasSize(2);
  }

  @Test
  void anInstanceNoLongerConfiguredIsReCreatedSwitchedOffWithoutAPassword() throws Exception {
    backUpAndCopy(false);
    Fresh fresh = new Fresh(false, false);

    fresh.adoption.adopt("NAS");

    PiholeInstance recreated = fresh.only();
    assertThat(recreated.name()).isEqualTo("Home");
    assertThat(recreated.url()).isEqualTo("http://pi.hole");
    assertThat(recreated.fromEnvironment()).isFalse();
    assertThat(recreated.scheduled()).isFalse();
    assertThat(recreated.message()).contains("Re-created from the off-site copies at NAS", "enter its password");
    assertThat(fresh.instances.secretsOf(recreated.id()).password()).isFalse();
    assertThat(fresh.backups.findSuccessful(recreated.id())).hasSize(2);
  }

  /**
   * The copies' manifests keep the name the instance had when they were made: renamed here (once, then again), the instance
   * keeps them as known, and no instance of the old name is made again for backups it has (a phantom: switched off, no backup,
   * on the dashboard and in /health, with a WARN for each copy at every start).
   */
  @Test
  void aRenamedInstancesCopiesAreKnownAsItsOwnAndNoInstanceOfItsOldNameIsMadeAgain() throws Exception {
    backUpAndCopy(false);
    Fresh fresh = new Fresh(false, false);
    fresh.adoption.adopt("NAS");
    PiholeInstance home = fresh.only();

    for (String name : List.of("Renamed Mid Run", "Renamed Twice")) {
      fresh.instances.update(home.id(), renamed(home, name));

      AdoptionService.Result again = fresh.adoption.adopt("NAS");

      assertThat(again).as("after the rename to '%s'", name).isEqualTo(new AdoptionService.Result("NAS", 2, 0, 2, Map.of()));
      assertThat(fresh.only().name()).isEqualTo(name);
      assertThat(fresh.backups.findSuccessful(home.id())).hasSize(2);
    }
  }

  /** Deleted keeping its backups, the instance keeps its copies too: none is recorded twice, no instance of its name is made. */
  @Test
  void anInstanceDeletedKeepingItsBackupsKeepsItsCopiesAndIsNotMadeAgain() throws Exception {
    backUpAndCopy(false);
    Fresh fresh = new Fresh(false, false);
    fresh.adoption.adopt("NAS");
    PiholeInstance home = fresh.only();
    fresh.instances.delete(home.id(), false);

    AdoptionService.Result again = fresh.adoption.adopt("NAS");

    assertThat(again).isEqualTo(new AdoptionService.Result("NAS", 2, 0, 2, Map.of()));
    assertThat(fresh.only().removed()).isTrue();
    assertThat(fresh.backups.findSuccessful(home.id())).hasSize(2);
  }

  private static InstanceForm renamed(PiholeInstance instance, String name) {
    InstanceForm f = InstanceForm.of(instance);
    return new InstanceForm(name, f.url(), f.password(), f.totpSecret(), f.tlsMode(), f.caPem(), f.fingerprint(), f.timeoutSeconds(),
        f.scheduleKind(), f.time(), f.day(), f.cron(), f.maxBackups(), f.maxAgeDays(), f.keepDaily(), f.keepWeekly(), f.keepMonthly(),
        f.skipUnchanged(), f.active());
  }

  @Test
  void twoBackupsOfTheSameBytesTakenAtDifferentTimesAreBothAdoptedEachWithItsPin() throws Exception {
    List<Backup> old = backUpAndCopy(false, Fixtures.archiveA(), true);
    assertThat(old.get(0).archive().sha256()).as("the Pi-hole did not change in between").isEqualTo(old.get(1).archive().sha256());
    Fresh fresh = new Fresh(true, false);

    AdoptionService.Result result = fresh.adoption.adopt("NAS");

    assertThat(result).isEqualTo(new AdoptionService.Result("NAS", 2, 2, 0, Map.of()));
    List<Backup> adopted = fresh.backups.findSuccessful(fresh.only().id());
    assertThat(adopted).extracting(Backup::fileName, Backup::pinned)
        .containsExactlyInAnyOrder(tuple(old.get(0).fileName(), true), tuple(old.get(1).fileName(), false));
    adopted.forEach(b -> assertThat(fresh.copies.findByBackup(b.id())).singleElement()
        .satisfies(c -> assertThat(c.remoteKey()).isEqualTo("home/" + b.fileName() + ".gpg")));
    assertThat(fresh.adoption.adopt("NAS")).as("adopting again changes nothing").isEqualTo(new AdoptionService.Result("NAS", 2, 0, 2, Map.of()));
  }

  @Test
  void anAddressHoldingACredentialIsReCreatedWithoutItAndTheAdoptionSaysSoWithoutTheCredential() throws Exception {
    backUpAndCopy(false);
    for (Path manifest : manifests()) {
      String text = Files.readString(manifest, StandardCharsets.UTF_8);
      Files.writeString(manifest, text.replaceFirst("\"instanceUrl\"\\s*:\\s*\"[^\"]*\"", "\"instanceUrl\": \"http://admin:hunter2@10.0.0.5\""),
          StandardCharsets.UTF_8);
    }
    Fresh fresh = new Fresh(false, false);

    AdoptionService.Result result = fresh.adoption.adopt("NAS");

    assertThat(result.adopted()).isEqualTo(2);
    assertThat(fresh.only().url()).isEqualTo("http://10.0.0.5");
    assertThat(result.notes()).singleElement().asString()
        .contains("'Home' was re-created with the address http://10.0.0.5, not the one its manifest names", "held a user name and password",
            "Enter its password").doesNotContain("hunter2").doesNotContain("admin");
  }

  @Test
  void aManifestNamingAnInstanceNoFormWouldTakeIsSkippedNotMadeAnInstance() throws Exception {
    backUpAndCopy(false);
    for (Path manifest : manifests()) {
      String text = Files.readString(manifest, StandardCharsets.UTF_8);
      Files.writeString(manifest, text.replaceFirst("\"instance\"\\s*:\\s*\"Home\"", "\"instance\": \"Evil\\\\u0007\\\\nName\""), StandardCharsets.UTF_8);
    }
    Fresh fresh = new Fresh(false, false);

    AdoptionService.Result result = fresh.adoption.adopt("NAS");

    assertThat(result.adopted()).isZero();
    assertThat(result.skippedTotal()).isEqualTo(2);
    assertThat(result.skipped().keySet()).singleElement().asString().contains("could not be re-created", "control characters");
    assertThat(fresh.instances.list()).isEmpty();
  }

  /** Settings showed the name raw: a right-to-left override reversed the rest of the line, a newline broke it. */
  @Test
  void aSkipReasonQuotingAManifestShowsItsBidiOverrideAndNewlineEscaped() throws Exception {
    backUpAndCopy(false);
    for (Path manifest : manifests()) {
      String text = Files.readString(manifest, StandardCharsets.UTF_8);
      Files.writeString(manifest, text.replaceFirst("\"instance\"\\s*:\\s*\"Home\"", "\"instance\": \"Evil\\\\u202e\\\\nName\""), StandardCharsets.UTF_8);
    }
    Fresh fresh = new Fresh(false, false);

    AdoptionService.Result result = fresh.adoption.adopt("NAS");

    assertThat(result.skippedTotal()).isEqualTo(2);
    assertThat(result.skipped().keySet()).singleElement().asString().contains("Evil\\u202e\\nName").doesNotContain("\u202e", "\n");
    assertThat(new AdoptionNotes.Note(2, "'Evil\u202e\nName' could not be re-created", java.time.Instant.EPOCH).said())
        .as("a note kept before it was escaped").isEqualTo("2 archives skipped: 'Evil\\u202e\\nName' could not be re-created");
  }

  @Test
  void aManifestWithAHugeInstanceNameIsSkippedWithTheNameCutShortInItsReason() throws Exception {
    backUpAndCopy(false);
    String huge = "H".repeat(5_000);
    for (Path manifest : manifests()) {
      Files.writeString(manifest, Files.readString(manifest, StandardCharsets.UTF_8)
          .replaceFirst("\"instance\"\\s*:\\s*\"Home\"", "\"instance\": \"" + huge + "\""), StandardCharsets.UTF_8);
    }
    Fresh fresh = new Fresh(false, false);

    AdoptionService.Result result = fresh.adoption.adopt("NAS");

    assertThat(result.adopted()).isZero();
    assertThat(result.skipped().keySet()).singleElement().asString()
        .contains("'" + "H".repeat(80) + "… (5000 characters)'").doesNotContain("H".repeat(81)).hasSizeLessThan(600);
  }

  @Test
  void aManifestWithAKeyTwiceIsSkippedAsUnreadableWithWhy() throws Exception {
    backUpAndCopy(false);
    Path manifest = manifests().get(0);
    Files.writeString(manifest, Files.readString(manifest, StandardCharsets.UTF_8)
        .replaceFirst("\"instance\"\\s*:\\s*\"Home\"", "\"instance\": \"Home\", \"instance\": \"Office\""), StandardCharsets.UTF_8);
    Fresh fresh = new Fresh(false, false);

    AdoptionService.Result result = fresh.adoption.adopt("NAS");

    assertThat(result.adopted()).isEqualTo(1);
    assertThat(result.skipped()).containsOnlyKeys("its manifest is not usable: its key \"instance\" is given twice");
  }

  @Test
  void aManifestNamingAnotherInstanceThanItsFolderIsRefusedAndJoinsNoHistory() throws Exception {
    backUpAndCopy(false);
    Path manifest = manifests().get(0);
    Files.writeString(manifest, Files.readString(manifest, StandardCharsets.UTF_8)
        .replaceFirst("\"instance\"\\s*:\\s*\"Home\"", "\"instance\": \"Office\""), StandardCharsets.UTF_8);
    Fresh fresh = new Fresh(false, false);

    AdoptionService.Result result = fresh.adoption.adopt("NAS");

    assertThat(result.adopted()).isEqualTo(1);
    assertThat(result.skipped().keySet()).singleElement().asString()
        .contains("names the instance 'Office' (office/), but it is stored as home/", "only a copy stored under its own instance's folder is adopted");
    assertThat(fresh.instances.list()).extracting(PiholeInstance::name).containsExactly("Home");
  }

  @Test
  void aManifestFromTheFutureOrWithAnArchiveBiggerThanItsCopyIsSkipped() throws Exception {
    backUpAndCopy(false);
    List<Path> manifests = manifests();
    Path future = manifests.get(0);
    Files.writeString(future, Files.readString(future, StandardCharsets.UTF_8)
        .replaceFirst("\"finishedAt\"\\s*:\\s*\"[^\"]*\"", "\"finishedAt\": \"2099-12-31T00:00:00Z\""), StandardCharsets.UTF_8);
    Path huge = manifests.get(1);
    Files.writeString(huge, Files.readString(huge, StandardCharsets.UTF_8)
        .replaceFirst("\"archiveBytes\"\\s*:\\s*\\d+", "\"archiveBytes\": 4611686018427387904"), StandardCharsets.UTF_8);
    Fresh fresh = new Fresh(true, false);

    AdoptionService.Result result = fresh.adoption.adopt("NAS");

    assertThat(result.adopted()).isZero();
    assertThat(result.skipped()).containsOnlyKeys("its manifest's times are impossible (finished before it started, or in the future)",
        "its manifest says the archive is bigger than the copy that holds it");
  }

  @Test
  void aBadManifestSkipsItsObjectWithItsReasonAndTheOthersAreAdopted() throws Exception {
    backUpAndCopy(false);
    Path manifest = manifests().get(0);
    Files.writeString(manifest, "{\"format\": \"pihole-checkpoint-offsite/1\", \"instance\": [1]}", StandardCharsets.UTF_8);
    Fresh fresh = new Fresh(true, false);

    AdoptionService.Result result = fresh.adoption.adopt("NAS");

    assertThat(result.found()).isEqualTo(2);
    assertThat(result.adopted()).isEqualTo(1);
    assertThat(result.skipped()).containsOnlyKeys("its manifest is not usable: it is not a flat JSON object (at character 54)");
  }

  @Test
  void anUnknownDestinationIsNamedWithTheConfiguredOnes() throws Exception {
    Fresh fresh = new Fresh(true, false);

    assertThatThrownBy(() -> fresh.adoption.adopt("b2")).isInstanceOf(DestinationNotFoundException.class)
        .hasMessage("no off-site destination 'b2' is configured (there are NAS)");
  }

  @Test
  void aSecondAdoptionWhileOneRunsIsRefused() throws Exception {
    Fresh fresh = new Fresh(true, false);
    CountDownLatch listing = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    FileDestination nas = nas();
    Destination slow = new Destination() {
      public void put(String key, InputStream in, long length) throws IOException {
        nas.put(key, in, length);
      }

      public Optional<RemoteObject> check(String key) throws IOException {
        return nas.check(key);
      }

      public InputStream open(String key) throws IOException {
        return nas.open(key);
      }

      public List<RemoteObject> list(String prefix) throws IOException {
        listing.countDown();
        try {
          release.await();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
        return nas.list(prefix);
      }

      public void delete(String key) throws IOException {
        nas.delete(key);
      }

      public String describe() {
        return nas.describe();
      }

      public void close() {
      }
    };
    AdoptionService adoption = new AdoptionService(List.of(new OffsiteTarget("NAS", slow, List.of(), OffsiteTarget.RemoteRetention.INSTANCES_OWN,
        true)), fresh.copies, fresh.backups, fresh.instances, clock);
    CompletableFuture<AdoptionService.Result> first = CompletableFuture.supplyAsync(() -> {
      try {
        return adoption.adopt("NAS");
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    });
    listing.await();

    assertThatThrownBy(() -> adoption.adopt("NAS")).isInstanceOf(AdoptionRunningException.class);

    release.countDown();
    assertThat(first.get().found()).isZero();
  }

  @Test
  void anAdoptedArchiveIsFetchedDecryptedAndVerifiedWhenFirstOpened() throws Exception {
    List<Backup> old = backUpAndCopy(false);
    Fresh fresh = new Fresh(true, false);
    fresh.adoption.adopt("NAS");
    Backup adopted = fresh.backups.findSuccessful(fresh.only().id()).get(0);

    try (ArchiveStore.PlainArchive plain = fresh.archives.open(adopted.fileName())) {
      assertThat(Files.readAllBytes(plain.path())).isEqualTo(Fixtures.archiveB());
    }

    assertThat(fresh.backupDir.resolve(adopted.fileName())).hasBinaryContent(Fixtures.archiveB());
    assertThat(adopted.archive().sha256()).isEqualTo(old.get(1).archive().sha256());
  }

  @Test
  void anArchiveEncryptedAtRestComesBackAsItWasStored() throws Exception {
    backUpAndCopy(true);
    Fresh fresh = new Fresh(true, true);
    fresh.adoption.adopt("NAS");
    Backup adopted = fresh.backups.findSuccessful(fresh.only().id()).get(0);

    try (ArchiveStore.PlainArchive plain = fresh.archives.open(adopted.fileName())) {
      assertThat(Files.readAllBytes(plain.path())).isEqualTo(Fixtures.archiveB());
    }

    assertThat(adopted.fileName()).endsWith(".zip.gpg");
    assertThat(fresh.backupDir.resolve(adopted.fileName())).hasSameBinaryContentAs(dir.resolve("nas").resolve("home").resolve(adopted.fileName()));
  }

  @Test
  void anArchiveDamagedHereIsReplacedByItsSoundCopyWhenOpenedAndRefusedAsDamagedWhenTheCopyIsDamagedToo() throws Exception {
    backUpAndCopy(true);
    Fresh fresh = new Fresh(true, true);
    fresh.adoption.adopt("NAS");
    Backup adopted = fresh.backups.findSuccessful(fresh.only().id()).get(0);
    fresh.archives.open(adopted.fileName()).close();
    Path here = fresh.backupDir.resolve(adopted.fileName());
    byte[] sound = Files.readAllBytes(here);
    flipAByte(here);

    try (ArchiveStore.PlainArchive plain = fresh.archives.open(adopted.fileName())) {
      assertThat(ArchiveFiles.sha256Of(plain.path())).isEqualTo(adopted.archive().sha256());
    }

    assertThat(here).as("replaced whole by the copy").hasBinaryContent(sound);
    assertThat(fresh.backups.findById(adopted.id()).orElseThrow().verifyError()).isNull();
    flipAByte(here);
    flipAByte(dir.resolve("nas").resolve(fresh.copies.findByBackup(adopted.id()).get(0).remoteKey()));
    assertThatThrownBy(() -> fresh.archives.open(adopted.fileName())).isInstanceOf(ArchiveDamagedException.class)
        .hasMessageContaining("the archive of backup " + adopted.id() + " (" + adopted.fileName() + ") is damaged on this disk: ")
        .hasMessageContaining("its off-site copies failed verification too (NAS: failed verification (found when fetched): ")
        .hasMessageContaining("cannot be sent again: its local archive is damaged too");
    assertThat(fresh.backups.findById(adopted.id()).orElseThrow().verifyError()).as("its check failed").isNotNull();
    assertThat(fresh.archives.verify(adopted.archive())).hasValueSatisfying(p -> assertThat(p).contains("is damaged on this disk"));
    assertThat(here).as("left as it was").exists();
  }

  private static void flipAByte(Path file) throws Exception {
    byte[] bytes = Files.readAllBytes(file);
    bytes[bytes.length / 2] ^= 1;
    Files.write(file, bytes);
  }

  @Test
  void aCopyChangedAtTheDestinationIsRefusedAndNothingIsStored() throws Exception {
    backUpAndCopy(false);
    Fresh fresh = new Fresh(true, false);
    fresh.adoption.adopt("NAS");
    Backup adopted = fresh.backups.findSuccessful(fresh.only().id()).get(0);
    Path remote = dir.resolve("nas").resolve(fresh.copies.findByBackup(adopted.id()).get(0).remoteKey());
    byte[] bytes = Files.readAllBytes(remote);
    bytes[bytes.length / 2] ^= 1;
    Files.write(remote, bytes);

    assertThatThrownBy(() -> fresh.archives.open(adopted.fileName())).isInstanceOf(CopyDamagedException.class)
        .hasMessageContaining("its off-site copy failed verification").hasMessageContaining("NAS: failed verification (found when fetched): ")
        .hasMessageContaining("its checksum does not match what was sent");

    try (Stream<Path> left = Files.walk(fresh.backupDir)) {
      assertThat(left.filter(Files::isRegularFile)).isEmpty();
    }
    Copy copy = fresh.copies.findByBackup(adopted.id()).get(0);
    assertThat(copy.state()).as("no longer counted as a copy to rely on").isEqualTo(Copy.State.FAILED);
    assertThat(copy.verifiedAt()).as("no longer verified").isNull();
    assertThat(copy.damagedAt()).isNotNull();
    assertThat(copy.lastError()).contains("failed verification (found when fetched)", "cannot be sent again");
    assertThatThrownBy(() -> fresh.archives.open(adopted.fileName())).as("asked again, the same answer, not 'missing'")
        .isInstanceOf(CopyDamagedException.class).hasMessageContaining("failed verification");
    assertThat(fresh.archives.verify(adopted.archive())).hasValueSatisfying(problem -> assertThat(problem).contains("failed verification"));
  }

  @Test
  void aCopyChangedAtTheDestinationFailsTheVerifyOfItsRemoteOnlyBackupBeforeAnyoneOpensIt() throws Exception {
    backUpAndCopy(false);
    Fresh fresh = new Fresh(true, false);
    fresh.adoption.adopt("NAS");
    Backup adopted = fresh.backups.findSuccessful(fresh.only().id()).get(0);
    assertThat(fresh.archives.verify(adopted.archive())).as("sound while the copy is what was sent").isEmpty();
    Path remote = dir.resolve("nas").resolve(fresh.copies.findByBackup(adopted.id()).get(0).remoteKey());
    byte[] bytes = Files.readAllBytes(remote);
    bytes[bytes.length / 2] ^= 1;
    Files.write(remote, bytes);

    assertThat(fresh.archives.verify(adopted.archive())).hasValueSatisfying(problem -> assertThat(problem)
        .contains("its off-site copy failed verification", "NAS: failed verification (found when verified): ", "its checksum does not match what was sent"));

    Copy copy = fresh.copies.findByBackup(adopted.id()).get(0);
    assertThat(copy.state()).isEqualTo(Copy.State.FAILED);
    assertThat(copy.verifiedAt()).isNull();
    assertThatThrownBy(() -> fresh.archives.open(adopted.fileName())).isInstanceOf(CopyDamagedException.class)
        .hasMessageContaining("NAS: failed verification (found when verified): ");
  }

  @Test
  void aLocalArchiveThatWentMissingIsFetchedBack() throws Exception {
    backUpAndCopy(false);
    Fresh fresh = new Fresh(true, false);
    fresh.adoption.adopt("NAS");
    Backup adopted = fresh.backups.findSuccessful(fresh.only().id()).get(0);
    fresh.archives.open(adopted.fileName()).close();
    Files.delete(fresh.backupDir.resolve(adopted.fileName()));

    try (ArchiveStore.PlainArchive plain = fresh.archives.open(adopted.fileName())) {
      assertThat(Files.readAllBytes(plain.path())).isEqualTo(Fixtures.archiveB());
    }
  }

  private List<Path> archivesAtTheDestination() throws Exception {
    try (Stream<Path> files = Files.walk(dir.resolve("nas"))) {
      return files.filter(p -> Files.isRegularFile(p) && !p.toString().endsWith(".json")).sorted().toList();
    }
  }

  private List<Path> manifests() throws Exception {
    try (Stream<Path> files = Files.walk(dir.resolve("nas"))) {
      return files.filter(p -> p.toString().endsWith(".json")).sorted().toList();
    }
  }
}
