package io.piholecheckpoint.core.offsite;

import io.piholecheckpoint.testing.BackupGraph;
import static org.assertj.core.api.Assertions.assertThat;
import java.time.Clock;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.piholecheckpoint.core.archive.Archive;
import io.piholecheckpoint.core.archive.ArchiveStore;
import io.piholecheckpoint.core.backup.BackupService;
import io.piholecheckpoint.core.backup.catalog.Backup;
import io.piholecheckpoint.core.backup.catalog.BackupCatalog;
import io.piholecheckpoint.core.backup.catalog.BackupConflictException;
import io.piholecheckpoint.core.backup.events.Events;
import io.piholecheckpoint.core.download.ArchiveDownloader;
import io.piholecheckpoint.core.download.DownloadPolicy;
import io.piholecheckpoint.core.instance.InstanceDefinition;
import io.piholecheckpoint.core.instance.PiholeInstance;
import io.piholecheckpoint.core.instance.RetentionPolicy;
import io.piholecheckpoint.core.instance.TlsTrust;
import io.piholecheckpoint.core.offsite.copy.Manifest;
import io.piholecheckpoint.core.offsite.queue.Copy;
import io.piholecheckpoint.core.offsite.remote.Destination;
import io.piholecheckpoint.core.offsite.remote.DestinationConfig;
import io.piholecheckpoint.core.offsite.remote.OffsiteTarget;
import io.piholecheckpoint.core.registry.InstanceService;
import io.piholecheckpoint.core.retention.RetentionService;
import io.piholecheckpoint.core.schedule.Schedule;
import io.piholecheckpoint.offsite.file.FileDestination;
import io.piholecheckpoint.persistence.Database;
import io.piholecheckpoint.persistence.Dialect;
import io.piholecheckpoint.persistence.MyBatisBackupRepository;
import io.piholecheckpoint.persistence.MyBatisCopyRepository;
import io.piholecheckpoint.persistence.MyBatisInstanceRepository;
import io.piholecheckpoint.storage.LocalArchiveStore;
import io.piholecheckpoint.teleporter.TeleporterContents;
import io.piholecheckpoint.teleporter.TeleporterInspector;
import io.piholecheckpoint.testing.ForwardingDestination;
import io.piholecheckpoint.testing.MigratedDatabase;
import io.piholecheckpoint.testing.MovableClock;
import io.piholecheckpoint.testing.RecordingPause;
import io.piholecheckpoint.testing.ScriptedGateway;
import io.piholecheckpoint.testing.TestBackups;
import io.piholecheckpoint.testing.TestDialects;
import io.piholecheckpoint.testing.TestInstances;
import io.piholecheckpoint.testing.TestServices;
import io.piholecheckpoint.testing.TestTimes;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.ArgumentsSource;

/**
 * A pin and the off-site pruning of the same backup's copy, interleaved where they used to race: the pin runs right after
 * the pruning read the backup, or inside the destination's delete (after the claim), on the same thread, so the order is
 * fixed, not timed. Real database (both dialects), the directory destination.
 */
@ParameterizedClass
@ArgumentsSource(TestDialects.class)
class PinWinsOverRemotePruningTest {
  private static final Instant NOW = Instant.parse("2026-11-27T03:00:00Z");

  @Parameter
  Dialect dialect;

  @TempDir
  Path dir;

  private Database database;
  private InterleavingBackups backups;
  private MyBatisCopyRepository copies;
  private BackupGraph service;
  private RemotePruning pruning;
  private FileDestination nas;
  private PiholeInstance home;
  private Backup older;
  private Copy olderCopy;
  private Copy newerCopy;

  /** The backups with a step run once right after the pruning read one of them: where the pin comes in. */
  static final class InterleavingBackups extends MyBatisBackupRepository {
    long readId;
    Runnable afterRead = () -> { };

    InterleavingBackups(Database database) {
      super(database);
    }

    @Override
    public Optional<Backup> findById(long id) {
      Optional<Backup> found = super.findById(id);
      if (id == readId) {
        Runnable step = afterRead;
        afterRead = () -> { };
        step.run();
      }
      return found;
    }
  }

  @BeforeEach
  void setUp() throws Exception {
    database = MigratedDatabase.open(dialect, Files.createDirectories(dir.resolve("db")));
    backups = new InterleavingBackups(database);
    copies = new MyBatisCopyRepository(database);
    MyBatisInstanceRepository instanceRepository = new MyBatisInstanceRepository(database, MovableClock.ticking());
    InstanceService instances = TestInstances.service(instanceRepository);
    instances.applyEnvironment(List.of(new InstanceDefinition("HOME", "Home", "http://pi.hole", TlsTrust.SYSTEM, null, Schedule.DEFAULT,
        new RetentionPolicy(1, 0), false, true)));
    home = instances.list().get(0);
    ArchiveStore archives = new LocalArchiveStore(Files.createDirectories(dir.resolve("backups")), new TeleporterInspector(),
        d -> Long.MAX_VALUE);
    service = BackupGraph.of(new BackupCatalog(instances, backups, archives), instances, backups, new ArchiveDownloader(
        new ScriptedGateway(), TestServices.PASSWORD_ONLY, archives, DownloadPolicy.DEFAULT, new RecordingPause(), Clock.systemUTC()), archives,
        new TeleporterContents(Clock.systemUTC()), new RetentionService(backups, archives, ZoneOffset.UTC, 7, Events.NONE), MovableClock.ticking(),
        Events.NONE, TestTimes.UTC);
    pruning = new RemotePruning(copies, backups, instanceRepository, ZoneOffset.UTC, new MovableClock(NOW));
    nas = new FileDestination(new DestinationConfig("NAS", Files.createDirectories(dir.resolve("nas")).toUri(), java.util.Map.of(), Duration.ofSeconds(5)));
    older = stored("home_20261120T030000Z_aaaaaa.zip", NOW.minus(Duration.ofDays(7)));
    Backup newer = stored("home_20261127T030000Z_bbbbbb.zip", NOW);
    olderCopy = copied(older);
    newerCopy = copied(newer);
    backups.readId = older.id();
  }

  @AfterEach
  void close() {
    database.close();
  }

  private Backup stored(String fileName, Instant at) {
    Backup template = TestBackups.aSuccess(0, home.id(), at);
    Archive archive = new Archive(fileName, 20, "sha-" + fileName, "content-" + fileName, template.archive().versions(),
        template.archive().summary(), null);
    return backups.insert(Backup.succeeded(home.id(), Backup.Trigger.SCHEDULED, archive, false, at, at));
  }

  /** A verified copy at the destination: its object and its manifest there, its record in the queue. */
  private Copy copied(Backup backup) throws IOException {
    String key = "home/" + backup.fileName();
    for (String object : List.of(key, key + Manifest.SUFFIX)) {
      byte[] bytes = object.getBytes(StandardCharsets.UTF_8);
      nas.put(object, new ByteArrayInputStream(bytes), bytes.length);
    }
    copies.adopt(Copy.adopted(backup.id(), home.id(), "NAS", backup.fileName(), key, backup.finishedAt(), 20L, "sha", NOW));
    copies.markVerified(copies.findByBackup(backup.id()).get(0).id(), NOW); // read back, as the queue does
    return copies.findByBackup(backup.id()).get(0);
  }

  private OffsiteTarget target(Destination destination) {
    return new OffsiteTarget("NAS", destination, List.of(), OffsiteTarget.RemoteRetention.INSTANCES_OWN, false);
  }

  private boolean atTheDestination(Copy copy) throws IOException {
    return nas.check(copy.remoteKey()).isPresent() && nas.check(copy.remoteKey() + Manifest.SUFFIX).isPresent();
  }

  @Test
  void aBackupPinnedAfterThePruningReadItKeepsItsOffsiteCopy() throws Exception {
    backups.afterRead = () -> service.pin(older.id(), true);

    int deleted = pruning.prune(target(nas), home.id());

    assertThat(deleted).isZero();
    assertThat(atTheDestination(olderCopy)).isTrue();
    assertThat(copies.findVerified("NAS", home.id())).extracting(Copy::id).containsExactly(newerCopy.id(), olderCopy.id());
    assertThat(copies.findClaimed("NAS", home.id())).isEmpty();
    assertThat(backups.findById(older.id())).hasValueSatisfying(b -> assertThat(b.pinned()).isTrue());
  }

  @Test
  void aPinWhileItsOffsiteCopyIsBeingDeletedIsRefusedWithAReasonAndTheCopyGoes() throws Exception {
    List<Throwable> refused = new ArrayList<>();
    Destination pinnedDuringDelete = new ForwardingDestination(nas) {
      @Override
      public void delete(String key) throws IOException {
        if (refused.isEmpty()) {
          refused.add(catchThrowable(() -> service.pin(older.id(), true)));
        }
        super.delete(key);
      }
    };

    int deleted = pruning.prune(target(pinnedDuringDelete), home.id());

    assertThat(refused).hasSize(1);
    assertThat(refused.get(0)).isInstanceOf(BackupConflictException.class).hasMessage("an off-site copy of backup " + older.id()
        + " is being deleted by its destination's retention; the backup can be pinned once that is done (the backup itself stays)");
    assertThat(deleted).isEqualTo(1);
    assertThat(nas.check(olderCopy.remoteKey())).isEmpty();
    assertThat(copies.findById(olderCopy.id())).isEmpty();
    assertThat(atTheDestination(newerCopy)).isTrue();
    assertThat(service.pin(older.id(), true).pinned()).isTrue();
  }

  @Test
  void aCopyWhoseBackupIsPinnedIsNotClaimedAndOneWhoseBackupIsGoneIs() {
    service.pin(older.id(), true);
    assertThat(copies.claimForDeletion(olderCopy.id(), older.id())).isFalse();

    service.pin(older.id(), false);
    backups.delete(older.id()); // home's retention went first: nobody can pin it now

    assertThat(copies.claimForDeletion(olderCopy.id(), older.id())).isTrue();
    assertThat(copies.claimForDeletion(olderCopy.id(), older.id())).isFalse(); // claimed once only
  }

  @Test
  void aDeletionCutShortBlocksAPinAndIsFinishedByTheNextPruning() throws Exception {
    assertThat(copies.claimForDeletion(olderCopy.id(), older.id())).isTrue(); // and then the process stopped

    assertThatThrownBy(() -> service.pin(older.id(), true)).isInstanceOf(BackupConflictException.class);
    assertThat(copies.findVerified("NAS", home.id())).extracting(Copy::id).containsExactly(newerCopy.id());
    assertThat(copies.findByFileName(older.fileName())).noneMatch(c -> c.state() == Copy.State.VERIFIED);

    assertThat(pruning.prune(target(nas), home.id())).isEqualTo(1);
    assertThat(nas.check(olderCopy.remoteKey())).isEmpty();
    assertThat(copies.findClaimed("NAS", home.id())).isEmpty();
    assertThat(service.pin(older.id(), true).pinned()).isTrue();
  }

  @Test
  void aDeletionCutShortOfAnInstanceTheDestinationNoLongerTakesIsFinishedByTheDailyPruning() throws Exception {
    assertThat(copies.claimForDeletion(olderCopy.id(), older.id())).isTrue(); // and then the process stopped
    OffsiteTarget takesOthersNow = new OffsiteTarget("NAS", nas, List.of("OFFICE"), OffsiteTarget.RemoteRetention.INSTANCES_OWN, false);

    assertThat(pruning.pruneAll(takesOthersNow)).isEqualTo(1);

    assertThat(nas.check(olderCopy.remoteKey())).isEmpty();
    assertThat(copies.findClaimed("NAS", home.id())).isEmpty();
    assertThat(atTheDestination(newerCopy)).as("no retention of its own for an instance it does not take").isTrue();
    assertThat(service.pin(older.id(), true).pinned()).isTrue();
  }

  @Test
  void aDestinationThatCannotDeleteGivesTheClaimBack() throws Exception {
    Destination failing = new ForwardingDestination(nas) {
      @Override
      public void delete(String key) throws IOException {
        throw new IOException("the share is read-only");
      }
    };

    assertThat(pruning.prune(target(failing), home.id())).isZero();

    assertThat(copies.findClaimed("NAS", home.id())).isEmpty();
    assertThat(atTheDestination(olderCopy)).isTrue();
    assertThat(service.pin(older.id(), true).pinned()).isTrue();
  }
}
