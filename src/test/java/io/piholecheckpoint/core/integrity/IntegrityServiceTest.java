package io.piholecheckpoint.core.integrity;

import static io.piholecheckpoint.testing.TestInstances.aDefinition;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.piholecheckpoint.core.archive.Archive;
import io.piholecheckpoint.core.archive.ArchiveStorageException;
import io.piholecheckpoint.core.archive.ArchiveStore;
import io.piholecheckpoint.core.backup.catalog.Backup;
import io.piholecheckpoint.core.backup.events.Events;
import io.piholecheckpoint.testing.Fixtures;
import io.piholecheckpoint.testing.MovableClock;
import io.piholecheckpoint.testing.TestServices;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class IntegrityServiceTest {
  @TempDir
  Path dir;

  private TestServices services;
  private long home;

  @BeforeEach
  void setUp() {
    services = new TestServices(dir, MovableClock.ticking());
    services.instances.applyEnvironment(List.of(aDefinition("HOME", "http://pi.hole")));
    home = services.instances.list().get(0).id();
  }

  @Test
  void adoptsAnArchiveOfOursThatLostItsRecord() throws Exception {
    // "Pi-hole HOME" has the slug pi-hole-home
    Files.write(dir.resolve("pi-hole-home_20261120T030000Z_abcdef.zip"), Fixtures.archiveA());

    IntegrityService.Reconciliation result = services.integrity.reconcile();

    assertThat(result.adopted()).isEqualTo(1);
    Backup adopted = services.backupRepository.findSuccessful(home).get(0);
    assertThat(adopted.trigger()).isEqualTo(Backup.Trigger.RECOVERED);
    assertThat(adopted.finishedAt()).isEqualTo(Instant.parse("2026-11-20T03:00:00Z"));
    assertThat(adopted.archive().summary().adlists()).isEqualTo(2);
  }

  /**
   * Builds before each instance had a folder of its own named the archives of every name without Latin letters
   * {@code pihole_…}: such a file could be either's, and joining the wrong history would let that one's retention delete it.
   */
  @Test
  void leavesAloneAnArchiveOfANameTwoInstancesSharedInBuildsBefore() throws Exception {
    long kitchen = services.instances.recreate("Кухня", "http://10.0.0.8", "NAS", "pihole").id(); // upgraded: it kept the folder
    long living = services.instances.recreate("Гостиная", "http://10.0.0.9", "NAS", null).id();
    Files.write(dir.resolve("pihole_20261120T030000Z_abcdef.zip"), Fixtures.archiveA());
    String ownName = services.instances.find(living).slug() + "_20261121T030000Z_abcdef.zip";
    Files.write(dir.resolve(ownName), Fixtures.archiveA());

    IntegrityService.Reconciliation result = services.integrity.reconcile();

    assertThat(result.adopted()).as("only the file of a folder no other name had").isEqualTo(1);
    assertThat(services.backupRepository.findSuccessful(kitchen)).isEmpty();
    assertThat(services.backupRepository.findSuccessful(living)).extracting(Backup::fileName).containsExactly(ownName);
  }

  /** Outsider round 31: a record of the file's name that is not a success made every start fail on the unique file name. */
  @Test
  void leavesAloneAnArchiveWhoseNameARecordThatIsNoSuccessHolds() throws Exception {
    Files.write(dir.resolve("pi-hole-home_20261120T030000Z_abcdef.zip"), Fixtures.archiveA());
    services.integrity.reconcile();
    Backup b = services.backupRepository.findSuccessful(home).get(0);
    services.backupRepository.delete(b.id());
    services.backupRepository.add(new Backup(b.id(), b.instanceId(), Backup.Status.FAILED, b.trigger(), b.archive(), "hand_edited", "set by hand",
        b.startedAt(), b.finishedAt(), b.stillCurrentAt(), false, false, false, null));

    IntegrityService.Reconciliation result = services.integrity.reconcile();

    assertThat(result.adopted()).isZero();
    assertThat(services.backupRepository.all()).as("no second record of the name").hasSize(1);
  }

  /**
   * Outsider 47 F10: an adopted archive older than every backup was judged against the newest of them, flagged "holds much less
   * than backup 48" of a backup taken five days after it, and its row said nothing of that. It is judged against the backups
   * before it, as every archive is, and a flagged one's change line names the backup it was judged against.
   */
  @Test
  void judgesARecoveredArchiveAgainstTheBackupsBeforeItAndNamesTheOneItLostAgainst() throws Exception {
    Files.write(dir.resolve("pi-hole-home_20261125T030000Z_abcdef.zip"), Fixtures.archiveA());
    services.integrity.reconcile();
    long full = services.backupRepository.findSuccessful(home).get(0).id();
    Files.write(dir.resolve("pi-hole-home_20261120T030000Z_older0.zip"), io.piholecheckpoint.testing.TestArchives.withoutAdlists(Fixtures.archiveA()));
    Files.write(dir.resolve("pi-hole-home_20261126T030000Z_newer0.zip"), io.piholecheckpoint.testing.TestArchives.withoutAdlists(Fixtures.archiveA()));

    services.integrity.reconcile();

    List<Backup> all = services.backupRepository.findSuccessful(home);
    assertThat(all).filteredOn(b -> b.fileName().contains("older0")).singleElement()
        .satisfies(b -> assertThat(b.suspicious()).as("nothing before it to have lost against").isFalse());
    assertThat(all).filteredOn(b -> b.fileName().contains("newer0")).singleElement().satisfies(b -> {
      assertThat(b.suspicious()).isTrue();
      assertThat(b.archive().changes()).startsWith("holds much less than backup " + full + " (");
    });
  }

  @Test
  void flagsARecoveredArchiveByTheRuleEveryArchiveMeets() throws Exception {
    Files.write(dir.resolve("pi-hole-home_20261120T030000Z_abcdef.zip"), Fixtures.archiveA());
    Files.write(dir.resolve("pi-hole-home_20261121T030000Z_ghijkl.zip"), io.piholecheckpoint.testing.TestArchives.withoutGravity(Fixtures.archiveA()));

    services.integrity.reconcile();

    assertThat(services.backupRepository.findSuccessful(home)).filteredOn(Backup::suspicious).singleElement()
        .satisfies(b -> assertThat(b.fileName()).contains("20261121"));
  }

  @Test
  void leavesForeignAndUnsoundFilesAlone() throws Exception {
    Files.writeString(dir.resolve("notes.zip"), "mine");
    Files.write(dir.resolve("someone-else_20261120T030000Z_abcdef.zip"), Fixtures.archiveA());
    Files.writeString(dir.resolve("pi-hole-home_20261120T030000Z_zzzzzz.zip"), "not a zip");

    IntegrityService.Reconciliation result = services.integrity.reconcile();

    assertThat(result.adopted()).isZero();
    assertThat(dir.toFile().listFiles(java.io.File::isFile)).hasSize(3);
  }

  /** Outsider round 37: such files were said only in a WARN at every start; /health names them now, from here. */
  @Test
  void namesTheFilesOfOursThatAreNoSoundArchiveUntilTheyAreGone() throws Exception {
    byte[] archive = Fixtures.archiveA();
    Files.write(dir.resolve("pi-hole-home_20261201T000000Z_trunca.zip"), java.util.Arrays.copyOf(archive, archive.length / 2));
    Files.writeString(dir.resolve("pi-hole-home_20261202T000000Z_garbag.zip"), "random bytes, not a zip");
    Files.write(dir.resolve("someone-else_20261120T030000Z_abcdef.zip"), archive);
    assertThat(services.integrity.unsoundFiles()).as("before any look").isEmpty();

    services.integrity.reconcile();

    assertThat(services.integrity.unsoundFiles()).as("a foreign file is not ours to name")
        .containsExactly("pi-hole-home_20261201T000000Z_trunca.zip", "pi-hole-home_20261202T000000Z_garbag.zip");
    Files.delete(dir.resolve("pi-hole-home_20261201T000000Z_trunca.zip"));
    Files.delete(dir.resolve("pi-hole-home_20261202T000000Z_garbag.zip"));
    services.integrity.reconcile();
    assertThat(services.integrity.unsoundFiles()).isEmpty();
  }

  /** Outsider round 40: a line per file, 2,003 of them, buried the start's log. */
  @Test
  void saysTheUnsoundFilesInOneLogLine() throws Exception {
    for (int i = 0; i < 12; i++) {
      Files.writeString(dir.resolve("pi-hole-home_20261202T000000Z_garb%02d.zip".formatted(i)), "random bytes, not a zip");
    }

    String log;
    try (io.piholecheckpoint.testing.CapturedOutput output = io.piholecheckpoint.testing.CapturedOutput.start()) {
      services.integrity.reconcile();
      log = output.text();
    }

    assertThat(services.integrity.unsoundFiles()).hasSize(12);
    assertThat(log.lines().filter(l -> l.contains("garb")).toList()).singleElement().asString()
        .contains("12 file(s) in " + dir + " have no record and are no sound archive")
        .contains("pi-hole-home_20261202T000000Z_garb09.zip and 2 more").doesNotContain("garb10");
  }

  @Test
  void marksARecordWhoseFileVanishedAsMissingAndKeepsIt() throws Exception {
    Backup backup = services.backups.runBackup(home, Backup.Trigger.MANUAL);
    Files.delete(dir.resolve(backup.fileName()));

    IntegrityService.Reconciliation result = services.integrity.reconcile();

    assertThat(result.missing()).isEqualTo(1);
    assertThat(services.backupRepository.findById(backup.id()).orElseThrow().fileMissing()).isTrue();
    assertThat(services.catalog.fileProblems().missing()).isEqualTo(1);
  }

  @Test
  void aVanishedFileKeptAtADestinationIsRemoteOnlyNeitherMissingNorDamaged() throws Exception {
    Backup backup = services.backups.runBackup(home, Backup.Trigger.MANUAL);
    Files.delete(dir.resolve(backup.fileName()));
    IntegrityService integrity = new IntegrityService(services.instances, services.backupRepository, services.archives, Events.NONE,
        id -> id == backup.id() ? Optional.of("NAS") : Optional.empty());

    IntegrityService.Reconciliation result = integrity.reconcile();
    // the daily round counts on the copy's verified mark; a verify of this one backup reads the copy back (the store's part)
    IntegrityService.Verification verification = integrity.verifyAll().stream().filter(v -> v.backupId() == backup.id()).findFirst().orElseThrow();

    assertThat(result.missing()).isZero();
    assertThat(result.remoteOnly()).isEqualTo(1);
    assertThat(verification.ok()).isTrue();
    Backup after = services.backupRepository.findById(backup.id()).orElseThrow();
    assertThat(after.fileMissing()).isTrue();
    assertThat(after.verifyError()).isNull();
  }

  @Test
  void theDailyRoundGoesOnPastABackupThatCannotBeReadNowAndRecordsNoProblemForIt() throws Exception {
    Backup unreachable = services.backups.runBackup(home, Backup.Trigger.MANUAL);
    Backup sound = services.backups.runBackup(home, Backup.Trigger.MANUAL);
    ArchiveStore store = (ArchiveStore) Proxy.newProxyInstance(ArchiveStore.class.getClassLoader(), new Class<?>[] {ArchiveStore.class},
        (proxy, method, args) -> {
          if (method.getName().equals("verify") && ((Archive) args[0]).fileName().equals(unreachable.fileName())) {
            throw new ArchiveStorageException("its only off-site copies are at destinations out of use now: NAS is disabled");
          }
          try {
            return method.invoke(services.archives, args);
          } catch (InvocationTargetException e) {
            throw e.getCause();
          }
        });
    IntegrityService integrity = new IntegrityService(services.instances, services.backupRepository, store, Events.NONE, id -> Optional.empty());

    List<IntegrityService.Verification> round = integrity.verifyAll();

    assertThat(round).extracting(IntegrityService.Verification::backupId).containsExactlyInAnyOrder(unreachable.id(), sound.id());
    assertThat(round).filteredOn(v -> v.backupId() == sound.id()).extracting(IntegrityService.Verification::ok).containsExactly(true);
    assertThat(round).filteredOn(v -> v.backupId() == unreachable.id()).extracting(IntegrityService.Verification::ok).containsExactly(false);
    assertThat(services.backupRepository.findById(unreachable.id()).orElseThrow().verifyError()).as("not found damaged").isNull();
    assertThatThrownBy(() -> integrity.verify(unreachable.id())).as("a reader asking is told why")
        .isInstanceOf(ArchiveStorageException.class).hasMessageContaining("NAS is disabled");
  }

  @Test
  void reportsAChangedFileWithoutDeletingIt() throws Exception {
    Backup backup = services.backups.runBackup(home, Backup.Trigger.MANUAL);
    Files.write(dir.resolve(backup.fileName()), Fixtures.archiveB());

    IntegrityService.Verification verification = services.integrity.verify(backup.id());

    assertThat(verification.ok()).isFalse();
    assertThat(verification.problem()).contains("has changed on disk");
    assertThat(dir.resolve(backup.fileName())).exists();
    assertThat(services.backupRepository.findById(backup.id()).orElseThrow().verifyError()).contains("changed on disk");
  }

  /** A link planted in the backup directory under one of our names is no archive: neither adopted nor taken for a recorded one. */
  @Test
  void neverFollowsASymbolicLinkInTheBackupDirectory(@TempDir Path elsewhere) throws Exception {
    Path outside = elsewhere.resolve("secret.zip");
    Files.write(outside, Fixtures.archiveA());
    Files.write(dir.resolve("inside.zip"), Fixtures.archiveA());
    Files.createSymbolicLink(dir.resolve("pi-hole-home_20261120T030000Z_aaaaaa.zip"), outside);
    Files.createSymbolicLink(dir.resolve("pi-hole-home_20261120T040000Z_bbbbbb.zip"), dir.resolve("inside.zip"));
    Files.createDirectory(dir.resolve("pi-hole-home_20261120T050000Z_cccccc.zip"));
    Backup recorded = services.backups.runBackup(home, Backup.Trigger.MANUAL);
    Files.move(dir.resolve(recorded.fileName()), dir.resolve("moved.zip"));
    Files.createSymbolicLink(dir.resolve(recorded.fileName()), dir.resolve("moved.zip"));

    IntegrityService.Reconciliation result = services.integrity.reconcile();

    assertThat(result.adopted()).isZero();
    assertThat(services.backupRepository.findSuccessful(home)).singleElement().satisfies(b -> assertThat(b.fileMissing()).isTrue());
    assertThat(services.integrity.verify(recorded.id()).problem()).contains("missing");
  }

  @Test
  void confirmsASoundFile() {
    Backup backup = services.backups.runBackup(home, Backup.Trigger.MANUAL);

    assertThat(services.integrity.verify(backup.id()).ok()).isTrue();
  }

  /** Off-site copies of the backup, when there are some: told which archive is here again. */
  private IntegrityService integrity(Optional<String> keptAt, List<Long> backHere) {
    return new IntegrityService(services.instances, services.backupRepository, services.archives, Events.NONE, new KeptElsewhere() {
      @Override
      public Optional<String> keptAt(long backupId) {
        return keptAt;
      }

      @Override
      public void archiveHere(long backupId) {
        backHere.add(backupId);
      }
    });
  }

  /**
   * What a verify does for a file put back, the reconcile pass does too: the record corrected, the copies given up sent again;
   * for a backup that was missing, and for one kept remote only meanwhile.
   */
  @ParameterizedTest
  @ValueSource(strings = {"", "NAS"})
  void aFilePutBackIsCheckedByTheReconcilePassAsAVerifyChecksItAndItsCopiesAreSentAgain(String keptAt) throws Exception {
    Backup backup = services.backups.runBackup(home, Backup.Trigger.MANUAL);
    Path file = dir.resolve(backup.fileName());
    Path aside = Files.move(file, Files.createDirectories(dir.resolve("aside")).resolve(backup.fileName()));
    List<Long> backHere = new java.util.ArrayList<>();
    IntegrityService integrity = integrity(Optional.of(keptAt).filter(d -> !d.isEmpty()), backHere);
    IntegrityService.Reconciliation gone = integrity.reconcile();
    assertThat(gone.missing() + gone.remoteOnly()).isEqualTo(1);
    Files.move(aside, file);

    IntegrityService.Reconciliation result = integrity.reconcile();

    assertThat(result.found()).isEqualTo(1);
    assertThat(backHere).containsExactly(backup.id());
    assertThat(services.backupRepository.findById(backup.id()).orElseThrow().fileMissing()).isFalse();
    assertThat(integrity.reconcile().found()).as("told once, when it came back").isZero();
    assertThat(backHere).hasSize(1);
  }

  /**
   * A file taken away and put back between two passes (a fetch back meanwhile found no copy and gave the copies up, the record never
   * marked missing) is put back all the same: checked, and its copies sent again, at the next pass, not at someone's Verify.
   */
  @Test
  void aFilePutBackBeforeAnyPassSawItGoneSendsItsGivenUpCopiesAgainAtTheNextPass() throws Exception {
    Backup backup = services.backups.runBackup(home, Backup.Trigger.MANUAL);
    Backup other = services.backups.runBackup(home, Backup.Trigger.MANUAL);
    Set<Long> givenUp = new java.util.HashSet<>(Set.of(backup.id()));
    List<Long> backHere = new java.util.ArrayList<>();
    IntegrityService integrity = new IntegrityService(services.instances, services.backupRepository, services.archives, Events.NONE, new KeptElsewhere() {
      @Override
      public Optional<String> keptAt(long backupId) {
        return Optional.empty();
      }

      @Override
      public void archiveHere(long backupId) {
        backHere.add(backupId);
        givenUp.remove(backupId);
      }

      @Override
      public Set<Long> givenUpWithoutArchive() {
        return Set.copyOf(givenUp);
      }
    });

    IntegrityService.Reconciliation result = integrity.reconcile();

    assertThat(result.found()).isEqualTo(1);
    assertThat(backHere).containsExactly(backup.id()).doesNotContain(other.id());
    assertThat(services.backupRepository.findById(backup.id()).orElseThrow().verifyError()).isNull();
    assertThat(integrity.reconcile().found()).as("told once").isZero();
  }

  @Test
  void anotherFilePutBackUnderTheNameOfAMissingOneIsRecordedAsFailingItsCheckAndSendsNothingAgain() throws Exception {
    Backup backup = services.backups.runBackup(home, Backup.Trigger.MANUAL);
    Files.delete(dir.resolve(backup.fileName()));
    List<Long> backHere = new java.util.ArrayList<>();
    IntegrityService integrity = integrity(Optional.empty(), backHere);
    integrity.reconcile();
    Files.write(dir.resolve(backup.fileName()), Fixtures.archiveB());

    integrity.reconcile();

    Backup after = services.backupRepository.findById(backup.id()).orElseThrow();
    assertThat(after.fileMissing()).isFalse();
    assertThat(after.verifyError()).contains("changed on disk");
    assertThat(backHere).isEmpty();
  }
}
