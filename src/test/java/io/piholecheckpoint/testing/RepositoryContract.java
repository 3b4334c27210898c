package io.piholecheckpoint.testing;

import static io.piholecheckpoint.testing.TestInstances.aDefinition;
import static org.assertj.core.api.Assertions.assertThat;

import io.piholecheckpoint.core.backup.catalog.Backup;
import io.piholecheckpoint.core.backup.catalog.BackupRepository;
import io.piholecheckpoint.core.instance.TlsTrust;
import io.piholecheckpoint.core.instance.ConnectionStatus;
import io.piholecheckpoint.core.instance.InstanceDefinition;
import io.piholecheckpoint.core.instance.InstanceRepository;
import io.piholecheckpoint.core.instance.PiholeInstance;
import io.piholecheckpoint.core.schedule.Schedule;
import io.piholecheckpoint.core.instance.RetentionPolicy;
import io.piholecheckpoint.core.retention.RetentionRules;
import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalTime;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * What the core may expect of any {@link InstanceRepository} and {@link BackupRepository}: run
 * against the MyBatis ones on a migrated SQLite file and against the in-memory ones the core's
 * tests use, so the two cannot drift apart. A subclass provides a fresh, empty pair before each test.
 */
public abstract class RepositoryContract {
  protected abstract InstanceRepository instances();

  protected abstract BackupRepository backups();

  /** A backup's end names its instance by this one-column read: the name now (renamed meanwhile), of that instance alone. */
  @Test
  public void findsAnInstancesNameAsItIsNowAndNoneOfAnUnknownId() {
    instances().saveDefinition(aDefinition("HOME", "http://a"));
    instances().saveDefinition(aDefinition("OFFICE", "http://b"));
    long home = instances().findByEnvPrefix("HOME").orElseThrow().id();
    long office = instances().findByEnvPrefix("OFFICE").orElseThrow().id();
    instances().saveDefinition(new InstanceDefinition("HOME", "Attic", "http://a", TlsTrust.SYSTEM, null, Schedule.DEFAULT,
        RetentionPolicy.DEFAULT, false, true));

    assertThat(instances().findName(home)).contains("Attic");
    assertThat(instances().findName(office)).contains("Pi-hole OFFICE");
    assertThat(instances().findName(home + office + 1)).isEmpty();
  }

  @Test
  public void givesTheSizeOfAnInstancesNewestSuccessAlonePastANewerFailureAndNoneBeforeItsFirst() {
    instances().saveDefinition(aDefinition("HOME", "http://a"));
    instances().saveDefinition(aDefinition("LAB", "http://b"));
    long home = instances().findByEnvPrefix("HOME").orElseThrow().id();
    long lab = instances().findByEnvPrefix("LAB").orElseThrow().id();
    Instant t = Instant.parse("2026-11-27T03:00:00Z");
    assertThat(backups().latestSuccessSize(home)).isEmpty();
    backups().insert(sized(TestBackups.aSuccess(201, home, t.plusSeconds(60)), 2_000));
    backups().insert(sized(TestBackups.aSuccess(202, home, t), 3_000)); // recorded later, finished earlier
    backups().insert(TestBackups.aFailure(203, home, t.plusSeconds(120)));
    backups().insert(sized(TestBackups.aSuccess(204, lab, t.plusSeconds(180)), 4_000));

    assertThat(backups().latestSuccessSize(home)).hasValue(2_000);
    assertThat(backups().latestSuccessSize(home)).hasValue(backups().findPage(home, new BackupRepository.Page(null, Backup.Status.SUCCESS, null, 1))
        .get(0).archive().sizeBytes());
    assertThat(backups().latestSuccessSize(lab)).hasValue(4_000);
  }

  private static Backup sized(Backup b, long bytes) {
    io.piholecheckpoint.core.archive.Archive a = b.archive();
    return new Backup(b.id(), b.instanceId(), b.status(), b.trigger(), new io.piholecheckpoint.core.archive.Archive(a.fileName(), bytes, a.sha256(),
        a.contentHash(), a.versions(), a.summary(), a.changes()), b.errorCode(), b.errorMessage(), b.startedAt(), b.finishedAt(), b.stillCurrentAt(),
        b.pinned(), b.suspicious(), b.fileMissing(), b.verifyError());
  }

  /** Read once by the reconcile of BACKUP_DIR, so that it asks nothing per stray file. */
  @Test
  public void listsTheFileNamesOfRecordsThatAreNoSuccess() {
    instances().saveDefinition(aDefinition("HOME", "http://a"));
    long home = instances().findByEnvPrefix("HOME").orElseThrow().id();
    Instant t = Instant.parse("2026-11-27T03:00:00Z");
    Backup ok = backups().insert(TestBackups.aSuccess(0, home, t));
    backups().insert(TestBackups.aFailure(0, home, t.plusSeconds(60)));
    Backup named = TestBackups.aSuccess(0, home, t.plusSeconds(120));
    // no SHA-256: the schema lets a failed row name a file only so (a row edited by hand, a build that recorded it so)
    io.piholecheckpoint.core.archive.Archive full = TestBackups.anArchive("home_20261127T030200Z_edited.zip", "c2");
    io.piholecheckpoint.core.archive.Archive archive = new io.piholecheckpoint.core.archive.Archive(full.fileName(), full.sizeBytes(), null,
        full.contentHash(), full.versions(), full.summary(), null);
    backups().insert(new Backup(0, home, Backup.Status.FAILED, named.trigger(), archive, "hand_edited", "set by hand", named.startedAt(),
        named.finishedAt(), null, false, false, false, null));

    assertThat(backups().unsuccessfulFileNames()).containsExactly("home_20261127T030200Z_edited.zip").doesNotContain(ok.fileName());
  }

  @Test
  public void findsOnlyTheFailuresRetentionDeletesNeverTheNewestOneNorAnotherInstancesOrASuccess() {
    instances().saveDefinition(aDefinition("HOME", "http://a"));
    instances().saveDefinition(aDefinition("LAB", "http://b"));
    long home = instances().findByEnvPrefix("HOME").orElseThrow().id();
    long lab = instances().findByEnvPrefix("LAB").orElseThrow().id();
    Instant t = Instant.parse("2026-11-01T03:00:00Z");
    Backup oldest = backups().insert(TestBackups.aFailure(0, home, t));
    Backup sameTime = backups().insert(TestBackups.aFailure(0, home, t));
    backups().insert(TestBackups.aSuccess(0, home, t.minusSeconds(60)));
    Backup newestFailure = backups().insert(TestBackups.aFailure(0, home, t.plusSeconds(60)));
    backups().insert(TestBackups.aFailure(0, lab, t.minusSeconds(60)));
    backups().insert(TestBackups.aFailure(0, lab, t.minusSeconds(30)));
    Instant cutoff = t.plusSeconds(3600); // every record above is older

    assertThat(backups().findExpiredFailures(home, cutoff)).containsExactly(sameTime, oldest);
    assertThat(backups().findExpiredFailures(home, t)).as("finished before the cutoff only").isEmpty();
    assertThat(backups().findExpiredFailures(home, cutoff)).doesNotContain(newestFailure);
    assertThat(backups().findExpiredFailures(lab, cutoff)).hasSize(1);
  }

  @Test
  public void givesARunOnlyTheNewestSuccessAndTheNewestOneNotSuspiciousOfAllAndOfThoseTakenFromThePihole() {
    instances().saveDefinition(aDefinition("HOME", "http://a"));
    instances().saveDefinition(aDefinition("LAB", "http://b"));
    long home = instances().findByEnvPrefix("HOME").orElseThrow().id();
    long lab = instances().findByEnvPrefix("LAB").orElseThrow().id();
    Instant t = Instant.parse("2026-11-01T03:00:00Z");
    backups().insert(TestBackups.aSuccess(101, home, t));
    Backup good = backups().insert(TestBackups.aSuccess(102, home, t.plusSeconds(60)));
    backups().insert(TestBackups.aFailure(199, home, t.plusSeconds(90)));
    backups().insert(TestBackups.suspicious(TestBackups.aSuccess(103, home, t.plusSeconds(120))));
    Backup odd = backups().insert(TestBackups.suspicious(TestBackups.aSuccess(104, home, t.plusSeconds(180))));

    assertThat(backups().findBaselines(home)).containsExactly(odd, good);
    Backup newest = backups().insert(TestBackups.aSuccess(105, home, t.plusSeconds(240)));
    assertThat(backups().findBaselines(home)).containsExactly(newest);
    assertThat(backups().findBaselines(lab)).isEmpty();
    Backup upload = backups().insert(TestBackups.imported(TestBackups.aSuccess(106, home, t.plusSeconds(300))));
    Backup oddUpload = backups().insert(TestBackups.suspicious(TestBackups.imported(TestBackups.aSuccess(107, home, t.plusSeconds(360)))));
    assertThat(backups().findBaselines(home)).as("an upload is not taken from the Pi-hole").containsExactly(oddUpload, upload, newest);
  }

  /** Pinned, suspicious, still-current and plain backups over 60 days, decided by every kind of policy. */
  @Test
  public void retentionDecidesOnTheRowsDownToTheOldestExpirableAsOnTheWholeHistory() {
    instances().saveDefinition(aDefinition("HOME", "http://a"));
    long home = instances().findByEnvPrefix("HOME").orElseThrow().id();
    Instant t = Instant.parse("2026-10-01T03:00:00Z");
    for (int i = 0; i < 60; i++) {
      Backup b = TestBackups.aSuccess(200 + i, home, t.plus(java.time.Duration.ofHours(23L * i)));
      b = i % 7 == 3 ? TestBackups.pinned(b) : b;
      b = i % 5 == 1 || i == 59 ? TestBackups.suspicious(b) : b;
      long id = backups().insert(b).id();
      if (i % 11 == 2) {
        backups().markStillCurrent(id, b.finishedAt().plus(java.time.Duration.ofDays(40)));
      }
    }
    Instant now = t.plus(java.time.Duration.ofDays(60));
    java.time.ZoneId zone = java.time.ZoneId.of("Europe/Berlin");
    List<Backup> all = backups().findSuccessful(home);
    for (RetentionPolicy policy : List.of(RetentionPolicy.DEFAULT, new RetentionPolicy(10, 0), new RetentionPolicy(0, 30),
        new RetentionPolicy(0, 0), new RetentionPolicy(1, 1), new RetentionPolicy(3, 0, 7, 4, 2), new RetentionPolicy(5, 10, 3, 0, 0),
        new RetentionPolicy(0, 20, 0, 2, 3), new RetentionPolicy(100, 100))) {
      Instant cutoff = policy.maxAgeDays() == 0 ? null : now.minus(java.time.Duration.ofDays(policy.maxAgeDays()));

      List<Backup> prefix = backups().findUpToOldestExpirable(home, policy.maxBackups(), cutoff);

      assertThat(all.subList(0, prefix.size())).as("a prefix of the history, %s", policy).isEqualTo(prefix);
      assertThat(RetentionRules.expired(prefix, policy, now, zone)).as("%s", policy).isEqualTo(RetentionRules.expired(all, policy, now, zone));
      if (policy.keepDaily() + policy.keepWeekly() + policy.keepMonthly() == 0) {
        assertThat(backups().findExpiredWithoutKeepers(home, policy.maxBackups(), cutoff).stream()
            .map(e -> java.util.Map.entry(e.id(), e.beyondMaxBackups() ? "max_backups" : "max_age")).toList())
            .as("only the rows that go, read alone, %s", policy)
            .isEqualTo(RetentionRules.expired(all, policy, now, zone).stream().map(d -> java.util.Map.entry(d.backup().id(), d.rule())).toList());
      }
    }
  }

  /** The edges of the rules a policy without KEEP_* buckets leaves to the database: a pinned newest good backup, none good at all. */
  @Test
  public void retentionWithoutKeepersKeepsTheNewestGoodBackupEvenPinnedAndLetsSuspiciousOnesGoByAgeAlone() {
    instances().saveDefinition(aDefinition("HOME", "http://a"));
    instances().saveDefinition(aDefinition("LAB", "http://b"));
    long home = instances().findByEnvPrefix("HOME").orElseThrow().id();
    long lab = instances().findByEnvPrefix("LAB").orElseThrow().id();
    Instant t = Instant.parse("2026-10-01T03:00:00Z");
    Backup old = backups().insert(TestBackups.aSuccess(300, home, t));
    backups().insert(TestBackups.pinned(TestBackups.aSuccess(301, home, t.plusSeconds(60))));
    Backup odd = backups().insert(TestBackups.suspicious(TestBackups.aSuccess(302, home, t.plusSeconds(120))));
    Backup labOld = backups().insert(TestBackups.suspicious(TestBackups.aSuccess(303, lab, t)));
    Backup labNew = backups().insert(TestBackups.suspicious(TestBackups.aSuccess(304, lab, t.plusSeconds(60))));
    Instant cutoff = t.plus(java.time.Duration.ofDays(1));

    assertThat(backups().findExpiredWithoutKeepers(home, 1, cutoff))
        .containsExactly(BackupRepository.Expired.of(odd, false), BackupRepository.Expired.of(old, false));
    assertThat(backups().findExpiredWithoutKeepers(home, 1, null)).as("the pinned newest good one counts for nothing").isEmpty();
    assertThat(backups().findExpiredWithoutKeepers(lab, 1, cutoff)).as("no good backup: age alone")
        .containsExactly(BackupRepository.Expired.of(labNew, false), BackupRepository.Expired.of(labOld, false));
    assertThat(backups().findExpiredWithoutKeepers(lab, 1, null)).as("suspicious ones take no place in MAX_BACKUPS").isEmpty();
  }

  /** Off-site copies go to <prefix>/<folder>/: two names that reduce to one slug never share a folder, and a rename moves none. */
  @Test
  public void givesEachInstanceAFolderOfItsOwnAndKeepsItThroughARename() {
    InstanceRepository.SealedSecrets none = new InstanceRepository.SealedSecrets(null, null);
    long kitchen = instances().insertUnlessNameTaken(named("Кухня"), none).orElseThrow();
    long living = instances().insertUnlessNameTaken(named("Гостиная"), none).orElseThrow();
    long kuche = instances().insert(named("Küche"), none);
    long kuche2 = instances().insertUnlessNameTaken(named("Kuche"), none).orElseThrow();
    instances().saveDefinition(new InstanceDefinition("LAB", "KUCHE", "http://c", TlsTrust.SYSTEM, null, Schedule.DEFAULT,
        RetentionPolicy.DEFAULT, false, true));

    assertThat(slug(kitchen)).matches("pihole-[0-9a-f]{6}").isNotEqualTo(slug(living));
    assertThat(slug(living)).matches("pihole-[0-9a-f]{6}");
    assertThat(slug(kuche)).isEqualTo("kuche");
    assertThat(slug(kuche2)).isEqualTo("kuche-2");
    assertThat(instances().findByEnvPrefix("LAB").orElseThrow().slug()).isEqualTo("kuche-3");

    String before = slug(kitchen);
    assertThat(instances().updateUnlessNameTaken(kitchen, named("Kitchen"), new InstanceRepository.SecretChange(null, null, false, false)))
        .isTrue();
    instances().saveDefinition(new InstanceDefinition("LAB", "Lab", "http://c", TlsTrust.SYSTEM, null, Schedule.DEFAULT,
        RetentionPolicy.DEFAULT, false, true));
    assertThat(instances().findById(kitchen).orElseThrow().name()).isEqualTo("Kitchen");
    assertThat(slug(kitchen)).as("renamed, its copies stay where they are and its next ones go beside them").isEqualTo(before);
    assertThat(instances().findByEnvPrefix("LAB").orElseThrow().slug()).isEqualTo("kuche-3");
  }

  /** An instance re-created from its off-site copies keeps their folder, unless another instance holds it. */
  @Test
  public void storesAnInstanceWithTheFolderAskedForOnlyWhenNoInstanceHoldsIt() {
    InstanceRepository.SealedSecrets none = new InstanceRepository.SealedSecrets(null, null);
    long kept = instances().insertUnlessNameTaken(named("Кухня"), none, "pihole").orElseThrow();
    long other = instances().insertUnlessNameTaken(named("Гостиная"), none, "pihole").orElseThrow();

    assertThat(slug(kept)).isEqualTo("pihole");
    assertThat(slug(other)).matches("pihole-[0-9a-f]{6}");
    instances().markRemoved(kept);
    long again = instances().insertUnlessNameTaken(named("Кухня"), none, "pihole").orElseThrow();
    assertThat(slug(again)).as("a removed instance's copies stay: so does its folder").isNotEqualTo("pihole").matches("pihole-[0-9a-f]{6}");
  }

  private static InstanceDefinition named(String name) {
    return new InstanceDefinition(null, name, "http://10.0.0.7", TlsTrust.SYSTEM, null, Schedule.DEFAULT, RetentionPolicy.DEFAULT, false, true);
  }

  private String slug(long id) {
    return instances().findById(id).orElseThrow().slug();
  }

  @Test
  public void roundTripsAnInstanceDefinition() {
    InstanceDefinition definition = new InstanceDefinition("HOME_OFFICE", "Home Office", "https://10.0.0.2/pihole",
        TlsTrust.fingerprint("ab".repeat(32)), 90, new Schedule(Schedule.Kind.WEEKLY, LocalTime.of(4, 5), DayOfWeek.FRIDAY, null),
        new RetentionPolicy(7, 0, 3, 2, 1), true, false);

    instances().saveDefinition(definition);

    PiholeInstance stored = instances().findByEnvPrefix("HOME_OFFICE").orElseThrow();
    assertThat(stored.name()).isEqualTo("Home Office");
    assertThat(stored.slug()).isEqualTo("home-office");
    assertThat(stored.url()).isEqualTo("https://10.0.0.2/pihole");
    assertThat(stored.tls()).isEqualTo(definition.tls());
    assertThat(stored.timeoutSeconds()).isEqualTo(90);
    assertThat(stored.skipUnchanged()).isTrue();
    assertThat(stored.schedule()).isEqualTo(definition.schedule());
    assertThat(stored.retention()).isEqualTo(definition.retention());
    assertThat(stored.active()).isFalse();
    assertThat(stored.status()).isEqualTo(PiholeInstance.Status.UNKNOWN);
  }

  @Test
  public void updatesAnExistingPrefixInPlaceAndKeepsItsStatus() {
    instances().saveDefinition(aDefinition("HOME", "http://a"));
    long id = instances().findByEnvPrefix("HOME").orElseThrow().id();
    PiholeInstance.Status ok = new PiholeInstance.Status(ConnectionStatus.OK, null, Instant.parse("2026-11-27T03:00:00Z"), "v6.4.1", 3);
    instances().updateStatus(id, ok);

    instances().saveDefinition(aDefinition("HOME", "http://b"));

    assertThat(instances().findAll()).singleElement().satisfies(i -> {
      assertThat(i.id()).isEqualTo(id);
      assertThat(i.url()).isEqualTo("http://b");
      assertThat(i.status()).isEqualTo(ok);
    });
  }

  @Test
  public void marksMissingPrefixesRemovedAndRevivesThem() {
    instances().saveDefinition(aDefinition("HOME", "http://a"));
    instances().saveDefinition(aDefinition("OFFICE", "http://b"));

    instances().markRemovedUnlessIn(List.of("HOME"));
    assertThat(instances().findByEnvPrefix("OFFICE").orElseThrow().removed()).isTrue();
    assertThat(instances().findByEnvPrefix("HOME").orElseThrow().removed()).isFalse();

    instances().markRemovedUnlessIn(List.of());
    assertThat(instances().findAll()).allMatch(PiholeInstance::removed);

    instances().saveDefinition(aDefinition("OFFICE", "http://b"));
    assertThat(instances().findByEnvPrefix("OFFICE").orElseThrow().removed()).isFalse();
  }

  @Test
  public void marksAnInstanceRemovedOnceAndSaysASecondMarkWroteNothing() {
    instances().saveDefinition(aDefinition("HOME", "http://a"));
    long id = instances().findByEnvPrefix("HOME").orElseThrow().id();
    long changes = instances().changes();

    boolean first = instances().markRemoved(id);
    boolean second = instances().markRemoved(id);

    assertThat(first).isTrue();
    assertThat(second).as("removed already: a second delete keeping the backups finds nothing to delete").isFalse();
    assertThat(instances().changes()).as("one change").isEqualTo(changes + 1);
    assertThat(instances().findById(id).orElseThrow().removed()).isTrue();
  }

  @Test
  public void storesBackupsWithTheirArchiveFactsAndListsThemNewestFirst() {
    instances().saveDefinition(aDefinition("HOME", "http://a"));
    long id = instances().findAll().get(0).id();
    Instant t = Instant.parse("2026-11-27T03:00:00Z");
    Backup older = backups().insert(TestBackups.aSuccess(0, id, t));
    Backup failed = backups().insert(TestBackups.aFailure(0, id, t.plusSeconds(60)));

    assertThat(backups().findByInstance(id, 10)).containsExactly(failed, older);
    assertThat(backups().findByInstance(id, 1)).containsExactly(failed);
    assertThat(backups().findLatest()).contains(failed);
    assertThat(backups().stats(id).lastSuccessAt()).isEqualTo(older.finishedAt());
    assertThat(backups().findExpiredFailures(id, t.plusSeconds(3600))).as("the newest failure stays").isEmpty();
    assertThat(backups().findById(older.id()).orElseThrow().archive()).isEqualTo(older.archive());
    assertThat(backups().findByFileName(older.fileName())).contains(older);
    assertThat(backups().findByFileName("home_20200101T000000Z_x.zip")).isEmpty();

    backups().delete(older.id());
    assertThat(backups().findSuccessful(id)).isEmpty();
  }

  @Test
  public void countsARunThatFoundThePiholeUnchangedAsItsLastSuccessAndLastRun() {
    instances().saveDefinition(aDefinition("HOME", "http://a"));
    long id = instances().findAll().get(0).id();
    Instant t = Instant.parse("2026-11-27T03:00:00Z");
    Backup kept = backups().insert(TestBackups.aSuccess(0, id, t));
    backups().insert(TestBackups.aFailure(0, id, t.plusSeconds(60)));
    Instant seen = t.plusSeconds(3600);

    backups().markStillCurrent(kept.id(), seen);

    assertThat(backups().stats(id).lastSuccessAt()).as("the run that found it unchanged is a success at its own time").isEqualTo(seen);
    assertThat(backups().statsPerInstance().get(id).lastSuccessAt()).isEqualTo(seen);
    var totals = backups().totalsPerInstance().get(id);
    assertThat(totals.lastSuccessAt()).isEqualTo(seen);
    assertThat(totals.lastStatus()).as("that run came after the failure").isEqualTo(Backup.Status.SUCCESS);
    assertThat(totals.lastSuccessBytes()).isEqualTo(kept.archive().sizeBytes());
    assertThat(backups().findLatest().orElseThrow().id()).isEqualTo(kept.id());
    assertThat(backups().findLastVerdict(id).orElseThrow().id()).isEqualTo(kept.id());
  }

  @Test
  public void updatesPinStillCurrentMissingAndVerifyState() {
    instances().saveDefinition(aDefinition("HOME", "http://a"));
    long id = instances().findAll().get(0).id();
    Instant t = Instant.parse("2026-11-27T03:00:00Z");
    long backup = backups().insert(TestBackups.aSuccess(0, id, t)).id();

    backups().setPinned(backup, true);
    backups().markStillCurrent(backup, t.plusSeconds(3600));
    backups().setFileMissing(backup, true);
    backups().setVerifyError(backup, "changed on disk");

    Backup stored = backups().findById(backup).orElseThrow();
    assertThat(stored.pinned()).isTrue();
    assertThat(stored.stillCurrentAt()).isEqualTo(t.plusSeconds(3600));
    assertThat(stored.fileMissing()).isTrue();
    assertThat(stored.verifyError()).isEqualTo("changed on disk");
    assertThat(backups().countFileProblems()).isEqualTo(new io.piholecheckpoint.core.backup.catalog.BackupRepository.FileProblems(1, 0, backup, null));
  }

  @Test
  public void claimsOnlyRowsNeitherPinnedNorClaimedAndAClaimedRowCannotBePinned() {
    instances().saveDefinition(aDefinition("HOME", "http://a"));
    long id = instances().findAll().get(0).id();
    Instant t = Instant.parse("2026-11-27T03:00:00Z");
    long pinned = backups().insert(TestBackups.aSuccess(1, id, t)).id();
    long free = backups().insert(TestBackups.aSuccess(2, id, t.plusSeconds(60))).id();
    assertThat(backups().setPinned(pinned, true)).isTrue();

    assertThat(backups().claimForDeletion(java.util.List.of(pinned, free, 9999L))).containsExactly(free);
    assertThat(backups().claimForDeletion(java.util.List.of(free))).isEmpty();
    assertThat(backups().setPinned(free, true)).isFalse();
    assertThat(backups().findById(free).orElseThrow()).satisfies(b -> {
      assertThat(b.deleting()).isTrue();
      assertThat(b.pinned()).isFalse();
    });
    assertThat(backups().findClaimedForDeletion()).extracting(Backup::id).containsExactly(free);

    backups().releaseDeletion(free);
    assertThat(backups().setPinned(free, true)).isTrue();
    assertThat(backups().findClaimedForDeletion()).isEmpty();
    assertThat(backups().setPinned(9999L, true)).isFalse();
  }

  /** Outsider 42: two uploads and MAX_BACKUPS=1 left an upload of another Pi-hole the only backup kept. */
  @Test
  public void retentionKeepsTheNewestBackupTakenFromThePiholeWhateverWasUploadedSince() {
    instances().saveDefinition(aDefinition("HOME", "http://a"));
    long home = instances().findByEnvPrefix("HOME").orElseThrow().id();
    Instant t = Instant.parse("2026-11-27T03:00:00Z");
    Backup older = backups().insert(TestBackups.aSuccess(1, home, t));
    backups().insert(TestBackups.aSuccess(2, home, t.plusSeconds(60))); // the newest taken from the Pi-hole: kept
    Backup upload = backups().insert(TestBackups.imported(TestBackups.aSuccess(3, home, t.plusSeconds(120))));
    backups().insert(TestBackups.imported(TestBackups.aSuccess(4, home, t.plusSeconds(180))));
    RetentionPolicy one = new RetentionPolicy(1, 0);

    assertThat(backups().findExpiredWithoutKeepers(home, 1, null)).as("the database's rules")
        .containsExactly(BackupRepository.Expired.of(upload, true), BackupRepository.Expired.of(older, true));
    assertThat(RetentionRules.expired(backups().findSuccessful(home), one, t.plusSeconds(240), java.time.ZoneOffset.UTC))
        .as("the rules with KEEP_* buckets").extracting(d -> d.backup().id()).containsExactly(upload.id(), older.id());
  }

  /** Outsider 47b (F3): an interrupted safety backup, last on record, kept a Test from clearing a status it never found. */
  @Test
  public void theLastVerdictOnAPiholePassesOverRunsCutOffByOurStopAndArchivesNotTakenFromItNow() {
    instances().saveDefinition(aDefinition("HOME", "http://a"));
    long home = instances().findByEnvPrefix("HOME").orElseThrow().id();
    Instant t = Instant.parse("2026-11-27T03:00:00Z");
    Backup failed = backups().insert(TestBackups.aFailure(1, home, t));
    backups().insert(new Backup(2, home, Backup.Status.FAILED, Backup.Trigger.SAFETY, null, "interrupted", "interrupted safety backup",
        t.plusSeconds(60), t.plusSeconds(60), null, false, false, false, null));
    backups().insert(new Backup(3, home, Backup.Status.FAILED, Backup.Trigger.MANUAL, null, "interrupted", "interrupted",
        t.plusSeconds(120), t.plusSeconds(120), null, false, false, false, null));
    backups().insert(new Backup(4, home, Backup.Status.FAILED, Backup.Trigger.SCHEDULED, null, "cancelled", "stopping",
        t.plusSeconds(180), t.plusSeconds(180), null, false, false, false, null));
    Backup recovered = TestBackups.aSuccess(5, home, t.plusSeconds(240));
    backups().insert(new Backup(5, home, recovered.status(), Backup.Trigger.RECOVERED, recovered.archive(), null, null, recovered.startedAt(),
        recovered.finishedAt(), null, false, false, false, null));
    Backup adopted = TestBackups.aSuccess(6, home, t.plusSeconds(300));
    backups().insert(new Backup(6, home, adopted.status(), Backup.Trigger.OFFSITE, adopted.archive(), null, null, adopted.startedAt(),
        adopted.finishedAt(), null, false, false, false, null));

    assertThat(backups().findLastVerdict(home)).as("the last run that found something").contains(failed);

    Backup safety = backups().insert(new Backup(7, home, Backup.Status.FAILED, Backup.Trigger.SAFETY, null, "wrong_password", "refused",
        t.plusSeconds(360), t.plusSeconds(360), null, false, false, false, null));
    assertThat(backups().findLastVerdict(home)).as("a safety backup that failed at the Pi-hole says so").contains(safety);
  }

  @Test
  public void anImportedArchiveIsKeptButIsNoBackupTakenFromThePihole() {
    instances().saveDefinition(aDefinition("HOME", "http://a"));
    instances().saveDefinition(aDefinition("NEVER", "http://b"));
    long home = instances().findByEnvPrefix("HOME").orElseThrow().id();
    long never = instances().findByEnvPrefix("NEVER").orElseThrow().id();
    Instant t = Instant.parse("2026-11-27T03:00:00Z");
    Backup taken = backups().insert(TestBackups.aSuccess(1, home, t));
    Backup failed = backups().insert(TestBackups.aFailure(2, home, t.plusSeconds(60)));
    Backup upload = backups().insert(TestBackups.imported(TestBackups.aSuccess(3, home, t.plusSeconds(120))));
    backups().insert(TestBackups.imported(TestBackups.aSuccess(4, never, t.plusSeconds(180))));

    assertThat(backups().findSuccessful(home)).as("listed").contains(upload);
    assertThat(backups().stats(home).backups()).as("kept, and counted among the backups kept").isEqualTo(2);
    assertThat(backups().stats(home).lastSuccessAt()).as("an upload is no success of the Pi-hole's").isEqualTo(taken.finishedAt());
    assertThat(backups().stats(never).lastSuccessAt()).as("never backed up from its Pi-hole").isNull();
    assertThat(backups().statsPerInstance().get(never).lastSuccessAt()).isNull();
    assertThat(backups().findLatest()).as("the last backup taken from a Pi-hole").contains(failed);
    assertThat(backups().findLastVerdict(home)).contains(failed);
    assertThat(backups().findLastVerdict(never)).as("only an upload").isEmpty();
    var totals = backups().totalsPerInstance();
    assertThat(totals.get(home).lastSuccessAt()).isEqualTo(taken.finishedAt());
    assertThat(totals.get(home).lastStatus()).isEqualTo(Backup.Status.FAILED);
    assertThat(totals.get(home).lastSuccessBytes()).isEqualTo(taken.archive().sizeBytes());
    assertThat(totals.get(never).lastSuccessAt()).isNull();
    assertThat(totals.get(never).lastStatus()).as("none yet").isNull();
  }

  @Test
  public void aggregatesTotalsAndRecentSizesPerInstanceInOneQueryEach() {
    instances().saveDefinition(aDefinition("HOME", "http://a"));
    instances().saveDefinition(aDefinition("OFFICE", "http://b"));
    instances().saveDefinition(aDefinition("NEW", "http://c"));
    long home = instances().findByEnvPrefix("HOME").orElseThrow().id();
    long office = instances().findByEnvPrefix("OFFICE").orElseThrow().id();
    Instant t = Instant.parse("2026-11-27T03:00:00Z");
    Backup first = backups().insert(TestBackups.aSuccess(1, home, t));
    Backup second = backups().insert(TestBackups.aSuccess(2, home, t.plusSeconds(60)));
    backups().insert(TestBackups.aFailure(3, home, t.plusSeconds(120)));
    Backup officeOnly = backups().insert(TestBackups.aSuccess(4, office, t));

    var totals = backups().totalsPerInstance();
    long fresh = instances().findByEnvPrefix("NEW").orElseThrow().id();
    var sizes = backups().recentSizesPerInstance(List.of(home, office, fresh), 1);

    assertThat(totals.get(home)).isEqualTo(new io.piholecheckpoint.core.backup.catalog.BackupRepository.Totals(home, 2, 1,
        first.archive().sizeBytes() + second.archive().sizeBytes(), second.finishedAt(), Backup.Status.FAILED, second.archive().sizeBytes()));
    assertThat(totals.get(office).lastStatus()).isEqualTo(Backup.Status.SUCCESS);
    assertThat(sizes.get(home)).containsExactly(second.archive().sizeBytes());
    assertThat(sizes.get(office)).containsExactly(officeOnly.archive().sizeBytes());
    assertThat(backups().recentSizesPerInstance(List.of(home), 5).get(home)).containsExactly(second.archive().sizeBytes(), first.archive().sizeBytes());
    assertThat(sizes.getOrDefault(fresh, List.of())).as("no archive, no size").isEmpty();
  }

  @Test
  public void readsTheRecentAttemptsOfOnlyTheInstancesAskedFor() {
    instances().saveDefinition(aDefinition("HOME", "http://a"));
    instances().saveDefinition(aDefinition("OFFICE", "http://b"));
    long home = instances().findByEnvPrefix("HOME").orElseThrow().id();
    long office = instances().findByEnvPrefix("OFFICE").orElseThrow().id();
    Instant t = Instant.parse("2026-11-27T03:00:00Z");
    Backup first = backups().insert(TestBackups.aSuccess(1, home, t));
    Backup second = backups().insert(TestBackups.aFailure(2, home, t.plusSeconds(60)));
    backups().insert(TestBackups.aSuccess(3, office, t));

    var recent = backups().findRecentPerInstance(List.of(home), 5);
    var sizes = backups().recentSizesPerInstance(List.of(office), 5);

    assertThat(recent.keySet()).containsExactly(home);
    assertThat(recent.get(home)).extracting(Backup::id).containsExactly(second.id(), first.id());
    assertThat(sizes.keySet()).containsExactly(office);
    assertThat(backups().findRecentPerInstance(List.of(), 5)).as("a page without instances asks nothing").isEmpty();
  }

  @Test
  public void listsHistoryByWhenItFinishedThenByIdSoRunsEndingInTheSameSecondAndAdoptedOnesKeepOneStableOrder() {
    instances().saveDefinition(aDefinition("HOME", "http://a"));
    long home = instances().findByEnvPrefix("HOME").orElseThrow().id();
    Instant t = Instant.parse("2026-11-27T03:00:00Z");
    Backup a = backups().insert(TestBackups.aSuccess(1, home, t.plusSeconds(60)));
    Backup b = backups().insert(TestBackups.aFailure(2, home, t.plusSeconds(60))); // ended in the same second as a
    Backup c = backups().insert(TestBackups.aSuccess(3, home, t.plusSeconds(120)));
    Backup adopted = backups().insert(TestBackups.aSuccess(4, home, t)); // inserted last, finished first (an off-site adoption)
    List<Long> order = List.of(c.id(), b.id(), a.id(), adopted.id());

    List<Long> firstPage = backups().findPage(home, new BackupRepository.Page(null, null, null, 2)).stream().map(Backup::id).toList();
    List<Long> secondPage = backups().findPage(home, new BackupRepository.Page(firstPage.get(1), null, null, 2)).stream().map(Backup::id).toList();
    List<Long> all = backups().findPage(home, new BackupRepository.Page(null, null, null, 10)).stream().map(Backup::id).toList();

    assertThat(all).isEqualTo(order);
    assertThat(firstPage).isEqualTo(order.subList(0, 2));
    assertThat(secondPage).as("the cursor takes up after the row it names, in the same order").isEqualTo(order.subList(2, 4));
    assertThat(backups().findRecentPerInstance(List.of(home), 3).get(home)).extracting(Backup::id).isEqualTo(order.subList(0, 3));
    assertThat(backups().findByInstance(home, 10)).extracting(Backup::id).isEqualTo(order);
  }

  @Test
  public void readsAtMostTheNewestAttemptsAskedForOfEachInstanceOfAPage() {
    instances().saveDefinition(aDefinition("HOME", "http://a"));
    instances().saveDefinition(aDefinition("OFFICE", "http://b"));
    instances().saveDefinition(aDefinition("CABIN", "http://c"));
    long home = instances().findByEnvPrefix("HOME").orElseThrow().id();
    long office = instances().findByEnvPrefix("OFFICE").orElseThrow().id();
    long cabin = instances().findByEnvPrefix("CABIN").orElseThrow().id();
    Instant t = Instant.parse("2026-11-27T03:00:00Z");
    List<Long> homeIds = new java.util.ArrayList<>();
    List<Long> officeIds = new java.util.ArrayList<>();
    for (int n = 1; n <= 5; n++) { // interleaved, as nodes backing up at once write them
      homeIds.add(0, backups().insert(n % 2 == 0 ? TestBackups.aFailure(n, home, t.plusSeconds(n)) : TestBackups.aSuccess(n, home, t.plusSeconds(n))).id());
      backups().insert(TestBackups.aSuccess(100 + n, cabin, t.plusSeconds(n)));
      if (n <= 2) {
        officeIds.add(0, backups().insert(TestBackups.aSuccess(200 + n, office, t.plusSeconds(n))).id());
      }
    }

    var recent = backups().findRecentPerInstance(List.of(office, home), 3);

    assertThat(recent.keySet()).as("only the page's instances").containsExactlyInAnyOrder(home, office);
    assertThat(recent.get(home)).extracting(Backup::id).as("the newest three, newest first").containsExactlyElementsOf(homeIds.subList(0, 3));
    assertThat(recent.get(office)).extracting(Backup::id).as("fewer than asked: all of them").containsExactlyElementsOf(officeIds);
  }

  @Test
  public void sizeHistoryHasTheNewestAttemptsOfOneInstanceWithASizeOnlyForSuccesses() {
    instances().saveDefinition(aDefinition("HOME", "http://a"));
    instances().saveDefinition(aDefinition("OFFICE", "http://b"));
    long home = instances().findByEnvPrefix("HOME").orElseThrow().id();
    long office = instances().findByEnvPrefix("OFFICE").orElseThrow().id();
    Instant t = Instant.parse("2026-11-27T03:00:00Z");
    backups().insert(TestBackups.aSuccess(1, home, t));
    Backup second = backups().insert(TestBackups.aSuccess(2, home, t.plusSeconds(60)));
    Backup failed = backups().insert(TestBackups.aFailure(3, home, t.plusSeconds(120)));
    backups().insert(TestBackups.aSuccess(4, office, t.plusSeconds(180)));

    assertThat(backups().sizeHistory(home, 2)).containsExactly(
        new io.piholecheckpoint.core.backup.catalog.BackupRepository.SizePoint(failed.finishedAt(), null),
        new io.piholecheckpoint.core.backup.catalog.BackupRepository.SizePoint(second.finishedAt(), second.archive().sizeBytes()));
    assertThat(backups().sizeHistory(home, 100)).hasSize(3);
  }
  /**
   * Node a, taken for dead, had its run recorded as interrupted by another node, and then finished it: the end it records
   * replaces that record. Another run's interrupted record (another start, node or instance) stays.
   */
  @Test
  public void aRunsEndReplacesTheInterruptedRecordOfTheSameRunAlone() {
    instances().saveDefinition(aDefinition("HOME", "http://a"));
    instances().saveDefinition(aDefinition("LAB", "http://b"));
    long home = instances().findByEnvPrefix("HOME").orElseThrow().id();
    long lab = instances().findByEnvPrefix("LAB").orElseThrow().id();
    Instant started = Instant.parse("2026-11-01T03:00:00.123456Z");
    // as another node records them: each under its run's key (records from before keys got theirs in a migration)
    Backup earlierRun = backups().insertInterrupted(interrupted(home, started.minusSeconds(86_400), "a")).orElseThrow();
    Backup otherNode = backups().insertInterrupted(interrupted(home, started, "b")).orElseThrow();
    Backup otherInstance = backups().insertInterrupted(interrupted(lab, started, "a")).orElseThrow();
    backups().insertInterrupted(interrupted(home, started, "a")).orElseThrow();

    Backup end = backups().insertEnd(TestBackups.aSuccess(0, home, started).ranBy("a"));

    assertThat(backups().findByInstance(home, 10)).extracting(Backup::id).containsExactlyInAnyOrder(end.id(), earlierRun.id(), otherNode.id());
    assertThat(backups().findByInstance(lab, 10)).extracting(Backup::id).containsExactly(otherInstance.id());
  }

  /** Its marker was claimed by another node, and the run's node recorded the end before that node recorded it interrupted. */
  @Test
  public void aRunWhoseEndIsOnRecordIsNotRecordedInterruptedToo() {
    instances().saveDefinition(aDefinition("HOME", "http://a"));
    long home = instances().findByEnvPrefix("HOME").orElseThrow().id();
    Instant started = Instant.parse("2026-11-01T03:00:00.123456Z");
    Backup end = backups().insertEnd(TestBackups.aSuccess(0, home, started).ranBy("a"));

    assertThat(backups().insertInterrupted(interrupted(home, started, "a"))).isEmpty();
    Backup otherNode = backups().insertInterrupted(interrupted(home, started, "b")).orElseThrow();
    Backup laterRun = backups().insertInterrupted(interrupted(home, started.plusSeconds(86_400), "a")).orElseThrow();

    assertThat(backups().findByInstance(home, 10)).extracting(Backup::id).containsExactlyInAnyOrder(end.id(), otherNode.id(), laterRun.id());
    assertThat(backups().findById(laterRun.id()).orElseThrow().errorCode()).isEqualTo("interrupted");
  }

  private static Backup interrupted(long instanceId, Instant started, String node) {
    return Backup.failed(instanceId, Backup.Trigger.SCHEDULED, "interrupted", "interrupted: node " + node + " stopped during this backup",
        started, started.plusSeconds(90)).ranBy(node);
  }
}
