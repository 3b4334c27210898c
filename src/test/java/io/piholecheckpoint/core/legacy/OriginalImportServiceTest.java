package io.piholecheckpoint.core.legacy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.piholecheckpoint.core.archive.ArchiveStore;
import io.piholecheckpoint.core.backup.catalog.Backup;
import io.piholecheckpoint.core.instance.InstanceDefaults;
import io.piholecheckpoint.core.instance.PiholeInstance;
import io.piholecheckpoint.persistence.Database;
import io.piholecheckpoint.persistence.Migrations;
import io.piholecheckpoint.persistence.MyBatisBackupRepository;
import io.piholecheckpoint.persistence.MyBatisImportLedger;
import io.piholecheckpoint.persistence.MyBatisInstanceRepository;
import io.piholecheckpoint.persistence.OriginalDatabase;
import io.piholecheckpoint.storage.LocalArchiveStore;
import io.piholecheckpoint.teleporter.TeleporterInspector;
import io.piholecheckpoint.testing.CapturedOutput;
import io.piholecheckpoint.testing.Fixtures;
import io.piholecheckpoint.testing.OriginalCheckpoint;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The import on a real SQLite file of each side, and real archives: restartable, and unbroken by a hostile original. */
class OriginalImportServiceTest {
  private static final Instant START = Instant.parse("2025-03-01T03:00:00Z");

  @TempDir
  Path dir;

  private Database database;
  private MyBatisBackupRepository backups;
  private MyBatisInstanceRepository instances;
  private LocalArchiveStore archives;

  @BeforeEach
  void migrate() {
    database = Database.open(dir.resolve("checkpoint.db"));
    Migrations.migrate(database, new PrintStream(OutputStream.nullOutputStream()));
    backups = new MyBatisBackupRepository(database);
    instances = new MyBatisInstanceRepository(database, Clock.systemUTC());
    archives = new LocalArchiveStore(dir.resolve("backups"), new TeleporterInspector(), ArchiveStore.FreeSpace.OF_FILE_STORE);
  }

  @AfterEach
  void close() {
    database.close();
  }

  private OriginalImportService service(ImportLedger ledger) {
    return new OriginalImportService(OriginalDatabase.in(dir), ledger, instances, backups, archives, Clock.fixed(START, ZoneOffset.UTC),
        io.piholecheckpoint.testing.TestTimes.UTC);
  }

  private List<Backup> history(long instanceId) {
    return backups.findByInstance(instanceId, Integer.MAX_VALUE);
  }

  @Test
  void anImportCutShortIsCompletedByTheNextRunWithoutDoublingAnything() throws Exception {
    Path original = dir.resolve("original");
    try (OriginalCheckpoint old = OriginalCheckpoint.create(original, dir.resolve("backups"))) {
      long home = old.instance("Home", "HOME", "daily", "02:15:00", 0, 10, 30, true);
      old.success(home, "Home", START.minus(2000, ChronoUnit.HOURS), false, Fixtures.archiveA());
      for (int i = 0; i < 1_200; i++) {
        old.failure(home, START.minus(1999 - i, ChronoUnit.HOURS), false, "unreachable " + i);
      }
      old.success(home, "Home", START.minus(1, ChronoUnit.HOURS), true, Fixtures.archiveB());
    }
    MyBatisImportLedger ledger = new MyBatisImportLedger(database);
    ImportLedger dying = new FailingOnSecondWrite(ledger);

    assertThatThrownBy(() -> service(dying).importFrom(original.resolve("db.sqlite3"))).hasMessageContaining("power cut");
    long id = instances.findByEnvPrefix("HOME").orElseThrow().id();
    assertThat(history(id)).as("the first batch, whole").hasSize(OriginalImportService.BATCH);
    assertThat(ledger.find().orElseThrow().finished()).isFalse();

    ImportLedger.Summary summary = service(ledger).importFrom(original.resolve("db.sqlite3"));

    assertThat(summary.records()).isEqualTo(1_202);
    assertThat(instances.findAll()).hasSize(1);
    List<Backup> all = history(id);
    assertThat(all).hasSize(1_202);
    assertThat(all.stream().map(Backup::errorMessage).filter(m -> m != null).distinct()).hasSize(1_200);
    assertThat(all.get(0).trigger()).isEqualTo(Backup.Trigger.MANUAL);
    assertThat(all.get(0).suspicious()).as("B is compared with A, written in an earlier batch").isFalse();
    assertThat(service(ledger).importFrom(original.resolve("db.sqlite3")).records()).isEqualTo(1_202);
    assertThat(history(id)).hasSize(1_202);
  }

  @Test
  void aHostileOriginalSkipsItsBadRecordsWithAReasonAndImportsTheRest() throws Exception {
    Path original = dir.resolve("original");
    byte[] a = Fixtures.archiveA();
    String good;
    try (OriginalCheckpoint old = OriginalCheckpoint.create(original, dir.resolve("backups"))) {
      long home = old.instance("Home\tsweet\nhome with a name far longer than sixty characters, as the original allowed", "home-lower",
          "fortnightly", "25:99", 9, 1_000_000, 5, false);
      old.execute("UPDATE backup_piholeconfig SET max_age_days = 'forever' WHERE id = " + home);
      // a schema of its own: no types, no NOT NULL, so that any value fits
      old.execute("DROP TABLE backup_backuprecord");
      old.execute("CREATE TABLE backup_backuprecord (id INTEGER PRIMARY KEY, filename, file_path, file_size, checksum, status, error_message,"
          + " is_manual, created_at, config_id)");
      long twin = old.instance("Twin", null, "hourly", "00:07:00", 0, 5, 5, true);
      old.instance("twin", null, "weekly", "03:00", 6, 5, 5, true);
      good = old.success(home, "Home", START.minus(3, ChronoUnit.DAYS), false, a);
      old.rawRecord(String.valueOf(home), good, "", 0, OriginalCheckpoint.sha256(a), "success", "", "0", "2025-02-01 00:00:00");
      old.rawRecord(String.valueOf(home), "../../etc/passwd", "/app/backups/../../etc/passwd", 0, "", "success", "", "0", "2025-02-01 00:00:00");
      old.rawRecord(String.valueOf(home), null, null, 0, null, null, null, null, null);
      old.rawRecord(String.valueOf(home), "x", "x", 0, "", "failed", "boom", "1", "yesterday");
      old.rawRecord(String.valueOf(home), "x", "x", 0, "", "exploded", "boom", "1", "2025-02-01 00:00:00");
      old.rawRecord("999", "x", "x", 0, "", "failed", "orphan", "0", "2025-02-01 00:00:00");
      old.rawRecord("twin", "x", "x", 0, "", "failed", "no such config", "0", "2025-02-01 00:00:00");
      old.rawRecord(String.valueOf(twin), "", "", 0, "", "FAILED", "line one\nline two\u202e", "true", "2025-02-01T10:00:00+02:00");
      old.execute("INSERT INTO backup_backuprecord (filename, file_path, file_size, checksum, status, error_message, is_manual, created_at,"
          + " config_id) VALUES (x'00ff', NULL, NULL, NULL, 'failed', randomblob(64), NULL, '2025-02-01 00:00:00', NULL)");
    }
    String before = OriginalCheckpoint.sha256(original.resolve("db.sqlite3"));

    try (CapturedOutput output = CapturedOutput.start()) {
      ImportLedger.Summary summary = service(new MyBatisImportLedger(database)).importFrom(original.resolve("db.sqlite3"));

      assertThat(summary.finished()).isTrue();
      assertThat(summary.records()).isEqualTo(2);
      assertThat(summary.skipped()).isEqualTo(8);
      assertThat(output.text()).contains("names " + good + ", the archive of a backup already imported; skipped")
          .contains("names no archive Pi-hole Checkpoint 1.x writes (filename '../../etc/passwd'")
          .contains("no readable created_at ('yesterday')").contains("status 'exploded', neither success nor failed")
          .contains("belongs to no Pi-hole it lists (config_id '999')")
          .contains("backup_frequency 'fortnightly' is not hourly, daily or weekly").contains("max_age_days 'forever' is not 0 to 100000").contains("is taken; it is called 'twin (3)'");
    }
    assertThat(OriginalCheckpoint.sha256(original.resolve("db.sqlite3"))).isEqualTo(before);
    List<PiholeInstance> all = instances.findAll();
    assertThat(all).extracting(PiholeInstance::name).hasSize(3).contains("Twin", "twin (3)")
        .anyMatch(n -> n.startsWith("Home") && n.codePointCount(0, n.length()) <= 60);
    assertThat(all).allMatch(PiholeInstance::removed);
    PiholeInstance twin = all.stream().filter(i -> i.name().equals("Twin")).findFirst().orElseThrow();
    Backup failure = history(twin.id()).get(0);
    assertThat(failure.errorMessage()).isEqualTo("Pi-hole Checkpoint 1.x: line one line two");
    assertThat(failure.finishedAt()).isEqualTo(Instant.parse("2025-02-01T08:00:00Z"));
    assertThat(failure.trigger()).isEqualTo(Backup.Trigger.MANUAL);
    assertThat(twin.schedule().kind()).isEqualTo(io.piholecheckpoint.core.schedule.Schedule.Kind.HOURLY);
    assertThat(Files.exists(dir.resolve("backups").resolve(good))).isTrue();
  }

  /**
   * Under a locale whose file names are ASCII (env -i: sun.jnu.encoding ANSI_X3.4-1968) the JDK
   * throws InvalidPathException for a name with "ü"; the store here does what it does there.
   */
  @Test
  void aRecordThatThrowsIsSkippedAloneWithItsReasonCountedAndTheRestImported() throws Exception {
    Path original = dir.resolve("original");
    String umlaut;
    try (OriginalCheckpoint old = OriginalCheckpoint.create(original, dir.resolve("backups"))) {
      long home = old.instance("Küche", "KITCHEN", "daily", "03:00:00", 0, 10, 30, true);
      umlaut = "pihole_checkpoint_küche_20250227_030000_0000000a.zip"; // Python's \w takes "ü"
      Files.write(dir.resolve("backups").resolve(umlaut), Fixtures.archiveA());
      old.record(home, umlaut, "/app/backups/" + umlaut, 1, OriginalCheckpoint.sha256(Fixtures.archiveA()), "success", "", false,
          START.minus(2, ChronoUnit.DAYS));
      old.failure(home, START.minus(1, ChronoUnit.DAYS), false, "after it");
    }
    archives = new LocalArchiveStore(dir.resolve("backups"), new TeleporterInspector(), ArchiveStore.FreeSpace.OF_FILE_STORE) {
      @Override
      public Optional<Path> find(String fileName) {
        if (!fileName.chars().allMatch(c -> c < 128)) {
          throw new java.nio.file.InvalidPathException(fileName, "Malformed input or input contains unmappable characters");
        }
        return super.find(fileName);
      }
    };
    MyBatisImportLedger ledger = new MyBatisImportLedger(database);

    try (CapturedOutput output = CapturedOutput.start()) {
      ImportLedger.Summary summary = service(ledger).importFrom(original.resolve("db.sqlite3"));

      assertThat(summary.finished()).isTrue();
      assertThat(summary.records()).isEqualTo(1);
      assertThat(summary.skipped()).isEqualTo(1);
      assertThat(output.text()).contains("backup record 1 names a file this system cannot name").contains("LANG=C.UTF-8");
    }
    assertThat(ledger.skippedByReason()).containsExactly(Map.entry(SkipReason.FILE_NAME_UNREPRESENTABLE, 1L));
  }

  @Test
  void skippedRecordsAreCountedByReasonForSettings() throws Exception {
    Path original = dir.resolve("original");
    try (OriginalCheckpoint old = OriginalCheckpoint.create(original, dir.resolve("backups"))) {
      long home = old.instance("Home", "HOME", "daily", "03:00:00", 0, 10, 30, true);
      old.rawRecord(String.valueOf(home), "", "", 0, "", "failed", "", "0", "yesterday");
      old.rawRecord(String.valueOf(home), "", "", 0, "", "failed", "", "0", "tomorrow");
      old.rawRecord("999", "", "", 0, "", "failed", "", "0", "2025-02-01 00:00:00");
      old.failure(home, START, false, "kept");
    }
    MyBatisImportLedger ledger = new MyBatisImportLedger(database);

    ImportLedger.Summary summary = service(ledger).importFrom(original.resolve("db.sqlite3"));

    assertThat(OriginalImportService.describe(summary, ledger.skippedByReason())).isEqualTo("imported 1 backup of 1 Pi-hole from Pi-hole"
        + " Checkpoint 1.x; 3 records skipped: 2 with no readable created_at, 1 with no Pi-hole that was imported (an unknown config_id,"
        + " or one past the first 1,000 Pi-holes)");
  }

  @Test
  void aChecksumThatIsNoSha256LeavesTheArchiveUnverified() throws Exception {
    Path original = dir.resolve("original");
    String name;
    try (OriginalCheckpoint old = OriginalCheckpoint.create(original, dir.resolve("backups"))) {
      long home = old.instance("Home", "HOME", "daily", "03:00:00", 0, 10, 30, true);
      name = old.archiveName("Home", START);
      Files.write(dir.resolve("backups").resolve(name), Fixtures.archiveA());
      old.record(home, name, "/app/backups/" + name, 1, "12345", "success", "", false, START);
    }

    service(new MyBatisImportLedger(database)).importFrom(original.resolve("db.sqlite3"));

    Backup imported = history(instances.findByEnvPrefix("HOME").orElseThrow().id()).get(0);
    assertThat(imported.verifyError()).startsWith("checksum unreadable: Pi-hole Checkpoint 1.x recorded '12345'");
    assertThat(imported.archive().summary().adlists()).as("inspected all the same").isEqualTo(2);
    assertThat(imported.fileMissing()).isFalse();
  }

  @Test
  void piholesAndRecordsWithAnyIntegerIdAreImported() throws Exception {
    Path original = dir.resolve("original");
    try (OriginalCheckpoint old = OriginalCheckpoint.create(original, dir.resolve("backups"))) {
      old.execute("INSERT INTO backup_piholeconfig (id, name, backup_frequency, backup_time, backup_day, max_backups, max_age_days, is_active,"
          + " last_backup_error, created_at, updated_at, connection_status) VALUES (-5, 'Minus', 'daily', '03:00', 0, 5, 5, 1, '', '', '', 'ok'),"
          + " (9223372036854775807, 'Max', 'daily', '03:00', 0, 5, 5, 1, '', '', '', 'ok')");
      old.execute("INSERT INTO backup_backuprecord (id, filename, file_path, file_size, checksum, status, error_message, is_manual, created_at,"
          + " config_id) VALUES (-3, '', '', 0, '', 'failed', 'minus three', 0, '2025-01-01 00:00:00', -5),"
          + " (0, '', '', 0, '', 'failed', 'zero', 0, '2025-01-01 00:00:00', 9223372036854775807),"
          + " (9223372036854775807, '', '', 0, '', 'failed', 'max', 0, '2025-01-01 00:00:00', -5)");
    }
    MyBatisImportLedger ledger = new MyBatisImportLedger(database);

    ImportLedger.Summary summary = service(ledger).importFrom(original.resolve("db.sqlite3"));

    assertThat(summary.records()).isEqualTo(3);
    assertThat(summary.skipped()).isZero();
    assertThat(instances.findAll()).extracting(PiholeInstance::name).containsExactlyInAnyOrder("Minus", "Max");
    assertThat(ledger.lastRecordId()).hasValue(Long.MAX_VALUE);
  }

  @Test
  void anArchiveThatIsASymbolicLinkIsRecordedMissingAndNeverRead() throws Exception {
    Path original = dir.resolve("original");
    Path backupDir = dir.resolve("backups");
    Path secret = Files.writeString(dir.resolve("field-encryption.key"), "the key");
    Files.createDirectories(dir.resolve("elsewhere"));
    Files.write(dir.resolve("elsewhere/real.zip"), Fixtures.archiveA());
    String toSecret;
    String toArchive;
    String toDirectory;
    try (OriginalCheckpoint old = OriginalCheckpoint.create(original, backupDir)) {
      long home = old.instance("Home", "HOME", "daily", "03:00:00", 0, 10, 30, true);
      toSecret = old.success(home, "Home", START.minus(3, ChronoUnit.DAYS), false, Fixtures.archiveA());
      toArchive = old.success(home, "Home", START.minus(2, ChronoUnit.DAYS), false, Fixtures.archiveA());
      toDirectory = old.success(home, "Home", START.minus(1, ChronoUnit.DAYS), false, Fixtures.archiveA());
    }
    for (String name : List.of(toSecret, toArchive, toDirectory)) {
      Files.delete(backupDir.resolve(name));
    }
    Files.createSymbolicLink(backupDir.resolve(toSecret), secret);
    Files.createSymbolicLink(backupDir.resolve(toArchive), dir.resolve("elsewhere/real.zip"));
    Files.createDirectory(backupDir.resolve(toDirectory));

    try (CapturedOutput output = CapturedOutput.start()) {
      service(new MyBatisImportLedger(database)).importFrom(original.resolve("db.sqlite3"));

      assertThat(output.text()).contains(toSecret + " in " + backupDir + " is a symbolic link or no regular file, which is never followed");
    }
    List<Backup> all = history(instances.findByEnvPrefix("HOME").orElseThrow().id());
    assertThat(all).hasSize(3).allSatisfy(b -> {
      assertThat(b.fileMissing()).isTrue();
      assertThat(b.verifyError()).contains("never followed");
      assertThat(archives.find(b.fileName())).isEmpty();
    });
  }

  @Test
  void aFileThatIsNoDatabaseOfTheOriginalIsNotRecordedAsImportedSoTheNextRunImportsAGoodOne() throws Exception {
    Files.createDirectories(dir.resolve("original"));
    Files.writeString(dir.resolve("original/db.sqlite3"), "not a database at all, just text that is long enough to not be empty");
    MyBatisImportLedger ledger = new MyBatisImportLedger(database);

    assertThatThrownBy(() -> service(ledger).importIfPending(dir.resolve("original"))).isInstanceOf(OriginalSchemaException.class)
        .hasMessageContaining("nothing imported from").hasMessageContaining("db.sqlite3").hasMessageContaining("not an SQLite database");
    assertThat(ledger.finished()).isFalse();
    assertThat(ledger.find()).isEmpty();

    Files.delete(dir.resolve("original/db.sqlite3"));
    try (OriginalCheckpoint old = OriginalCheckpoint.create(dir.resolve("original"), dir.resolve("backups"))) {
      long home = old.instance("Home", "HOME", "daily", "03:00:00", 0, 10, 30, true);
      old.failure(home, START, false, "timed out");
    }
    assertThat(service(ledger).importIfPending(dir.resolve("original"))).map(ImportLedger.Summary::records).contains(1);
  }

  @Test
  void aFileThatIsNotThereIsNoImportAtAll() {
    MyBatisImportLedger ledger = new MyBatisImportLedger(database);

    assertThatThrownBy(() -> service(ledger).importFrom(dir.resolve("nonexistent/db.sqlite3")))
        .hasMessageContaining("nonexistent/db.sqlite3 is not a readable file");
    assertThat(ledger.find()).isEmpty();
  }

  @Test
  void anEmptyDatabaseWithoutTheOriginalsTablesIsNoDatabaseOfTheOriginal() throws Exception {
    Files.createDirectories(dir.resolve("original"));
    try (var c = java.sql.DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("original/db.sqlite3")); var s = c.createStatement()) {
      s.execute("CREATE TABLE something_else (id INTEGER PRIMARY KEY)");
    }

    assertThatThrownBy(() -> service(new MyBatisImportLedger(database)).importFrom(dir.resolve("original/db.sqlite3")))
        .hasMessageContaining("no table backup_piholeconfig with an id column");
  }

  @Test
  void theOriginalsScheduleAndRetentionAreTheDefaultsOfItsEnvironmentInstance() throws Exception {
    Path original = dir.resolve("original");
    try (OriginalCheckpoint old = OriginalCheckpoint.create(original, dir.resolve("backups"))) {
      old.instance("Office", "OFFICE", "weekly", "22:05:00", 4, 0, 90, true);
    }

    service(new MyBatisImportLedger(database)).importFrom(original.resolve("db.sqlite3"));

    Map<String, InstanceDefaults> defaults = new MyBatisImportLedger(database).defaultsByPrefix();
    assertThat(defaults.get("OFFICE").schedule().describe()).isEqualTo("weekly on Friday at 22:05");
    assertThat(defaults.get("OFFICE").retention().maxBackups()).isZero();
    assertThat(defaults.get("OFFICE").retention().maxAgeDays()).isEqualTo(90);
    assertThat(instances.findByEnvPrefix("OFFICE")).map(PiholeInstance::name).isEqualTo(Optional.of("Office"));
  }

  /** The ledger of a process that dies (power cut) while writing its second batch: nothing of that batch is written. */
  private record FailingOnSecondWrite(MyBatisImportLedger ledger, int[] writes) implements ImportLedger {
    FailingOnSecondWrite(MyBatisImportLedger ledger) {
      this(ledger, new int[1]);
    }

    @Override
    public List<Backup> write(List<Entry> batch) {
      if (++writes[0] == 2) {
        throw new IllegalStateException("power cut");
      }
      return ledger.write(batch);
    }

    @Override
    public Optional<Summary> find() {
      return ledger.find();
    }

    @Override
    public boolean finished() {
      return ledger.finished();
    }

    @Override
    public void start(String source, Instant at) {
      ledger.start(source, at);
    }

    @Override
    public OptionalLong lastRecordId() {
      return ledger.lastRecordId();
    }

    @Override
    public Map<SkipReason, Long> skippedByReason() {
      return ledger.skippedByReason();
    }

    @Override
    public Optional<Long> instanceOf(long originalId) {
      return ledger.instanceOf(originalId);
    }

    @Override
    public void link(long originalId, long instanceId, String envPrefix, InstanceDefaults defaults) {
      ledger.link(originalId, instanceId, envPrefix, defaults);
    }

    @Override
    public boolean fileNameTaken(String fileName) {
      return ledger.fileNameTaken(fileName);
    }

    @Override
    public Summary finish(Instant at, String note) {
      return ledger.finish(at, note);
    }

    @Override
    public Map<String, InstanceDefaults> defaultsByPrefix() {
      return ledger.defaultsByPrefix();
    }
  }
}
