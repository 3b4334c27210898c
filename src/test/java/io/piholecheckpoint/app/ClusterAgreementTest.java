package io.piholecheckpoint.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.piholecheckpoint.core.archive.ArchiveCipher;
import io.piholecheckpoint.core.archive.ArchiveStorageException;
import io.piholecheckpoint.core.archive.ArchiveStore;
import io.piholecheckpoint.core.gateway.PiholeVersions;
import io.piholecheckpoint.core.health.ClockSkew;
import io.piholecheckpoint.persistence.ClusterSettings;
import io.piholecheckpoint.persistence.Database;
import io.piholecheckpoint.persistence.Dialect;
import io.piholecheckpoint.storage.LocalArchiveStore;
import io.piholecheckpoint.teleporter.TeleporterInspector;
import io.piholecheckpoint.testing.Fixtures;
import io.piholecheckpoint.testing.MigratedDatabase;
import io.piholecheckpoint.core.offsite.remote.DestinationException;
import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.condition.EnabledIf;

/**
 * A node that would keep its archives where the others do not look, or move the shared schedule, is refused while
 * others run; alone, it sets what the cluster has from then on. Real PostgreSQL, real folders as the stores.
 */
@EnabledIf(value = "io.piholecheckpoint.testing.TestDialects#postgresql", disabledReason = "PostgreSQL's tests run in the integration phase")
class ClusterAgreementTest {
  private static final Duration NONE = Duration.ZERO;
  private static final Instant AT = Instant.parse("2026-12-08T03:00:00Z");

  @TempDir
  Path dir;
  private Database database;
  private ClusterSettings settings;
  private Path shared;
  private Path elsewhere;

  @BeforeEach
  void open() throws Exception {
    database = MigratedDatabase.open(Dialect.POSTGRESQL, dir.resolve("db"));
    settings = new ClusterSettings(database);
    shared = Files.createDirectories(dir.resolve("shared"));
    elsewhere = Files.createDirectories(dir.resolve("elsewhere"));
  }

  @AfterEach
  void close() {
    database.close();
  }

  private ClusterAgreement.StoreMark store(Path folder) {
    return new StorageSettings(null, null, 0, List.of()).mark(folder);
  }

  private void start(Duration spread, Path store, String... running) {
    new ClusterAgreement(settings).require(spread, store(store), List.of(running));
  }

  @Test
  void nodesWithOneSpreadAndOneStoreStartSideBySide() throws Exception {
    start(Duration.ofHours(6), shared);
    start(Duration.ofHours(6), shared, "node-a");

    assertThat(settings.find(ClusterAgreement.SPREAD)).contains("PT6H");
    assertThat(Files.readString(shared.resolve(StorageSettings.MARK))).isEqualTo(settings.find(ClusterAgreement.STORE_ID).orElseThrow());
  }

  @Test
  void aNodeWithAnotherSpreadIsRefusedWhileOthersRunAndChangesNothing() {
    start(NONE, shared);

    assertThatThrownBy(() -> start(Duration.ofHours(6), shared, "node-a", "node-b"))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("SCHEDULE_SPREAD is 6h on this node but none on the nodes running (node-a, node-b)")
        .hasMessageContaining("Set SCHEDULE_SPREAD=none here");
    assertThat(settings.find(ClusterAgreement.SPREAD)).contains("PT0S");
  }

  @Test
  void aNodeInAnotherTimeZoneIsRefusedWhileOthersRunAndChangesNothing() {
    ClusterAgreement agreement = new ClusterAgreement(settings);
    agreement.requireTimeZone(ZoneId.of("UTC"), List.of());
    agreement.requireTimeZone(ZoneId.of("UTC"), List.of("node-a"));

    assertThatThrownBy(() -> agreement.requireTimeZone(ZoneId.of("Europe/Berlin"), List.of("node-a", "node-b")))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("TIME_ZONE is Europe/Berlin on this node but UTC on the nodes running (node-a, node-b)")
        .hasMessageContaining("Set TIME_ZONE=UTC here");
    assertThat(settings.find(ClusterAgreement.TIME_ZONE)).contains("UTC");
  }

  @Test
  void aNodeStartingAloneChangesTheTimeZoneForTheCluster() {
    ClusterAgreement agreement = new ClusterAgreement(settings);
    agreement.requireTimeZone(ZoneId.of("UTC"), List.of());

    agreement.requireTimeZone(ZoneId.of("Europe/Berlin"), List.of());

    assertThat(settings.find(ClusterAgreement.TIME_ZONE)).contains("Europe/Berlin");
    agreement.requireTimeZone(ZoneId.of("Europe/Berlin"), List.of("node-a"));
  }

  @Test
  void aNodeWhoseClockIsAheadOfTheDatabaseServersIsRefusedSayingToFixTheClock() {
    ClockSkew ahead = new ClockSkew(Clock.offset(Clock.systemUTC(), Duration.ofSeconds(40)), settings::databaseTime);

    assertThatThrownBy(ahead::require)
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("This node's clock is 40.0 s ahead of the database server's")
        .hasMessageContaining("more than 3.75 s apart they take live nodes for dead")
        .hasMessageContaining("Fix this machine's clock (run NTP");
    assertThatThrownBy(new ClockSkew(Clock.offset(Clock.systemUTC(), Duration.ofSeconds(-8)), settings::databaseTime)::require)
        .hasMessageContaining("8.0 s behind the database server's");
  }

  @Test
  void aNodeWhoseClockAgreesWithTheDatabaseServersWithinTheToleranceStartsAndShowsTheSkew() {
    ClockSkew close = new ClockSkew(Clock.offset(Clock.systemUTC(), Duration.ofSeconds(2)), settings::databaseTime);

    close.require();

    assertThat(close.latest()).isBetween(Duration.ofMillis(1500), Duration.ofMillis(2500));
  }

  @Test
  void aNodeWhoseSessionKeyDiffersIsRefusedWhileOthersRunSayingWhatDiffersAndStoresNoKey() {
    ClusterAgreement agreement = new ClusterAgreement(settings);
    agreement.requireSessions("digest-a", true, List.of());
    agreement.requireSessions("digest-a", true, List.of("node-a"));

    assertThatThrownBy(() -> agreement.requireSessions("digest-b", true, List.of("node-a")))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("would not accept the sign-ins of the nodes running (node-a)")
        .hasMessageContaining("its APP_PASSWORD differs from theirs")
        .hasMessageContaining("Give every node the same APP_PASSWORD (or APP_PASSWORD_FILE) and SESSION_SECRET");
    assertThatThrownBy(() -> agreement.requireSessions("digest-c", false, List.of("node-a")))
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("APP_PASSWORD is set on them but not here");
    assertThat(settings.find(ClusterAgreement.SESSIONS)).as("a digest, with whether a password made it").contains("password:digest-a");
  }

  @Test
  void aNodeStartingAloneChangesTheSessionKeyForTheCluster() {
    ClusterAgreement agreement = new ClusterAgreement(settings);
    agreement.requireSessions("digest-a", true, List.of());

    agreement.requireSessions("digest-b", true, List.of());

    assertThat(settings.find(ClusterAgreement.SESSIONS)).contains("password:digest-b");
    agreement.requireSessions("digest-b", true, List.of("node-a"));
  }

  @Test
  void aNodeStartingAloneChangesTheSpreadForTheCluster() {
    start(NONE, shared);
    start(Duration.ofMinutes(90), shared);

    assertThat(settings.find(ClusterAgreement.SPREAD)).contains("PT1H30M");
    start(Duration.ofMinutes(90), shared, "node-a");
  }

  @Test
  void aNodeWhoseStoreIsNotTheSharedOneIsRefusedWhileOthersRunAndLeavesNoMark() {
    start(NONE, shared);

    assertThatThrownBy(() -> start(NONE, elsewhere, "node-a"))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("Archives would be kept in BACKUP_DIR " + elsewhere + ", which is not the store of the nodes running (node-a)")
        .hasMessageContaining("same STORAGE_URL");
    assertThat(elsewhere.resolve(StorageSettings.MARK)).doesNotExist();
  }

  /** Writing the mark renames a file over whatever is there: a link in its place (pointing nowhere, alone) stops the start instead. */
  @Test
  void aLinkInPlaceOfTheMarkStopsTheStartAndIsLeftAsItIs() throws Exception {
    Path mark = Files.createSymbolicLink(shared.resolve(StorageSettings.MARK), dir.resolve("gone"));

    assertThatThrownBy(() -> start(NONE, shared))
        .isInstanceOf(AppConfig.ConfigException.class)
        .hasMessageContaining(mark + " is a symbolic link (to " + dir.resolve("gone") + ")")
        .hasMessageContaining("remove the link");
    assertThat(Files.isSymbolicLink(mark)).isTrue();
    assertThat(dir.resolve("gone")).doesNotExist();
    assertThat(settings.find(ClusterAgreement.STORE_ID)).isEmpty();
  }

  @Test
  void aNodeWhoseStoreCannotBeReadIsRefusedWhileOthersRun() {
    start(NONE, shared);
    ClusterAgreement.StoreMark missing = StorageSettings.read(Map.of("STORAGE_URL", dir.resolve("shared2").toUri().toString()), List.of(dir.resolve("data")))
        .mark(dir.resolve("backups"));

    assertThatThrownBy(() -> new ClusterAgreement(settings).require(NONE, missing, List.of("node-a", "node-b")))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("Cannot check that")
        .hasMessageContaining("is the archive store of the nodes running (node-a, node-b)")
        .hasMessageContaining("mount it");
  }

  @Test
  void aStoreThatLostTheClusterMarkTakesNoArchive() throws Exception {
    start(NONE, shared);
    Path late = dir.resolve("late");
    StorageSettings storage = StorageSettings.read(Map.of("STORAGE_URL", late.toUri().toString()), List.of(dir.resolve("data")));
    Optional<String> id = new ClusterAgreement(settings).require(NONE, storage.mark(dir.resolve("backups")), List.of());
    assertThat(id).isEqualTo(settings.find(ClusterAgreement.STORE_ID)).isPresent();
    Files.createDirectories(late); // mounted after the start

    var shared = storage.keptOnlyWith(id).shared();
    assertThatThrownBy(() -> shared.put("home/home_20261203T030000Z_ab12cd.zip", new ByteArrayInputStream(new byte[] {1}), 1))
        .isInstanceOf(DestinationException.class)
        .hasMessageContaining("holds no " + StorageSettings.MARK)
        .hasMessageContaining("Mount the cluster's store");
    assertThat(late).isEmptyDirectory();

    Files.writeString(late.resolve(StorageSettings.MARK), id.get());
    shared.put("home/home_20261203T030000Z_ab12cd.zip", new ByteArrayInputStream(new byte[] {1}), 1);
    assertThat(late.resolve("home/home_20261203T030000Z_ab12cd.zip")).exists();
  }

  /** Without a STORAGE_URL, the BACKUP_DIR every node mounts is the cluster's store: the same rule as for a STORAGE_URL. */
  @Test
  void aSharedBackupDirThatLostTheClusterMarkTakesNoArchive() throws Exception {
    StorageSettings storage = StorageSettings.read(Map.of(), List.of(dir.resolve("data")));
    Optional<String> id = new ClusterAgreement(settings).require(NONE, storage.mark(shared), List.of());
    ArchiveStore archives = storage.keptOnlyWith(id).archives(shared, (folder, check) -> new LocalArchiveStore(folder, new TeleporterInspector(),
        ArchiveStore.FreeSpace.OF_FILE_STORE, ArchiveCipher.NONE, check), Clock.systemUTC());
    Files.delete(shared.resolve(StorageSettings.MARK)); // the share gone: BACKUP_DIR is the empty folder it was mounted on

    assertThatThrownBy(() -> archives.receive("home", AT, new ByteArrayInputStream(Fixtures.archiveA()), 0))
        .isInstanceOf(ArchiveStorageException.class)
        .hasMessageStartingWith("BACKUP_DIR " + shared + " holds no " + StorageSettings.MARK + ", so it is not the store the other nodes")
        .hasMessageContaining("Mount the cluster's share at BACKUP_DIR and try again");
    assertThat(filesIn(shared)).as("nothing written").isEmpty();

    Files.writeString(shared.resolve(StorageSettings.MARK), id.orElseThrow());
    try (ArchiveStore.Incoming incoming = archives.receive("home", AT, new ByteArrayInputStream(Fixtures.archiveA()), 0)) {
      Files.delete(shared.resolve(StorageSettings.MARK)); // gone while the archive downloaded

      assertThatThrownBy(() -> incoming.keep(PiholeVersions.UNKNOWN)).isInstanceOf(ArchiveStorageException.class)
          .hasMessageContaining("holds no " + StorageSettings.MARK);
    }
    assertThat(filesIn(shared)).isEmpty();
    Files.writeString(shared.resolve(StorageSettings.MARK), id.orElseThrow());
    try (ArchiveStore.Incoming incoming = archives.receive("home", AT, new ByteArrayInputStream(Fixtures.archiveA()), 0)) {
      incoming.keep(PiholeVersions.UNKNOWN);
    }
    assertThat(archives.fileNames()).hasSize(1);
  }

  @Test
  void aBackupDirOfOneNodeAloneIsNotChecked() throws Exception {
    ArchiveStore archives = StorageSettings.read(Map.of(), List.of(dir.resolve("data"))).keptOnlyWith(Optional.empty()).archives(elsewhere,
        (folder, check) -> new LocalArchiveStore(folder, new TeleporterInspector(), ArchiveStore.FreeSpace.OF_FILE_STORE, ArchiveCipher.NONE, check),
        Clock.systemUTC());

    try (ArchiveStore.Incoming incoming = archives.receive("home", AT, new ByteArrayInputStream(Fixtures.archiveA()), 0)) {
      incoming.keep(PiholeVersions.UNKNOWN);
    }

    assertThat(archives.fileNames()).hasSize(1);
  }

  /** The regular files under the folder, the mark left out. */
  private static List<Path> filesIn(Path folder) throws Exception {
    try (var files = Files.walk(folder)) {
      return files.filter(Files::isRegularFile).filter(f -> !f.getFileName().toString().equals(StorageSettings.MARK)).toList();
    }
  }

  @Test
  void aStoreMarkedByAnotherClusterIsRefusedEvenAlone() throws Exception {
    start(NONE, shared);
    Files.writeString(elsewhere.resolve(StorageSettings.MARK), "another-cluster");

    assertThatThrownBy(() -> start(NONE, elsewhere))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("belongs to another Pi-hole Checkpoint cluster");
  }

  @Test
  void aFreshDatabaseTakesTheMarkOfTheStoreItIsGiven() throws Exception {
    Files.writeString(shared.resolve(StorageSettings.MARK), "kept-from-before\n");

    start(NONE, shared);

    assertThat(settings.find(ClusterAgreement.STORE_ID)).contains("kept-from-before");
    start(NONE, shared, "node-a");
  }

  @Test
  void aClusterStartedAloneInANewStoreMarksIt() throws Exception {
    start(NONE, shared);
    String id = settings.find(ClusterAgreement.STORE_ID).orElseThrow();

    start(NONE, elsewhere);

    assertThat(Files.readString(elsewhere.resolve(StorageSettings.MARK))).isEqualTo(id);
    assertThat(Map.of("files", Files.list(elsewhere).map(p -> p.getFileName().toString()).toList()))
        .isEqualTo(Map.of("files", List.of(StorageSettings.MARK)));
  }
}
