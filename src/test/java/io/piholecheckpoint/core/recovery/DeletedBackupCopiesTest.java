package io.piholecheckpoint.core.recovery;

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
import io.piholecheckpoint.core.instance.RetentionPolicy;
import io.piholecheckpoint.core.instance.TlsTrust;
import io.piholecheckpoint.core.offsite.CopyOnBackup;
import io.piholecheckpoint.core.offsite.OffsiteService;
import io.piholecheckpoint.core.offsite.RemotePruning;
import io.piholecheckpoint.core.offsite.copy.CopyRunner;
import io.piholecheckpoint.core.offsite.copy.Uploads;
import io.piholecheckpoint.core.offsite.remote.Destination;
import io.piholecheckpoint.core.offsite.remote.DestinationConfig;
import io.piholecheckpoint.core.offsite.remote.OffsiteTarget;
import io.piholecheckpoint.core.registry.InstanceService;
import io.piholecheckpoint.core.retention.RetentionService;
import io.piholecheckpoint.core.schedule.Schedule;
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
import io.piholecheckpoint.testing.ForwardingDestination;
import io.piholecheckpoint.testing.MigratedDatabase;
import io.piholecheckpoint.testing.MovableClock;
import io.piholecheckpoint.testing.RecordingPause;
import io.piholecheckpoint.testing.ScriptedGateway;
import io.piholecheckpoint.testing.TestInstances;
import io.piholecheckpoint.testing.TestServices;
import io.piholecheckpoint.testing.TestTimes;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Outsider rounds 33/34: a backup deleted by hand came back, pinned, by an adoption of its off-site copy, whose manifest still
 * said pinned (unpinned and deleted before the next copy run wrote it again). Over real parts — a SQLite file, a directory
 * destination, the copy queue and the adoption: a backup deleted by hand takes its copies with it, and is never adopted back.
 */
class DeletedBackupCopiesTest {
  private static final String PASSPHRASE = "correct horse battery staple";
  @TempDir
  Path dir;

  private final MovableClock clock = new MovableClock(Instant.parse("2026-12-05T03:00:00Z"));
  private final List<Database> databases = new ArrayList<>();
  /** How often the off-site job was asked to run now rather than at its next minute. */
  private final AtomicInteger wakes = new AtomicInteger();
  private final ArchiveCipher cipher = new OpenPgpArchiveCipher(PASSPHRASE.toCharArray());
  private MyBatisBackupRepository backupRepository;
  private MyBatisCopyRepository copies;
  private InstanceService instances;
  private FailingDeletes nas;
  private OffsiteTarget target;
  private OffsiteService offsite;
  private BackupGraph backups;
  private Backup pinned;
  private Backup later;

  /** Two backups copied and verified at NAS; the first pinned, and its manifest written again as pinned. */
  @BeforeEach
  void twoBackupsCopiedTheFirstPinned() throws Exception {
    Database database = MigratedDatabase.openAt(dir.resolve("checkpoint.db"));
    databases.add(database);
    copies = new MyBatisCopyRepository(database);
    backupRepository = new MyBatisBackupRepository(database);
    MyBatisInstanceRepository instanceRepository = new MyBatisInstanceRepository(database, clock);
    instances = TestInstances.service(instanceRepository);
    ArchiveStore archives = new LocalArchiveStore(Files.createDirectories(dir.resolve("backups")), new TeleporterInspector(),
        ArchiveStore.FreeSpace.OF_FILE_STORE);
    nas = new FailingDeletes(nas());
    target = new OffsiteTarget("NAS", nas, List.of(), OffsiteTarget.RemoteRetention.INSTANCES_OWN, true);
    offsite = new OffsiteService(new CopyRunner(List.of(target), copies, new Uploads(archives, cipher, backupRepository, instanceRepository),
        clock, (d, o) -> { }), copies, new RemotePruning(copies, backupRepository, instanceRepository, ZoneOffset.UTC, clock), clock);
    ScriptedGateway gateway = new ScriptedGateway();
    backups = BackupGraph.of(new BackupCatalog(instances, backupRepository, archives), instances, backupRepository,
        new ArchiveDownloader(gateway, TestServices.PASSWORD_ONLY, archives, DownloadPolicy.DEFAULT, new RecordingPause(), Clock.systemUTC()), archives,
        new TeleporterContents(Clock.systemUTC()), new RetentionService(backupRepository, archives, ZoneOffset.UTC, 7, Events.NONE), clock,
        new CopyOnBackup(offsite, new OffsiteCatalog(offsite.targetSet(), copies, clock), wakes::incrementAndGet), TestTimes.UTC);
    instances.applyEnvironment(List.of(new InstanceDefinition("HOME", "Home", "http://pi.hole", TlsTrust.SYSTEM, null, Schedule.DEFAULT,
        new RetentionPolicy(10, 0), false, true)));
    long home = instances.list().get(0).id();
    gateway.answer(Fixtures.archiveA());
    pinned = backups.runBackup(home, Backup.Trigger.SCHEDULED);
    clock.advance(Duration.ofHours(1));
    gateway.answer(Fixtures.archiveB());
    later = backups.runBackup(home, Backup.Trigger.MANUAL);
    assertThat(offsite.runDue()).isEqualTo(2);
    backups.pin(pinned.id(), true);
    offsite.runDue();
    assertThat(manifestOf(pinned)).contains("\"pinned\": true");
  }

  @AfterEach
  void close() {
    databases.forEach(Database::close);
  }

  private FileDestination nas() throws Exception {
    Files.createDirectories(dir.resolve("nas"));
    return new FileDestination(new DestinationConfig("NAS", dir.resolve("nas").toUri(), Map.of(), Duration.ofSeconds(5)));
  }

  private String manifestOf(Backup backup) throws Exception {
    return Files.readString(nasFile(backup, ".json"), StandardCharsets.UTF_8);
  }

  private Path nasFile(Backup backup, String suffix) throws Exception {
    String key = copies.findByBackup(backup.id()).get(0).remoteKey();
    return dir.resolve("nas").resolve(key + suffix);
  }

  private List<String> atNas() throws Exception {
    try (Stream<Path> files = Files.walk(dir.resolve("nas"))) {
      return files.filter(Files::isRegularFile).map(f -> dir.resolve("nas").relativize(f).toString()).sorted().toList();
    }
  }

  private AdoptionService adoption() {
    return new AdoptionService(List.of(target), copies, backupRepository, instances, clock);
  }

  @Test
  void aBackupUnpinnedAndDeletedAtOnceIsNotAdoptedBackAndItsCopyGoesAtTheNextRun() throws Exception {
    backups.pin(pinned.id(), false);
    backups.delete(pinned.id()); // before any copy run wrote its manifest again: it still says pinned

    AdoptionService.Result before = adoption().adopt("NAS");

    assertThat(before.adopted()).as("nothing the history lacks but the deleted backup").isZero();
    assertThat(backupRepository.findSuccessful(instances.list().get(0).id())).extracting(Backup::id).containsExactly(later.id());

    offsite.runDue();

    assertThat(atNas()).as("only the later backup's copy and manifest are left").hasSize(2)
        .allSatisfy(f -> assertThat(f).contains(later.fileName()));
    assertThat(copies.findByBackup(pinned.id())).isEmpty();
    assertThat(copies.findByBackup(later.id())).hasSize(1);

    // a fresh install with the same destination gets the later backup only
    Database fresh = MigratedDatabase.openAt(dir.resolve("fresh.db"));
    databases.add(fresh);
    MyBatisBackupRepository freshBackups = new MyBatisBackupRepository(fresh);
    InstanceService freshInstances = TestInstances.service(new MyBatisInstanceRepository(fresh, clock));
    AdoptionService.Result recovered = new AdoptionService(List.of(target), new MyBatisCopyRepository(fresh), freshBackups, freshInstances,
        clock).adopt("NAS");

    assertThat(recovered.adopted()).isEqualTo(1);
    assertThat(freshBackups.findSuccessful(freshInstances.list().get(0).id())).extracting(Backup::fileName)
        .containsExactly(later.fileName());
  }

  /** Outsider (LOW): the deletion by hand was logged as a deletion "cut short", its copies as "cop(ies)". */
  @Test
  void aBackupDeletedByHandIsLoggedForWhatHappenedWithOneCopyInTheSingular() throws Exception {
    backups.pin(pinned.id(), false);
    String logged;
    try (io.piholecheckpoint.testing.CapturedOutput log = io.piholecheckpoint.testing.CapturedOutput.start()) {
      backups.delete(pinned.id());
      offsite.runDue();
      logged = log.text();
    }

    assertThat(logged).contains("was deleted: its off-site copy at NAS is deleted there at the next run")
        .contains(": its backup was deleted").doesNotContain("cut short").doesNotContain("cop(ies)");
  }

  /** A destination that fails keeps the deletion: tried again at its next run, never given back to its retention. */
  @Test
  void aCopyWhoseDeletionFailedIsDeletedAtALaterRun() throws Exception {
    backups.pin(pinned.id(), false);
    nas.failDeletes = true;
    backups.delete(pinned.id());

    offsite.runDue();

    assertThat(atNas()).as("the destination refused").hasSize(4);
    assertThat(copies.findByBackup(pinned.id())).as("still claimed, to be deleted").singleElement()
        .satisfies(c -> assertThat(copies.findClaimed("NAS", c.instanceId())).extracting(co -> co.id()).contains(c.id()));
    assertThat(adoption().adopt("NAS").adopted()).as("not adopted meanwhile either").isZero();

    nas.failDeletes = false;
    offsite.runDue();

    assertThat(copies.findByBackup(pinned.id())).isEmpty();
    assertThat(atNas()).hasSize(2).allSatisfy(f -> assertThat(f).contains(later.fileName()));
  }

  /** The directory destination, whose deletions fail while {@link #failDeletes} (a share gone read-only). */
  private static final class FailingDeletes extends ForwardingDestination {
    volatile boolean failDeletes;

    FailingDeletes(Destination real) {
      super(real);
    }

    @Override
    public void delete(String key) throws IOException {
      if (failDeletes) {
        throw new IOException("read-only file system (test)");
      }
      super.delete(key);
    }
  }

  @Test
  void aBackupStillPinnedCannotBeDeletedAndItsCopyStays() throws Exception {
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> backups.delete(pinned.id()))
        .hasMessageContaining("unpin it before deleting it");

    offsite.runDue();

    assertThat(atNas()).hasSize(4);
    assertThat(manifestOf(pinned)).contains("\"pinned\": true");
  }

  /** The manifest says what the backup is now: an unpin asks for a copy run at once, which writes it there. */
  @Test
  void anUnpinIsWrittenToTheCopysManifestAtTheNextRun() throws Exception {
    int before = wakes.get();
    backups.pin(pinned.id(), false);

    assertThat(wakes.get()).as("that run is asked for at once").isGreaterThan(before);

    offsite.runDue();

    assertThat(manifestOf(pinned)).contains("\"pinned\": false").doesNotContain("\"pinned\": true");
  }
}
