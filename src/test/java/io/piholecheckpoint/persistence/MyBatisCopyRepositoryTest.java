package io.piholecheckpoint.persistence;

import static org.assertj.core.api.Assertions.assertThat;

import io.piholecheckpoint.core.backup.catalog.Backup;
import io.piholecheckpoint.core.offsite.queue.Copy;
import io.piholecheckpoint.testing.MigratedDatabase;
import io.piholecheckpoint.testing.TestBackups;
import io.piholecheckpoint.testing.TestDialects;
import io.piholecheckpoint.testing.TestInstances;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.ArgumentsSource;

/** The off-site queue's reads for pages, on the real schema. */
@ParameterizedClass
@ArgumentsSource(TestDialects.class)
class MyBatisCopyRepositoryTest {
  @Parameter
  Dialect dialect;

  private static final Instant NOW = Instant.parse("2026-12-03T03:00:00Z");
  @TempDir
  Path dir;
  private Database database;

  @AfterEach
  void close() {
    if (database != null) {
      database.close();
    }
  }

  private static Copy copy(long backupId, String destination) {
    return Copy.queued(backupId, 1, destination, "home_" + backupId + ".zip", "home/home_" + backupId + ".zip.gpg", NOW, NOW);
  }

  @Test
  void anAdoptedCopyIsStoredCopiedAndDueWithoutAnUploadTimeAndItsBackupIsNotMissingWhileItWaits() {
    database = MigratedDatabase.open(dialect, dir);
    MyBatisCopyRepository copies = new MyBatisCopyRepository(database);
    MyBatisBackupRepository backups = new MyBatisBackupRepository(database);
    MyBatisInstanceRepository instances = new MyBatisInstanceRepository(database, java.time.Clock.fixed(NOW, java.time.ZoneOffset.UTC));
    instances.saveDefinition(TestInstances.aDefinition("HOME", "http://a"));
    long home = instances.findAll().get(0).id();
    Backup backup = backups.insert(TestBackups.aSuccess(0, home, NOW));
    backups.setFileMissing(backup.id(), true); // adopted: its archive is at the destination only

    copies.adopt(Copy.adopted(backup.id(), home, "NAS", backup.fileName(), "home/" + backup.fileName(), NOW, 20, "ab".repeat(32), NOW), true);

    Copy stored = copies.findByBackup(backup.id()).get(0);
    assertThat(stored.state()).isEqualTo(Copy.State.COPIED);
    assertThat(stored.copiedAt()).isNull();
    assertThat(stored.verifiedAt()).isNull();
    assertThat(stored.awaitingReadBack()).isTrue();
    assertThat(copies.findDue(List.of("NAS"), NOW, 50)).extracting(Copy::id).containsExactly(stored.id());
    assertThat(backups.countFileProblems().missing()).as("kept at the destination, to be read back").isZero();

    copies.markDamaged(stored.id(), "failed verification", NOW, null);

    assertThat(copies.findByBackup(backup.id()).get(0).awaitingReadBack()).isFalse();
    assertThat(backups.countFileProblems().missing()).isEqualTo(1);
  }

  @Test
  void readsTheCopiesOfAPageOfBackupsAtOnceByBackupAndDestination() {
    database = MigratedDatabase.open(dialect, dir);
    MyBatisCopyRepository copies = new MyBatisCopyRepository(database);
    copies.enqueue(List.of(copy(1, "NAS"), copy(1, "B2"), copy(2, "NAS"), copy(3, "B2"), copy(3, "NAS")));

    Map<Long, List<Copy>> read = copies.findByBackups(List.of(3L, 1L, 99L));

    assertThat(read).containsOnlyKeys(1L, 3L);
    assertThat(read.get(1L)).extracting(Copy::destination).containsExactly("B2", "NAS");
    assertThat(read.get(3L)).extracting(Copy::destination).containsExactly("B2", "NAS");
    assertThat(read.get(3L)).extracting(Copy::backupId).containsOnly(3L);
    assertThat(copies.findByBackups(List.of())).isEmpty();
  }

  @Test
  void aDestinationThatMovedDropsItsCopyRecordsAndCatchUpMarksOnlyThere() {
    database = MigratedDatabase.open(dialect, dir);
    MyBatisCopyRepository copies = new MyBatisCopyRepository(database);
    copies.catchUp("NAS", 1, List.of(copy(1, "NAS"), copy(2, "NAS")), 2, NOW);
    copies.catchUp("B2", 1, List.of(copy(1, "B2")), 1, NOW);

    assertThat(copies.moveTo("NAS", "file:///mnt/nas", NOW)).as("first seen: its records are of that place").isEmpty();
    assertThat(copies.moveTo("NAS", "file:///mnt/nas", NOW)).isEmpty();
    assertThat(copies.findByBackup(1)).hasSize(2);

    assertThat(copies.moveTo("NAS", "file:///mnt/usb", NOW)).contains("file:///mnt/nas");

    assertThat(copies.findByBackup(1)).extracting(Copy::destination).containsExactly("B2");
    assertThat(copies.findByBackup(2)).isEmpty();
    assertThat(copies.caughtUpThrough("NAS", 1)).as("the catch-up considers its backups again").isEmpty();
    assertThat(copies.caughtUpThrough("B2", 1)).contains(1L);
    assertThat(copies.moveTo("NAS", "file:///mnt/usb", NOW)).isEmpty();
  }

  @Test
  void theBackupsWithCopiesGivenUpAreThoseSendAgainQueuesAgain() {
    database = MigratedDatabase.open(dialect, dir);
    MyBatisCopyRepository copies = new MyBatisCopyRepository(database);
    copies.enqueue(List.of(copy(1, "NAS"), copy(1, "B2"), copy(2, "NAS"), copy(3, "NAS")));
    Map<Long, List<Copy>> queued = copies.findByBackups(List.of(1L, 2L, 3L));
    copies.markFailed(queued.get(1L).get(0).id(), "its local archive is gone", NOW, null);
    copies.markFailed(queued.get(2L).get(0).id(), "unreachable", NOW, NOW.plusSeconds(60));

    assertThat(copies.givenUpBackups()).containsExactly(1L);
    assertThat(copies.sendAgain(1, NOW)).isEqualTo(1);
    assertThat(copies.givenUpBackups()).isEmpty();
  }
}
